"""Tracking for served ads: signed links (API), the impression pixel and click redirect (public).

The public endpoints trust only the token: tampered or expired tokens, a creative the token's
tenant does not own, or a ``to`` parameter naming any URL other than the recorded landing URL
are refused and record nothing. Bots (by user agent) get the same answer but record nothing.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Annotated
from urllib.parse import urlsplit

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import BaseModel, Field
from sqlalchemy import select

from adcraft.analytics.events import Event, EventType, Ident, now_utc
from adcraft.analytics.privacy import is_bot, viewer_hash
from adcraft.analytics.tracking import GIF_1X1, TrackingClaims, sign, verify, window_event_id
from adcraft.api.analytics_deps import AnalyticsDep
from adcraft.api.deps import ContainerDep, PrincipalDep, SessionDep
from adcraft.api.lookup import get_owned
from adcraft.db.models import Campaign, CreativeRow
from adcraft.errors import NotFound
from adcraft.problem_codes import refuse

router = APIRouter(prefix="/tracking", tags=["analytics"])
public = APIRouter(prefix="/t", tags=["tracking"])

Token = Annotated[str, Path(max_length=2048)]


class LinksIn(BaseModel):
    creative_id: Ident = Field(min_length=1)
    version: int | None = Field(default=None, ge=1)
    placement: Ident = ""
    experiment_id: Ident = ""
    arm_id: Ident = ""
    ttl_s: int | None = Field(default=None, ge=60, le=365 * 86400)


class LinksOut(BaseModel):
    token: str
    impression_url: str
    click_url: str
    expires_at: datetime


class LandingIn(BaseModel):
    url: str = Field(max_length=2048)


def check_landing_url(url: str) -> str:
    """An absolute http(s) URL with a host, or a 422 (``landing_url_invalid``)."""
    parts = urlsplit(url.strip())
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise refuse("landing_url_invalid", url=url)
    return url.strip()


def issue_links(
    request: Request,
    container: ContainerDep,
    row: CreativeRow,
    *,
    version: int | None = None,
    placement: str = "",
    experiment_id: str = "",
    arm_id: str = "",
    ttl_s: int | None = None,
) -> LinksOut:
    """Signed impression and click URLs for a creative the caller owns."""
    ttl = ttl_s or container.settings.events.tracking_token_ttl_s
    expires = now_utc() + timedelta(seconds=ttl)
    claims = TrackingClaims(
        tenant_id=row.tenant_id,
        creative_id=row.id,
        version=version or row.current_version,
        campaign_id=row.campaign_id,
        format_id=row.format,
        style=row.style,
        experiment_id=experiment_id,
        arm_id=arm_id,
        placement=placement,
        expires=int(expires.timestamp()),
    )
    token = sign(claims, container.secret)
    base = container.settings.server.public_url.rstrip("/") or str(request.base_url).rstrip("/")
    return LinksOut(
        token=token,
        impression_url=f"{base}/t/i/{token}",
        click_url=f"{base}/t/c/{token}",
        expires_at=expires,
    )


@router.post("/links", status_code=201)
def create_links(
    body: LinksIn, request: Request, p: PrincipalDep, s: SessionDep, c: ContainerDep
) -> LinksOut:
    """Signed impression-pixel and click-redirect URLs for one of your creatives."""
    row = get_owned(s, CreativeRow, body.creative_id, p.tenant_id, "creative")
    if body.version is not None and body.version > row.current_version:
        raise refuse("tracking_version_missing", latest=row.current_version, version=body.version)
    return issue_links(
        request,
        c,
        row,
        version=body.version,
        placement=body.placement,
        experiment_id=body.experiment_id,
        arm_id=body.arm_id,
        ttl_s=body.ttl_s,
    )


@router.put("/creatives/{creative_id}/landing-url")
def set_creative_landing(
    creative_id: str, body: LandingIn, p: PrincipalDep, s: SessionDep
) -> dict[str, str]:
    """Where clicks on this creative go (overrides the campaign's landing URL)."""
    row = get_owned(s, CreativeRow, creative_id, p.tenant_id, "creative")
    row.landing_url = check_landing_url(body.url)
    s.commit()
    return {"creative_id": row.id, "landing_url": row.landing_url}


@router.put("/campaigns/{campaign_id}/landing-url")
def set_campaign_landing(
    campaign_id: str, body: LandingIn, p: PrincipalDep, s: SessionDep
) -> dict[str, str]:
    """Where clicks on this campaign's creatives go."""
    row = get_owned(s, Campaign, campaign_id, p.tenant_id, "campaign")
    row.landing_url = check_landing_url(body.url)
    s.commit()
    return {"campaign_id": row.id, "landing_url": row.landing_url}


def _claims_for(token: str, s: SessionDep, c: ContainerDep) -> tuple[TrackingClaims, str]:
    """Verified claims and the landing URL recorded for their creative (tenant-scoped)."""
    claims = verify(token, c.secret, now_utc())
    row = s.scalars(
        select(CreativeRow).where(
            CreativeRow.id == claims.creative_id, CreativeRow.tenant_id == claims.tenant_id
        )
    ).first()
    if row is None:
        raise NotFound("no such creative")
    landing = row.landing_url
    if not landing:
        campaign = s.get(Campaign, row.campaign_id)
        landing = campaign.landing_url if campaign is not None else None
    return claims, landing or ""


def _record(
    kind: EventType, token: str, claims: TrackingClaims, request: Request, a: AnalyticsDep
) -> None:
    settings = a.settings
    agent = request.headers.get("user-agent", "")
    if is_bot(agent, settings.bot_user_agents):
        return
    at = datetime.now(UTC)
    ip = request.client.host if request.client else ""
    viewer = viewer_hash(a.secret, ip, agent, at, settings.hash_rotation_days)
    fields = claims.model_dump(exclude={"expires"})
    event = Event(
        event_id=window_event_id(kind.value, token, viewer, at, settings.impression_window_s),
        type=kind,
        ts=at,
        user_hash=viewer,
        **fields,
    )
    a.require_sink().emit([event.received(at)])


@public.get("/i/{token}", response_class=Response)
def impression(
    token: Token, request: Request, s: SessionDep, c: ContainerDep, a: AnalyticsDep
) -> Response:
    """A 1×1 GIF that records one impression per viewer per window."""
    claims, _landing = _claims_for(token, s, c)
    _record(EventType.IMPRESSION, token, claims, request, a)
    return Response(GIF_1X1, media_type="image/gif", headers={"Cache-Control": "no-store"})


@public.get("/c/{token}", response_class=RedirectResponse, status_code=302)
def click(
    token: Token,
    request: Request,
    s: SessionDep,
    c: ContainerDep,
    a: AnalyticsDep,
    to: Annotated[str | None, Query(max_length=2048)] = None,
) -> RedirectResponse:
    """Record the click and redirect to the creative's recorded landing URL (and nowhere else)."""
    claims, landing = _claims_for(token, s, c)
    if not landing:
        raise NotFound("this creative has no landing URL: set one with PUT /api/v1/tracking/...")
    if to is not None and to != landing:
        raise refuse("redirect_not_landing")
    _record(EventType.CLICK, token, claims, request, a)
    return RedirectResponse(landing, status_code=302, headers={"Cache-Control": "no-store"})
