"""Shared fixtures: settings for a temporary instance, demo sources generated once."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from ogd.config import Settings

ROOT = Path(__file__).resolve().parent.parent
TEST_KEY = "7e" * 32  # a test-only pseudonymisation key (32 bytes, hex)


def make_settings(instance: Path, sources: Path, **extra: object) -> Settings:
    """Settings of a temporary instance using the repository's pipelines and catalogue."""
    return Settings(
        root=ROOT,
        instance_dir=instance,
        sources_dir=sources,
        runs_dir=instance / "runs",
        pseudonym_key=TEST_KEY,
        **extra,  # type: ignore[arg-type]
    )


@pytest.fixture(scope="session")
def demo_sources(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo extracts, generated once per test session (read-only for tests)."""
    from ogd.demo import generate_demo_sources

    folder = tmp_path_factory.mktemp("demo-sources")
    generate_demo_sources(folder, seed=1061)
    return folder


@pytest.fixture
def sources(tmp_path: Path, demo_sources: Path) -> Path:
    """A private copy of the demo sources that a test may change."""
    target = tmp_path / "sources"
    shutil.copytree(demo_sources, target)
    return target


@pytest.fixture
def settings(tmp_path: Path, sources: Path) -> Settings:
    """Settings of an empty temporary instance with the demo sources."""
    return make_settings(tmp_path / "var", sources)
