"""CTR training jobs: a tenant's model is trained in the background, one job at a time

Revision ID: 0012_ctr_training_jobs
Revises: 0011_sign_in_throttle
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012_ctr_training_jobs"
down_revision = "0011_sign_in_throttle"
branch_labels = None
depends_on = None

_ACTIVE = sa.text("status IN ('queued', 'running')")


def upgrade() -> None:
    # A new table only: models trained before keep their versions in the registry.
    op.create_table(
        "ctr_jobs",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("tenant_id", sa.String(length=32), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("since", sa.DateTime(timezone=True), nullable=True),
        sa.Column("until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("heartbeat_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("model_version", sa.String(length=16), nullable=True),
        sa.Column("error", sa.String(length=2000), nullable=True),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            name=op.f("fk_ctr_jobs_tenant_id_tenants"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ctr_jobs")),
    )
    op.create_index(op.f("ix_ctr_jobs_tenant_id"), "ctr_jobs", ["tenant_id"])
    op.create_index(
        "uq_ctr_jobs_one_active",
        "ctr_jobs",
        ["tenant_id"],
        unique=True,
        sqlite_where=_ACTIVE,
        postgresql_where=_ACTIVE,
    )


def downgrade() -> None:
    op.drop_index("uq_ctr_jobs_one_active", table_name="ctr_jobs")
    op.drop_index(op.f("ix_ctr_jobs_tenant_id"), table_name="ctr_jobs")
    op.drop_table("ctr_jobs")
