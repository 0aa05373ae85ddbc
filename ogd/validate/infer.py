"""A starting Table Schema for a file, inferred by frictionless (`ogd schema infer`)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import frictionless

from ogd.errors import SourceInvalid


def infer_schema(path: Path) -> dict[str, Any]:
    """Describe a CSV, Excel, JSON or Parquet file's columns as a Table Schema descriptor.

    Raises:
        SourceInvalid: frictionless cannot read the file.
    """
    try:
        resource = frictionless.Resource(path.name, basepath=str(path.parent.resolve()))
        resource.infer(stats=False)
    except (frictionless.FrictionlessException, OSError, ValueError) as exc:
        raise SourceInvalid(
            f"cannot infer a schema: {getattr(getattr(exc, 'error', None), 'message', exc)}",
            where=str(path),
            hint="check the file's format and encoding",
        ) from None
    if resource.schema is None:
        raise SourceInvalid("no table found in the file", where=str(path))
    descriptor: dict[str, Any] = resource.schema.to_descriptor()
    return descriptor
