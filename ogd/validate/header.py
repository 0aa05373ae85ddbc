"""Compare the header with the schema, as frictionless's `Header` does, under `fieldsMatch`.

`exact` (frictionless's default) pairs labels and fields by position: a label that is
not the field's name is an incorrect-label, a blank one a blank-label, a repeated one a
duplicate-label. The other modes (`equal`, `subset`, `superset`, `partial`) pair them by
name and differ in what they tolerate: extra labels (`subset`, `partial`) or fields
without a column that are not required (`superset`, `partial`). A label without a field
is read as an `any` field named after it, so its column is still counted.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import frictionless

from ogd.validate.report import ValidationErrorEntry, make_entry

FieldsMatch = Literal["exact", "equal", "subset", "superset", "partial"]
FIELDS_MATCH = ("exact", "equal", "subset", "superset", "partial")
_TOLERATES_EXTRA = ("subset", "partial")
_TOLERATES_MISSING = ("superset", "partial")


@dataclass(frozen=True)
class Header:
    """What the header says about the columns.

    Attributes:
        fields: per column (label position), the field it is read as.
        matched: per column, True where that field is a schema field.
        errors: the header errors, in frictionless's order.
    """

    fields: tuple[frictionless.Field, ...]
    matched: tuple[bool, ...]
    errors: tuple[ValidationErrorEntry, ...]


def read_header(
    labels: Sequence[str], schema: frictionless.Schema, fields_match: FieldsMatch
) -> Header:
    """Pair the labels with the schema's fields and list the header errors.

    Args:
        labels: the column names, in file order.
        schema: the Table Schema.
        fields_match: how labels and fields are paired (Table Schema v2 `fieldsMatch`).

    Returns:
        The fields each column is read as, and the header errors.
    """
    fields = list(schema.fields)
    by_name = fields_match != "exact"
    by_key = {field.name: field for field in fields}
    paired = [
        by_key.get(label) if by_name else (fields[i] if i < len(fields) else None)
        for i, label in enumerate(labels)
    ]
    if by_name:  # a repeated label pairs once, like a label without a field
        seen: set[str] = set()
        for i, label in enumerate(labels):
            paired[i] = None if label in seen else paired[i]
            seen.add(label)
    errors = _extra(labels, paired, fields_match)
    if fields_match == "partial" and fields and not any(paired):
        errors.append(make_entry("unmatched-header"))
    errors += _missing(labels, fields, paired, fields_match, schema)
    errors += _positional(labels, fields) if not by_name else _duplicates(labels)
    names = _names(
        [f.name if f is not None else label for f, label in zip(paired, labels, strict=True)]
    )
    read_as = [
        f if f is not None else frictionless.Field.from_descriptor({"name": name, "type": "any"})
        for f, name in zip(paired, names, strict=True)
    ]
    return Header(tuple(read_as), tuple(f is not None for f in paired), tuple(errors))


def _extra(
    labels: Sequence[str], paired: list[frictionless.Field | None], fields_match: str
) -> list[ValidationErrorEntry]:
    if fields_match in _TOLERATES_EXTRA:
        return []
    return [
        make_entry("extra-label", name="", number=number, cell=label)
        for number, (label, field) in enumerate(zip(labels, paired, strict=True), start=1)
        if field is None
    ]


def _missing(
    labels: Sequence[str],
    fields: list[frictionless.Field],
    paired: list[frictionless.Field | None],
    fields_match: str,
    schema: frictionless.Schema,
) -> list[ValidationErrorEntry]:
    if fields_match == "exact":
        missing = fields[len(labels) :]
    else:
        names = {f.name for f in paired if f is not None}
        missing = [f for f in fields if f.name not in names]
    if fields_match in _TOLERATES_MISSING:
        missing = [f for f in missing if f.required or f.name in schema.primary_key]
    start = len(labels) + 1
    return [
        make_entry("missing-label", name=field.name, number=start + offset)
        for offset, field in enumerate(missing)
    ]


def _positional(
    labels: Sequence[str], fields: list[frictionless.Field]
) -> list[ValidationErrorEntry]:
    errors = []
    for number, (field, label) in enumerate(zip(fields, labels, strict=False), start=1):
        if not label:
            errors.append(make_entry("blank-label", name=field.name, number=number, cell=""))
            continue
        earlier = [str(n) for n, seen in enumerate(labels[: number - 1], start=1) if seen == label]
        if earlier:
            note = f'at position "{", ".join(earlier)}"'
            errors.append(
                make_entry("duplicate-label", name=field.name, number=number, cell=label, note=note)
            )
        elif label != field.name:
            errors.append(make_entry("incorrect-label", name=field.name, number=number, cell=label))
    return errors


def _duplicates(labels: Sequence[str]) -> list[ValidationErrorEntry]:
    """Repeated labels: frictionless refuses to pair them by name; we report them."""
    errors = []
    for number, label in enumerate(labels, start=1):
        earlier = [str(n) for n, seen in enumerate(labels[: number - 1], start=1) if seen == label]
        if label and earlier:
            note = f'at position "{", ".join(earlier)}"'
            errors.append(
                make_entry("duplicate-label", name=label, number=number, cell=label, note=note)
            )
    return errors


def _names(names: list[str]) -> list[str]:
    """Make names unique: a later repeat becomes name2, name3 … (frictionless's rule)."""
    result: list[str] = []
    used: set[str] = set()
    for name in names:
        candidate, suffix = name, 2
        while candidate in used:
            candidate, suffix = f"{name}{suffix}", suffix + 1
        result.append(candidate)
        used.add(candidate)
    return result
