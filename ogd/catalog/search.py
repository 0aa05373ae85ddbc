"""Full-text search behind one interface: SQLite FTS5 for the embedded default.

Text is normalised the same way for documents and queries: lower case, German
Snowball stemming (which folds "ö" and "oe" alike), then accents stripped. Each query
word matches as a prefix, so "Bevölkerung" finds "Bevoelkerung" and
"Bevölkerungsstatistik".
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from typing import Any

import snowballstemmer
from sqlalchemy import Connection, text
from sqlalchemy.orm import Session

_WORD = re.compile(r"\w+", re.UNICODE)
_COLUMNS = ("name", "title", "tags", "notes")
_WEIGHTS = (10.0, 8.0, 5.0, 1.0)


def _strip_accents(word: str) -> str:
    decomposed = unicodedata.normalize("NFKD", word)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def normalise(value: str) -> list[str]:
    """Split text into normalised search terms."""
    stemmer = snowballstemmer.stemmer("german")
    words = [w.lower() for w in _WORD.findall(value.replace("_", " "))]
    return [_strip_accents(w) for w in stemmer.stemWords(words) if w]


def _is_sqlite(bind: Connection | Session) -> bool:
    return (
        bind.get_bind().dialect.name == "sqlite"
        if isinstance(bind, Session)
        else (bind.dialect.name == "sqlite")
    )


def create_index(conn: Connection) -> None:
    """Create the search index table if it is missing."""
    if _is_sqlite(conn):
        conn.execute(
            text(
                "CREATE VIRTUAL TABLE IF NOT EXISTS dataset_fts USING fts5("
                "dataset_id UNINDEXED, name, title, tags, notes, tokenize='unicode61')"
            )
        )
    else:
        conn.execute(
            text(
                "CREATE TABLE IF NOT EXISTS dataset_fts (dataset_id VARCHAR(36) PRIMARY KEY, "
                "name TEXT, title TEXT, tags TEXT, notes TEXT)"
            )
        )


def index_document(session: Session, dataset_id: str, fields: Mapping[str, Iterable[str]]) -> None:
    """Replace the index entry of one dataset; `fields` maps name/title/tags/notes to texts."""
    remove_document(session, dataset_id)
    values: dict[str, Any] = {"id": dataset_id}
    for column in _COLUMNS:
        values[column] = " ".join(t for v in fields.get(column, ()) for t in normalise(v or ""))
    session.execute(
        text(
            "INSERT INTO dataset_fts (dataset_id, name, title, tags, notes) "
            "VALUES (:id, :name, :title, :tags, :notes)"
        ),
        values,
    )


def remove_document(session: Session, dataset_id: str) -> None:
    """Drop a dataset from the index."""
    session.execute(text("DELETE FROM dataset_fts WHERE dataset_id = :id"), {"id": dataset_id})


def search_scores(session: Session, query: str) -> dict[str, float] | None:
    """Datasets matching every word of `query` (as prefixes), with a relevance score.

    Returns:
        dataset id -> score (higher is better), or None when the query has no words
        (meaning: everything matches).
    """
    terms = normalise(query)
    if not terms:
        return None
    if _is_sqlite(session):
        match = " AND ".join(f'"{t}"*' for t in terms)
        weights = ", ".join(str(w) for w in _WEIGHTS)
        rows = session.execute(
            text(
                f"SELECT dataset_id, -bm25(dataset_fts, 0, {weights}) FROM dataset_fts "
                "WHERE dataset_fts MATCH :match"
            ),
            {"match": match},
        )
        return {row[0]: float(row[1]) for row in rows}
    return _search_portable(session, terms)


def _search_portable(session: Session, terms: list[str]) -> dict[str, float]:
    rows = session.execute(text("SELECT dataset_id, name, title, tags, notes FROM dataset_fts"))
    scores: dict[str, float] = {}
    for row in rows:
        columns = [set((row[i] or "").split()) for i in range(1, 5)]
        score = 0.0
        for term in terms:
            hits = [w for w, col in zip(_WEIGHTS, columns, strict=True) if _has_prefix(col, term)]
            if not hits:
                break
            score += sum(hits)
        else:
            scores[row[0]] = score
    return scores


def _has_prefix(words: set[str], prefix: str) -> bool:
    return any(w.startswith(prefix) for w in words)
