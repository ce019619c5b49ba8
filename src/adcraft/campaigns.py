"""Campaign management beyond create and rename: archive, delete with the creatives' files, and
merge one campaign into another.

Deleting or merging is refused while a task of the campaign is pending or running: its worker
writes creatives under the campaign it started with, which would then be gone or elsewhere. Files
are content-addressed (store/base.py), so a file is removed only when nothing left points to it:
an identical image of another campaign keeps it.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from adcraft import review_links
from adcraft.db.models import (
    BriefRow,
    Campaign,
    CreativeRow,
    ExperimentArmRow,
    ExperimentRow,
    Feedback,
    ShareLink,
    Task,
    TaskOutput,
    Version,
    utcnow,
)
from adcraft.db.references import key_in_use
from adcraft.errors import Conflict, InputError
from adcraft.store.base import KEY_RE, AssetStore

log = logging.getLogger("adcraft.campaigns")
LIVE = ("pending", "running")


@dataclass(frozen=True)
class Removed:
    """What deleting a campaign removed."""

    creatives: int
    tasks: int
    files: list[str]
    """Store keys no longer used by anything: the caller deletes them after the commit."""


def lock(s: Session, camp: Campaign) -> None:
    """Hold the campaign's row until the commit: a generate request that would add a task to it
    waits (PostgreSQL; SQLite has one writer at a time anyway)."""
    s.execute(select(Campaign.id).where(Campaign.id == camp.id).with_for_update()).all()


def refuse_if_busy(s: Session, camp: Campaign, doing: str) -> None:
    """Conflict naming a pending or running task of the campaign, if any."""
    busy = s.scalar(
        select(Task.id)
        .where(Task.campaign_id == camp.id, Task.status.in_(LIVE))
        .order_by(Task.created_at)
        .limit(1)
    )
    if busy is not None:
        raise Conflict(
            f"campaign {camp.name!r} has a task still running ({busy}): wait until it "
            f"finishes, then {doing}"
        )


def set_archived(camp: Campaign, archived: bool) -> None:
    """Archive (hide from the default list) or bring back; archiving twice keeps the first date."""
    if archived and camp.archived_at is None:
        camp.archived_at = utcnow()
    elif not archived:
        camp.archived_at = None


def _keys_in(value: Any) -> Iterable[str]:
    # Task results hold store keys at various depths (contact sheet, cut-out, scenes).
    if isinstance(value, str):
        if KEY_RE.match(value):
            yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from _keys_in(v)
    elif isinstance(value, list):
        for v in value:
            yield from _keys_in(v)


def delete_campaign(s: Session, camp: Campaign) -> Removed:
    """Delete a campaign with its briefs, tasks, creatives, versions, activity and review links
    (not committed). Refused while a task runs or while a creative is in an experiment."""
    lock(s, camp)
    refuse_if_busy(s, camp, "delete the campaign")
    creative_ids = list(s.scalars(select(CreativeRow.id).where(CreativeRow.campaign_id == camp.id)))
    if creative_ids:
        used = s.scalar(
            select(ExperimentRow.name)
            .join(ExperimentArmRow, ExperimentArmRow.experiment_id == ExperimentRow.id)
            .where(ExperimentArmRow.creative_id.in_(creative_ids))
            .limit(1)
        )
        if used is not None:
            raise Conflict(
                f"a creative of campaign {camp.name!r} is an arm of experiment {used!r}, "
                "whose results need it: archive the campaign instead"
            )
    tasks = list(s.scalars(select(Task).where(Task.campaign_id == camp.id)))
    keys: set[str] = set()
    for t in tasks:
        keys.update(_keys_in(t.result or {}))
    if creative_ids:
        versions = s.execute(
            select(Version.image_key, Version.render).where(Version.creative_id.in_(creative_ids))
        ).all()
        # A version's render holds the generated picture and painted scenes it was drawn with.
        for image_key, render in versions:
            keys.add(image_key)
            keys.update(_keys_in(render or {}))
        s.execute(delete(Feedback).where(Feedback.creative_id.in_(creative_ids)))
        s.execute(delete(Version).where(Version.creative_id.in_(creative_ids)))
        s.execute(delete(CreativeRow).where(CreativeRow.id.in_(creative_ids)))
    task_ids = [t.id for t in tasks]
    s.execute(delete(ShareLink).where(ShareLink.campaign_id == camp.id))
    if task_ids:
        s.execute(delete(TaskOutput).where(TaskOutput.task_id.in_(task_ids)))
        s.execute(delete(Task).where(Task.id.in_(task_ids)))
    s.execute(delete(BriefRow).where(BriefRow.campaign_id == camp.id))
    tenant_id = camp.tenant_id
    s.delete(camp)
    s.flush()
    doomed = sorted(k for k in keys if not key_in_use(s, tenant_id, k))
    return Removed(creatives=len(creative_ids), tasks=len(task_ids), files=doomed)


def remove_files(store: AssetStore, keys: list[str]) -> int:
    """Delete files from the store after the rows are gone; returns how many went. A store that
    fails leaves an unreferenced file behind (logged), never a row pointing to a missing file."""
    removed = 0
    for key in keys:
        try:
            store.delete(key)
            removed += 1
        except Exception as exc:  # any store's error: the rows are already gone
            log.warning("file %s of a deleted campaign not removed: %s", key, exc)
    return removed


def merge(s: Session, target: Campaign, source: Campaign) -> None:
    """Move everything of ``source`` into ``target`` and delete ``source`` (not committed)."""
    if target.id == source.id:
        raise InputError("a campaign cannot be merged into itself: pick another one")
    lock(s, target)
    lock(s, source)
    refuse_if_busy(s, source, "merge it")
    for model in (BriefRow, Task, CreativeRow):
        s.execute(update(model).where(model.campaign_id == source.id).values(campaign_id=target.id))
    review_links.move_links(s, source.id, target.id)
    if not target.landing_url and source.landing_url:
        target.landing_url = source.landing_url
    s.delete(source)
    s.flush()
