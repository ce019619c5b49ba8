"""sign-in throttle: wrong passwords per email and the lock they lead to

Revision ID: 0011_sign_in_throttle
Revises: 0010_campaign_archive
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011_sign_in_throttle"
down_revision = "0010_campaign_archive"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A new table only: every account starts with no failures counted.
    op.create_table(
        "sign_in_throttle",
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("window_ends_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("locked_until", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_sign_in_throttle")),
    )
    op.create_index(
        op.f("ix_sign_in_throttle_window_ends_at"), "sign_in_throttle", ["window_ends_at"]
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_sign_in_throttle_window_ends_at"), table_name="sign_in_throttle")
    op.drop_table("sign_in_throttle")
