"""**I/O** loads the shapes and vocabularies the MQA scorer ships in `ogd/quality/data/`.

Loading parses about 5,000 triples (mostly the IANA media types); load once with
`load_references()` and hand the result to every `score_dataset` call.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.namespace import SKOS

SHAPES_FILE = "dcat-ap_2.1.1_shacl_shapes.ttl"
VOCABULARY_FILES = ("formats-eu.ttl", "mime-types.ttl")
FILE_TYPE_SCHEME = URIRef("http://publications.europa.eu/resource/authority/file-type")
MEDIA_TYPE_SCHEME = URIRef("http://www.iana.org/assignments/media-types")


@dataclass(frozen=True)
class References:
    """What the scorer checks against.

    Attributes:
        shapes: the DCAT-AP 2.1.1 SHACL shapes (I6).
        vocabularies: the EU file-type table and the IANA media types, merged into the
            data graph before SHACL validation.
        file_types: IRIs of the EU file-type table (I3).
        media_types: IRIs of the IANA media-type registry (I3).
    """

    shapes: Graph
    vocabularies: Graph
    file_types: frozenset[str]
    media_types: frozenset[str]


def load_references(folder: Path | None = None) -> References:
    """Parse the shipped shapes and vocabularies.

    Args:
        folder: a folder holding the same file names; default `ogd/quality/data/`.

    Returns:
        The parsed references.
    """
    base = folder if folder is not None else resources.files("ogd.quality") / "data"
    shapes = Graph()
    shapes.parse(data=(base / SHAPES_FILE).read_text(encoding="utf-8"), format="turtle")
    vocabularies = Graph()
    for name in VOCABULARY_FILES:
        vocabularies.parse(data=(base / name).read_text(encoding="utf-8"), format="turtle")
    return References(
        shapes=shapes,
        vocabularies=vocabularies,
        file_types=_members(vocabularies, FILE_TYPE_SCHEME),
        media_types=_members(vocabularies, MEDIA_TYPE_SCHEME),
    )


def _members(graph: Graph, scheme: URIRef) -> frozenset[str]:
    return frozenset(str(concept) for concept in graph.subjects(SKOS.inScheme, scheme))
