"""Full-text search in the catalogue database, and the change log the search index follows.

Text is normalised in Python the same way for documents and queries, on both backends:
lower case, umlauts written out ("ö" -> "oe", "ß" -> "ss"), other accents stripped, then
split into ASCII words, leaving out PostgreSQL's German stop words. So "Bevölkerung" and
"Bevoelkerung" become the same word before any backend sees them.

- SQLite (the embedded default): an FTS5 table of German Snowball stems; each query word
  matches as a prefix (`"stem"*`), ranked by bm25 with name/title > tags > notes.
- PostgreSQL: the same stems, in a table whose generated `tsvector` column is built by
  the `german` configuration (weights A name/title, B tags, D notes) with a GIN index;
  queries go through `to_tsquery('german', 'stem:* & ...')` and are ranked by `ts_rank`.
  PostgreSQL's own Snowball is older than the Python one (it does not read "ae" as "ä":
  "Bäume" stayed "baeum" there while "Baum" is "baum"), so both backends get the Python
  stems and PostgreSQL's stemmer sees the same words on both sides of a match; a test
  compares the answers of both backends on a catalogue of real metadata.

The change log `search_change` (seq, dataset_id) is appended to by every writer inside
its transaction (`record_change`); a NULL dataset id means "organisations, themes or
licences changed" (written by triggers). Search workers follow it with `last_change` and
`changes_since`. On PostgreSQL writers take a transaction-level advisory lock before they
append, so sequence numbers become visible in commit order.
"""

from __future__ import annotations

import os
import re
import unicodedata
from collections.abc import Iterable, Mapping
from typing import Any

import snowballstemmer
from sqlalchemy import Connection, Engine, text
from sqlalchemy.orm import Session

_WORD = re.compile(r"[a-z0-9]+")
_FOLD = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})
_COLUMNS = ("name", "title", "tags", "notes")
_WEIGHTS = (10.0, 8.0, 5.0, 1.0)
_LOCK_KEY = 460_1061  # the advisory lock that orders change-log appends on PostgreSQL
FTS_TABLE = "search_fts"
DOC_TABLE = "search_doc"  # SQLite: dataset id -> FTS5 rowid (FTS5 cannot look up by a column)
CHANGE_TABLE = "search_change"
PENDING_KEY = "ogd.search.pending"  # session.info: the transaction with unindexed changes
# PostgreSQL's german.stop (Snowball), so that both backends ignore the same words.
STOP_WORDS = frozenset(
    """aber alle allem allen aller alles als also am an ander andere anderem anderen anderer
    anderes anderm andern anderr anders auch auf aus bei bin bis bist da damit dann der den
    des dem die das daß derselbe derselben denselben desselben demselben dieselbe dieselben
    dasselbe dazu dein deine deinem deinen deiner deines denn derer dessen dich dir du dies
    diese diesem diesen dieser dieses doch dort durch ein eine einem einen einer eines einig
    einige einigem einigen einiger einiges einmal er ihn ihm es etwas euer eure eurem euren
    eurer eures für gegen gewesen hab habe haben hat hatte hatten hier hin hinter ich mich
    mir ihr ihre ihrem ihren ihrer ihres euch im in indem ins ist jede jedem jeden jeder
    jedes jene jenem jenen jener jenes jetzt kann kein keine keinem keinen keiner keines
    können könnte machen man manche manchem manchen mancher manches mein meine meinem
    meinen meiner meines mit muss musste nach nicht nichts noch nun nur ob oder ohne sehr
    sein seine seinem seinen seiner seines selbst sich sie ihnen sind so solche solchem
    solchen solcher solches soll sollte sondern sonst über um und uns unse unsem unsen
    unser unses unter viel vom von vor während war waren warst was weg weil weiter welche
    welchem welchen welcher welches wenn werde werden wie wieder will wir wird wirst wo
    wollen wollte würde würden zu zum zur zwar zwischen""".split()
)
# What a change to an organisation, theme or licence means for rendered datasets.
_VOCAB_COLUMNS = {
    "organization": ("name", "title", "description", "image_url", "state", "created"),
    "theme": ("name", "title", "description", "image_url", "state"),
    "license": ("title", "url", "is_open"),
}


def fold(value: str) -> list[str]:
    """Lower-case ASCII words of `value` with umlauts written out, without stop words."""
    lowered = value.lower().translate(_FOLD)
    decomposed = unicodedata.normalize("NFKD", lowered)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return [w for w in _WORD.findall(plain) if w not in STOP_WORDS]


def normalise(value: str) -> list[str]:
    """Split text into search terms: folded words, German Snowball stems (SQLite's terms)."""
    stemmer = snowballstemmer.stemmer("german")
    return [w for w in stemmer.stemWords(fold(value)) if w]


def is_postgres(bind: Connection | Session) -> bool:
    """The catalogue runs on PostgreSQL."""
    engine = bind.get_bind() if isinstance(bind, Session) else bind
    return engine.dialect.name == "postgresql"


# -- schema -------------------------------------------------------------------------------


def create_index(conn: Connection) -> bool:
    """Create the full-text table, the change log and their triggers where missing.

    Returns:
        True when the full-text table was created now (existing datasets need indexing).
    """
    if is_postgres(conn):
        return _create_postgres(conn)
    return _create_sqlite(conn)


def _table_exists(conn: Connection, name: str) -> bool:
    if is_postgres(conn):
        found = conn.execute(text("SELECT to_regclass(:n)"), {"n": name}).scalar()
        return found is not None
    row = conn.execute(
        text("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = :n"), {"n": name}
    ).first()
    return row is not None


def _create_sqlite(conn: Connection) -> bool:
    created = not _table_exists(conn, FTS_TABLE)
    conn.execute(text("DROP TABLE IF EXISTS dataset_fts"))  # the table before the change log
    conn.execute(
        text(
            f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5("
            "dataset_id UNINDEXED, name, title, tags, notes, tokenize='unicode61')"
        )
    )
    conn.execute(
        text(
            f"CREATE TABLE IF NOT EXISTS {DOC_TABLE} (docid INTEGER PRIMARY KEY AUTOINCREMENT, "
            "dataset_id VARCHAR(36) NOT NULL UNIQUE)"
        )
    )
    conn.execute(
        text(
            f"CREATE TABLE IF NOT EXISTS {CHANGE_TABLE} "
            "(seq INTEGER PRIMARY KEY AUTOINCREMENT, dataset_id VARCHAR(36))"
        )
    )
    for table, columns in _VOCAB_COLUMNS.items():
        changed = " OR ".join(f"OLD.{c} IS NOT NEW.{c}" for c in columns)
        for event, when in (("UPDATE", f"WHEN {changed}"), ("DELETE", "")):
            conn.execute(
                text(
                    f"CREATE TRIGGER IF NOT EXISTS search_{table}_{event.lower()} "
                    f"AFTER {event} ON {table} {when} BEGIN "
                    f"INSERT INTO {CHANGE_TABLE} (dataset_id) VALUES (NULL); END"
                )
            )
    conn.execute(
        text(
            "CREATE TRIGGER IF NOT EXISTS search_dataset_delete AFTER DELETE ON dataset BEGIN "
            f"DELETE FROM {FTS_TABLE} WHERE rowid = "
            f"(SELECT docid FROM {DOC_TABLE} WHERE dataset_id = OLD.id); "
            f"DELETE FROM {DOC_TABLE} WHERE dataset_id = OLD.id; "
            f"INSERT INTO {CHANGE_TABLE} (dataset_id) VALUES (OLD.id); END"
        )
    )
    return created


_PG_DOCUMENT = (
    "setweight(to_tsvector('german', name), 'A') || setweight(to_tsvector('german', title), 'A')"
    " || setweight(to_tsvector('german', tags), 'B')"
    " || setweight(to_tsvector('german', notes), 'D')"
)


_PG_TERMS = "ogd-search-terms-2"  # table comment: which words the rows hold (Python stems)


def _create_postgres(conn: Connection) -> bool:
    created = not _table_exists(conn, FTS_TABLE)
    if not created:
        comment = conn.execute(
            text("SELECT obj_description(to_regclass(:n), 'pg_class')"), {"n": FTS_TABLE}
        ).scalar()
        if comment != _PG_TERMS:  # rows of an older normalisation: index everything again
            conn.execute(text(f"TRUNCATE {FTS_TABLE}"))
            created = True
    statements = [
        "DROP TABLE IF EXISTS dataset_fts",
        f"CREATE TABLE IF NOT EXISTS {FTS_TABLE} (dataset_id VARCHAR(36) PRIMARY KEY, "
        "name TEXT NOT NULL DEFAULT '', title TEXT NOT NULL DEFAULT '', "
        "tags TEXT NOT NULL DEFAULT '', notes TEXT NOT NULL DEFAULT '', "
        f"document tsvector GENERATED ALWAYS AS ({_PG_DOCUMENT}) STORED)",
        f"CREATE INDEX IF NOT EXISTS {FTS_TABLE}_document ON {FTS_TABLE} USING GIN (document)",
        f"CREATE TABLE IF NOT EXISTS {CHANGE_TABLE} "
        "(seq BIGSERIAL PRIMARY KEY, dataset_id VARCHAR(36))",
        "CREATE OR REPLACE FUNCTION search_vocab_changed() RETURNS trigger LANGUAGE plpgsql AS "
        f"$$ BEGIN PERFORM pg_advisory_xact_lock({_LOCK_KEY}); "
        f"INSERT INTO {CHANGE_TABLE} (dataset_id) VALUES (NULL); RETURN NULL; END $$",
        "CREATE OR REPLACE FUNCTION search_dataset_deleted() RETURNS trigger LANGUAGE plpgsql AS "
        f"$$ BEGIN PERFORM pg_advisory_xact_lock({_LOCK_KEY}); "
        f"DELETE FROM {FTS_TABLE} WHERE dataset_id = OLD.id; "
        f"INSERT INTO {CHANGE_TABLE} (dataset_id) VALUES (OLD.id); RETURN NULL; END $$",
        "CREATE OR REPLACE TRIGGER search_dataset_delete AFTER DELETE ON dataset "
        "FOR EACH ROW EXECUTE FUNCTION search_dataset_deleted()",
    ]
    for table, columns in _VOCAB_COLUMNS.items():
        changed = " OR ".join(f"OLD.{c}::text IS DISTINCT FROM NEW.{c}::text" for c in columns)
        statements += [
            f"CREATE OR REPLACE TRIGGER search_{table}_update AFTER UPDATE ON {table} "
            f"FOR EACH ROW WHEN ({changed}) EXECUTE FUNCTION search_vocab_changed()",
            f"CREATE OR REPLACE TRIGGER search_{table}_delete AFTER DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION search_vocab_changed()",
        ]
    statements.append(f"COMMENT ON TABLE {FTS_TABLE} IS '{_PG_TERMS}'")
    for statement in statements:
        conn.execute(text(statement))
    return created


# -- documents ----------------------------------------------------------------------------


def index_document(session: Session, dataset_id: str, fields: Mapping[str, Iterable[str]]) -> None:
    """Replace the full-text entry of one dataset; `fields` maps name/title/tags/notes to texts."""
    postgres = is_postgres(session)
    values: dict[str, Any] = {"id": dataset_id}
    for column in _COLUMNS:
        words = [w for v in fields.get(column, ()) for w in normalise(v)]
        values[column] = " ".join(words)
    if postgres:
        session.execute(
            text(
                f"INSERT INTO {FTS_TABLE} (dataset_id, name, title, tags, notes) "
                "VALUES (:id, :name, :title, :tags, :notes) ON CONFLICT (dataset_id) DO UPDATE "
                "SET name = :name, title = :title, tags = :tags, notes = :notes"
            ),
            values,
        )
        return
    values["docid"] = _sqlite_docid(session, dataset_id, create=True)
    session.execute(text(f"DELETE FROM {FTS_TABLE} WHERE rowid = :docid"), values)
    session.execute(
        text(
            f"INSERT INTO {FTS_TABLE} (rowid, dataset_id, name, title, tags, notes) "
            "VALUES (:docid, :id, :name, :title, :tags, :notes)"
        ),
        values,
    )


def _sqlite_docid(session: Session, dataset_id: str, create: bool) -> int | None:
    if create:
        session.execute(
            text(f"INSERT OR IGNORE INTO {DOC_TABLE} (dataset_id) VALUES (:id)"), {"id": dataset_id}
        )
    found = session.execute(
        text(f"SELECT docid FROM {DOC_TABLE} WHERE dataset_id = :id"), {"id": dataset_id}
    ).scalar()
    return None if found is None else int(found)


def query_terms(query: str, postgres: bool) -> tuple[str, ...]:
    """The words of a free-text query as the backends match them: the same Snowball stems
    for both (`postgres` is kept for callers; the terms do not depend on it)."""
    return tuple(normalise(query))


def match_terms(session: Session, terms: tuple[str, ...], postgres: bool) -> dict[str, float]:
    """Run the full-text query for normalised `terms` (see `query_terms`)."""
    conn = session.connection()
    if postgres:
        tsquery = " & ".join(f"{t}:*" for t in terms)
        rows = conn.exec_driver_sql(
            f"SELECT dataset_id, ts_rank(document, q) FROM {FTS_TABLE}, "
            "to_tsquery('german', %(q)s) AS q WHERE document @@ q",
            {"q": tsquery},
        )
    else:
        match = " AND ".join(f'"{t}"*' for t in terms)
        weights = ", ".join(str(w) for w in _WEIGHTS)
        rows = conn.exec_driver_sql(
            f"SELECT dataset_id, -bm25({FTS_TABLE}, 0, {weights}) FROM {FTS_TABLE} "
            f"WHERE {FTS_TABLE} MATCH ?",
            (match,),
        )
    return {row[0]: float(row[1]) for row in rows}


# -- change log ---------------------------------------------------------------------------


def record_change(session: Session, dataset_id: str | None) -> None:
    """Append (seq, dataset_id) to the change log inside the caller's transaction."""
    conn = session.connection()
    if is_postgres(session):
        conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({_LOCK_KEY})")
        conn.exec_driver_sql(
            f"INSERT INTO {CHANGE_TABLE} (dataset_id) VALUES (%(id)s)", {"id": dataset_id}
        )
    else:
        conn.exec_driver_sql(f"INSERT INTO {CHANGE_TABLE} (dataset_id) VALUES (?)", (dataset_id,))


def file_stamp(session: Session) -> tuple[int, ...] | None:
    """For a SQLite catalogue, the size and modification time of its file and write-ahead
    log: every commit changes them, so an equal stamp means no change since the last
    look, without a query. None for other databases (they are asked every time)."""
    bind = session.get_bind()
    if bind.dialect.name != "sqlite":
        return None
    engine = bind if isinstance(bind, Engine) else bind.engine
    database = engine.url.database
    if not database or database == ":memory:":
        return None
    stamp: list[int] = []
    for path in (database, f"{database}-wal"):
        try:
            info = os.stat(path)
        except FileNotFoundError:
            stamp += [-1, -1]
        else:
            stamp += [info.st_size, info.st_mtime_ns]
    return tuple(stamp)


def last_change(session: Session) -> int:
    """The newest sequence number in the change log (0 when empty): one cheap query.

    On PostgreSQL it is asked on a pooled connection in autocommit mode, not through the
    session: when the answer then comes from the cache, the request needs no transaction
    at all (no BEGIN, no ROLLBACK). It sees every commit made before the call, as the
    session would."""
    if session.in_transaction() or not is_postgres(session):
        sql = f"SELECT max(seq) FROM {CHANGE_TABLE}"
        return int(session.connection().exec_driver_sql(sql).scalar() or 0)
    bind = session.get_bind()
    engine = bind if isinstance(bind, Engine) else bind.engine
    with engine.connect() as connection:
        autocommit = connection.execution_options(isolation_level="AUTOCOMMIT")
        value = autocommit.exec_driver_sql(f"SELECT max(seq) FROM {CHANGE_TABLE}").scalar()
    return int(value or 0)


def changes_since(session: Session, seq: int) -> list[tuple[int, str | None]]:
    """Change-log entries after `seq`, oldest first."""
    marker = "%(seq)s" if is_postgres(session) else "?"
    params: Any = {"seq": seq} if is_postgres(session) else (seq,)
    rows = session.connection().exec_driver_sql(
        f"SELECT seq, dataset_id FROM {CHANGE_TABLE} WHERE seq > {marker} ORDER BY seq", params
    )
    return [(int(r[0]), r[1]) for r in rows]
