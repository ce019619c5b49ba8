"""The sizes of one variant of a generated set: what an edit, a re-render and a restore act on."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from adcraft.db.models import CreativeRow


def variant_sizes(
    session: Session, tenant_id: str, task_id: str, variant: int
) -> list[CreativeRow]:
    """Every creative (size) of a set's variant, in rank order."""
    return list(
        session.scalars(
            select(CreativeRow)
            .where(
                CreativeRow.task_id == task_id,
                CreativeRow.variant == variant,
                CreativeRow.tenant_id == tenant_id,
            )
            .order_by(CreativeRow.rank)
        )
    )
