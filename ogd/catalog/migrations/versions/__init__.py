"""Alembic revisions of the catalogue, oldest first (`NNNN_name.py`)."""
