"""run records in the catalogue, for every host

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-30 00:13:05.121606
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        "pipeline_run",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("pipeline", sa.String(length=100), nullable=False),
        sa.Column("started", sa.String(length=40), nullable=False),
        sa.Column("ended", sa.String(length=40), nullable=False),
        sa.Column("user_name", sa.String(length=100), nullable=False),
        sa.Column("pipeline_version", sa.String(length=100), nullable=False),
        sa.Column("source_checksum", sa.String(length=100), nullable=False),
        sa.Column("rows_in", sa.BigInteger(), nullable=False),
        sa.Column("rows_out", sa.BigInteger(), nullable=False),
        sa.Column("outcome", sa.String(length=20), nullable=False),
        sa.Column("release_id", sa.String(length=64), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("steps", sa.JSON(), nullable=False),
        sa.Column("reports", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("pipeline_run", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_pipeline_run_pipeline"), ["pipeline"], unique=False)
        batch_op.create_index(batch_op.f("ix_pipeline_run_started"), ["started"], unique=False)


def downgrade() -> None:
    """Undo this revision."""
    with op.batch_alter_table("pipeline_run", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_pipeline_run_started"))
        batch_op.drop_index(batch_op.f("ix_pipeline_run_pipeline"))

    op.drop_table("pipeline_run")
