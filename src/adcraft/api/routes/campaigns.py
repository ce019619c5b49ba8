"""Campaigns group briefs, tasks and creatives."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from sqlalchemy import func, or_, select

from adcraft.api.deps import PrincipalDep, SessionDep
from adcraft.api.jsonbody import ParsedJSONRoute
from adcraft.api.lookup import get_owned
from adcraft.api.schemas import CampaignIn, CampaignOut, CampaignPatch, Page
from adcraft.db.models import Campaign, CreativeRow, Task

router = APIRouter(prefix="/campaigns", tags=["campaigns"], route_class=ParsedJSONRoute)


def _out(s: SessionDep, c: Campaign) -> CampaignOut:
    n_creatives = s.scalar(
        select(func.count()).select_from(CreativeRow).where(CreativeRow.campaign_id == c.id)
    )
    n_tasks = s.scalar(select(func.count()).select_from(Task).where(Task.campaign_id == c.id))
    return CampaignOut(
        id=c.id,
        name=c.name,
        description=c.description,
        created_at=c.created_at,
        creatives=n_creatives or 0,
        tasks=n_tasks or 0,
    )


@router.post("", status_code=201)
def create_campaign(body: CampaignIn, p: PrincipalDep, s: SessionDep) -> CampaignOut:
    """Create a campaign."""
    camp = Campaign(tenant_id=p.tenant_id, name=body.name.strip(), description=body.description)
    s.add(camp)
    s.commit()
    return _out(s, camp)


@router.get("")
def list_campaigns(
    p: PrincipalDep,
    s: SessionDep,
    q: Annotated[
        str | None, Query(max_length=200, description="Search in name/description")
    ] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> Page[CampaignOut]:
    """The tenant's campaigns, newest first."""
    where = [Campaign.tenant_id == p.tenant_id]
    if q:
        pattern = f"%{q.strip()}%"
        where.append(or_(Campaign.name.ilike(pattern), Campaign.description.ilike(pattern)))
    total = s.scalar(select(func.count()).select_from(Campaign).where(*where)) or 0
    rows = s.scalars(
        select(Campaign)
        .where(*where)
        .order_by(Campaign.created_at.desc(), Campaign.id)
        .limit(limit)
        .offset(offset)
    ).all()
    return Page(items=[_out(s, c) for c in rows], total=total, limit=limit, offset=offset)


@router.get("/{campaign_id}")
def get_campaign(campaign_id: str, p: PrincipalDep, s: SessionDep) -> CampaignOut:
    """One campaign."""
    return _out(s, get_owned(s, Campaign, campaign_id, p.tenant_id, "campaign"))


@router.patch("/{campaign_id}")
def update_campaign(
    campaign_id: str, body: CampaignPatch, p: PrincipalDep, s: SessionDep
) -> CampaignOut:
    """Rename a campaign or change its description."""
    camp = get_owned(s, Campaign, campaign_id, p.tenant_id, "campaign")
    if body.name is not None:
        camp.name = body.name.strip()
    if body.description is not None:
        camp.description = body.description
    s.commit()
    return _out(s, camp)
