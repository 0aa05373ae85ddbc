"""The privacy section: microdata, pseudonyms, cells; every mistake named with line and key."""

from __future__ import annotations

from pathlib import Path

import pytest

from ogd.errors import SpecErrors
from ogd.pipeline.spec import load_pipeline

BASE = """\
source:
  kind: csv
  path: x.csv
privacy:
  personal_data: true
  columns: {name: identifier, ahv: identifier, alter: quasi_identifier, lohn: sensitive}
  pseudonymise: {columns: [ahv], purpose: test}
  microdata:
    k: 5
    l: 2
    suppression_limit: 0.05
    metric: precision
    quasi_identifiers:
      alter: {bands: [[20, 40, 60]]}
      quartier: {hierarchy: quartiere.csv}
      geschlecht: {}
    sensitive: [lohn]
schema: x
metadata:
  title: Titel
  organization: digital
  license: terms_open
"""


def _load(tmp_path: Path, text: str):  # type: ignore[no-untyped-def]
    path = tmp_path / "privacy-test.yaml"
    path.write_text(text, encoding="utf-8")
    return load_pipeline(path, tmp_path)


def test_microdata_and_pseudonyms_are_read(tmp_path: Path) -> None:
    privacy = _load(tmp_path, BASE).privacy
    assert privacy.microdata is not None
    assert privacy.microdata.k == 5 and privacy.microdata.l == 2
    assert privacy.microdata.metric == "precision"
    assert dict(privacy.microdata.quasi_identifiers) == {
        "alter": {"bands": [[20, 40, 60]]},
        "quartier": {"hierarchy": "quartiere.csv"},
        "geschlecht": {},
    }
    assert privacy.pseudonymise is not None and privacy.pseudonymise.columns == ("ahv",)


@pytest.mark.parametrize(
    ("change", "where", "message"),
    [
        (("    k: 5", "    k: 1"), "line 9, privacy.microdata.k", "must be a number >= 2"),
        (
            ("metric: precision", "metric: genauigkeit"),
            "line 12, privacy.microdata.metric",
            "unknown metric `genauigkeit`",
        ),
        (
            ("suppression_limit: 0.05", "suppression_limit: 5"),
            "line 11, privacy.microdata.suppression_limit",
            "between 0.0 and 1.0",
        ),
        (
            ("{columns: [ahv], purpose: test}", "{columns: [alter], purpose: test}"),
            "line 7, privacy.pseudonymise.columns",
            "`alter` is not an identifier column",
        ),
        (
            ("      geschlecht: {}", "      geschlecht: {bands: [[1]], dates: [year]}"),
            "line 16, privacy.microdata.quasi_identifiers.geschlecht",
            "give one of",
        ),
        (
            ("  microdata:", "  mikrodaten:"),
            "line 8, privacy.mikrodaten",
            "unknown key `mikrodaten`",
        ),
    ],
)
def test_privacy_errors_name_line_and_key(
    tmp_path: Path, change: tuple[str, str], where: str, message: str
) -> None:
    with pytest.raises(SpecErrors) as info:
        _load(tmp_path, BASE.replace(*change))
    found = [e for e in info.value.errors if message in e.message]
    assert found, [str(e) for e in info.value.errors]
    assert found[0].where == f"privacy-test.yaml {where}"


def test_personal_data_needs_a_protection(tmp_path: Path) -> None:
    start = BASE.index("  microdata:")
    end = BASE.index("schema: x")
    with pytest.raises(SpecErrors) as info:
        _load(tmp_path, BASE[:start] + BASE[end:])
    assert any("needs `microdata` or `small_cells`" in e.message for e in info.value.errors)
