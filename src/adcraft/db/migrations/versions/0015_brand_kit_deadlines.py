"""brand kits: whether a time-limited deal must be shown with its deadline

Revision ID: 0015_brand_kit_deadlines
Revises: 0014_preview_files
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0015_brand_kit_deadlines"
down_revision = "0014_preview_files"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Additive: kits made before the switch existed keep today's behaviour (a deal shown
    # without its deadline is warned about, not left out).
    with op.batch_alter_table("brand_kits") as batch:
        batch.add_column(
            sa.Column("deadline_required", sa.Boolean(), nullable=False, server_default=sa.false())
        )


def downgrade() -> None:
    with op.batch_alter_table("brand_kits") as batch:
        batch.drop_column("deadline_required")
