"""Score one dataset of the catalogue: its DCAT-AP CH graph, then the MQA scorer.

The graph is the one the DCAT endpoints publish (`ogd.dcat`), so the score rates what
opendata.swiss and data.europa.eu harvest. URL checks go through the `UrlChecker` the
caller gives (the web layer checks the portal's own URLs against the portal itself).
"""

from __future__ import annotations

import datetime as dt
import functools
from typing import Any

from ogd.catalog.actions import Context
from ogd.dcat import dataset_graph
from ogd.dcat.profile import load_profile
from ogd.dcat.records import collect_dataset
from ogd.quality.mqa import datasets_of, score_dataset
from ogd.quality.references import References, load_references
from ogd.quality.urls import UrlChecker


@functools.cache
def references() -> References:
    """The shapes and vocabularies, loaded once per process (about 0.7 s)."""
    return load_references()


def assess(ctx: Context, name: str, urls: UrlChecker) -> dict[str, Any]:
    """The MQA report of the active public dataset `name` as JSON values.

    The official score counts only the licences data.europa.eu knows; the report adds
    `swiss_total`, the score when the opendata.swiss terms of use count as known.

    Raises:
        NotFound: no such active dataset.
        NotAuthorized: the dataset is private (it is not harvested).
    """
    settings = ctx.settings
    data = collect_dataset(ctx, name)
    profile = load_profile(
        settings.path(settings.catalog_dir), settings.site_title, settings.site_description
    )
    graph = dataset_graph(data, profile, settings.site_url.rstrip("/"))
    [node] = datasets_of(graph)
    refs = references()
    report = score_dataset(graph, node, urls, references=refs)
    swiss = score_dataset(graph, node, urls, references=refs, swiss_licences=True)
    result = report.to_dict()
    result["swiss_total"] = swiss.total
    result["computed"] = dt.datetime.now(dt.UTC).replace(tzinfo=None).isoformat()
    return result
