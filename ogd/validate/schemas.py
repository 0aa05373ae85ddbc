"""Load Table Schemas, check that they are valid, and map their types to Arrow.

This is the I/O module of the validate stage: it reads `schemas/<slug>.schema.json`
(or YAML) itself, because frictionless refuses absolute paths as "not safe", and lets
frictionless's Schema model judge the descriptor. `arrow_schema` maps the types to
Arrow; `cell_reader` and `convert` (from `ogd.validate.cells`) read cells as those types.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import frictionless
import pyarrow as pa
import yaml
from frictionless import FrictionlessException

from ogd.errors import SchemaError
from ogd.validate.cells import arrow_type, cell_reader, convert, default_reader

__all__ = [
    "arrow_schema",
    "arrow_type",
    "cell_reader",
    "convert",
    "default_reader",
    "load_schema",
    "schema_from_descriptor",
]

_HINT = "fix the Table Schema (see https://datapackage.org/standard/table-schema/)"


def load_schema(path: Path) -> frictionless.Schema:
    """Read a Table Schema file and check it with frictionless.

    Args:
        path: a `.json`, `.yaml` or `.yml` file holding one Table Schema descriptor.

    Returns:
        The frictionless schema.

    Raises:
        SchemaError: the file cannot be read or parsed, or frictionless rejects the
            descriptor (unknown field type, unsupported constraint, bad primary key …);
            `message` is the parser's or frictionless's own text, `where` the file.
    """
    return schema_from_descriptor(_read_descriptor(path), where=str(path))


def schema_from_descriptor(descriptor: dict[str, Any], *, where: str) -> frictionless.Schema:
    """Check a Table Schema descriptor with frictionless and build the schema.

    Args:
        descriptor: the parsed descriptor.
        where: how to name its origin in errors (a file name).

    Returns:
        The frictionless schema.

    Raises:
        SchemaError: frictionless rejects the descriptor; `message` is its own text.
    """
    try:  # frictionless brings a v1 descriptor to v2 form, then checks it
        return frictionless.Schema.from_descriptor(copy.deepcopy(descriptor))
    except FrictionlessException as error:
        raise SchemaError(_frictionless_text(error), where=where, hint=_HINT) from error


def arrow_schema(schema: frictionless.Schema) -> pa.Schema:
    """Map a Table Schema to the Arrow schema of validated batches.

    Types without an Arrow counterpart (yearmonth, duration, geopoint, geojson, object,
    array, list, any) are kept as strings.

    Args:
        schema: the Table Schema.

    Returns:
        One nullable Arrow field per schema field, in schema order.
    """
    return pa.schema([pa.field(field.name, arrow_type(field.type)) for field in schema.fields])


def _read_descriptor(path: Path) -> dict[str, Any]:
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise SchemaError(
            f"cannot read schema file: {error}",
            where=str(path),
            hint="check that the file exists and is UTF-8 text",
        ) from error
    try:
        if Path(path).suffix.lower() in (".yaml", ".yml"):
            descriptor = yaml.safe_load(text)
        else:
            descriptor = json.loads(text)
    except (json.JSONDecodeError, yaml.YAMLError) as error:
        raise SchemaError(
            f"not a valid {_syntax(path)} document: {error}",
            where=str(path),
            hint=f"fix the {_syntax(path)} syntax",
        ) from error
    if not isinstance(descriptor, dict):
        raise SchemaError(
            "a Table Schema must be an object with a `fields` list",
            where=str(path),
            hint=_HINT,
        )
    return descriptor


def _syntax(path: Path) -> str:
    return "YAML" if Path(path).suffix.lower() in (".yaml", ".yml") else "JSON"


def _frictionless_text(error: FrictionlessException) -> str:
    reasons = [reason.message for reason in error.reasons]
    return "; ".join(reasons) if reasons else error.error.message
