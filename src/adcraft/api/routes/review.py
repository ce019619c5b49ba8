"""Review and approval: move a creative through draft → in review → approved → exported,
comment on it, put it on the team's shortlist, and read its activity (every edit, review move,
comment, shortlist mark and download, by whom).

Every record is a row of the append-only feedback log, so the activity history is complete by
construction and the review state is derived from it (adcraft.domain.review).
"""

from __future__ import annotations

import threading
import zlib
from typing import Any

from fastapi import APIRouter
from sqlalchemy import select

from adcraft.accounts.roles import review_permission
from adcraft.analytics.events import EventType
from adcraft.api.analytics_deps import AnalyticsDep, creative_fields, record
from adcraft.api.deps import PrincipalDep, SessionDep, require
from adcraft.api.lookup import get_owned
from adcraft.api.review_log import SHORTLIST, creative_log, review_state, shortlisted
from adcraft.api.schemas import (
    ActivityOut,
    CommentIn,
    ReviewIn,
    ReviewOut,
    ShortlistIn,
    ShortlistOut,
)
from adcraft.db.models import CreativeRow, Feedback
from adcraft.db.tenants import Principal
from adcraft.domain.review import check_move
from adcraft.errors import Conflict

router = APIRouter(prefix="/creatives/{creative_id}", tags=["review"])

# SQLite ignores SELECT ... FOR UPDATE; its deployments are one API process, so a lock in the
# process serialises review moves there (PostgreSQL's row lock does it across processes). A fixed
# set of striped locks: no table to grow, and a creative always maps to the same lock.
_LOCKS = tuple(threading.Lock() for _ in range(64))


def _lock_for(creative_id: str) -> threading.Lock:
    return _LOCKS[zlib.crc32(creative_id.encode()) % len(_LOCKS)]


def actor(p: Principal, name: str | None) -> str:
    """Who acted: a signed-in person by their account (a name sent in the body cannot change
    it); for an API key, the name given, always with the key that made the request."""
    if p.user_id:
        return p.user_name
    who = (name or "").strip()
    return f"{who} (key {p.key_prefix})" if who else f"key {p.key_prefix}"


def _out(s: SessionDep, row: CreativeRow) -> ReviewOut:
    log = creative_log(s, row)
    return ReviewOut(
        creative_id=row.id,
        version=row.current_version,
        state=review_state(log, row.current_version),
        activity=[_activity(f) for f in log],
    )


def _activity(f: Feedback) -> ActivityOut:
    data: dict[str, Any] = dict(f.data or {})
    return ActivityOut(
        kind=f.kind,
        version=f.version,
        by=str(data.pop("by", "")),
        state=data.get("state"),
        text=data.get("text") or data.get("note") or data.get("final_text") or data.get("message"),
        field=f.field,
        created_at=f.created_at,
    )


@router.get("/review")
def get_review(creative_id: str, p: PrincipalDep, s: SessionDep) -> ReviewOut:
    """The creative's review state and its whole activity, oldest first."""
    return _out(s, get_owned(s, CreativeRow, creative_id, p.tenant_id, "creative"))


@router.post("/review")
def move_review(
    creative_id: str, body: ReviewIn, p: PrincipalDep, s: SessionDep, a: AnalyticsDep
) -> ReviewOut:
    """Move the current version to another review state (409 when the state does not allow it,
    e.g. a second approval of the same version; send ``version`` to refuse a stale view)."""
    require(p, review_permission(body.state))
    row = get_owned(s, CreativeRow, creative_id, p.tenant_id, "creative")
    with _lock_for(row.id):
        # Two reviewers approving at once get one approval and one 409.
        s.execute(select(CreativeRow.id).where(CreativeRow.id == row.id).with_for_update()).all()
        s.refresh(row)
        if body.version is not None and body.version != row.current_version:
            raise Conflict(
                f"version {body.version} is no longer current (now {row.current_version}): "
                "look at the new version before reviewing it"
            )
        check_move(review_state(creative_log(s, row), row.current_version), body.state)
        data: dict[str, Any] = {"state": body.state, "by": actor(p, body.by)}
        if body.note:
            data["note"] = body.note
        s.add(
            Feedback(
                tenant_id=p.tenant_id,
                creative_id=row.id,
                version=row.current_version,
                kind="review",
                data=data,
            )
        )
        s.commit()
    if body.state == "approved":
        record(a, p, EventType.APPROVE, **creative_fields(row))
    return _out(s, row)


@router.post("/comments", status_code=201)
def add_comment(creative_id: str, body: CommentIn, p: PrincipalDep, s: SessionDep) -> ReviewOut:
    """Comment on the creative's current version (stored as plain text, shown as text)."""
    row = get_owned(s, CreativeRow, creative_id, p.tenant_id, "creative")
    s.add(
        Feedback(
            tenant_id=p.tenant_id,
            creative_id=row.id,
            version=row.current_version,
            kind="comment",
            data={"text": body.text.strip(), "by": actor(p, body.by)},
        )
    )
    s.commit()
    return _out(s, row)


@router.get("/shortlist")
def get_shortlist(creative_id: str, p: PrincipalDep, s: SessionDep) -> ShortlistOut:
    """Whether the creative is on the team's shortlist."""
    row = get_owned(s, CreativeRow, creative_id, p.tenant_id, "creative")
    return ShortlistOut(creative_id=row.id, shortlisted=shortlisted(creative_log(s, row)))


@router.put("/shortlist")
def set_shortlist(
    creative_id: str, body: ShortlistIn, p: PrincipalDep, s: SessionDep
) -> ShortlistOut:
    """Put the creative on the team's shortlist or take it off (seen by everyone in the tenant;
    viewers cannot change it). Setting what is already set records nothing."""
    row = get_owned(s, CreativeRow, creative_id, p.tenant_id, "creative")
    with _lock_for(row.id):
        if shortlisted(creative_log(s, row)) != body.shortlisted:
            s.add(
                Feedback(
                    tenant_id=p.tenant_id,
                    creative_id=row.id,
                    version=row.current_version,
                    kind=SHORTLIST,
                    data={"on": body.shortlisted, "by": actor(p, body.by)},
                )
            )
            s.commit()
    return ShortlistOut(creative_id=row.id, shortlisted=body.shortlisted)
