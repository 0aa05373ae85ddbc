"""Settings: defaults < ogd.toml < OGD_* variables; clear errors; the $env resolver."""

from __future__ import annotations

from pathlib import Path

import pytest

from ogd.config import Settings, load_settings, resolve_env, setting_names
from ogd.errors import ConfigError


def test_defaults_put_the_instance_in_var(tmp_path: Path) -> None:
    settings = Settings(root=tmp_path)
    assert settings.resolved_database_url == f"sqlite:///{tmp_path / 'var' / 'catalog.db'}"
    assert settings.resolved_storage_url == str(tmp_path / "var" / "storage")


def test_toml_overrides_defaults_and_environment_overrides_toml(tmp_path: Path) -> None:
    toml = tmp_path / "ogd.toml"
    toml.write_text('site_title = "Aus der Datei"\nport = 8080\nstorage_url = "/data/x"\n')
    settings = load_settings(toml, {"OGD_PORT": "9090", "OGD_DATABASE_URL": "sqlite:///y.db"})
    assert settings.site_title == "Aus der Datei"
    assert settings.port == 9090
    assert settings.storage_url == "/data/x"
    assert settings.resolved_database_url == "sqlite:///y.db"
    assert settings.root == tmp_path


def test_command_line_overrides_win(tmp_path: Path) -> None:
    settings = load_settings(None, {"OGD_PORT": "9090", "OGD_ROOT": str(tmp_path)}, port=7000)
    assert settings.port == 7000


def test_unknown_setting_in_toml_is_named(tmp_path: Path) -> None:
    toml = tmp_path / "ogd.toml"
    toml.write_text('datbase_url = "x"\n')
    with pytest.raises(ConfigError) as info:
        load_settings(toml, {})
    assert "datbase_url" in info.value.message
    assert "database_url" in info.value.hint
    assert info.value.where == str(toml)


def test_bad_value_names_setting_and_source() -> None:
    with pytest.raises(ConfigError) as info:
        load_settings(None, {"OGD_PORT": "fünftausend"})
    assert "port" in info.value.message and info.value.where == "$OGD_PORT"


def test_broken_toml_is_a_config_error(tmp_path: Path) -> None:
    toml = tmp_path / "ogd.toml"
    toml.write_text("port = = 1\n")
    with pytest.raises(ConfigError):
        load_settings(toml, {})


def test_env_resolver_replaces_markers_and_never_shows_values() -> None:
    data = {"url": {"$env": "DB_URL"}, "list": [{"$env": "TOKEN"}], "plain": 1}
    resolved = resolve_env(data, {"DB_URL": "postgresql://x", "TOKEN": "geheim"})
    assert resolved == {"url": "postgresql://x", "list": ["geheim"], "plain": 1}
    with pytest.raises(ConfigError) as info:
        resolve_env({"$env": "MISSING_SECRET"}, {"OTHER": "geheim"})
    assert "MISSING_SECRET" in info.value.message and "geheim" not in str(info.value)


def test_every_setting_has_help() -> None:
    from dataclasses import fields

    assert all(f.metadata.get("help") for f in fields(Settings))
    assert "database_url" in setting_names() and "storage_url" in setting_names()
