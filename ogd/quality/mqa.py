"""The data.europa.eu Metadata Quality Assessment (MQA) score of DCAT-AP datasets.

Implements `reference/mqa.md`: 23 indicators in five dimensions, 405 points. Pure apart
from the URL checks, which go through the `UrlChecker` handed in.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from fractions import Fraction
from typing import Any

from rdflib import BNode, Graph, URIRef
from rdflib.namespace import DCAT, DCTERMS, RDF
from rdflib.term import Node

from ogd.quality import lists
from ogd.quality.formats import DistributionFormat, distribution_format
from ogd.quality.indicators import BY_ID, DIMENSIONS, MAX_TOTAL, rate
from ogd.quality.references import References, load_references
from ogd.quality.report import IndicatorResult, QualityReport
from ogd.quality.shacl import find_violations
from ogd.quality.urls import UrlChecker

Scored = tuple[Fraction, IndicatorResult]
SHOWN = 3  # failing URLs or violations named in a reason


def score_dataset(
    graph: Graph,
    dataset: URIRef | BNode,
    urls: UrlChecker,
    *,
    swiss_licences: bool = False,
    references: References | None = None,
) -> QualityReport:
    """Score one dataset the way data.europa.eu's MQA does.

    Args:
        graph: a DCAT-AP (CH) graph holding the dataset and its distributions.
        dataset: the `dcat:Dataset` node.
        urls: answers A1/A3 (`HttpUrlChecker` in production, `StubUrlChecker` in tests).
        swiss_licences: count the opendata.swiss `terms_*` licences as known (R2).
        references: shapes and vocabularies; loaded from `ogd/quality/data/` when None
            (pass them in when scoring many datasets).

    Returns:
        The report: total, rating, dimensions, the 23 indicator results, the penalty.
    """
    refs = references if references is not None else load_references()
    dists = sorted(graph.objects(dataset, DCAT.distribution), key=str)
    notes: list[str] = []
    interoperability, best = _interoperability(graph, dataset, dists, refs)
    scored = [
        *_findability(graph, dataset),
        *_accessibility(graph, dists, urls),
        *interoperability,
        *_reusability(graph, dataset, dists, swiss_licences),
        *_contextuality(graph, dataset, dists, notes),
    ]
    if swiss_licences:
        notes.append("R2: Swiss profile, dcat-ap.ch terms_* licences counted as known")
    dimensions = {
        d: math.floor(sum((f for f, r in scored if r.dimension == d), Fraction(0)))
        for d in DIMENSIONS
    }
    total = sum(dimensions.values())
    return QualityReport(
        dataset=str(dataset),
        total=total,
        max=MAX_TOTAL,
        rating=rate(total),
        dimensions=dimensions,
        indicators=tuple(result for _, result in scored),
        penalty=_penalty(graph, dists),
        best_distribution=None if best is None else str(best),
        swiss_licences=swiss_licences,
        notes=tuple(notes),
    )


def _result(
    indicator_id: str,
    earned: Fraction,
    reason: str,
    *,
    share: bool = False,
    details: dict[str, Any] | None = None,
) -> Scored:
    """Build one result; `earned` is the fraction (0–1) of the indicator's points."""
    indicator = BY_ID[indicator_id]
    points = indicator.max * earned
    passed = earned == 1
    how = {} if passed else {"de": indicator.how_de, "en": indicator.how_en}
    result = IndicatorResult(
        id=indicator.id,
        dimension=indicator.dimension,
        name=indicator.name,
        points=float(points),
        max=indicator.max,
        passed=passed,
        share=float(earned) if share else None,
        reason=reason,
        how=how,
        details=details or {},
    )
    return points, result


def _presence(graph: Graph, node: Node, prop: URIRef, indicator_id: str, label: str) -> Scored:
    present = graph.value(node, prop) is not None
    reason = f"{label} present" if present else f"no {label}"
    return _result(indicator_id, Fraction(int(present)), reason)


def _share(indicator_id: str, passing: Sequence[Node], dists: Sequence[Node], what: str) -> Scored:
    """Points × share of distributions passing; failing ones named in the reason."""
    if not dists:
        return _result(indicator_id, Fraction(0), "no distributions", share=True)
    failing = [str(d) for d in dists if d not in passing]
    reason = f"{len(passing)} of {len(dists)} distributions: {what}"
    if failing:
        reason += "; not: " + ", ".join(failing[:SHOWN]) + (" …" if len(failing) > SHOWN else "")
    counts = {"passing": len(passing), "distributions": len(dists)}
    return _result(
        indicator_id, Fraction(len(passing), len(dists)), reason, share=True, details=counts
    )


def _findability(graph: Graph, dataset: Node) -> list[Scored]:
    return [
        _presence(graph, dataset, DCAT.keyword, "F1", "dcat:keyword"),
        _presence(graph, dataset, DCAT.theme, "F2", "dcat:theme"),
        _presence(graph, dataset, DCTERMS.spatial, "F3", "dct:spatial"),
        _presence(graph, dataset, DCTERMS.temporal, "F4", "dct:temporal"),
    ]


def _all_accessible(values: Iterable[Node], urls: UrlChecker) -> bool:
    found = [str(value) for value in values]
    return bool(found) and all(urls.is_accessible(url) for url in found)


def _accessibility(graph: Graph, dists: Sequence[Node], urls: UrlChecker) -> list[Scored]:
    a1 = [d for d in dists if _all_accessible(graph.objects(d, DCAT.accessURL), urls)]
    a2 = [d for d in dists if graph.value(d, DCAT.downloadURL) is not None]
    a3 = [d for d in a2 if _all_accessible(graph.objects(d, DCAT.downloadURL), urls)]
    return [
        _share("A1", a1, dists, "dcat:accessURL answers 2xx/3xx"),
        _share("A2", a2, dists, "dcat:downloadURL present"),
        _share("A3", a3, dists, "dcat:downloadURL answers 2xx/3xx"),
    ]


def _interoperability(
    graph: Graph, dataset: URIRef | BNode, dists: Sequence[Node], refs: References
) -> tuple[list[Scored], Node | None]:
    """I1–I5 of the best distribution (highest I1–I5 sum, first wins a tie), and I6."""
    formats = [(distribution_format(graph, d, refs), d) for d in dists]
    best_format, best = max(formats, key=lambda pair: pair[0].points, default=(None, None))
    scored = _format_results(best_format, best)
    violations = find_violations(graph, dataset, refs)
    if violations:
        shown = "; ".join(str(v) for v in violations[:SHOWN])
        reason = f"{len(violations)} DCAT-AP 2.1.1 violation(s): {shown}"
    else:
        reason = "dataset sub-graph conforms to the DCAT-AP 2.1.1 shapes"
    details = {"violations": [str(v) for v in violations]}
    scored.append(_result("I6", Fraction(int(not violations)), reason, details=details))
    return scored, best


def _format_results(best: DistributionFormat | None, dist: Node | None) -> list[Scored]:
    if best is None:
        return [_result(i, Fraction(0), "no distributions") for i in ("I1", "I2", "I3", "I4", "I5")]
    on = f"best distribution {dist}"
    code = best.code or "(media type and format name no EU file type)"
    i3_details = {
        "format_controlled": best.format_controlled,
        "media_type_controlled": best.media_type_controlled,
    }
    i3_reason = (
        f"{on}: format in EU file-type table: {best.format_controlled}, "
        f"media type in IANA registry: {best.media_type_controlled} (both needed)"
    )
    return [
        _result(
            "I1", Fraction(int(best.has_format)), f"{on}: dct:format present: {best.has_format}"
        ),
        _result(
            "I2",
            Fraction(int(best.has_media_type)),
            f"{on}: dcat:mediaType present: {best.has_media_type}",
        ),
        _result("I3", Fraction(int(best.controlled)), i3_reason, details=i3_details),
        _result(
            "I4",
            Fraction(int(best.non_proprietary)),
            f"{on}: {code} on the MQA non-proprietary list: {best.non_proprietary}",
        ),
        _result(
            "I5",
            Fraction(int(best.machine_readable)),
            f"{on}: {code} on the MQA machine-readable list: {best.machine_readable}",
        ),
    ]


def _reusability(
    graph: Graph, dataset: Node, dists: Sequence[Node], swiss_licences: bool
) -> list[Scored]:
    r1 = [d for d in dists if graph.value(d, DCTERMS.license) is not None]
    r2 = [
        d
        for d in r1
        if any(
            isinstance(lic, URIRef)
            and lists.is_known_licence(str(lic), swiss_licences=swiss_licences)
            for lic in graph.objects(d, DCTERMS.license)
        )
    ]
    rights = graph.value(dataset, DCTERMS.accessRights)
    controlled = rights is not None and str(rights) in lists.ACCESS_RIGHTS
    r4_reason = (
        "no dct:accessRights"
        if rights is None
        else f"dct:accessRights {rights} in the EU access-right table: {controlled}"
    )
    return [
        _share("R1", r1, dists, "dct:license present"),
        _share("R2", r2, dists, "dct:license on the known-licence list"),
        _presence(graph, dataset, DCTERMS.accessRights, "R3", "dct:accessRights"),
        _result("R4", Fraction(int(controlled)), r4_reason),
        _presence(graph, dataset, DCAT.contactPoint, "R5", "dcat:contactPoint"),
        _presence(graph, dataset, DCTERMS.publisher, "R6", "dct:publisher"),
    ]


def _contextuality(
    graph: Graph, dataset: Node, dists: Sequence[Node], notes: list[str]
) -> list[Scored]:
    c1 = [d for d in dists if graph.value(d, DCTERMS.rights) is not None]
    c2 = [d for d in dists if graph.value(d, DCAT.byteSize) is not None]
    return [
        _share("C1", c1, dists, "dct:rights present"),
        _share("C2", c2, dists, "dcat:byteSize present"),
        _date(graph, dataset, dists, (DCTERMS.issued, "dct:issued"), "C3", notes),
        _date(graph, dataset, dists, (DCTERMS.modified, "dct:modified"), "C4", notes),
    ]


def _date(
    graph: Graph,
    dataset: Node,
    dists: Sequence[Node],
    prop_label: tuple[URIRef, str],
    indicator_id: str,
    notes: list[str],
) -> Scored:
    """C3/C4 on the dataset; else awarded when every distribution has the date."""
    prop, label = prop_label
    if graph.value(dataset, prop) is not None:
        return _result(indicator_id, Fraction(1), f"{label} on the dataset")
    if dists and all(graph.value(d, prop) is not None for d in dists):
        note = (
            f"{indicator_id}: {label} missing on the dataset, "
            "awarded because every distribution has it"
        )
        notes.append(note)
        return _result(indicator_id, Fraction(1), note, details={"fallback": True})
    return _result(indicator_id, Fraction(0), f"no {label} on the dataset or on every distribution")


def _penalty(graph: Graph, dists: Sequence[Node]) -> int:
    without_format = sum(graph.value(d, DCTERMS.format) is None for d in dists)
    without_media = sum(graph.value(d, DCAT.mediaType) is None for d in dists)
    return -5 * (without_format + without_media)


def datasets_of(graph: Graph) -> list[URIRef | BNode]:
    """Return the `dcat:Dataset` nodes of a graph, sorted."""
    found = graph.subjects(RDF.type, DCAT.Dataset)
    return sorted((n for n in found if isinstance(n, URIRef | BNode)), key=str)
