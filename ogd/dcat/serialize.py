"""`Graph` -> Turtle, RDF/XML or JSON-LD, with the media types the endpoints answer with."""

from __future__ import annotations

from rdflib import Graph

from ogd.errors import ValidationError

# endpoint suffix -> (rdflib format, media type)
FORMATS = {
    "ttl": ("turtle", "text/turtle"),
    "rdf": ("xml", "application/rdf+xml"),
    "xml": ("xml", "application/rdf+xml"),
    "jsonld": ("json-ld", "application/ld+json"),
}


def media_type(fmt: str) -> str:
    """The media type of a format name (`ttl`, `rdf`, `xml`, `jsonld`)."""
    return FORMATS[fmt][1]


def serialize(graph: Graph, fmt: str) -> str:
    """The graph as text in `fmt`.

    Raises:
        ValidationError: unknown format.
    """
    if fmt not in FORMATS:
        raise ValidationError({"format": [f"Use one of: {', '.join(FORMATS)}"]})
    return graph.serialize(format=FORMATS[fmt][0])
