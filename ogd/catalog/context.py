"""What every catalogue action shares: the call context, input coercion, dataset lookup.

Its own module so that the action modules (`actions`, `write_actions`,
`datastore_actions`) import it without importing each other.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from ogd.catalog.models import Dataset, Organization, Theme
from ogd.config import Settings
from ogd.errors import NotFound, ValidationError
from ogd.publish.storage import Storage

_Named = TypeVar("_Named", Dataset, Organization, Theme)

QUALITY_EXTRA = "quality"  # read-only extra of package_show: the current MQA summary


@dataclass(frozen=True)
class Context:
    """Who calls, with which settings, through which session."""

    session: Session
    settings: Settings
    user: str | None = None
    storage: Storage | None = None


Action = Callable[[Context, Mapping[str, Any]], Any]


# -- input coercion -----------------------------------------------------------------------


def _natural(data: Mapping[str, Any], key: str, default: int | None, cap: int | None = None) -> Any:
    raw = data.get(key)
    if raw is None or raw == "":
        return default
    try:
        value = int(str(raw))
    except ValueError:
        raise ValidationError({key: ["Invalid integer"]}) from None
    if value < 0:
        raise ValidationError({key: ["Must be a natural number"]})
    return min(value, cap) if cap is not None else value


def _integer(data: Mapping[str, Any], key: str, default: int) -> int:
    raw = data.get(key)
    if raw is None or raw == "":
        return default
    try:
        return int(str(raw))
    except ValueError:
        raise ValidationError({key: ["Invalid integer"]}) from None


def _bool(data: Mapping[str, Any], key: str, default: bool) -> bool:
    raw = data.get(key)
    if raw is None or raw == "":
        return default
    if isinstance(raw, bool):
        return raw
    return str(raw).strip().lower() in {"true", "1", "yes", "on"}


def _required(data: Mapping[str, Any], key: str, label: str | None = None) -> str:
    value = data.get(key)
    if value is None or str(value).strip() == "":
        raise ValidationError({label or key: ["Missing value"]})
    return str(value)


def _get_by_id_or_name(ctx: Context, model: type[_Named], id_or_name: str, label: str) -> _Named:
    """The row of `model` whose id or name is `id_or_name`.

    Raises:
        NotFound: none ("<label> not found", as CKAN says it).
    """
    found = ctx.session.scalar(
        select(model).where(or_(model.id == id_or_name, model.name == id_or_name))
    )
    if found is None:
        raise NotFound(f"{label} not found")
    return found


def _get_dataset(ctx: Context, id_or_name: str) -> Dataset:
    return _get_by_id_or_name(ctx, Dataset, id_or_name, "Dataset")
