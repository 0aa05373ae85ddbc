"""Validate stage: check tables against a Table Schema and report every bad cell.

`validate_table` is the verb; `TableValidator` does the same a batch at a time for
streamed sources, and `load_schema` reads and checks the schema file.
"""

from __future__ import annotations

import frictionless
import pyarrow as pa

from ogd.validate.report import Report, ValidationErrorEntry
from ogd.validate.schemas import arrow_schema, load_schema
from ogd.validate.table import Policy, TableValidator

__all__ = [
    "Report",
    "TableValidator",
    "ValidationErrorEntry",
    "arrow_schema",
    "load_schema",
    "validate_table",
]


def validate_table(
    table: pa.Table,
    schema: frictionless.Schema,
    *,
    source: str,
    first_row_number: int = 2,
    policy: Policy = "fail",
) -> tuple[pa.Table, Report]:
    """Validate a whole Arrow table.

    Args:
        table: the data, columns as text or already typed.
        schema: the Table Schema.
        source: the name stewards know the table by.
        first_row_number: the row number of the first data row (2 below one header).
        policy: "fail" keeps every row, "drop" leaves out rows with errors.

    Returns:
        The validated table (the schema's fields, typed) and the report.

    Raises:
        SchemaError: the schema has a constraint that cannot be applied.
    """
    validator = TableValidator(schema, source=source, policy=policy)
    validator.check_labels(table.column_names)
    batches = []
    row_number = first_row_number
    for batch in table.to_batches():
        batches.append(validator.validate(batch, row_number))
        row_number += batch.num_rows
    result = pa.Table.from_batches(batches, schema=arrow_schema(schema))
    return result, validator.finish()
