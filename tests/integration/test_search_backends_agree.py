"""The embedded full-text search (SQLite FTS5) and PostgreSQL's (`german` tsvector) give
the same results and facets: 300 datasets generated from real Swiss catalogue metadata,
the same catalogue on both backends, 120 realistic queries compared answer by answer."""

from __future__ import annotations

import json
import urllib.parse
from collections.abc import Iterator
from typing import Any

import pytest

from ogd.catalog import actions, authz
from ogd.catalog.actions import Context
from ogd.instance import Instance, open_instance
from tests.benchmarks.test_search_speed import build_catalog, query_paths
from tests.conftest import make_settings, postgres_schema_url

pytestmark = [pytest.mark.integration, pytest.mark.postgres]

DATASETS = 300


@pytest.fixture(scope="module")
def instances(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Instance]]:
    folder = tmp_path_factory.mktemp("agree")
    opened: dict[str, Instance] = {}
    urls = postgres_schema_url()
    try:
        for backend, url in (("sqlite", ""), ("postgres", next(urls))):
            settings = make_settings(folder / backend, folder / "sources", database_url=url)
            opened[backend] = open_instance(settings)
            build_catalog(opened[backend], DATASETS)
        yield opened
    finally:
        for instance in opened.values():
            instance.engine.dispose()
        urls.close()  # drops the PostgreSQL schema


def _queries(instance: Instance) -> list[dict[str, Any]]:
    """The benchmark's realistic queries (free text, organisation and tag filters,
    facets), all rows, in name order: the comparison needs no ranking to agree."""
    found = []
    for path in query_paths(instance)[:120]:
        params = dict(urllib.parse.parse_qsl(path.split("?", 1)[1]))
        params.update({"rows": "1000", "start": "0", "sort": "name asc"})
        params.setdefault("facet.field", '["organization","groups","tags","res_format"]')
        found.append(params)
    return found


def _answer(instance: Instance, params: dict[str, Any]) -> dict[str, Any]:
    with instance.sessions() as session:
        ctx = Context(session, instance.settings, authz.SITE_USER, instance.storage)
        result = actions.package_search(ctx, params)
    return {
        "count": result["count"],
        "names": [r["name"] for r in result["results"]],
        "facets": json.dumps(result["facets"], sort_keys=True),
    }


def test_both_backends_answer_every_query_alike(instances: dict[str, Instance]) -> None:
    queries = _queries(instances["sqlite"])
    assert len(queries) == 120
    texts = [q for q in queries if q.get("q")]
    assert len(texts) >= 50  # free text is the part that could differ
    matched = 0
    for params in queries:
        embedded = _answer(instances["sqlite"], params)
        postgres = _answer(instances["postgres"], params)
        assert postgres == embedded, params
        matched += embedded["count"] > 0
    assert matched >= len(queries) // 2  # most queries find something (78 of 120)
