"""Style previews: the store keys of preview images and when they were shown, so the sweeper
removes them after a while

Revision ID: 0014_preview_files
Revises: 0013_version_layout
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0014_preview_files"
down_revision = "0013_version_layout"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A new table only: there are no previews before this version.
    op.create_table(
        "preview_files",
        sa.Column("key", sa.String(length=300), nullable=False),
        sa.Column("tenant_id", sa.String(length=32), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            name=op.f("fk_preview_files_tenant_id_tenants"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_preview_files")),
    )
    op.create_index(op.f("ix_preview_files_tenant_id"), "preview_files", ["tenant_id"])
    op.create_index(op.f("ix_preview_files_created_at"), "preview_files", ["created_at"])


def downgrade() -> None:
    op.drop_index(op.f("ix_preview_files_created_at"), table_name="preview_files")
    op.drop_index(op.f("ix_preview_files_tenant_id"), table_name="preview_files")
    op.drop_table("preview_files")
