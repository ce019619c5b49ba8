"""experiments, their arms and sticky assignments

Revision ID: 0003_experiments
Revises: 0002_landing_urls
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003_experiments"
down_revision = "0002_landing_urls"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "experiments",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("tenant_id", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("placement", sa.String(length=64), nullable=False),
        sa.Column("policy", sa.String(length=32), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("margin", sa.Float(), nullable=False),
        sa.Column("alpha", sa.Float(), nullable=False),
        sa.Column("tau", sa.Float(), nullable=False),
        sa.Column("guardrails", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("stopped_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            name=op.f("fk_experiments_tenant_id_tenants"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_experiments")),
    )
    with op.batch_alter_table("experiments") as batch_op:
        batch_op.create_index(batch_op.f("ix_experiments_placement"), ["placement"], unique=False)
        batch_op.create_index(batch_op.f("ix_experiments_tenant_id"), ["tenant_id"], unique=False)
    op.create_table(
        "experiment_arms",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("experiment_id", sa.String(length=32), nullable=False),
        sa.Column("tenant_id", sa.String(length=32), nullable=False),
        sa.Column("creative_id", sa.String(length=32), nullable=False),
        sa.Column("version", sa.Integer(), nullable=True),
        sa.Column("control", sa.Integer(), nullable=False),
        sa.Column("weight", sa.Float(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["creative_id"],
            ["creatives.id"],
            name=op.f("fk_experiment_arms_creative_id_creatives"),
        ),
        sa.ForeignKeyConstraint(
            ["experiment_id"],
            ["experiments.id"],
            name=op.f("fk_experiment_arms_experiment_id_experiments"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            name=op.f("fk_experiment_arms_tenant_id_tenants"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_experiment_arms")),
    )
    with op.batch_alter_table("experiment_arms") as batch_op:
        batch_op.create_index(
            batch_op.f("ix_experiment_arms_experiment_id"), ["experiment_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_experiment_arms_tenant_id"), ["tenant_id"], unique=False
        )
    op.create_table(
        "experiment_assignments",
        sa.Column("experiment_id", sa.String(length=32), nullable=False),
        sa.Column("user_hash", sa.String(length=128), nullable=False),
        sa.Column("arm_id", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(
            ["experiment_id"],
            ["experiments.id"],
            name=op.f("fk_experiment_assignments_experiment_id_experiments"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "experiment_id", "user_hash", name=op.f("pk_experiment_assignments")
        ),
    )


def downgrade() -> None:
    op.drop_table("experiment_assignments")
    with op.batch_alter_table("experiment_arms") as batch_op:
        batch_op.drop_index(batch_op.f("ix_experiment_arms_tenant_id"))
        batch_op.drop_index(batch_op.f("ix_experiment_arms_experiment_id"))
    op.drop_table("experiment_arms")
    with op.batch_alter_table("experiments") as batch_op:
        batch_op.drop_index(batch_op.f("ix_experiments_tenant_id"))
        batch_op.drop_index(batch_op.f("ix_experiments_placement"))
    op.drop_table("experiments")
