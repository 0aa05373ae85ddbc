"""Validate stage: check tables against a Table Schema and report every bad cell.

`validate_table` is the verb; `TableValidator` does the same a batch at a time for
streamed sources (with `rejected()` for a quarantine file), `validate_file` checks a
CSV, Parquet or Excel file end to end, and `load_schema` reads and checks the schema.
"""

from __future__ import annotations

import frictionless
import pyarrow as pa

from ogd.validate.files import read_typed, validate_file
from ogd.validate.header import FieldsMatch
from ogd.validate.report import Report, ValidationErrorEntry
from ogd.validate.schemas import arrow_schema, load_schema
from ogd.validate.table import Policy, TableValidator

__all__ = [
    "FieldsMatch",
    "Policy",
    "Report",
    "TableValidator",
    "ValidationErrorEntry",
    "arrow_schema",
    "load_schema",
    "read_typed",
    "validate_file",
    "validate_table",
]


def validate_table(
    table: pa.Table,
    schema: frictionless.Schema,
    *,
    source: str,
    first_row_number: int = 2,
    policy: Policy = "fail",
    fields_match: FieldsMatch | None = None,
) -> tuple[pa.Table, Report]:
    """Validate a whole Arrow table.

    Args:
        table: the data, columns as text or already typed.
        schema: the Table Schema.
        source: the name stewards know the table by.
        first_row_number: the row number of the first data row (2 below one header).
        policy: "fail" keeps every row, "drop" leaves out rows with errors.
        fields_match: how column names pair with fields (default: the schema's
            `fieldsMatch`, else by name).

    Returns:
        The validated table (the schema's fields, typed) and the report.

    Raises:
        SchemaError: the schema has a constraint that cannot be applied.
    """
    validator = TableValidator(schema, source=source, policy=policy, fields_match=fields_match)
    validator.check_labels(table.column_names)
    batches = []
    row_number = first_row_number
    for batch in table.to_batches():
        batches.append(validator.validate(batch, row_number))
        row_number += batch.num_rows
    result = pa.Table.from_batches(batches, schema=arrow_schema(schema))
    return result, validator.finish()
