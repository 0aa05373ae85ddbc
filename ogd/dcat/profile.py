"""**I/O** `catalog/dcat.yaml`: the catalogue record, its publisher and DCAT defaults."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ogd.errors import SpecError
from ogd.yamlio import load_yaml

FILENAME = "dcat.yaml"
KEYS = {"catalog", "publisher", "defaults"}
LOCAL_AUTHORITY = "http://purl.org/adms/publishertype/LocalAuthority"


@dataclass(frozen=True)
class Publisher:
    """The agent that publishes the catalogue (`foaf:Agent`)."""

    id: str
    name: Mapping[str, str]
    homepage: str | None = None
    type: str = LOCAL_AUTHORITY


@dataclass(frozen=True)
class Profile:
    """Catalogue-level DCAT-AP CH settings; dataset values override the defaults."""

    title: Mapping[str, str]
    description: Mapping[str, str]
    publisher: Publisher
    language: tuple[str, ...] = ("de",)
    spatial: tuple[str, ...] = ()
    license: str = "terms_open"
    issued: str | None = None
    homepage: str | None = None
    publisher_type: str = LOCAL_AUTHORITY
    data_language: tuple[str, ...] = ("de",)
    spatial_uri: tuple[str, ...] = ()
    access_rights: str = "PUBLIC"
    availability: str = "STABLE"
    checksum_algorithms: tuple[str, ...] = ("sha1",)
    page_size: int = 100
    extra: Mapping[str, Any] = field(default_factory=dict)


def _texts(value: Any) -> dict[str, str]:
    if isinstance(value, Mapping):
        return {str(k): str(v) for k, v in value.items() if v}
    return {"de": str(value)} if value else {}


def _list(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    return tuple(str(v) for v in value) if isinstance(value, list) else (str(value),)


def default_profile(title: str, description: str) -> Profile:
    """The profile used when `catalog/dcat.yaml` does not exist."""
    return Profile(
        title={"de": title},
        description={"de": description or title},
        publisher=Publisher("publisher", {"de": title}),
    )


def load_profile(folder: Path, title: str, description: str) -> Profile:
    """Read `dcat.yaml` from the catalogue folder (defaults from the site title otherwise).

    Raises:
        SpecError: the file is not a mapping of `catalog`, `publisher`, `defaults`.
    """
    path = folder / FILENAME
    if not path.exists():
        return default_profile(title, description)
    data = load_yaml(path, str(path))
    if not isinstance(data, Mapping) or set(data) - KEYS:
        raise SpecError(
            "must be a mapping with the keys catalog, publisher, defaults",
            where=str(path),
            hint="see docs/dcat.md",
        )
    cat, pub, defaults = (dict(data.get(k) or {}) for k in ("catalog", "publisher", "defaults"))
    base = default_profile(title, description)
    return Profile(
        title=_texts(cat.get("title")) or base.title,
        description=_texts(cat.get("description")) or base.description,
        publisher=Publisher(
            str(pub.get("id", "publisher")),
            _texts(pub.get("name")) or base.publisher.name,
            pub.get("homepage"),
            str(pub.get("type", LOCAL_AUTHORITY)),
        ),
        language=_list(cat.get("language")) or base.language,
        spatial=_list(cat.get("spatial")),
        license=str(cat.get("license", base.license)),
        issued=str(cat["issued"]) if cat.get("issued") else None,
        homepage=cat.get("homepage"),
        publisher_type=str(defaults.get("publisher_type", LOCAL_AUTHORITY)),
        data_language=_list(defaults.get("language")) or base.data_language,
        spatial_uri=_list(defaults.get("spatial_uri")),
        access_rights=str(defaults.get("access_rights", base.access_rights)),
        availability=str(defaults.get("availability", base.availability)),
        checksum_algorithms=_list(defaults.get("checksum_algorithms")) or base.checksum_algorithms,
        page_size=int(defaults.get("page_size", base.page_size)),
    )
