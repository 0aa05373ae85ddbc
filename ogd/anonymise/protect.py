"""Applies a pipeline's privacy policy to a finished table and checks the result (the gate).

Microdata tables get the optimal full-domain generalisation with suppression
(`kanon.search`), then an independent measurement of what the output has; aggregate
tables get small-cell suppression with secondary suppression and an attacker audit.
Anything short of the policy raises `PrivacyError`: the run publishes nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from ogd.errors import PrivacyError
from ogd.pipeline.privacy import MicrodataSpec, PrivacySpec


def k_policy(spec: MicrodataSpec) -> Any:
    """The search policy of a microdata section."""
    from ogd.anonymise.kanon import KPolicy

    return KPolicy(
        quasi_identifiers=tuple(spec.quasi_identifiers),
        k=spec.k,
        suppression_limit=spec.suppression_limit,
        sensitive=spec.sensitive,
        l=spec.l,
        l_kind=spec.l_kind,
        t=spec.t,
        metric=spec.metric,
    )


def hierarchies(table: pa.Table, spec: MicrodataSpec, folder: Path) -> dict[str, Any]:
    """Build each quasi-identifier's hierarchy from its file or rule.

    Raises:
        PrivacyError: a quasi-identifier is not a column, or its hierarchy file is missing.
    """
    from ogd.anonymise.hierarchy import Hierarchy, load_hierarchy, rule_hierarchy

    built: dict[str, Any] = {}
    for column, rule in spec.quasi_identifiers.items():
        where = f"{spec.where}.quasi_identifiers.{column}"
        if column not in table.column_names:
            raise PrivacyError(
                f"quasi-identifier `{column}` is not a column of the published table",
                where=where,
                hint=f"columns are: {', '.join(table.column_names)}",
            )
        if "hierarchy" in rule:
            path = (folder / str(rule["hierarchy"])).resolve()
            if not path.is_relative_to(folder.resolve()) or not path.is_file():
                raise PrivacyError(
                    f"hierarchy file `{rule['hierarchy']}` not found in {folder}",
                    where=where,
                    hint="put the ARX-style CSV in pipelines/hierarchies/",
                )
            built[column] = load_hierarchy(path, column)
        else:
            values = pc.unique(pc.cast(table[column], pa.string()).combine_chunks())
            if rule:
                built[column] = rule_hierarchy(column, values, rule)
            else:  # kept as it is, or suppressed to `*`
                texts = tuple(str(v) for v in values.drop_null().to_pylist())
                built[column] = Hierarchy(column, (texts, ("*",) * len(texts)), texts)
    return built


def protect_microdata(
    table: pa.Table, privacy: PrivacySpec, folder: Path, name: str
) -> tuple[pa.Table, dict[str, Any]]:
    """Generalise and suppress until k (l, t) hold; verify the output independently."""
    spec = privacy.microdata
    assert spec is not None
    unknown = [
        c
        for c in table.column_names
        if c not in spec.quasi_identifiers
        and c not in spec.sensitive
        and privacy.columns.get(c) not in ("insensitive", "sensitive")
    ]
    if unknown:
        raise PrivacyError(
            f"microdata table `{name}` has columns without a privacy role: {', '.join(unknown)}",
            where=spec.where,
            hint="list them as quasi_identifiers or sensitive, or give them the role "
            "insensitive in privacy.columns",
        )
    from ogd.anonymise.kanon import apply, measure, search

    policy = k_policy(spec)
    built = hierarchies(table, spec, folder)
    solution = search(table, built, policy)
    # Sorted by the published values: the source order (e.g. chronological ids) would
    # otherwise reveal what generalisation hid.
    out = apply(table, built, policy, solution)
    out = out.sort_by([(c, "ascending") for c in out.column_names])
    measured = measure(out, policy)
    _gate(measured, spec, name)
    report = {
        "kind": "microdata",
        "k_required": spec.k,
        "l_required": spec.l,
        "t_required": spec.t,
        "suppression_limit": spec.suppression_limit,
        "metric": spec.metric,
        "rows_in": table.num_rows,
        "rows_out": out.num_rows,
        **{key: value for key, value in asdict(solution).items()},
        "measured": measured,
    }
    return out, report


def _gate(measured: Mapping[str, Any], spec: MicrodataSpec, name: str) -> None:
    if measured.get("classes", 0) and measured["k"] < spec.k:
        raise PrivacyError(
            f"table `{name}` reaches only k={measured['k']} (required {spec.k})",
            where=spec.where,
            hint="coarser hierarchies or a higher suppression limit",
        )
    if spec.l is not None:
        key = "l_distinct" if spec.l_kind == "distinct" else "l_entropy"
        for column, value in (measured.get(key) or {}).items():
            if value < spec.l:
                raise PrivacyError(
                    f"table `{name}` reaches only l={value:g} on `{column}` (required {spec.l})",
                    where=spec.where,
                    hint="coarser hierarchies or a higher suppression limit",
                )


def protect_aggregate(
    table: pa.Table, privacy: PrivacySpec, name: str
) -> tuple[pa.Table, dict[str, Any]]:
    """Small-cell suppression with secondary suppression for each count column present."""
    from ogd.anonymise import suppress

    protect_table = getattr(suppress, "protect_table", None)
    counts = [c for c in privacy.small_cell_columns if c in table.column_names]
    reports: dict[str, Any] = {"kind": "aggregate", "cells": {}}
    linked = [c for c in privacy.small_cell_linked if c in table.column_names]
    for count in counts:
        dimensions = [c for c in table.column_names if c not in counts and c not in linked]
        if protect_table is None:  # until secondary suppression lands
            table, hidden = suppress.suppress_small_cells(
                table, [count], privacy.small_cell_threshold
            )
            reports["cells"][count] = {"primary": hidden, "secondary": 0}
        else:
            # The audit of tau-ARGUS: the attacker knows every margin; blanks are bounded
            # below by 0 only (zeros are published blank like small counts, and nobody can
            # tell a primary blank from a secondary one).
            table, report = protect_table(
                table,
                count,
                privacy.small_cell_threshold,
                dimensions=dimensions,
                linked=linked,
                zeros_known=False,
                primaries_known=False,
            )
            reports["cells"][count] = report.as_dict()
            # Completed zero rows come last from protect_table: sorted by the dimensions,
            # nothing in the order tells a hidden zero from another blank.
            table = table.sort_by([(c, "ascending") for c in dimensions])
        small = pc.and_(
            pc.greater(table[count], 0), pc.less(table[count], privacy.small_cell_threshold)
        )
        if pc.any(pc.fill_null(small, False)).as_py():
            raise PrivacyError(
                f"table `{name}` would publish counts below {privacy.small_cell_threshold}",
                where=privacy.small_cells_where,
            )
    return table, reports
