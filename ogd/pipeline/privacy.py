"""The `privacy` section of a pipeline: column roles, pseudonyms, microdata k-anonymity, cells.

```yaml
privacy:
  personal_data: true
  columns: {name: identifier, alter: quasi_identifier, lohn: sensitive, ...}
  pseudonymise: {columns: [personen_id], purpose: bewegungen}
  microdata:
    k: 5
    l: 3
    suppression_limit: 0.05
    metric: discernibility
    quasi_identifiers:
      altersgruppe: {bands: [[20, 30, 40, 50, 60], [20, 40, 60]]}
      quartier: {hierarchy: quartiere.csv}
    sensitive: [lohnband]
  small_cells: {threshold: 3, columns: [anzahl], linked: [baukosten]}
```
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ogd.pipeline.walker import Walker, plain

ROLES = ("identifier", "quasi_identifier", "sensitive", "insensitive")
METRICS = ("discernibility", "precision", "aecs", "entropy")
RULE_KINDS = ("hierarchy", "bands", "dates", "truncate")
PRIVACY_KEYS = {"personal_data", "columns", "pseudonymise", "microdata", "small_cells"}
MICRODATA_KEYS = {
    "k",
    "l",
    "l_kind",
    "t",
    "suppression_limit",
    "metric",
    "quasi_identifiers",
    "sensitive",
}


@dataclass(frozen=True)
class PseudonymSpec:
    """Identifier columns replaced by keyed pseudonyms for joins inside the run."""

    columns: tuple[str, ...]
    purpose: str
    publish: bool = False


@dataclass(frozen=True)
class MicrodataSpec:
    """k-anonymity (and l-diversity, t-closeness) for published row-level tables."""

    k: int
    quasi_identifiers: Mapping[str, Mapping[str, Any]]
    sensitive: tuple[str, ...] = ()
    l: int | None = None  # noqa: E741 - the name of the parameter in the literature
    l_kind: str = "distinct"
    t: float | None = None
    suppression_limit: float = 0.0
    metric: str = "discernibility"
    where: str = ""


@dataclass(frozen=True)
class PrivacySpec:
    """The privacy section of a pipeline."""

    personal_data: bool
    columns: Mapping[str, str]
    small_cell_threshold: int
    small_cell_columns: tuple[str, ...]
    where: str
    small_cell_linked: tuple[str, ...] = ()
    pseudonymise: PseudonymSpec | None = None
    microdata: MicrodataSpec | None = None
    small_cells_where: str = ""

    def columns_with(self, role: str) -> list[str]:
        """Columns that have `role`."""
        return [c for c, r in self.columns.items() if r == role]


def _names(w: Walker, node: Mapping[str, Any], key: str, path: str) -> tuple[str, ...]:
    value = node.get(key, [])
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return tuple(value)
    w.error(node, key, f"{path}.{key}", "must be a column name or a list of names")
    return ()


def _number(
    w: Walker,
    node: Mapping[str, Any],
    key: str,
    path: str,
    kind: type,
    low: float,
    high: float | None = None,
) -> Any:
    value: Any = node.get(key)
    if value is None:
        return None
    is_number = isinstance(value, kind | int) and not isinstance(value, bool)
    if not is_number or value < low or (high is not None and value > high):
        bound = f"between {low} and {high}" if high is not None else f">= {low}"
        w.error(node, key, f"{path}.{key}", f"must be a number {bound}, not `{value}`")
        return None
    return value


def _roles(w: Walker, node: Mapping[str, Any]) -> dict[str, str]:
    columns = w.mapping(node.get("columns", {}), node, "columns", "privacy.columns")
    for name, role in columns.items():
        if role not in ROLES:
            w.error(
                columns,
                name,
                f"privacy.columns.{name}",
                f"unknown role `{role}`",
                hint=f"roles: {', '.join(ROLES)}",
            )
    return {str(k): str(v) for k, v in columns.items()}


def _pseudonyms(
    w: Walker, node: Mapping[str, Any], roles: Mapping[str, str]
) -> PseudonymSpec | None:
    if "pseudonymise" not in node:
        return None
    path = "privacy.pseudonymise"
    spec = w.mapping(node["pseudonymise"], node, "pseudonymise", path)
    w.keys(spec, {"columns", "purpose", "publish"}, {"columns", "purpose"}, path)
    columns = _names(w, spec, "columns", path)
    for column in columns:
        if roles.get(column) != "identifier":
            w.error(
                spec,
                "columns",
                f"{path}.columns",
                f"`{column}` is not an identifier column",
                hint="only columns with the role identifier are pseudonymised",
            )
    return PseudonymSpec(columns, str(spec.get("purpose", "")), bool(spec.get("publish", False)))


def _rules(w: Walker, node: Mapping[str, Any], path: str) -> dict[str, dict[str, Any]]:
    rules = w.mapping(node.get("quasi_identifiers", {}), node, "quasi_identifiers", path)
    out: dict[str, dict[str, Any]] = {}
    for column, rule in rules.items():
        rule = {} if rule is None else rule
        rule_path = f"{path}.quasi_identifiers.{column}"
        rule = w.mapping(rule, rules, column, rule_path)
        w.keys(rule, set(RULE_KINDS), set(), rule_path)
        if len(rule) > 1:
            w.error(rules, column, rule_path, "give one of: " + ", ".join(RULE_KINDS))
        out[str(column)] = plain(rule)
    if not out:
        w.error(
            node,
            None,
            path,
            "missing key `quasi_identifiers`",
            hint="name the published columns an attacker could know, with their hierarchies",
        )
    return out


def _microdata(w: Walker, node: Mapping[str, Any]) -> MicrodataSpec | None:
    if "microdata" not in node:
        return None
    path = "privacy.microdata"
    spec = w.mapping(node["microdata"], node, "microdata", path)
    w.keys(spec, MICRODATA_KEYS, {"k", "quasi_identifiers"}, path)
    metric = str(spec.get("metric", "discernibility"))
    if metric not in METRICS:
        w.error(
            spec,
            "metric",
            f"{path}.metric",
            f"unknown metric `{metric}`",
            hint=f"metrics: {', '.join(METRICS)}",
        )
    l_kind = str(spec.get("l_kind", "distinct"))
    if l_kind not in ("distinct", "entropy"):
        w.error(spec, "l_kind", f"{path}.l_kind", "must be distinct or entropy")
    return MicrodataSpec(
        k=_number(w, spec, "k", path, int, 2) or 2,
        quasi_identifiers=_rules(w, spec, path),
        sensitive=_names(w, spec, "sensitive", path),
        l=_number(w, spec, "l", path, int, 2),
        l_kind=l_kind,
        t=_number(w, spec, "t", path, float, 0.0, 1.0),
        suppression_limit=_number(w, spec, "suppression_limit", path, float, 0.0, 1.0) or 0.0,
        metric=metric,
        where=w.where(node, "microdata", path),
    )


def parse_privacy(w: Walker, top: Mapping[str, Any]) -> PrivacySpec:
    """Read the privacy section, collecting every error in `w`."""
    node = w.mapping(top.get("privacy", {}), top, "privacy", "privacy")
    w.keys(node, PRIVACY_KEYS, {"personal_data"}, "privacy")
    roles = _roles(w, node)
    cells = w.mapping(node.get("small_cells", {}), node, "small_cells", "privacy.small_cells")
    w.keys(cells, {"threshold", "columns", "linked"}, set(), "privacy.small_cells")
    threshold = _number(w, cells, "threshold", "privacy.small_cells", int, 1) or 3
    personal = bool(node.get("personal_data", False))
    microdata = _microdata(w, node)
    if personal and microdata is None and not cells:
        w.error(
            top,
            "privacy",
            "privacy",
            "personal data needs `microdata` or `small_cells`",
            hint="declare k-anonymity for row-level tables or small-cell suppression for "
            "aggregate tables",
        )
    return PrivacySpec(
        personal_data=personal,
        columns=roles,
        small_cell_threshold=threshold,
        small_cell_columns=_names(w, cells, "columns", "privacy.small_cells"),
        small_cell_linked=_names(w, cells, "linked", "privacy.small_cells"),
        where=w.where(top, "privacy", "privacy"),
        pseudonymise=_pseudonyms(w, node, roles),
        microdata=microdata,
        small_cells_where=w.where(node, "small_cells", "privacy.small_cells"),
    )


__all__ = ["MicrodataSpec", "PrivacySpec", "PseudonymSpec", "parse_privacy"]
