"""campaign archive: campaigns.archived_at

Revision ID: 0010_campaign_archive
Revises: 0009_share_links
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010_campaign_archive"
down_revision = "0009_share_links"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Nullable: every existing campaign stays unarchived.
    op.add_column("campaigns", sa.Column("archived_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("campaigns") as batch:
        batch.drop_column("archived_at")
