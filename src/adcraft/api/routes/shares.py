"""Review links: editors share a campaign or one generated set with people outside the team.

``/shares`` is the team's side (create, list, revoke; editors and admins). ``/shared`` is the
visitor's side and needs no account: the link's token, sent in the body (never in a URL, so no
access log or proxy keeps it), is the credential. Visitors see the creatives read-only and may
comment under a name; comments are rate-limited per link on top of the per-address limit that
every request without a key has.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request, Response
from pydantic import BaseModel, Field, model_validator

from adcraft import review_links as links
from adcraft.admin import audit
from adcraft.api.deps import ContainerDep, PrincipalDep, SessionDep
from adcraft.api.limits import RateLimiter
from adcraft.api.links import CTYPES, signed_url, upload_name
from adcraft.api.routes.users import actor_of
from adcraft.api.schemas import _In
from adcraft.db.models import Campaign, ShareLink, as_utc

router = APIRouter(prefix="/shares", tags=["review links"])
public = APIRouter(prefix="/shared", tags=["review links"])

WEB_PATH = "/#/shared/"
"""Where the web app opens a link; the token stays in the fragment, which browsers never send."""


class ShareIn(_In):
    campaign_id: Annotated[str, Field(min_length=1, max_length=64)] | None = None
    task_id: Annotated[str, Field(min_length=1, max_length=64)] | None = None
    expires_in_days: Annotated[int, Field(ge=1, le=90)] = 7

    @model_validator(mode="after")
    def _one_scope(self) -> ShareIn:
        if (self.campaign_id is None) == (self.task_id is None):
            raise ValueError("send either campaign_id (a whole campaign) or task_id (one set)")
        return self


class ShareOut(BaseModel):
    id: str
    campaign_id: str
    task_id: str | None
    scope: Literal["campaign", "task"]
    created_by: str
    created_at: datetime
    expires_at: datetime


class NewShareOut(ShareOut):
    token: str
    """Shown this once; only its digest is stored."""
    url: str
    """The page to send to reviewers: read-only, no sign-in."""


class OpenIn(_In):
    token: Annotated[str, Field(min_length=1, max_length=100)]


class GuestCommentIn(_In):
    token: Annotated[str, Field(min_length=1, max_length=100)]
    creative_id: Annotated[str, Field(min_length=1, max_length=64)]
    name: Annotated[str, Field(min_length=1, max_length=links.MAX_NAME)]
    text: Annotated[str, Field(min_length=1, max_length=links.MAX_COMMENT)]


class GuestCommentOut(BaseModel):
    name: str
    text: str
    created_at: datetime


class SharedCreativeOut(BaseModel):
    id: str
    format: str
    platform: str
    width: int
    height: int
    variant: int
    version: int
    copy_fields: dict[str, str] = Field(serialization_alias="copy")
    image_url: str
    """A signed link that lives no longer than the review link itself."""
    comments: list[GuestCommentOut]


class SharedReviewOut(BaseModel):
    title: str
    scope: Literal["campaign", "task"]
    expires_at: datetime
    creatives: list[SharedCreativeOut]
    max_name: int = links.MAX_NAME
    max_comment: int = links.MAX_COMMENT


def _out(link: ShareLink) -> ShareOut:
    return ShareOut(
        id=link.id,
        campaign_id=link.campaign_id,
        task_id=link.task_id,
        scope="task" if link.task_id else "campaign",
        created_by=link.created_by,
        created_at=as_utc(link.created_at),
        expires_at=as_utc(link.expires_at),
    )


@router.post("", status_code=201)
def create_share(
    body: ShareIn, request: Request, p: PrincipalDep, s: SessionDep, c: ContainerDep
) -> NewShareOut:
    """A read-only review link to a campaign or one generated set, expiring after
    ``expires_in_days`` (the token is in the answer this once)."""
    scope = links.resolve_scope(s, p.tenant_id, body.campaign_id, body.task_id)
    by = p.user_name if p.user_id else f"key {p.key_prefix}"
    link, token = links.create_link(
        s, scope, by=by, pepper=c.secret, ttl=timedelta(days=body.expires_in_days)
    )
    audit(s, actor_of(p), "share.create", link.id, p.tenant_id, campaign=link.campaign_id)
    s.commit()
    base = c.settings.server.public_url.rstrip("/") or str(request.base_url).rstrip("/")
    return NewShareOut(**_out(link).model_dump(), token=token, url=f"{base}{WEB_PATH}{token}")


@router.get("")
def list_shares(
    p: PrincipalDep,
    s: SessionDep,
    campaign: Annotated[str | None, Query(max_length=64)] = None,
    task: Annotated[str | None, Query(max_length=64)] = None,
) -> list[ShareOut]:
    """The tenant's links that still work (not revoked, not expired), newest first."""
    return [_out(x) for x in links.active_links(s, p.tenant_id, campaign_id=campaign, task_id=task)]


@router.delete("/{share_id}", status_code=204, response_class=Response)
def revoke_share(share_id: str, p: PrincipalDep, s: SessionDep) -> Response:
    """Revoke a link: opening it answers 404 from now on."""
    link = links.revoke(s, p.tenant_id, share_id)
    audit(s, actor_of(p), "share.revoke", link.id, p.tenant_id, campaign=link.campaign_id)
    s.commit()
    return Response(status_code=204)


@public.post("/open")
def open_shared(body: OpenIn, request: Request, s: SessionDep, c: ContainerDep) -> SharedReviewOut:
    """What a review link shows: its creatives, read-only, with the comments left through it
    (404 for an unknown or revoked link, 410 for an expired one)."""
    link = links.open_link(s, body.token, c.secret)
    rows = links.shared_creatives(s, link)
    comments = links.guest_comments(s, link, [r.id for r, _ in rows])
    ttl = min(links.remaining_s(link), c.settings.store.signed_url_ttl_s)
    items = []
    for row, v in rows:
        name = upload_name(row.format, row.width, row.height, row.variant, v.image_format)
        url = signed_url(
            request, c, v.image_key, filename=name, content_type=CTYPES[v.image_format], ttl_s=ttl
        )
        items.append(
            SharedCreativeOut(
                id=row.id,
                format=row.format,
                platform=row.platform,
                width=row.width,
                height=row.height,
                variant=row.variant,
                version=v.number,
                copy_fields={k: str(x) for k, x in (v.copy_fields or {}).items() if x},
                image_url=url,
                comments=[_comment(f.data, f.created_at) for f in comments[row.id]],
            )
        )
    camp = s.get(Campaign, link.campaign_id)
    return SharedReviewOut(
        title=camp.name if camp else "",
        scope="task" if link.task_id else "campaign",
        expires_at=as_utc(link.expires_at),
        creatives=items,
    )


def _comment(data: dict[str, object], at: datetime) -> GuestCommentOut:
    return GuestCommentOut(
        name=str(data.get("guest", "")), text=str(data.get("text", "")), created_at=at
    )


@public.post("/comments", status_code=201)
def comment_shared(
    body: GuestCommentIn, request: Request, s: SessionDep, c: ContainerDep
) -> GuestCommentOut:
    """A visitor's comment on one of the link's creatives, under their name (plain text)."""
    link = links.open_link(s, body.token, c.secret)
    limiter: RateLimiter = request.app.state.share_comment_limiter
    limiter.check(link.id)
    fb = links.add_guest_comment(s, link, body.creative_id, body.name, body.text)
    s.commit()
    return _comment(fb.data, fb.created_at)
