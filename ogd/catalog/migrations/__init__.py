"""Alembic migrations of the catalogue schema (see `ogd.catalog.migrate`)."""
