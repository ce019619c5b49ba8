"""landing URLs for click tracking

Revision ID: 0002_landing_urls
Revises: 0001
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002_landing_urls"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Additive: where a click on a served creative may go (the creative's, else its campaign's).
    with op.batch_alter_table("campaigns") as batch:
        batch.add_column(sa.Column("landing_url", sa.String(length=2048), nullable=True))
    with op.batch_alter_table("creatives") as batch:
        batch.add_column(sa.Column("landing_url", sa.String(length=2048), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("creatives") as batch:
        batch.drop_column("landing_url")
    with op.batch_alter_table("campaigns") as batch:
        batch.drop_column("landing_url")
