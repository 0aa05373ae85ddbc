"""Pipeline files: the repository's parse; every error names file, line, key path and a hint."""

from __future__ import annotations

from pathlib import Path

import pytest

from ogd.errors import SpecError, SpecErrors
from ogd.pipeline.check import check_project
from ogd.pipeline.spec import load_pipeline
from tests.conftest import ROOT, make_settings

VALID = """\
source:
  kind: csv
  path: x.csv
  delimiter: ";"
privacy:
  personal_data: false
steps:
  - kind: table_aggregate
    group_by: [a]
    measures: {n: count}
schema: x
metadata:
  title: {de: Titel, en: Title}
  organization: digital
  license: terms_open
"""


def _errors(tmp_path: Path, text: str, name: str = "test-pipeline.yaml") -> list[SpecError]:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    with pytest.raises(SpecErrors) as info:
        load_pipeline(path, tmp_path)
    return info.value.errors


@pytest.mark.parametrize("path", sorted((ROOT / "pipelines").glob("*.yaml")), ids=lambda p: p.name)
def test_repository_pipelines_parse(path: Path) -> None:
    spec = load_pipeline(path, ROOT)
    assert spec.slug == path.stem
    assert spec.metadata.title["de"]


def test_valid_pipeline_becomes_a_frozen_spec(tmp_path: Path) -> None:
    path = tmp_path / "test-pipeline.yaml"
    path.write_text(VALID, encoding="utf-8")
    spec = load_pipeline(path, tmp_path)
    assert spec.source.options == {"path": "x.csv", "delimiter": ";"}
    assert [s.kind for s in spec.tables[0].steps] == ["table_aggregate"]
    assert spec.metadata.title == {"de": "Titel", "en": "Title"}
    with pytest.raises(AttributeError):
        spec.slug = "x"  # type: ignore[misc]


@pytest.mark.parametrize(
    ("change", "line", "path", "message", "hint"),
    [
        (
            ("  delimiter", "  delimitr"),
            4,
            "source.delimitr",
            "unknown key `delimitr`",
            "delimiter",
        ),
        (("kind: csv", "kind: cvs"), 2, "source.kind", "unknown source kind `cvs`", "csv"),
        (("table_aggregate", "table_agregate"), 8, "steps[0].kind", "unknown step kind", "kinds"),
        (("    measures", "    mesures"), 10, "steps[0].mesures", "unknown key", "measures"),
        (("Titel, en", "Titel, xx"), 13, "metadata.title.xx", "unknown language `xx`", "de, fr"),
        (("path: x.csv", "path: ../../etc/passwd"), 3, "source.path", "inside the sources", ""),
    ],
)
def test_each_error_names_line_key_path_and_hint(
    tmp_path: Path, change: tuple[str, str], line: int, path: str, message: str, hint: str
) -> None:
    errors = _errors(tmp_path, VALID.replace(*change))
    assert len(errors) == 1, [str(e) for e in errors]
    error = errors[0]
    assert error.where == f"test-pipeline.yaml line {line}, {path}"
    assert message in error.message
    assert hint in error.hint


def test_all_errors_of_a_file_are_reported_at_once(tmp_path: Path) -> None:
    text = VALID.replace("kind: csv", "kind: cvs").replace("    measures", "    mesures")
    text += "extra_key: 1\n"
    errors = _errors(tmp_path, text)
    assert len(errors) == 3, [str(e) for e in errors]


def test_missing_required_section_is_named(tmp_path: Path) -> None:
    errors = _errors(tmp_path, VALID.replace("privacy:\n  personal_data: false\n", ""))
    assert any("missing key `privacy`" in e.message for e in errors)


def test_broken_yaml_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text("source:\n  kind: csv\n   path: [unclosed\n", encoding="utf-8")
    with pytest.raises(SpecError) as info:
        load_pipeline(path, tmp_path)
    assert info.value.where.startswith("broken.yaml line")


def test_check_reports_unknown_references_and_unclassified_columns(tmp_path: Path) -> None:
    for folder in ("pipelines", "schemas"):
        (tmp_path / folder).mkdir()
    (tmp_path / "catalog").symlink_to(ROOT / "catalog")
    (tmp_path / "schemas" / "x.schema.json").write_text(
        '{"fields": [{"name": "a", "type": "string"}, {"name": "n", "type": "integer"}]}'
    )
    (tmp_path / "schemas" / "src.schema.json").write_text(
        '{"fields": [{"name": "a", "type": "string"}, {"name": "name", "type": "string"}]}'
    )
    text = (
        VALID.replace("organization: digital", "organization: nirgends")
        .replace(
            "personal_data: false",
            "personal_data: true\n  columns: {a: insensitive}\n  small_cells: {threshold: 3}",
        )
        .replace('  delimiter: ";"', '  delimiter: ";"\n  schema: src')
    )
    (tmp_path / "pipelines" / "test-pipeline.yaml").write_text(text, encoding="utf-8")
    settings = make_settings(tmp_path / "var", tmp_path / "src")
    settings = type(settings)(**{**settings.__dict__, "root": tmp_path})
    messages = [e.message for e in check_project(settings)]
    assert any("organisation `nirgends`" in m for m in messages)
    assert any("column `name` of schema `src` has no privacy role" in m for m in messages)


def test_repository_passes_check() -> None:
    settings = make_settings(ROOT / "var", ROOT / "var" / "sources")
    assert [str(e) for e in check_project(settings)] == []


@pytest.mark.parametrize(
    ("change", "where", "message", "hint"),
    [
        (
            ("schema: x\n", "schema: x\nschedul: '0 6 * * *'\n"),
            "line 12, schedul",
            "unknown key `schedul`",
            "did you mean `schedule`?",
        ),
        (
            ("schema: x\n", "schema: x\nschedule: jeden Montag\n"),
            "line 12, schedule",
            "is not a cron expression",
            "five fields",
        ),
        (
            ("schema: x\n", "schema: x\noutputs: [csv, xlsx]\n"),
            "line 12, outputs",
            "must be a list of: csv, parquet, json",
            "",
        ),
        (
            ("  personal_data: false", "  personal_data: true\n  columns: {a: geheim}"),
            "line 7, privacy.columns.a",
            "unknown role `geheim`",
            "identifier, quasi_identifier",
        ),
        (
            ("  license: terms_open", "  license: terms_open\n  frequency: jährlich"),
            "line 16, metadata.frequency",
            "unknown frequency `jährlich`",
            "annual",
        ),
        (
            (
                "  license: terms_open",
                "  license: terms_open\n  keywords: {de: [Gemeinden, 'Quelle: BFS']}",
            ),
            "line 16, metadata.keywords.de[1]",
            "keyword `Quelle: BFS` may hold only letters",
            "Quelle BFS",
        ),
        (
            ("  title: {de: Titel, en: Title}", "  title: {en: Title}"),
            "line 13, metadata.title",
            "at least `de`",
            "",
        ),
        (
            (
                "steps:\n  - kind: table_aggregate\n    group_by: [a]\n    measures: {n: count}\n",
                "steps: 3\n",
            ),
            "line 7, steps",
            "must be a list of steps",
            "",
        ),
    ],
)
def test_more_error_kinds(
    tmp_path: Path, change: tuple[str, str], where: str, message: str, hint: str
) -> None:
    errors = _errors(tmp_path, VALID.replace(*change))
    found = [e for e in errors if message in e.message]
    assert found, [str(e) for e in errors]
    assert found[0].where == f"test-pipeline.yaml {where}"
    assert hint in found[0].hint
