"""A creative's review state, derived from its append-only feedback log."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from adcraft.db.models import CreativeRow, Feedback
from adcraft.domain.review import ReviewEvent, ReviewState, current_state

EXPORT_KINDS = ("download", "export")
SHORTLIST = "shortlist"
"""The feedback kind that marks a creative shortlisted (``data.on``) or takes it off again."""


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


def shortlisted(log: list[Feedback]) -> bool:
    """Whether the creative is on the team's shortlist: its latest shortlist mark, if any."""
    marks = [f for f in log if f.kind == SHORTLIST]
    return bool(marks and marks[-1].data.get("on"))


def shortlist_of(s: Session, tenant_id: str, creative_ids: list[str]) -> set[str]:
    """The ids among ``creative_ids`` that are on the shortlist, with one query."""
    if not creative_ids:
        return set()
    latest: dict[str, bool] = {}
    for cid, data in s.execute(
        select(Feedback.creative_id, Feedback.data)
        .where(
            Feedback.tenant_id == tenant_id,
            Feedback.creative_id.in_(creative_ids),
            Feedback.kind == SHORTLIST,
        )
        .order_by(Feedback.created_at, Feedback.id)
    ):
        latest[cid] = bool((data or {}).get("on"))
    return {cid for cid, on in latest.items() if on}
