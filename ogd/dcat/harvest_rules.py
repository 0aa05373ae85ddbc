"""The opendata.swiss harvest filter's hard rules (datasets it drops), as checks; pure."""

from __future__ import annotations

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, RDF

from ogd.dcat.vocab import terms_id


def dropped_datasets(graph: Graph) -> dict[str, list[str]]:
    """Dataset IRI -> why the piveau filter would drop it (empty when none would be).

    Rules: exactly one literal `dct:identifier`; every distribution has a `terms_*`
    licence and all carry the same; `dct:conformsTo` only as IRIs.
    """
    problems: dict[str, list[str]] = {}
    for dataset in sorted(set(graph.subjects(RDF.type, DCAT.Dataset)), key=str):
        found = []
        identifiers = list(graph.objects(dataset, DCTERMS.identifier))
        if len(identifiers) != 1 or not isinstance(identifiers[0], Literal):
            found.append("dct:identifier must be exactly one literal")
        licences = set()
        for distribution in graph.objects(dataset, DCAT.distribution):
            values = [str(v) for v in graph.objects(distribution, DCTERMS.license)]
            if not values or not all(terms_id(v) for v in values):
                found.append(f"{distribution}: dct:license missing or not a terms_* IRI")
            licences.update(values)
            found += _literal_standards(graph, distribution)
        if len(licences) > 1:
            found.append("distributions carry different terms of use")
        found += _literal_standards(graph, dataset)
        if found:
            problems[str(dataset)] = found
    return problems


def _literal_standards(graph: Graph, node: object) -> list[str]:
    return [
        f"{node}: dct:conformsTo `{value}` is not an IRI"
        for value in graph.objects(node, DCTERMS.conformsTo)  # type: ignore[arg-type]
        if not isinstance(value, URIRef)
    ]
