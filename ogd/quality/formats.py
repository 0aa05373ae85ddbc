"""Format and media type of a distribution, as the MQA indicators I1–I5 see them.

I3 matches `dct:format` against the EU file-type table and `dcat:mediaType` against the
IANA registry by IRI; I4/I5 look up the media type, else the format, in the MQA lists.
"""

from __future__ import annotations

from dataclasses import dataclass

from rdflib import Graph, URIRef
from rdflib.namespace import DCAT, DCTERMS
from rdflib.term import Node

from ogd.quality import lists
from ogd.quality.references import References


@dataclass(frozen=True)
class DistributionFormat:
    """What I1–I5 see of one distribution.

    Attributes:
        has_format: `dct:format` present (I1).
        has_media_type: `dcat:mediaType` present (I2).
        format_controlled: the format IRI is in the EU file-type table (I3).
        media_type_controlled: the media type IRI is in the IANA registry (I3).
        code: the file-type code for I4/I5 (media type first, else format), or None.
    """

    has_format: bool
    has_media_type: bool
    format_controlled: bool
    media_type_controlled: bool
    code: str | None

    @property
    def points(self) -> int:
        """The I1–I5 points this distribution would earn."""
        return (
            20 * self.has_format
            + 10 * self.has_media_type
            + 10 * self.controlled
            + 20 * self.non_proprietary
            + 20 * self.machine_readable
        )

    @property
    def controlled(self) -> bool:
        """I3: both format and media type from their vocabularies."""
        return self.format_controlled and self.media_type_controlled

    @property
    def non_proprietary(self) -> bool:
        """I4: the file type is on the MQA non-proprietary list."""
        return self.code in lists.NON_PROPRIETARY

    @property
    def machine_readable(self) -> bool:
        """I5: the file type is on the MQA machine-readable list."""
        return self.code in lists.MACHINE_READABLE


def _first_iri(graph: Graph, node: Node, prop: URIRef) -> str | None:
    iris = sorted(str(o) for o in graph.objects(node, prop) if isinstance(o, URIRef))
    return iris[0] if iris else None


def distribution_format(graph: Graph, dist: Node, refs: References) -> DistributionFormat:
    """Look at the format and media type of one distribution.

    Args:
        graph: the graph holding the distribution.
        dist: the `dcat:Distribution` node.
        refs: the vocabularies.

    Returns:
        What I1–I5 see.
    """
    format_iri = _first_iri(graph, dist, DCTERMS.format)
    media_iri = _first_iri(graph, dist, DCAT.mediaType)
    return DistributionFormat(
        has_format=graph.value(dist, DCTERMS.format) is not None,
        has_media_type=graph.value(dist, DCAT.mediaType) is not None,
        format_controlled=format_iri in refs.file_types,
        media_type_controlled=media_iri in refs.media_types,
        code=lists.format_code(format_iri, media_iri),
    )
