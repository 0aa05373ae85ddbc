"""The revision files keep the naming the start-up check relies on (`NNNN_name.py`)."""

from __future__ import annotations

import re

from ogd.catalog import migrate


def test_file_names_give_the_revisions_and_the_newest_is_alembics_head() -> None:
    files = sorted((migrate.MIGRATIONS / "versions").glob("[0-9][0-9][0-9][0-9]_*.py"))
    assert [p.name[:4] for p in files] == [r for r, _ in migrate.history()]
    for path in files:
        text = path.read_text(encoding="utf-8")
        assert re.search(rf'^revision = "{path.name[:4]}"$', text, re.MULTILINE), path.name
    assert migrate.code_revision() == migrate.head()
