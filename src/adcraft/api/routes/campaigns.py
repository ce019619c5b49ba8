"""Campaigns group briefs, tasks and creatives: create, list (archived ones hidden unless
asked for), rename, archive, delete with the creatives' files, merge one into another."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field
from sqlalchemy import func, or_, select

from adcraft import campaigns as service
from adcraft.admin import audit
from adcraft.api.deps import ContainerDep, PrincipalDep, SessionDep
from adcraft.api.jsonbody import ParsedJSONRoute
from adcraft.api.lookup import get_owned
from adcraft.api.routes.users import actor_of
from adcraft.api.schemas import CampaignIn, CampaignOut, CampaignPatch, Page, _In
from adcraft.db.models import Campaign, CreativeRow, Task, as_utc
from adcraft.problem_codes import refuse

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
        archived_at=as_utc(c.archived_at) if c.archived_at else None,
    )


class MergeIn(_In):
    source_id: Annotated[str, Field(min_length=1, max_length=64)]
    """The campaign whose sets and creatives move into this one; it is then deleted."""


class DeletedOut(BaseModel):
    id: str
    creatives: int
    tasks: int
    files: int
    """Stored files removed (images used by nothing else)."""


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
    archived: Annotated[
        bool, Query(description="true: only archived campaigns; false (default): the others")
    ] = False,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> Page[CampaignOut]:
    """The tenant's campaigns, newest first (archived ones only when asked for)."""
    where = [
        Campaign.tenant_id == p.tenant_id,
        Campaign.archived_at.is_not(None) if archived else Campaign.archived_at.is_(None),
    ]
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
    """Rename a campaign, change its description, archive or unarchive it."""
    camp = get_owned(s, Campaign, campaign_id, p.tenant_id, "campaign")
    if body.name is not None:
        name = body.name.strip()
        if not name:
            raise refuse("campaign_name_empty")
        camp.name = name
    if body.description is not None:
        camp.description = body.description
    if body.archived is not None:
        service.set_archived(camp, body.archived)
    s.commit()
    return _out(s, camp)


@router.delete("/{campaign_id}")
def delete_campaign(
    campaign_id: str, p: PrincipalDep, s: SessionDep, c: ContainerDep
) -> DeletedOut:
    """Delete a campaign with its sets, creatives (every version), their activity, review links
    and the files nothing else uses (409 while a task of it runs or a creative is in an
    experiment)."""
    camp = get_owned(s, Campaign, campaign_id, p.tenant_id, "campaign")
    name = camp.name
    removed = service.delete_campaign(s, camp)
    audit(
        s,
        actor_of(p),
        "campaign.delete",
        name,
        p.tenant_id,
        campaign=campaign_id,
        creatives=removed.creatives,
    )
    s.commit()
    files = service.remove_files(c.store, removed.files)
    return DeletedOut(id=campaign_id, creatives=removed.creatives, tasks=removed.tasks, files=files)


@router.post("/{campaign_id}/merge")
def merge_campaign(campaign_id: str, body: MergeIn, p: PrincipalDep, s: SessionDep) -> CampaignOut:
    """Move another campaign's sets and creatives into this one and delete the other (409 while
    a task of it runs). Links to one of its sets keep working; a link to the whole other
    campaign is revoked, since it would now show creatives its sender never shared."""
    target = get_owned(s, Campaign, campaign_id, p.tenant_id, "campaign")
    source = get_owned(s, Campaign, body.source_id, p.tenant_id, "campaign")
    name = source.name
    service.merge(s, target, source)
    audit(s, actor_of(p), "campaign.merge", target.name, p.tenant_id, merged=name)
    s.commit()
    return _out(s, target)
