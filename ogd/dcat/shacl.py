"""SHACL validation of an export with pyshacl; vocabularies are merged into the data graph."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph
from rdflib.namespace import DCTERMS, RDF, SH

from ogd.dcat.vocab import PREFIXES


@dataclass(frozen=True)
class Finding:
    """One SHACL result."""

    severity: str  # Violation | Warning | Info
    focus: str
    path: str
    message: str


@dataclass(frozen=True)
class ShaclReport:
    """Every finding of one validation run."""

    findings: tuple[Finding, ...]

    def count(self, severity: str) -> int:
        """Number of findings of one severity."""
        return sum(f.severity == severity for f in self.findings)

    @property
    def violations(self) -> list[Finding]:
        """The findings of severity Violation."""
        return [f for f in self.findings if f.severity == "Violation"]


def merged(graph: Graph, vocabularies: Sequence[Path]) -> Graph:
    """A copy of the data graph with the vocabulary files added (what the shapes look up)."""
    data = Graph()
    for prefix, namespace in PREFIXES.items():
        data.bind(prefix, namespace, override=True)
    for triple in graph:
        data.add(triple)
    for path in vocabularies:
        data.parse(path)
    # bound last: parsing a vocabulary may rebind the namespace to another prefix
    data.bind("dct", DCTERMS, override=True, replace=True)
    return data


def validate(graph: Graph, shapes: Path, vocabularies: Sequence[Path] = ()) -> ShaclReport:
    """Validate `graph` against the shapes in `shapes`.

    Args:
        graph: the export (catalogue or one dataset).
        shapes: a SHACL Turtle file.
        vocabularies: controlled vocabularies merged into the data graph first.
    """
    from pyshacl import validate as run_pyshacl

    shapes_graph = Graph().parse(shapes)
    # ogdch.shacl.ttl's SPARQL constraints use `dct:` without declaring it (sh:prefixes)
    shapes_graph.bind("dct", DCTERMS, override=True)
    _conforms, results, _text = run_pyshacl(
        merged(graph, vocabularies),
        shacl_graph=shapes_graph,
        inference="none",
        abort_on_first=False,
        allow_warnings=True,
        inplace=True,
    )
    assert isinstance(results, Graph)
    findings = []
    for result in results.subjects(RDF.type, SH.ValidationResult):
        severity = results.value(result, SH.resultSeverity)
        findings.append(
            Finding(
                severity=str(severity).rsplit("#", 1)[-1] if severity else "Violation",
                focus=str(results.value(result, SH.focusNode)),
                path=str(results.value(result, SH.resultPath)),
                message=str(results.value(result, SH.resultMessage) or ""),
            )
        )
    return ShaclReport(tuple(sorted(findings, key=lambda f: (f.severity, f.focus, f.path))))
