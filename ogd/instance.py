"""An opened instance: settings, catalogue engine and sessions, vocabulary, storage."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine

from ogd.catalog.db import SessionFactory, init_db, make_engine, make_session_factory
from ogd.catalog.vocab import load_vocabulary, sync_vocabulary
from ogd.config import Settings
from ogd.publish.storage import Storage


@dataclass(frozen=True)
class Instance:
    """Everything a command or the web app needs, built once from Settings."""

    settings: Settings
    engine: Engine
    sessions: SessionFactory
    storage: Storage


def open_instance(settings: Settings, *, sync: bool = True) -> Instance:
    """Open the catalogue (creating tables) and storage; sync the catalogue files if asked.

    Raises:
        SpecError: the catalogue files are invalid.
        ConfigError: a URL setting is invalid.
    """
    engine = make_engine(settings.resolved_database_url)
    init_db(engine)
    sessions = make_session_factory(engine)
    from ogd.pipeline.history import import_files

    with sessions() as session:
        import_files(session, settings.path(settings.runs_dir))
    if sync:
        vocab = load_vocabulary(settings.path(settings.catalog_dir), settings.root)
        with sessions() as session, session.begin():
            sync_vocabulary(session, vocab)
    return Instance(settings, engine, sessions, Storage(settings.resolved_storage_url))
