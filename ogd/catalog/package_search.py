"""`package_search`: parameters, visibility, filters, full text, facets, sort and paging.

Free text goes to the catalogue's full-text search (`ogd.catalog.search`: SQLite FTS5 or
PostgreSQL's `german` configuration); everything else runs on the worker's in-process
index (`ogd.catalog.search_index`), which follows the change log before each search.
The index lives in the session factory's `info` (one per process); a session without
one, or one holding uncommitted index changes, gets a private index built for the call.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import numpy as np
import orjson
from numpy.typing import NDArray
from sqlalchemy.orm import Session

from ogd.catalog import authz, search
from ogd.catalog.query import parse_tree
from ogd.catalog.search_index import CACHE_SIZE, INFO_KEY, Mask, Positions, SearchIndex
from ogd.errors import SearchQueryError, ValidationError
from ogd.jsoncodec import dumps

if TYPE_CHECKING:
    from ogd.catalog.actions import Context

DEFAULT_SORT = "score desc, metadata_modified desc"
_KEY_LIMIT = 2**62  # composite sort keys stay below this, else lexsort


def index_for(session: Session) -> tuple[SearchIndex, bool]:
    """The worker's shared index and True, or a private one and False (see module doc)."""
    shared = session.info.get(INFO_KEY)
    pending = session.info.get(search.PENDING_KEY)
    if pending is not None and pending is session.get_transaction():
        shared = None  # this transaction changed datasets: search what it sees
    if isinstance(shared, SearchIndex):
        return shared, True
    return SearchIndex(), False


def warm(session: Session, site_url: str) -> None:
    """Build the shared index ahead of the first request (before workers fork)."""
    index, shared = index_for(session)
    if shared:
        with index.lock:
            index.refresh(session, site_url)


def facet_fields(data: Mapping[str, Any]) -> list[str]:
    """`facet.field` as a list (a JSON-encoded list is accepted).

    Raises:
        ValidationError: neither a list nor a JSON list.
    """
    raw = data.get("facet.field")
    if raw is None or raw == "":
        return []
    if isinstance(raw, str):
        try:
            raw = json.loads(raw)
        except ValueError:
            raise ValidationError({"facet.field": ["Not a list"]}) from None
    if not isinstance(raw, list):
        raise ValidationError({"facet.field": ["Not a list"]})
    return [str(f) for f in raw]


def sort_keys(sort: str, allowed: set[str]) -> list[tuple[str, bool]]:
    """`field asc|desc, ...` as (field, descending) pairs.

    Raises:
        SearchQueryError: unknown field or direction.
    """
    keys = []
    for part in sort.split(","):
        bits = part.strip().split()
        if not bits:
            continue
        field, direction = bits[0], (bits[1].lower() if len(bits) > 1 else "asc")
        if field not in allowed or direction not in {"asc", "desc"} or len(bits) > 2:
            raise SearchQueryError(f"Search Query Error: Invalid sort '{part.strip()}'")
        keys.append((field, direction == "desc"))
    return keys


def package_search(ctx: Context, data: Mapping[str, Any]) -> dict[str, Any]:
    """Search datasets: `q`, `fq`, `fq_list`, `facet.field`, `sort`, `rows`, `start` (Solr-like)."""
    result, encoded = _search(ctx, data)
    if result is not None:
        return result
    assert encoded is not None  # a cached answer
    decoded: dict[str, Any] = orjson.loads(encoded)
    return decoded


def package_search_json(ctx: Context, data: Mapping[str, Any]) -> bytes:
    """`package_search`'s result as UTF-8 JSON: the HTTP API's path, where an answer from
    the cache of anonymous searches goes out as stored, neither copied nor encoded again."""
    result, encoded = _search(ctx, data)
    return encoded if encoded is not None else dumps(result)


def _search(ctx: Context, data: Mapping[str, Any]) -> tuple[dict[str, Any] | None, bytes | None]:
    """The result, its JSON, or both (a cached answer comes as JSON only)."""
    from ogd.catalog import actions

    unknown = [k for k in data if k not in actions.SEARCH_PARAMS and not k.startswith("ext_")]
    if unknown:
        raise SearchQueryError(f"Search Query Error: Invalid search parameters: {unknown}")
    rows = actions._natural(data, "rows", 10, actions.ROWS_MAX)
    start = actions._natural(data, "start", 0)
    sort = str(data.get("sort") or DEFAULT_SORT)
    keys = sort_keys(sort, actions.SORT_FIELDS)
    fields = facet_fields(data) if actions._bool(data, "facet", True) else []
    limit = actions._integer(data, "facet.limit", 50)
    mincount = actions._integer(data, "facet.mincount", 1)
    filters = [str(data.get("fq") or "")]
    fq_list = data.get("fq_list") or []
    filters += [fq_list] if isinstance(fq_list, str) else [str(f) for f in fq_list]
    q = str(data.get("q") or "").strip()
    if q not in ("", "*:*") and ":" in q:
        filters.append(q)  # a fielded query
        q = ""
    flags = {k: actions._bool(data, k, False) for k in _INCLUDE}
    index, shared = index_for(ctx.session)
    site = ctx.settings.site_url
    cacheable = shared and not any(flags.values())  # the same answer for every caller
    key = tuple(sorted((str(k), json.dumps(v, sort_keys=True)) for k, v in data.items()))
    with index.lock:
        if shared:
            index.refresh(ctx.session, site)
        else:
            index.build(ctx.session, site)
        cached = index.results.get(key) if cacheable else None
        if cached is not None:
            return None, cached
        mask = _visible(index, ctx, flags)
        for text in filters:
            if text.strip():
                mask &= index.filter_mask(_tree(index, text))
        positions, scores = _matches(index, ctx.session, q, mask)
        page = _page(index, positions, scores, keys, start, rows)
        results = [dict(index.rendered[p] or {}) for p in page]
        facets, search_facets = _facets(index, positions, fields, limit, mincount)
        result = {
            "count": int(len(positions)),
            "sort": sort,
            "results": results,
            "facets": facets,
            "search_facets": search_facets,
        }
        if not cacheable:
            return result, None
        encoded = dumps(result)
        if len(index.results) >= RESULT_CACHE_SIZE:
            index.results.clear()
        index.results[key] = encoded
    return result, encoded


_INCLUDE = ("include_private", "include_drafts", "include_deleted")
RESULT_CACHE_SIZE = 2048


def _tree(index: SearchIndex, text: str) -> Any:
    tree = index.trees.get(text)
    if tree is None:
        tree = parse_tree(text)
        if len(index.trees) >= CACHE_SIZE:
            index.trees.clear()
        index.trees[text] = tree
    return tree


def _visible(index: SearchIndex, ctx: Context, flags: Mapping[str, bool]) -> Mask:
    """Active public datasets, plus what the include_* flags add for this caller."""
    state = index.mask_of("state", ["active"])
    capacity = index.mask_of("capacity", ["public"])
    if not any(flags.values()):
        return state & capacity
    user = authz.caller(ctx)
    mine = index.mask_of("creator", [user.id]) if user is not None else index.empty()
    if flags["include_drafts"]:
        scope = authz.edit_scope(ctx)
        allowed = ~index.empty() if scope is None else index.mask_of("owner_org", scope) | mine
        state |= index.mask_of("state", ["draft"]) & allowed
    if flags["include_deleted"] and authz.is_sysadmin(ctx):
        state |= index.mask_of("state", ["deleted"])
    if flags["include_private"]:
        scope = authz.private_scope(ctx)
        allowed = ~index.empty() if scope is None else index.mask_of("owner_org", scope) | mine
        capacity |= index.mask_of("capacity", ["private"]) & allowed
    return state & capacity


def _matches(
    index: SearchIndex, session: Session, q: str, mask: Mask
) -> tuple[Positions, NDArray[np.float64] | None]:
    """Positions passing `mask` and the free text, with scores when there is free text."""
    terms = index.terms.get(q)
    if terms is None:
        postgres = search.is_postgres(session)
        terms = search.query_terms(q, postgres) if q not in ("", "*:*") else ()
        if len(index.terms) >= CACHE_SIZE:
            index.terms.clear()
        index.terms[q] = terms
    if not terms:
        return np.flatnonzero(mask).astype(np.int64), None
    found = index.text_cache.get(terms)
    if found is None:
        scored = search.match_terms(session, terms, search.is_postgres(session))
        pairs = [(index.pos_of[i], s) for i, s in scored.items() if i in index.pos_of]
        pairs.sort()
        found = (
            np.fromiter((p for p, _ in pairs), dtype=np.int64, count=len(pairs)),
            np.fromiter((s for _, s in pairs), dtype=np.float64, count=len(pairs)),
        )
        if len(index.text_cache) >= CACHE_SIZE:
            index.text_cache.clear()
        index.text_cache[terms] = found
    positions, scores = found
    keep = mask[positions]
    return positions[keep], scores[keep]


def _page(
    index: SearchIndex,
    positions: Positions,
    scores: NDArray[np.float64] | None,
    keys: list[tuple[str, bool]],
    start: int,
    rows: int,
) -> list[int]:
    """Positions of the requested page, in sort order (ties broken by dataset id)."""
    end = min(start + rows, len(positions))
    if end <= start:
        return []
    columns: list[tuple[NDArray[np.int64], int]] = []
    for field, desc in [*keys, ("id", False)]:
        if field == "score":
            if scores is None:
                continue
            uniques, inverse = np.unique(scores, return_inverse=True)
            rank, base = inverse.astype(np.int64).reshape(-1), len(uniques)
        else:
            ranks, base = index.ranks(field)
            rank = ranks[positions]
        columns.append((base - 1 - rank if desc else rank, base))
    total = 1
    for _, base in columns:
        total *= max(base, 1)
    if total < _KEY_LIMIT:
        key = np.zeros(len(positions), dtype=np.int64)
        for rank, base in columns:
            key = key * base + rank
        if end < len(positions):
            head = np.argpartition(key, end - 1)[:end]
            order = head[np.argsort(key[head], kind="stable")]
        else:
            order = np.argsort(key, kind="stable")
    else:
        order = np.lexsort([rank for rank, _ in reversed(columns)])
    return [int(p) for p in positions[order[start:end]]]


def _facets(
    index: SearchIndex, matches: Positions, fields: list[str], limit: int, mincount: int
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Counts per value of each facet field over the matches (count desc, then value)."""
    facets: dict[str, Any] = {}
    search_facets: dict[str, Any] = {}
    for field in fields:
        counts, values = index.facet_counts(field, matches)
        chosen = np.flatnonzero(counts >= max(mincount, 1))
        chosen = chosen[np.lexsort((chosen, -counts[chosen]))]
        if limit >= 0:
            chosen = chosen[:limit]
        items = [(values[i], int(counts[i])) for i in chosen]
        names = index.display.get(field, {})
        facets[field] = dict(items)
        search_facets[field] = {
            "title": field,
            "items": [{"name": v, "display_name": names.get(v, v), "count": c} for v, c in items],
        }
    return facets, search_facets
