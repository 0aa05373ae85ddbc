"""**I/O** Validate a file end to end: read it with `ogd.extract`, check it, report.

`validate_file` is what `ogd validate` calls. It reads CSV, Parquet and Excel files with
the project's readers, batch by batch, and pairs header and schema as frictionless does
by default (`fieldsMatch: exact`), so its report can be compared with
`frictionless.validate` on the same file. CSV files the fast reader cannot take as they
are (blank lines, ragged rows, an unusable header) are read again record by record
(`ogd.validate.ragged`), so those become findings instead of a failure.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import frictionless
import pyarrow as pa

from ogd.errors import SchemaError, SourceInvalid
from ogd.extract import READERS, Extract, SourceRequest
from ogd.validate.header import FieldsMatch
from ogd.validate.ragged import Dialect, read_ragged
from ogd.validate.report import Report, make_entry
from ogd.validate.schemas import load_schema, schema_from_descriptor
from ogd.validate.table import TableValidator

KINDS = {".csv": "csv", ".tsv": "csv", ".txt": "csv", ".parquet": "parquet", ".xlsx": "excel"}
_SCAN_BYTES = 16 << 20
_SHAPING = {"header", "header_rows", "skip_rows", "column_names", "missing_values"}


def validate_file(
    path: Path,
    schema: frictionless.Schema | Path | Mapping[str, Any],
    *,
    options: Mapping[str, Any] | None = None,
    fields_match: FieldsMatch | None = None,
    max_errors: int = 1000,
    lookups: Mapping[str, tuple[Path, frictionless.Schema | Path]] | None = None,
) -> Report:
    """Validate a CSV, Parquet or Excel (.xlsx) file against a Table Schema.

    Args:
        path: the data file; its suffix picks the reader.
        schema: the schema, its file, or its descriptor.
        options: reader options (`encoding`, `delimiter`, `sheet` …) as in a pipeline's
            `source` section.
        fields_match: how labels pair with fields; by default the schema's
            `fieldsMatch`, else "exact" (frictionless's default: by position).
        max_errors: the most errors the report lists (all are counted).
        lookups: the reference tables of foreign keys, by resource name: a file and
            its schema each. A key referring to the table itself needs none.

    Returns:
        The report. An empty file is one source-error, as frictionless says.

    Raises:
        SchemaError: the schema file is not valid JSON/YAML or not a valid Table Schema.
        SourceInvalid: the file is missing, of an unknown kind, not decodable, or not
            parseable at all.
    """
    table_schema = _schema(schema)
    kind = _kind(path)
    if path.stat().st_size == 0:
        return _empty(path)
    tables = _lookups(path, table_schema, lookups or {}, options or {})
    match = fields_match or _declared(table_schema) or "exact"

    def make() -> TableValidator:
        return TableValidator(
            table_schema,
            source=path.name,
            max_errors=max_errors,
            fields_match=match,
            lookups=tables,
        )

    if kind == "csv":
        return _validate_csv(path, dict(options or {}), make)
    extract = READERS[kind].read(_request(path, options or {}))
    return _validate_extract(extract, make())


def read_typed(
    path: Path, schema: frictionless.Schema | Path, options: Mapping[str, Any] | None = None
) -> pa.Table:
    """Read a file as the schema's types (unreadable cells null), e.g. a lookup table."""
    table_schema = _schema(schema)
    validator = TableValidator(table_schema, source=path.name, max_errors=0, fields_match="exact")
    extract = READERS[_kind(path)].read(_request(path, options or {}))
    validator.check_labels(extract.labels)
    batches = [validator.validate(batch, 0) for batch in extract.batches]
    return pa.Table.from_batches(batches, schema=batches[0].schema) if batches else pa.table({})


def _validate_extract(extract: Extract, validator: TableValidator) -> Report:
    validator.check_labels(extract.labels)
    row = extract.first_row_number
    for batch in extract.batches:
        validator.validate(batch, row)
        row += batch.num_rows
    return validator.finish()


def _validate_csv(
    path: Path, options: dict[str, Any], make: Callable[[], TableValidator]
) -> Report:
    # Read record by record only where that reading means the same: one header row.
    plain = not set(options) & _SHAPING
    try:
        extract = READERS["csv"].read(_request(path, options))
    except SourceInvalid as error:
        if "header" not in error.where or not plain:
            raise
        probe = {**options, "header": False, "column_names": ["c"]}
        return _validate_ragged(path, READERS["csv"].read(_request(path, probe)), options, make())
    if plain and _has_blank_line(path):
        return _validate_ragged(path, extract, options, make())
    try:
        return _validate_extract(extract, make())
    except SourceInvalid:  # a ragged row, or text pyarrow refused: read it record by record
        if not plain:
            raise
        return _validate_ragged(path, extract, options, make())


def _validate_ragged(
    path: Path, extract: Extract, options: Mapping[str, Any], validator: TableValidator
) -> Report:
    details = extract.details
    dialect = Dialect(
        str(details["encoding"]), str(details["delimiter"]), str(options.get("quote_char", '"'))
    )
    labels, batches = read_ragged(path, dialect)
    if not labels:
        return _empty(path)
    validator.check_labels(labels)
    row = 2
    for part in batches:
        validator.validate(part.batch, row, cell_counts=part.counts)
        row += part.batch.num_rows
    return validator.finish()


def _has_blank_line(path: Path) -> bool:
    """Whether the file has an empty line (pyarrow skips it, frictionless reports it).

    A blank line inside a quoted value also counts: the slower reading is then merely
    unnecessary, never wrong.
    """
    tail = b""
    with path.open("rb") as handle:
        while chunk := handle.read(_SCAN_BYTES):
            window = tail + chunk
            if b"\n\n" in window or b"\n\r\n" in window or b"\r\r" in window:
                return True
            tail = window[-2:]
    return False


def _request(path: Path, options: Mapping[str, Any]) -> SourceRequest:
    return SourceRequest(
        options={**options, "path": path.name}, sources_dir=path.parent, where=path.name
    )


def _kind(path: Path) -> str:
    if not path.is_file():
        raise SourceInvalid(
            f"no file `{path.name}` in {path.parent}", where=str(path), hint="check the path"
        )
    kind = KINDS.get(path.suffix.lower())
    if kind is None:
        raise SourceInvalid(
            f"cannot validate `{path.suffix}` files",
            where=str(path),
            hint=f"give a file ending in {', '.join(sorted(KINDS))}",
        )
    return kind


def _schema(schema: frictionless.Schema | Path | Mapping[str, Any]) -> frictionless.Schema:
    if isinstance(schema, frictionless.Schema):
        return schema
    if isinstance(schema, Path):
        return load_schema(schema)
    if isinstance(schema, Mapping):
        return schema_from_descriptor(dict(schema), where="schema")
    raise SchemaError(f"not a Table Schema: {type(schema).__name__}", where="schema")


def _declared(schema: frictionless.Schema) -> FieldsMatch | None:
    return schema.fields_match if schema.has_defined("fields_match") else None


def _lookups(
    path: Path,
    schema: frictionless.Schema,
    given: Mapping[str, tuple[Path, frictionless.Schema | Path]],
    options: Mapping[str, Any],
) -> dict[str, pa.Table]:
    tables = {name: read_typed(file, table_schema) for name, (file, table_schema) in given.items()}
    if any(not key["reference"].get("resource") for key in schema.foreign_keys):
        tables[""] = read_typed(path, schema, options)
    return tables


def _empty(path: Path) -> Report:
    entry = make_entry("source-error", note="the source is empty")
    return Report(path.name, False, 0, (entry,), 1, False)
