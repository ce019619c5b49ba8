"""Tenant-scoped reads: every lookup filters by the caller's tenant, so a foreign id is a 404."""

from __future__ import annotations

from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from adcraft.errors import NotFound

T = TypeVar("T")


def get_owned(session: Session, model: type[T], obj_id: str, tenant_id: str, what: str) -> T:
    """The row with this id owned by this tenant, else NotFound (same answer for both cases)."""
    row: T | None = session.scalars(
        select(model).where(
            model.id == obj_id,  # type: ignore[attr-defined]
            model.tenant_id == tenant_id,  # type: ignore[attr-defined]
        )
    ).first()
    if row is None:
        raise NotFound(f"no {what} with id {obj_id!r}")
    return row


def optional_owned(
    session: Session, model: type[T], obj_id: str | None, tenant_id: str, what: str
) -> T | None:
    """Like get_owned, but None passes through."""
    if obj_id is None:
        return None
    return get_owned(session, model, obj_id, tenant_id, what)


def page_args(limit: int, offset: int) -> dict[str, Any]:
    """Limit and offset for a page."""
    return {"limit": limit, "offset": offset}
