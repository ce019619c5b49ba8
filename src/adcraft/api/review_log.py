"""A creative's review state, derived from its append-only feedback log."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from adcraft.db.models import CreativeRow, Feedback
from adcraft.domain.review import ReviewEvent, ReviewState, current_state

EXPORT_KINDS = ("download", "export")


def creative_log(s: Session, row: CreativeRow) -> list[Feedback]:
    """Everything recorded on a creative, oldest first."""
    return list(
        s.scalars(
            select(Feedback)
            .where(Feedback.creative_id == row.id, Feedback.tenant_id == row.tenant_id)
            .order_by(Feedback.created_at, Feedback.id)
        )
    )


def review_state(log: list[Feedback], current_version: int) -> ReviewState:
    """The state of the creative's current version, from its log."""
    events: list[ReviewEvent] = []
    for f in log:
        if f.kind == "review" and f.version is not None:
            events.append(ReviewEvent(f.data["state"], f.version, str(f.data.get("by", ""))))
        elif (
            f.kind in EXPORT_KINDS
            and f.version is not None
            # Downloading an approved version is what exports it.
            and current_state(events, f.version) == "approved"
        ):
            events.append(ReviewEvent("exported", f.version, str(f.data.get("by", ""))))
    return current_state(events, current_version)


def states_of(s: Session, rows: list[CreativeRow]) -> dict[str, ReviewState]:
    """Review states of many creatives with one query."""
    if not rows:
        return {}
    logs: dict[str, list[Feedback]] = {r.id: [] for r in rows}
    for f in s.scalars(
        select(Feedback)
        .where(Feedback.creative_id.in_(list(logs)))
        .order_by(Feedback.created_at, Feedback.id)
    ):
        logs[f.creative_id].append(f)
    return {r.id: review_state(logs[r.id], r.current_version) for r in rows}
