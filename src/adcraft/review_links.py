"""Review links: a read-only, expiring link to a campaign's (or one generated set's) creatives
for people outside the team, who may leave comments under a name of their choosing.

The token is random (256 bits), shown once, and stored only as an HMAC-SHA256 digest under the
server pepper, like API keys and invitations: a copy of the database opens no link. An unknown
or revoked token is NotFound; an expired one is Gone, so the page can say which.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import and_, select, update
from sqlalchemy.orm import Session

from adcraft.db.models import (
    Campaign,
    CreativeRow,
    Feedback,
    ShareLink,
    Task,
    Version,
    as_utc,
    utcnow,
)
from adcraft.db.tenants import digest
from adcraft.errors import Gone, InputError, NotFound
from adcraft.problem_codes import refuse

MAX_CREATIVES = 200
"""A link shows at most this many creatives, best first (a generated set has far fewer)."""
MAX_NAME = 80
MAX_COMMENT = 1000
GUEST_SUFFIX = " (review link)"
"""Appended to a visitor's name in the activity history, so nobody passes for a teammate."""


def _digest(pepper: str, token: str) -> str:
    return digest(pepper, f"share:{token}")


@dataclass(frozen=True)
class Scope:
    """What a link shows: a whole campaign, or one task's set within it."""

    campaign: Campaign
    task: Task | None

    @property
    def title(self) -> str:
        return self.campaign.name


def resolve_scope(
    s: Session, tenant_id: str, campaign_id: str | None, task_id: str | None
) -> Scope:
    """The campaign or generate task to share (another tenant's id is NotFound)."""
    if (campaign_id is None) == (task_id is None):
        raise InputError("share either a campaign (campaign_id) or one generated set (task_id)")
    if task_id is not None:
        task = s.scalar(select(Task).where(Task.id == task_id, Task.tenant_id == tenant_id))
        if task is None:
            raise NotFound(f"no task with id {task_id!r}")
        if task.kind != "generate":
            raise InputError(
                f"task {task_id} re-rendered one creative: share its generated set or campaign"
            )
        campaign = s.get(Campaign, task.campaign_id)
        assert campaign is not None  # the foreign key guarantees it
        return Scope(campaign, task)
    camp = s.scalar(
        select(Campaign).where(Campaign.id == campaign_id, Campaign.tenant_id == tenant_id)
    )
    if camp is None:
        raise NotFound(f"no campaign with id {campaign_id!r}")
    return Scope(camp, None)


def create_link(
    s: Session, scope: Scope, *, by: str, pepper: str, ttl: timedelta
) -> tuple[ShareLink, str]:
    """A new link for ``scope``; returns it and its token (shown this once)."""
    token = secrets.token_urlsafe(32)
    link = ShareLink(
        tenant_id=scope.campaign.tenant_id,
        digest=_digest(pepper, token),
        campaign_id=scope.campaign.id,
        task_id=scope.task.id if scope.task else None,
        created_by=by[:200],
        expires_at=utcnow() + ttl,
    )
    s.add(link)
    s.flush()
    return link, token


def active_links(
    s: Session, tenant_id: str, *, campaign_id: str | None = None, task_id: str | None = None
) -> list[ShareLink]:
    """A tenant's links neither revoked nor expired, newest first."""
    q = select(ShareLink).where(ShareLink.tenant_id == tenant_id, ShareLink.revoked_at.is_(None))
    if campaign_id:
        q = q.where(ShareLink.campaign_id == campaign_id)
    if task_id:
        q = q.where(ShareLink.task_id == task_id)
    now = utcnow()
    rows = s.scalars(q.order_by(ShareLink.created_at.desc(), ShareLink.id)).all()
    return [r for r in rows if as_utc(r.expires_at) > now]


def get_link(s: Session, tenant_id: str, link_id: str) -> ShareLink:
    """A link of this tenant by id (another tenant's is NotFound)."""
    link = s.scalar(
        select(ShareLink).where(ShareLink.id == link_id, ShareLink.tenant_id == tenant_id)
    )
    if link is None:
        raise NotFound(f"no review link with id {link_id!r}")
    return link


def revoke(s: Session, tenant_id: str, link_id: str) -> ShareLink:
    """Stop a link working at once (revoking twice is harmless)."""
    link = get_link(s, tenant_id, link_id)
    if link.revoked_at is None:
        link.revoked_at = utcnow()
        s.flush()
    return link


def set_expiry(s: Session, tenant_id: str, link_id: str, expires_at: datetime) -> ShareLink:
    """Move a link's expiry (earlier ends it sooner; a past time ends it now)."""
    link = get_link(s, tenant_id, link_id)
    link.expires_at = expires_at
    s.flush()
    return link


def open_link(s: Session, token: str, pepper: str) -> ShareLink:
    """The link of a token: NotFound when unknown or revoked, Gone when expired."""
    link = s.scalar(select(ShareLink).where(ShareLink.digest == _digest(pepper, token.strip())))
    if link is None or link.revoked_at is not None:
        raise NotFound("this review link is unknown or was revoked: ask its sender for a new one")
    if as_utc(link.expires_at) <= utcnow():
        raise Gone(
            f"this review link expired on {as_utc(link.expires_at):%Y-%m-%d %H:%M} UTC: "
            "ask its sender for a new one"
        )
    return link


def remaining_s(link: ShareLink) -> int:
    """Seconds until the link expires (at least 1 while it is open)."""
    return max(1, int((as_utc(link.expires_at) - utcnow()).total_seconds()))


def shared_creatives(s: Session, link: ShareLink) -> list[tuple[CreativeRow, Version]]:
    """The creatives the link shows with their current versions, ranked best first."""
    where = [CreativeRow.tenant_id == link.tenant_id, CreativeRow.campaign_id == link.campaign_id]
    if link.task_id:
        where.append(CreativeRow.task_id == link.task_id)
    joined = and_(
        Version.creative_id == CreativeRow.id, Version.number == CreativeRow.current_version
    )
    rows = s.execute(
        select(CreativeRow, Version)
        .join(Version, joined)
        .where(*where)
        .order_by(
            Version.gates_passed.desc(), Version.score.desc(), CreativeRow.rank, CreativeRow.id
        )
        .limit(MAX_CREATIVES)
    ).all()
    return [(r, v) for r, v in rows]


def guest_comments(
    s: Session, link: ShareLink, creative_ids: list[str]
) -> dict[str, list[Feedback]]:
    """Comments left through this link, per creative, oldest first (the team's own comments
    and review moves stay inside the team)."""
    out: dict[str, list[Feedback]] = {cid: [] for cid in creative_ids}
    if not creative_ids:
        return out
    rows = s.scalars(
        select(Feedback)
        .where(
            Feedback.tenant_id == link.tenant_id,
            Feedback.creative_id.in_(creative_ids),
            Feedback.kind == "comment",
        )
        .order_by(Feedback.created_at, Feedback.id)
    )
    for f in rows:
        if (f.data or {}).get("share_id") == link.id:
            out[f.creative_id].append(f)
    return out


def _clean(value: str, what: str, cap: int) -> str:
    """``what``: ``guest_name`` or ``comment``, the start of its refusals' codes."""
    text = value.strip()
    if not text:
        raise refuse(f"{what}_empty")
    if len(text) > cap:
        raise refuse(f"{what}_too_long", length=len(text), max=cap)
    return text


def add_guest_comment(
    s: Session, link: ShareLink, creative_id: str, name: str, text: str
) -> Feedback:
    """A visitor's comment on a creative the link shows (any other creative is NotFound).

    Stored as plain text in the creative's activity log, on its current version; every page
    shows it as text, never as markup.
    """
    who = _clean(name, "guest_name", MAX_NAME)
    body = _clean(text, "comment", MAX_COMMENT)
    where = [
        CreativeRow.id == creative_id,
        CreativeRow.tenant_id == link.tenant_id,
        CreativeRow.campaign_id == link.campaign_id,
    ]
    if link.task_id:
        where.append(CreativeRow.task_id == link.task_id)
    row = s.scalar(select(CreativeRow).where(*where))
    if row is None:
        raise NotFound(f"this review link shows no creative with id {creative_id!r}")
    fb = Feedback(
        tenant_id=link.tenant_id,
        creative_id=row.id,
        version=row.current_version,
        kind="comment",
        data={"text": body, "by": who + GUEST_SUFFIX, "guest": who, "share_id": link.id},
    )
    s.add(fb)
    s.flush()
    return fb


def move_links(s: Session, source_campaign_id: str, target_campaign_id: str) -> None:
    """After a merge: a link to one generated set follows its set into the target campaign; a
    link to the whole source campaign is revoked, since it would now show creatives its sender
    never shared."""
    now = utcnow()
    s.execute(
        update(ShareLink)
        .where(
            ShareLink.campaign_id == source_campaign_id,
            ShareLink.task_id.is_(None),
            ShareLink.revoked_at.is_(None),
        )
        .values(revoked_at=now)
    )
    s.execute(
        update(ShareLink)
        .where(ShareLink.campaign_id == source_campaign_id)
        .values(campaign_id=target_campaign_id)
    )
