"""quality-gate results on every version

Revision ID: 0006_version_gates
Revises: 0005_keys_audit
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006_version_gates"
down_revision = "0005_keys_audit"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Additive: versions made before the gates existed count as having passed them (no result).
    with op.batch_alter_table("versions") as batch:
        batch.add_column(sa.Column("gates", sa.JSON(), nullable=False, server_default="[]"))
        batch.add_column(
            sa.Column("gates_passed", sa.Boolean(), nullable=False, server_default=sa.true())
        )


def downgrade() -> None:
    with op.batch_alter_table("versions") as batch:
        batch.drop_column("gates_passed")
        batch.drop_column("gates")
