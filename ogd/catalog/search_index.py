"""The in-process search index of one worker: postings, facets, sort keys, rendered datasets.

The index is derived from the catalogue and holds nothing authoritative. Before each
search it reads the newest sequence number of the change log (one cheap query) and
re-indexes only the datasets changed since; a change to an organisation, theme or
licence (a NULL entry) rebuilds it. So results are current the moment a write commits,
in every worker process, and a restarted worker simply builds it again.

Datasets occupy positions 0..n-1. Exact-match fields keep value -> set of positions;
queries turn them into numpy boolean masks. Facets count through (position, value id)
tables with `numpy.bincount`; sorting uses dense ranks per field combined into one
integer key, so a page is an `argpartition` away.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterable
from typing import Any

import numpy as np
from luqum.tree import (
    AndOperation,
    FieldGroup,
    Group,
    Not,
    OrOperation,
    Phrase,
    Plus,
    Prohibit,
    Range,
    SearchField,
    UnknownOperation,
    Word,
)
from numpy.typing import NDArray
from sqlalchemy import select
from sqlalchemy.orm import Session

from ogd.catalog import search
from ogd.catalog.dictize import package_dict
from ogd.catalog.models import Dataset, License, Organization, Theme
from ogd.catalog.query import compile_node, field_values, range_bound, unquote
from ogd.errors import SearchQueryError

Mask = NDArray[np.bool_]
Positions = NDArray[np.int64]
KEYWORD_FIELDS = (
    "id",
    "name",
    "tags",
    "groups",
    "organization",
    "owner_org",
    "res_format",
    "license_id",
    "state",
    "capacity",
    "type",
    "dataset_type",
    "num_resources",
    "num_tags",
    "creator",
)
DATE_FIELDS = ("metadata_modified", "metadata_created")
REBUILD_AT = 2000  # more changes than this at once: rebuild rather than patch
CACHE_SIZE = 4096  # free-text queries remembered per change-log position
PREPARED_FACETS = ("organization", "groups", "tags", "res_format", "license_id")
INFO_KEY = "ogd.search.index"  # where the session factory keeps the worker's index


def index_doc(d: Dataset) -> dict[str, Any]:
    """The flat document filters and facets see (Solr's index fields)."""
    doc: dict[str, Any] = {
        "id": d.id,
        "name": d.name,
        "title": d.title,
        "notes": d.notes or "",
        "tags": [t.name for t in d.tags],
        "groups": [t.name for t in d.themes],
        "organization": d.organization.name if d.organization else None,
        "owner_org": d.owner_org,
        "license_id": d.license_id,
        "state": d.state,
        "capacity": "private" if d.private else "public",
        "type": d.type,
        "dataset_type": d.type,
        "res_format": [r.format for r in d.resources if r.state == "active"],
        "res_name": [r.name or "" for r in d.resources if r.state == "active"],
        "res_description": [r.description or "" for r in d.resources if r.state == "active"],
        "res_url": [r.url or "" for r in d.resources if r.state == "active"],
        "num_resources": sum(1 for r in d.resources if r.state == "active"),
        "num_tags": len(d.tags),
        "metadata_modified": d.metadata_modified.isoformat(),
        "metadata_created": d.metadata_created.isoformat(),
        "maintainer": d.maintainer,
        "author": d.author,
        "version": d.version,
        "url": d.url,
        "creator": d.creator_user_id,
    }
    for key, value in (d.extras or {}).items():
        doc[f"extras_{key}"] = value if isinstance(value, str) else json.dumps(value)
    doc["text"] = " ".join([d.name, d.title, d.notes or "", *doc["tags"]])
    return doc


class SearchIndex:
    """Postings, facet tables and sort ranks of every dataset, for one process."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.trees: dict[str, Any] = {}  # parsed filter queries (they do not depend on data)
        self.terms: dict[str, tuple[str, ...]] = {}  # free text -> the backend's query words
        self._reset()

    def _reset(self) -> None:
        self.seq = -1
        self.site_url = ""
        self.stamp: tuple[int, ...] | None = None
        self.ids: list[str | None] = []
        self.docs: list[dict[str, Any] | None] = []
        self.rendered: list[dict[str, Any] | None] = []
        self.pos_of: dict[str, int] = {}
        self.postings: dict[str, dict[str, set[int]]] = {f: {} for f in KEYWORD_FIELDS}
        self.display: dict[str, dict[str, str]] = {}
        self._arrays: dict[tuple[str, str], Positions] = {}
        self._ranks: dict[str, tuple[NDArray[np.int64], int]] = {}
        self._dates: dict[str, NDArray[np.datetime64]] = {}
        self._facets: dict[str, tuple[Positions, NDArray[np.int64], list[str]]] = {}
        self.text_cache: dict[tuple[str, ...], tuple[Positions, NDArray[np.float64]]] = {}
        # whole results of anonymous searches as JSON, valid until the index changes
        self.results: dict[tuple[tuple[str, str], ...], bytes] = {}

    @property
    def size(self) -> int:
        """Number of positions (including those of purged datasets)."""
        return len(self.ids)

    # -- keeping current ----------------------------------------------------------------

    def refresh(self, session: Session, site_url: str) -> None:
        """Apply the change log since the last refresh (build the index the first time)."""
        stamp = search.file_stamp(session)
        if stamp is not None and stamp == self.stamp and site_url == self.site_url:
            return  # the SQLite files are unchanged: nothing was committed since
        seq = search.last_change(session)
        self.stamp = stamp
        if self.seq >= 0 and seq <= self.seq and site_url == self.site_url:
            return
        if self.seq < 0 or site_url != self.site_url:
            self.build(session, site_url, seq)
            self.stamp = stamp
            return
        changes = search.changes_since(session, self.seq)
        if not changes:
            return
        newest = max(seq, changes[-1][0])
        if len(changes) > REBUILD_AT or any(d is None for _, d in changes):
            self.build(session, site_url, newest)
            self.stamp = stamp
            return
        changed = list(dict.fromkeys(d for _, d in changes if d is not None))
        found = {d.id: d for d in _load(session, changed)}
        for dataset_id in changed:
            self._put(dataset_id, found.get(dataset_id))
        self._load_display(session)
        self._invalidate()
        self.seq = newest

    def build(self, session: Session, site_url: str, seq: int | None = None) -> None:
        """Index every dataset of the catalogue from scratch."""
        seq = search.last_change(session) if seq is None else seq
        self._reset()
        self.site_url = site_url
        for dataset in session.scalars(select(Dataset).order_by(Dataset.id)):
            self._put(dataset.id, dataset)
        self._load_display(session)
        self.seq = seq
        self.prepare()

    def prepare(self) -> None:
        """Compute the sort ranks and facet tables common queries use, ahead of them."""
        for field in ("name", "title_string", "id", *DATE_FIELDS):
            self.ranks(field)
        for field in PREPARED_FACETS:
            self.facet_table(field)

    def _load_display(self, session: Session) -> None:
        orgs = session.execute(select(Organization.name, Organization.title)).all()
        themes = session.execute(select(Theme.name, Theme.title)).all()
        licenses = session.execute(select(License.id, License.title)).all()
        self.display = {
            "organization": {name: title or name for name, title in orgs},
            "groups": {name: title or name for name, title in themes},
            "license_id": {name: title or name for name, title in licenses},
        }

    def _put(self, dataset_id: str, dataset: Dataset | None) -> None:
        pos = self.pos_of.get(dataset_id)
        if pos is not None:
            self._unpost(pos)
        if dataset is None:
            if pos is not None:
                self.ids[pos] = self.docs[pos] = self.rendered[pos] = None
                del self.pos_of[dataset_id]
            return
        doc = index_doc(dataset)
        rendered = package_dict(dataset, self.site_url)
        if pos is None:
            pos = self.pos_of[dataset_id] = len(self.ids)
            self.ids.append(dataset_id)
            self.docs.append(doc)
            self.rendered.append(rendered)
        else:
            self.docs[pos], self.rendered[pos] = doc, rendered
        for field in KEYWORD_FIELDS:
            postings = self.postings[field]
            for value in field_values(doc, field):
                postings.setdefault(value, set()).add(pos)

    def _unpost(self, pos: int) -> None:
        doc = self.docs[pos]
        if doc is None:
            return
        for field in KEYWORD_FIELDS:
            postings = self.postings[field]
            for value in field_values(doc, field):
                members = postings.get(value)
                if members is not None:
                    members.discard(pos)
                    if not members:
                        del postings[value]

    def _invalidate(self) -> None:
        self.results.clear()
        self._arrays.clear()
        self._ranks.clear()
        self._dates.clear()
        self._facets.clear()
        self.text_cache.clear()

    # -- masks --------------------------------------------------------------------------

    def empty(self) -> Mask:
        """A mask selecting nothing."""
        return np.zeros(self.size, dtype=np.bool_)

    def posting(self, field: str, value: str) -> Positions:
        """Positions whose `field` has exactly `value`."""
        key = (field, value)
        found = self._arrays.get(key)
        if found is None:
            members = self.postings[field].get(value, ())
            found = np.fromiter(members, dtype=np.int64, count=len(members))
            self._arrays[key] = found
        return found

    def mask_of(self, field: str, values: Iterable[str]) -> Mask:
        """Positions whose `field` has one of `values`."""
        mask = self.empty()
        for value in values:
            mask[self.posting(field, value)] = True
        return mask

    def filter_mask(self, node: Any, field: str | None = None) -> Mask:
        """Evaluate a parsed filter query (luqum tree) to a mask.

        Raises:
            SearchQueryError: an element of the query is not supported.
        """
        if isinstance(node, SearchField):
            return self.filter_mask(node.expr, node.name)
        if isinstance(node, Group | FieldGroup):
            return self.filter_mask(node.expr, field)
        if isinstance(node, Not | Prohibit):
            return ~self.filter_mask(node.a, field)
        if isinstance(node, Plus):
            return self.filter_mask(node.a, field)
        if isinstance(node, OrOperation):
            masks = [self.filter_mask(c, field) for c in node.children]
            return np.logical_or.reduce(masks) if masks else self.empty()
        if isinstance(node, AndOperation | UnknownOperation):
            masks = [self.filter_mask(c, field) for c in node.children]
            return np.logical_and.reduce(masks) if masks else ~self.empty()
        if isinstance(node, Word | Phrase):
            value = unquote(str(node.value))
            exact = "*" not in value and "?" not in value
            if field in KEYWORD_FIELDS and exact:
                return self.mask_of(field, [value])
            return self._scan(node, field)
        if isinstance(node, Range):
            if field in DATE_FIELDS:
                found = self._date_range(field, node)
                if found is not None:
                    return found
            return self._scan(node, field)
        raise SearchQueryError(f"Search Query Error: unsupported query element {node!s}")

    def _scan(self, node: Any, field: str | None) -> Mask:
        predicate = compile_node(node, field)
        return np.fromiter(
            (doc is not None and predicate(doc) for doc in self.docs),
            dtype=np.bool_,
            count=self.size,
        )

    def _date_range(self, field: str, node: Range) -> Mask | None:
        try:
            low, high = range_bound(str(node.low)), range_bound(str(node.high))
            low_at = None if low is None else np.datetime64(low, "us")
            high_at = None if high is None else np.datetime64(high, "us")
        except ValueError:
            return None
        dates = self.dates(field)
        mask = ~np.isnat(dates)
        if low_at is not None:
            mask &= (dates >= low_at) if node.include_low else (dates > low_at)
        if high_at is not None:
            mask &= (dates <= high_at) if node.include_high else (dates < high_at)
        return mask

    def dates(self, field: str) -> NDArray[np.datetime64]:
        """Timestamps of `field` by position (NaT for purged datasets)."""
        found = self._dates.get(field)
        if found is None:
            found = np.array(
                [doc[field] if doc else "NaT" for doc in self.docs], dtype="datetime64[us]"
            )
            self._dates[field] = found
        return found

    # -- sorting and facets -------------------------------------------------------------

    def ranks(self, field: str) -> tuple[NDArray[np.int64], int]:
        """Dense ranks of a sort field by position, and how many distinct values there are."""
        found = self._ranks.get(field)
        if found is None:
            keys: Any
            if field in DATE_FIELDS:
                keys = self.dates(field).astype(np.int64)
            elif field in {"title", "title_string"}:
                keys = np.array([(d["title"] or d["name"]).lower() if d else "" for d in self.docs])
            else:
                keys = np.array([str(d[field]) if d else "" for d in self.docs])
            if self.size == 0:
                found = (np.zeros(0, dtype=np.int64), 1)
            else:
                uniques, inverse = np.unique(keys, return_inverse=True)
                found = (inverse.astype(np.int64).reshape(-1), len(uniques))
            self._ranks[field] = found
        return found

    def facet_table(self, field: str) -> tuple[Positions, NDArray[np.int64], list[str]]:
        """Value ids of a field by position (CSR: offsets, ids) and the values, sorted."""
        found = self._facets.get(field)
        if found is None:
            per_doc = [
                sorted({v for v in field_values(doc, field) if v not in ("", "None")})
                if doc is not None
                else []
                for doc in self.docs
            ]
            values = sorted({v for vs in per_doc for v in vs})
            ids = {v: i for i, v in enumerate(values)}
            lengths = np.fromiter((len(vs) for vs in per_doc), dtype=np.int64, count=self.size)
            offsets = np.zeros(self.size + 1, dtype=np.int64)
            np.cumsum(lengths, out=offsets[1:])
            flat = np.fromiter(
                (ids[v] for vs in per_doc for v in vs), dtype=np.int64, count=int(offsets[-1])
            )
            found = (offsets, flat, values)
            self._facets[field] = found
        return found

    def facet_counts(self, field: str, positions: Positions) -> tuple[NDArray[np.int64], list[str]]:
        """How many of `positions` have each value of `field`, and the values."""
        offsets, flat, values = self.facet_table(field)
        if len(positions) * 4 >= self.size:
            lengths = np.diff(offsets)
            chosen = np.zeros(self.size, dtype=np.bool_)
            chosen[positions] = True
            picked = flat[np.repeat(chosen, lengths)]
        else:
            starts = offsets[positions]
            lengths = offsets[positions + 1] - starts
            ends = np.cumsum(lengths)
            picked = flat[
                np.arange(int(ends[-1]) if len(ends) else 0)
                + np.repeat(starts - ends + lengths, lengths)
            ]
        return np.bincount(picked, minlength=len(values)), values


def _load(session: Session, ids: list[str]) -> list[Dataset]:
    found: list[Dataset] = []
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        found += session.scalars(select(Dataset).where(Dataset.id.in_(chunk))).all()
    return found
