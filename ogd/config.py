"""Settings: dataclass defaults < `ogd.toml` < `OGD_*` environment variables; `$env` resolver."""

from __future__ import annotations

import dataclasses
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from ogd.errors import ConfigError

ENV_PREFIX = "OGD_"


def _setting(default: Any, help: str, secret: bool = False) -> Any:
    return field(default=default, repr=not secret, metadata={"help": help, "secret": secret})


@dataclass(frozen=True)
class Settings:
    """Every setting of the platform, with its default and help text.

    Relative paths are resolved against `root`. `docs/settings.md` documents each one
    (a test checks that).
    """

    root: Path = _setting(
        Path("."), "Project folder holding pipelines/, schemas/, catalog/ and web/."
    )
    instance_dir: Path = _setting(Path("var"), "Folder of the embedded default instance.")
    database_url: str = _setting(
        "",
        "SQLAlchemy URL of the catalogue; empty means sqlite:///<instance_dir>/catalog.db.",
    )
    storage_url: str = _setting(
        "", "fsspec URL of published files; empty means <instance_dir>/storage."
    )
    sources_dir: Path = _setting(
        Path("var/sources"),
        "Folder that relative source paths of pipelines are read from.",
    )
    runs_dir: Path = _setting(
        Path("var/runs"), "Folder of steward-only run files and run progress."
    )
    pipelines_dir: Path = _setting(Path("pipelines"), "Folder of pipeline YAML files.")
    schemas_dir: Path = _setting(Path("schemas"), "Folder of Table Schemas.")
    catalog_dir: Path = _setting(Path("catalog"), "Folder of organisations, themes and licences.")
    lookups_dir: Path = _setting(
        Path("pipelines/lookups"), "Folder of lookup tables (CSV) that map and join steps read."
    )
    duckdb_memory_limit: str = _setting(
        "1GB", "Memory DuckDB may use for sorting and aggregating before it spills to disk."
    )
    batch_rows: int = _setting(65_536, "Rows per record batch while a pipeline streams.")
    web_dir: Path = _setting(Path("web"), "Folder of templates, static files and translations.")
    site_url: str = _setting("http://127.0.0.1:5000", "Public base URL of the portal.")
    site_title: str = _setting("Open Data Luzern", "Name of the portal.")
    site_description: str = _setting(
        "Offene Behördendaten der Stadt Luzern", "One sentence on the portal."
    )
    locale_default: str = _setting("de", "Default language of the portal.")
    hierarchies_dir: Path = _setting(
        Path("pipelines/hierarchies"),
        "Folder of generalisation hierarchies (ARX CSV layout) that privacy policies name.",
    )
    pseudonym_key_file: Path = _setting(
        Path(""),
        "File of the pseudonymisation key (32+ random bytes); empty: <instance_dir>/secrets/"
        "pseudonym.key.",
    )
    pseudonym_key: str = _setting(
        "", "The pseudonymisation key itself (hex or base64), usually from OGD_PSEUDONYM_KEY.", True
    )
    secret_key: str = _setting(
        "",
        "Key that signs the portal's login sessions; empty: <instance_dir>/secrets/session.key "
        "(created on first start). Give every web worker the same key.",
        True,
    )
    timezone: str = _setting("Europe/Zurich", "Time zone of pipeline schedules (cron).")
    host: str = _setting("127.0.0.1", "Address `ogd serve` listens on.")
    port: int = _setting(5000, "Port `ogd serve` listens on.")
    trusted_proxies: int = _setting(
        0, "How many reverse proxies stand in front of `ogd serve` (their X-Forwarded-* count)."
    )
    demo_seed: int = _setting(1061, "Seed of the demo source generator (BFS number of Luzern).")

    def path(self, value: Path) -> Path:
        """Resolve a settings path against `root`."""
        return value if value.is_absolute() else (self.root / value).resolve()

    @property
    def resolved_database_url(self) -> str:
        """The catalogue URL, defaulting to the SQLite file of the embedded instance."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{self.path(self.instance_dir) / 'catalog.db'}"

    @property
    def key_file(self) -> Path:
        """The pseudonymisation key file, defaulting to the instance's secrets folder."""
        if str(self.pseudonym_key_file) in ("", "."):
            return self.path(self.instance_dir) / "secrets" / "pseudonym.key"
        return self.path(self.pseudonym_key_file)

    @property
    def resolved_storage_url(self) -> str:
        """The storage URL, defaulting to the storage folder of the embedded instance."""
        if self.storage_url:
            return self.storage_url
        return str(self.path(self.instance_dir) / "storage")


def setting_names() -> list[str]:
    """Names of all settings, in declaration order."""
    return [f.name for f in fields(Settings)]


def _coerce(name: str, raw: Any, kind: Any, where: str) -> Any:
    kind_name = kind if isinstance(kind, str) else getattr(kind, "__name__", str(kind))
    try:
        if kind_name == "Path":
            return Path(str(raw))
        if kind_name == "int":
            if isinstance(raw, bool):
                raise ValueError(raw)
            return int(raw)
        if kind_name == "bool":
            if isinstance(raw, bool):
                return raw
            return str(raw).strip().lower() in {"1", "true", "yes", "on"}
        return str(raw)
    except (TypeError, ValueError):
        raise ConfigError(
            f"setting `{name}` must be of type {kind_name}, got {raw!r}",
            where=where,
            hint=f"correct `{name}` there",
        ) from None


def load_settings(
    path: Path | None = None, environ: Mapping[str, str] | None = None, **overrides: Any
) -> Settings:
    """Build Settings from defaults, then `ogd.toml`, then `OGD_*` variables, then overrides.

    Args:
        path: a TOML file; None looks for `ogd.toml` in the current folder.
        environ: the environment (tests pass a dict).
        **overrides: values that win over everything (command-line options).

    Returns:
        The frozen Settings.

    Raises:
        ConfigError: an unknown key, a bad value or an unreadable file.
    """
    environ = environ if environ is not None else {}
    kinds = {f.name: f.type for f in fields(Settings)}
    values: dict[str, Any] = {}
    toml_path = path or Path("ogd.toml")
    if path is not None or toml_path.exists():
        try:
            data = tomllib.loads(toml_path.read_text(encoding="utf-8"))
        except (OSError, tomllib.TOMLDecodeError) as exc:
            raise ConfigError(f"cannot read settings file: {exc}", where=str(toml_path)) from None
        data = data.get("ogd", data)
        for key, raw in data.items():
            if key not in kinds:
                raise ConfigError(
                    f"unknown setting `{key}`",
                    where=str(toml_path),
                    hint=f"known settings: {', '.join(kinds)}",
                )
            values[key] = _coerce(key, resolve_env(raw, environ), kinds[key], str(toml_path))
        if "root" not in values:
            values["root"] = toml_path.resolve().parent
    for key in kinds:
        env_name = ENV_PREFIX + key.upper()
        if env_name in environ:
            values[key] = _coerce(key, environ[env_name], kinds[key], f"${env_name}")
    for key, raw in overrides.items():
        if raw is not None:
            values[key] = _coerce(key, raw, kinds[key], "command line")
    settings = Settings(**values)
    return dataclasses.replace(settings, root=settings.root.resolve())


def resolve_env(value: Any, environ: Mapping[str, str]) -> Any:
    """Replace every `{"$env": "NAME"}` in a nested value by `environ["NAME"]`.

    Raises:
        ConfigError: the variable is not set (its name is given, never a value).
    """
    if isinstance(value, dict):
        if set(value) == {"$env"}:
            name = str(value["$env"])
            if name not in environ:
                raise ConfigError(
                    f"environment variable `{name}` is not set",
                    hint=f"export {name}=… before running",
                )
            return environ[name]
        return {k: resolve_env(v, environ) for k, v in value.items()}
    if isinstance(value, list):
        return [resolve_env(v, environ) for v in value]
    return value
