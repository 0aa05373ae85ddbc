"""Frictionless-shaped report: flat errors (row, field, type, message) for stewards.

Error types, titles and English messages follow frictionless-py word for word, so a
report can be compared with `frictionless.validate`; `message_de` says the same in
German for data stewards.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

_TITLES = {
    "type-error": "Type Error",
    "constraint-error": "Constraint Error",
    "unique-error": "Unique Error",
    "primary-key": "PrimaryKey Error",
    "blank-row": "Blank Row",
    "missing-label": "Missing Label",
    "extra-label": "Extra Label",
}

_NOUNS_DE = {
    "string": "kein gültiger Text",
    "string/email": "keine gültige E-Mail-Adresse",
    "string/uri": "keine gültige Internetadresse (URI)",
    "string/uuid": "keine gültige UUID",
    "string/binary": "kein gültiger Base64-Text",
    "integer": "keine ganze Zahl",
    "number": "keine gültige Zahl",
    "boolean": "kein gültiger Ja/Nein-Wert",
    "date": "kein gültiges Datum",
    "datetime": "kein gültiger Zeitpunkt",
    "time": "keine gültige Uhrzeit",
    "year": "keine gültige Jahreszahl",
    "yearmonth": "keine gültige Monatsangabe",
}

_NOUNS_EN = {
    "string/email": "email address",
    "string/uri": "URI",
    "string/uuid": "UUID",
    "string/binary": "base64 text",
    "integer": "whole number",
    "boolean": "boolean",
    "datetime": "date and time",
    "yearmonth": "year and month",
}

_DEFAULT_FORMATS = {
    "date": "%Y-%m-%d",
    "datetime": "%Y-%m-%dT%H:%M:%S",
    "time": "%H:%M:%S",
    "year": "%Y",
    "yearmonth": "%Y-%m",
}

_DEFAULT_FORMATS_EN = {
    "date": "YYYY-MM-DD",
    "datetime": "YYYY-MM-DDThh:mm:ss",
    "time": "hh:mm:ss",
    "year": "YYYY",
    "yearmonth": "YYYY-MM",
}

_FORMAT_DE = (
    ("%d", "TT"),
    ("%m", "MM"),
    ("%Y", "JJJJ"),
    ("%y", "JJ"),
    ("%H", "hh"),
    ("%I", "hh"),
    ("%M", "mm"),
    ("%S", "ss"),
    ("%B", "Monatsname"),
    ("%b", "Monatskürzel"),
    ("%p", "AM/PM"),
    ("%%", "%"),
)

_CONSTRAINTS_EN = {
    "required": "value is missing but the field is required",
    "minLength": "{cell} is shorter than {value} characters",
    "maxLength": "{cell} is longer than {value} characters",
    "pattern": "{cell} does not match the pattern {value}",
    "enum": "{cell} is not one of the allowed values {value}",
    "minimum": "{cell} is below the minimum {value}",
    "maximum": "{cell} is above the maximum {value}",
    "exclusiveMinimum": "{cell} must be greater than {value}",
    "exclusiveMaximum": "{cell} must be less than {value}",
}

_CONSTRAINTS_DE = {
    "required": "Wert fehlt, das Feld ist ein Pflichtfeld",
    "minLength": "«{cell}» ist zu kurz (mindestens {value} Zeichen)",
    "maxLength": "«{cell}» ist zu lang (höchstens {value} Zeichen)",
    "pattern": "«{cell}» entspricht nicht dem Muster «{value}»",
    "enum": "«{cell}» ist kein erlaubter Wert (erlaubt: {value})",
    "minimum": "«{cell}» ist kleiner als das Minimum {value}",
    "maximum": "«{cell}» ist grösser als das Maximum {value}",
    "exclusiveMinimum": "«{cell}» muss grösser als {value} sein",
    "exclusiveMaximum": "«{cell}» muss kleiner als {value} sein",
}

_TYPE_NOTE = re.compile(r'type is "(?P<type>[^/]+)/(?P<format>.*)"')
_CONSTRAINT_NOTE = re.compile(r'constraint "(?P<name>\w+)" is "(?P<value>.*)"')
_SAME_AS = re.compile(r"the same as in the row at position (?P<row>\d+)")


@dataclass(frozen=True)
class ValidationErrorEntry:
    """One error, flat, in frictionless's vocabulary.

    Attributes:
        type: frictionless error type ("type-error", "constraint-error", …).
        title: frictionless error title ("Type Error", …).
        message: frictionless's English message.
        message_de: the same for a steward, in German.
        row_number: data row (the header is row 1); None for header errors.
        field_name: the field concerned, if one is.
        field_number: 1-based position of the field (schema order) or column.
        cell: the cell as received; the key for primary-key errors, the label for
            extra-label errors.
        note: frictionless's note (`type is "date/default"`, `constraint …`).
    """

    type: str
    title: str
    message: str
    message_de: str
    row_number: int | None
    field_name: str | None
    field_number: int | None
    cell: str | None
    note: str

    def to_dict(self) -> dict[str, Any]:
        """Return the entry with frictionless's camelCase keys."""
        return {
            "type": self.type,
            "title": self.title,
            "message": self.message,
            "messageDe": self.message_de,
            "rowNumber": self.row_number,
            "fieldName": self.field_name,
            "fieldNumber": self.field_number,
            "cell": self.cell,
            "note": self.note,
        }


@dataclass(frozen=True)
class Report:
    """The outcome of validating one table.

    Attributes:
        source: the name shown to stewards (usually the source file name).
        valid: True when no error was found.
        rows: data rows seen.
        errors: the recorded errors, in row order (at most the validator's max_errors).
        error_count: all errors found; exceeds len(errors) when truncated.
        truncated: True when errors were left out of `errors`.
    """

    source: str
    valid: bool
    rows: int
    errors: tuple[ValidationErrorEntry, ...]
    error_count: int
    truncated: bool

    def to_dict(self) -> dict[str, Any]:
        """Return the report in frictionless's shape (camelCase keys)."""
        return {
            "valid": self.valid,
            "stats": {"errors": self.error_count, "rows": self.rows},
            "source": self.source,
            "truncated": self.truncated,
            "errors": [entry.to_dict() for entry in self.errors],
        }

    def summary(self, limit: int = 10) -> str:
        """Describe the errors for a steward, one line each.

        Args:
            limit: the most errors to list; a last line counts the rest.

        Returns:
            Lines like "x.csv row 17, field geburtsdatum: '31.02.1990' is not a valid
            date (format %d.%m.%Y)", or "x.csv: valid, 120 rows".
        """
        if self.valid:
            return f"{self.source}: valid, {self.rows} rows"
        lines = [describe(entry, self.source) for entry in self.errors[:limit]]
        rest = self.error_count - len(lines)
        if rest > 0:
            lines.append(f"… and {rest} more error(s) in {self.source}")
        return "\n".join(lines)


def describe(entry: ValidationErrorEntry, source: str) -> str:
    """Return one human line for an error: where it is, then what is wrong."""
    if entry.row_number is None:
        place = f"{source} header"
    else:
        place = f"{source} row {entry.row_number}"
    if entry.field_name:
        place += f", field {entry.field_name}"
    return f"{place}: {_problem_en(entry)}"


def type_error(
    *, cell: str, row: int, name: str, number: int, field_type: str, field_format: str
) -> ValidationErrorEntry:
    """Build a type-error: the cell cannot be read as the field's type."""
    note = f'type is "{field_type}/{field_format}"'
    noun = _NOUNS_DE.get(f"{field_type}/{field_format}") or _NOUNS_DE.get(
        field_type, f"kein gültiger Wert vom Typ {field_type}"
    )
    german = f"«{cell}» ist {noun}{_format_de(field_type, field_format)}"
    return _cell_entry("type-error", cell, row, name, number, note, german)


def constraint_error(
    *, cell: str, row: int, name: str, number: int, constraint: str, value: Any
) -> ValidationErrorEntry:
    """Build a constraint-error for one failed constraint (required, maximum, …)."""
    note = f'constraint "{constraint}" is "{value}"'
    german = _CONSTRAINTS_DE[constraint].format(cell=cell, value=_value_de(value))
    return _cell_entry("constraint-error", cell, row, name, number, note, german)


def unique_error(
    *, cell: str, row: int, name: str, number: int, previous: int
) -> ValidationErrorEntry:
    """Build a unique-error: the value repeats the one in row `previous`."""
    note = f"the same as in the row at position {previous}"
    message = (
        f'Row at position "{row}" has unique constraint violation in field "{name}" '
        f'at position "{number}": {note}'
    )
    german = (
        f"Zeile {row}, Feld «{name}»: «{cell}» kommt schon in Zeile {previous} vor, "
        "muss aber eindeutig sein"
    )
    return _entry("unique-error", message, german, row, name, number, cell, note)


def primary_key_error(
    *, key: str | None, row: int, names: tuple[str, ...], previous: int | None
) -> ValidationErrorEntry:
    """Build a primary-key error: a repeated key, or (previous None) an empty one."""
    fields = ", ".join(names)
    if previous is None:
        note = 'cells composing the primary keys are all "None"'
        german = f"Zeile {row}: der Primärschlüssel ({fields}) ist leer"
    else:
        note = f"the same as in the row at position {previous}"
        german = (
            f"Zeile {row}: der Primärschlüssel ({fields}) «{key}» kommt schon "
            f"in Zeile {previous} vor"
        )
    message = f'Row at position "{row}" violates the primary key: {note}'
    return _entry("primary-key", message, german, row, None, None, key, note)


def blank_row_error(*, row: int) -> ValidationErrorEntry:
    """Build a blank-row error: every cell of the row is empty."""
    message = f'Row at position "{row}" is completely blank'
    return _entry("blank-row", message, f"Zeile {row} ist ganz leer", row, None, None, None, "")


def missing_label_error(*, name: str, number: int) -> ValidationErrorEntry:
    """Build a missing-label error: the schema field has no column."""
    message = f'There is a missing label in the header\'s field "{name}" at position "{number}"'
    german = f"Kopfzeile: die Spalte «{name}» fehlt (Feld {number} im Schema)"
    return _entry("missing-label", message, german, None, name, number, None, "")


def extra_label_error(*, label: str, number: int) -> ValidationErrorEntry:
    """Build an extra-label error: the column is not in the schema."""
    message = f'There is an extra label "{label}" in header at position "{number}"'
    german = f"Kopfzeile: die Spalte «{label}» (Position {number}) ist nicht im Schema"
    return _entry("extra-label", message, german, None, None, number, label, "")


def _cell_entry(
    kind: str, cell: str, row: int, name: str, number: int, note: str, german: str
) -> ValidationErrorEntry:
    if kind == "type-error":
        message = (
            f'Type error in the cell "{cell}" in row "{row}" and field "{name}" '
            f'at position "{number}": {note}'
        )
    else:
        message = (
            f'The cell "{cell}" in row at position "{row}" and field "{name}" '
            f'at position "{number}" does not conform to a constraint: {note}'
        )
    german = f"Zeile {row}, Feld «{name}»: {german}"
    return _entry(kind, message, german, row, name, number, cell, note)


def _entry(
    kind: str,
    message: str,
    german: str,
    row: int | None,
    name: str | None,
    number: int | None,
    cell: str | None,
    note: str,
) -> ValidationErrorEntry:
    return ValidationErrorEntry(
        type=kind,
        title=_TITLES[kind],
        message=message,
        message_de=german,
        row_number=row,
        field_name=name,
        field_number=number,
        cell=cell,
        note=note,
    )


def _format_de(field_type: str, field_format: str) -> str:
    pattern = field_format
    if field_format == "default":
        pattern = _DEFAULT_FORMATS.get(field_type, "")
    elif field_type not in _DEFAULT_FORMATS or field_format == "any":
        return ""
    for code, german in _FORMAT_DE:
        pattern = pattern.replace(code, german)
    return f" (Format {pattern})" if pattern else ""


def _value_de(value: Any) -> str:
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    return str(value)


def _problem_en(entry: ValidationErrorEntry) -> str:
    cell = f"'{entry.cell}'"
    if match := _TYPE_NOTE.fullmatch(entry.note):
        kind, fmt = match["type"], match["format"]
        noun = _NOUNS_EN.get(f"{kind}/{fmt}") or _NOUNS_EN.get(kind, kind)
        if fmt == "default" and kind in _DEFAULT_FORMATS:
            fmt = _DEFAULT_FORMATS_EN[kind]
        suffix = f" (format {fmt})" if kind in _DEFAULT_FORMATS and fmt != "any" else ""
        return f"{cell} is not a valid {noun}{suffix}"
    if match := _CONSTRAINT_NOTE.fullmatch(entry.note):
        return _CONSTRAINTS_EN[match["name"]].format(cell=cell, value=match["value"])
    return _row_problem_en(entry, cell)


def _row_problem_en(entry: ValidationErrorEntry, cell: str) -> str:
    same = _SAME_AS.fullmatch(entry.note)
    previous = same["row"] if same else "?"
    if entry.type == "unique-error":
        return f"{cell} repeats row {previous} but must be unique"
    if entry.type == "primary-key":
        if same is None:
            return "the primary key is empty"
        return f"primary key {cell} repeats row {previous}"
    if entry.type == "missing-label":
        return "column is missing (the schema expects it)"
    if entry.type == "extra-label":
        return f"column {cell} is not in the schema"
    if entry.type == "blank-row":
        return "the row is completely blank"
    return entry.message
