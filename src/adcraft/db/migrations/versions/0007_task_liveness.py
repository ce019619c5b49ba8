"""task heartbeats, worker heartbeats and the outputs a task wrote

Revision ID: 0007_task_liveness
Revises: 0006_version_gates
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007_task_liveness"
down_revision = "0006_version_gates"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Additive: the sweeper tells a dead attempt from a slow one by these, not by queue timeouts.
    with op.batch_alter_table("tasks") as batch:
        batch.add_column(sa.Column("heartbeat_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("attempt_started_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("queued_at", sa.DateTime(timezone=True), nullable=True))
    op.create_table(
        "workers",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("runner", sa.String(length=20), nullable=False),
        sa.Column("host", sa.String(length=200), nullable=False),
        sa.Column("pid", sa.Integer(), nullable=False),
        sa.Column("queues", sa.String(length=200), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("heartbeat_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_workers")),
    )
    op.create_table(
        "task_outputs",
        sa.Column("task_id", sa.String(length=32), nullable=False),
        sa.Column("key", sa.String(length=300), nullable=False),
        sa.ForeignKeyConstraint(
            ["task_id"],
            ["tasks.id"],
            name=op.f("fk_task_outputs_task_id_tasks"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("task_id", "key", name=op.f("pk_task_outputs")),
    )


def downgrade() -> None:
    op.drop_table("task_outputs")
    op.drop_table("workers")
    with op.batch_alter_table("tasks") as batch:
        batch.drop_column("queued_at")
        batch.drop_column("attempt_started_at")
        batch.drop_column("heartbeat_at")
