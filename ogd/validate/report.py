"""Frictionless-shaped report: flat errors (row, field, type, message) for stewards.

Error types, titles and English messages follow frictionless-py word for word (its
`errors/*.py` templates), so a report can be compared with `frictionless.validate`;
`message_de` says the same in German for data stewards (`ogd.validate.messages`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ogd.validate import messages

TITLES = {
    "type-error": "Type Error",
    "constraint-error": "Constraint Error",
    "unique-error": "Unique Error",
    "primary-key": "PrimaryKey Error",
    "foreign-key": "ForeignKey Error",
    "missing-cell": "Missing Cell",
    "extra-cell": "Extra Cell",
    "blank-row": "Blank Row",
    "missing-label": "Missing Label",
    "extra-label": "Extra Label",
    "blank-label": "Blank Label",
    "duplicate-label": "Duplicate Label",
    "incorrect-label": "Incorrect Label",
    "blank-header": "Blank Header",
    "unmatched-header": "Unmatched Header",
    "source-error": "Source Error",
}

TEMPLATES = {
    "type-error": 'Type error in the cell "{cell}" in row "{row}" and field "{name}" at '
    'position "{number}": {note}',
    "constraint-error": 'The cell "{cell}" in row at position "{row}" and field "{name}" at '
    'position "{number}" does not conform to a constraint: {note}',
    "unique-error": 'Row at position "{row}" has unique constraint violation in field "{name}" '
    'at position "{number}": {note}',
    "primary-key": 'Row at position "{row}" violates the primary key: {note}',
    "foreign-key": 'Row at position "{row}" violates the foreign key: {note}',
    "missing-cell": 'Row at position "{row}" has a missing cell in field "{name}" at position '
    '"{number}"',
    "extra-cell": 'Row at position "{row}" has an extra value in field at position "{number}"',
    "blank-row": 'Row at position "{row}" is completely blank',
    "missing-label": 'There is a missing label in the header\'s field "{name}" at position '
    '"{number}"',
    "extra-label": 'There is an extra label "{label}" in header at position "{number}"',
    "blank-label": 'Label in the header in field at position "{number}" is blank',
    "duplicate-label": 'Label "{label}" in the header at position "{number}" is duplicated to a '
    "label: {note}",
    "incorrect-label": 'Label "{label}" in field {name} at position "{number}" does not match the '
    "field name in the schema",
    "blank-header": "Header is completely blank",
    "unmatched-header": "None of the fields defined in the schema is present in the header",
    "source-error": "The data source has not supported or has inconsistent contents: {note}",
}

LABEL_ERRORS = frozenset(
    {"missing-label", "extra-label", "blank-label", "duplicate-label", "incorrect-label"}
)


@dataclass(frozen=True)
class ValidationErrorEntry:
    """One error, flat, in frictionless's vocabulary.

    Attributes:
        type: frictionless error type ("type-error", "constraint-error", …).
        title: frictionless error title ("Type Error", …).
        message: frictionless's English message.
        message_de: the same for a steward, in German.
        row_number: data row (the header is row 1); None for header errors.
        field_name: the field concerned ("" for extra cells and labels, as frictionless).
        field_number: 1-based position of the field or column.
        cell: the cell as received; the key for primary-key and foreign-key errors; the
            label for label errors.
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
        shape = {
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
        if self.type in LABEL_ERRORS:
            shape["label"] = self.cell
        return shape


def make_entry(
    kind: str,
    *,
    row: int | None = None,
    name: str | None = None,
    number: int | None = None,
    cell: str | None = None,
    note: str = "",
    fields: tuple[str, ...] = (),
) -> ValidationErrorEntry:
    """Build an entry with frictionless's message and the German one.

    Args:
        kind: the error type (a key of `TITLES`).
        row: the row number (None for header errors).
        name: the field name.
        number: the field or column position.
        cell: the cell as received (the label for label errors, the key for keys).
        note: frictionless's note.
        fields: the fields of a primary or foreign key (for the German message).

    Returns:
        The entry.
    """
    text = "" if cell is None else cell
    message = TEMPLATES[kind].format(
        cell=text, label=text, row=row, name=name, number=number, note=note
    )
    german = messages.german(
        kind, row=row, name=name or ", ".join(fields), number=number, cell=text, note=note
    )
    return ValidationErrorEntry(
        type=kind,
        title=TITLES[kind],
        message=message,
        message_de=german,
        row_number=row,
        field_name=name,
        field_number=number,
        cell=cell,
        note=note,
    )


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
    return f"{place}: {messages.english(entry.type, entry.cell, entry.note)}"
