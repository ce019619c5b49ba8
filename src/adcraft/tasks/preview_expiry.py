"""Style preview images last a while: the sweeper removes those shown longer ago than
``tasks.preview_ttl_s``.

Store keys are content addresses, so a preview's file may be the very file a set made since
keeps (same brief, style, size and seed give the same bytes). A preview's row is dropped first;
its file goes only when no other row names the key (``db.references.key_in_use``).
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session, sessionmaker

from adcraft.db.engine import unit_of_work
from adcraft.db.models import PreviewFile, utcnow
from adcraft.db.references import key_in_use
from adcraft.store.base import AssetStore

log = logging.getLogger("adcraft.tasks")
_BATCH = 200


def expire_previews(
    sessions: sessionmaker[Session],
    store: AssetStore,
    ttl_s: float,
    *,
    now: datetime | None = None,
) -> int:
    """Remove preview files shown more than ``ttl_s`` ago; returns how many files were deleted.

    A file some row still names is kept (only the preview's row goes). A store error keeps the
    row, so the next sweep tries again.
    """
    before = (now or utcnow()) - timedelta(seconds=ttl_s)
    with sessions() as s:
        expired = s.execute(
            select(PreviewFile.key, PreviewFile.tenant_id)
            .where(PreviewFile.created_at < before)
            .limit(_BATCH)
        ).all()
    removed = 0
    for key, tenant_id in expired:
        with unit_of_work(sessions) as s:
            # Only if still expired: a preview of the same bytes since renewed the row.
            gone = s.execute(
                delete(PreviewFile).where(PreviewFile.key == key, PreviewFile.created_at < before)
            ).rowcount  # type: ignore[attr-defined]
            if gone != 1:
                continue
            s.flush()
            if key_in_use(s, tenant_id, key):
                continue
            try:
                store.delete(key)
            except Exception as exc:  # any store's error: keep the row, try again next sweep
                log.warning("preview %s not removed yet: %s", key, exc)
                s.rollback()
                continue
            removed += 1
    if removed:
        log.info("removed %d expired style preview files", removed)
    return removed
