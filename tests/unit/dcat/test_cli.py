"""`ogd export dcat` and `ogd import dcat` on a temporary instance."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner
from rdflib import Graph
from rdflib.namespace import DCAT, RDF

from ogd.cli import cli
from tests.conftest import TEST_KEY
from tests.unit.dcat.helpers import DATA


def env(tmp_path: Path) -> dict[str, str]:
    return {
        "OGD_INSTANCE_DIR": str(tmp_path / "var"),
        "OGD_SOURCES_DIR": str(tmp_path / "sources"),
        "OGD_RUNS_DIR": str(tmp_path / "runs"),
        "OGD_PSEUDONYM_KEY": TEST_KEY,
    }


def test_import_then_export_in_every_format(tmp_path: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(
        cli, ["import", "dcat", str(DATA / "real" / "1894.xml")], env=env(tmp_path)
    )
    assert result.exit_code == 0, result.output
    assert "created 346266 (346266@bundesamt-fur-statistik-bfs)" in result.output
    for fmt, parser in (("ttl", "turtle"), ("xml", "xml"), ("jsonld", "json-ld")):
        out = tmp_path / f"catalog.{fmt}"
        result = runner.invoke(
            cli, ["export", "dcat", "--format", fmt, "--out", str(out)], env=env(tmp_path)
        )
        assert result.exit_code == 0, result.output
        graph = Graph().parse(out, format=parser)
        assert len(list(graph.subjects(RDF.type, DCAT.Dataset))) == 1


def test_import_of_a_non_rdf_file_fails_without_traceback(tmp_path: Path) -> None:
    bad = tmp_path / "bad.ttl"
    bad.write_text("this is not turtle", encoding="utf-8")
    result = CliRunner().invoke(cli, ["import", "dcat", str(bad)], env=env(tmp_path))
    assert result.exit_code == 1
    assert "cannot read RDF" in result.output and "Traceback" not in result.output
