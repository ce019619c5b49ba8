"""per-tenant provider overrides (LLM endpoint and sealed key, default remover and styles)

Revision ID: 0004_tenant_providers
Revises: 0003_experiments
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004_tenant_providers"
down_revision = "0003_experiments"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "tenant_providers",
        sa.Column("tenant_id", sa.String(length=32), nullable=False),
        sa.Column("llm_base_url", sa.String(length=500), nullable=True),
        sa.Column("llm_model", sa.String(length=200), nullable=True),
        sa.Column("llm_key_sealed", sa.Text(), nullable=True),
        sa.Column("default_remover", sa.String(length=40), nullable=True),
        sa.Column("default_styles", sa.JSON(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            name=op.f("fk_tenant_providers_tenant_id_tenants"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("tenant_id", name=op.f("pk_tenant_providers")),
    )


def downgrade() -> None:
    op.drop_table("tenant_providers")
