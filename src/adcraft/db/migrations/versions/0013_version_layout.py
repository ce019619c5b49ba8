"""Versions keep where their elements are drawn, so one size can be adjusted by hand

Revision ID: 0013_version_layout
Revises: 0012_ctr_training_jobs
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013_version_layout"
down_revision = "0012_ctr_training_jobs"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Nullable: versions made before have no boxes; their size is adjusted after one re-render.
    with op.batch_alter_table("versions") as batch:
        batch.add_column(sa.Column("layout", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("versions") as batch:
        batch.drop_column("layout")
