"""DCAT-AP compliance (MQA indicator I6): the dataset's sub-graph against the SHACL shapes.

The sub-graph holds the dataset, its distributions, publisher, contact point and temporal
nodes, every blank node hanging from them, and the vocabulary entries of the IRIs they
use (the vocabularies are merged into the data graph, see
`reference/dcat-ap-ch/README.md`). Violations fail; warnings are allowed.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyshacl
from rdflib import BNode, Graph, URIRef
from rdflib.namespace import DCAT, DCTERMS, RDF, SH
from rdflib.term import Node

from ogd.quality.references import References

LINKED = (DCAT.distribution, DCTERMS.publisher, DCAT.contactPoint, DCTERMS.temporal)
PREFIXES = {"dcat": DCAT, "dct": DCTERMS}


@dataclass(frozen=True)
class Violation:
    """One SHACL violation, named for a steward or developer.

    Attributes:
        focus: the node that fails.
        path: the property, or empty.
        message: pyshacl's message.
    """

    focus: str
    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.focus} {self.path}: {self.message}".replace("  ", " ")


def dataset_subgraph(graph: Graph, dataset: URIRef | BNode) -> Graph:
    """Cut the dataset and the nodes I6 looks at out of a catalogue graph.

    Args:
        graph: the whole catalogue graph.
        dataset: the `dcat:Dataset` node.

    Returns:
        A new graph with the dataset, its distributions, publisher, contact point and
        temporal nodes, and the blank nodes below them.
    """
    sub = Graph()
    for prefix, namespace in PREFIXES.items():
        sub.bind(prefix, namespace)
    start: list[Node] = [dataset]
    for prop in LINKED:
        start.extend(graph.objects(dataset, prop))
    seen: set[Node] = set()
    while start:
        node = start.pop()
        if node in seen:
            continue
        seen.add(node)
        for triple in graph.triples((node, None, None)):
            sub.add(triple)
            if isinstance(triple[2], BNode):
                start.append(triple[2])
    return sub


def find_violations(
    graph: Graph, dataset: URIRef | BNode, references: References
) -> list[Violation]:
    """Validate the dataset's sub-graph, merged with the vocabularies, against the shapes.

    Args:
        graph: the whole catalogue graph.
        dataset: the `dcat:Dataset` node.
        references: shapes and vocabularies.

    Returns:
        The violations, sorted; empty when the dataset conforms.
    """
    data = dataset_subgraph(graph, dataset)
    iris = {o for o in data.objects() if isinstance(o, URIRef)}
    for iri in iris:
        for triple in references.vocabularies.triples((iri, None, None)):
            data.add(triple)
    _, results, _ = pyshacl.validate(
        data, shacl_graph=references.shapes, inference="none", allow_warnings=True
    )
    return sorted(_violations(results), key=str)


def _violations(results: Graph) -> list[Violation]:
    found = []
    for result in results.subjects(RDF.type, SH.ValidationResult):
        if results.value(result, SH.resultSeverity) != SH.Violation:
            continue
        found.append(
            Violation(
                focus=str(results.value(result, SH.focusNode) or ""),
                path=str(results.value(result, SH.resultPath) or ""),
                message=str(results.value(result, SH.resultMessage) or ""),
            )
        )
    return found
