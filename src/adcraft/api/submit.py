"""Accepting work: validate everything up front, commit brief + task, then enqueue.

If the queue refuses the task after the commit, the rows are deleted again (no partial records)
and the client gets a 503 it can retry.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from pydantic import BaseModel
from sqlalchemy import and_, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from adcraft.api.lookup import get_owned, optional_owned
from adcraft.api.metrics import Metrics
from adcraft.api.schemas import GenerateIn
from adcraft.container import Container
from adcraft.db.models import Asset, BrandKitRow, BriefRow, Campaign, Product, Task
from adcraft.domain.brief import Brief
from adcraft.domain.formats import default_registry
from adcraft.errors import (
    InputError,
    NotFound,
    QueueUnavailable,
    UnprocessableRequest,
)
from adcraft.layout.styles import get_style
from adcraft.problem_codes import refuse, too_many
from adcraft.tasks.liveness import stale_before


def brief_fields(
    session: Session, tenant_id: str, req: GenerateIn
) -> tuple[dict[str, Any], str | None]:
    """Brief fields from the catalogue product and/or the request, and the product's image."""
    fields: dict[str, Any] = {}
    image: str | None = None
    if req.product_id is not None:
        p = get_owned(session, Product, req.product_id, tenant_id, "product")
        d = p.data
        offers = list(d.get("offers") or [])
        fields = {
            "product_name": d.get("name", ""),
            "description": d.get("description", ""),
            "selling_points": list(d.get("selling_points") or []),
            "offer": offers[0] if offers else "",
            "extra_offers": offers[1:],
            "price": d.get("price"),
            "regular_price": d.get("regular_price"),
            "language": d.get("language", "en"),
            "category": d.get("category"),
        }
        image = p.image_asset_id
    if req.brief is not None:
        fields.update(req.brief.model_dump(exclude_none=True, mode="json"))
        # An explicit null drops a catalogue product's price for this brief (the web form's
        # emptied price field): a price is the one field with no empty value of its own.
        for key in ("price", "regular_price"):
            if key in req.brief.model_fields_set and getattr(req.brief, key) is None:
                fields.pop(key, None)
    if not fields.get("product_name"):
        raise refuse("product_needed")
    # Validate exactly as the pipeline will (InvalidBrief says what to fix).
    Brief.model_validate({k: v for k, v in fields.items() if v is not None})
    return fields, image


def check_render_options(c: Container, req: GenerateIn, has_logo: bool) -> list[str]:
    """Resolve formats and styles now so a typo is a 422, not a failed task."""
    fmts = default_registry().select(req.formats)
    lim = c.settings.limits
    if len(fmts) > lim.max_formats:
        raise refuse("too_many_formats", count=len(fmts), max=lim.max_formats)
    if req.variants > lim.max_variants:
        raise refuse("too_many_variants", count=req.variants, max=lim.max_variants)
    if any(f.kind == "logo" for f in fmts) and not has_logo:
        raise refuse("logo_needs_kit")
    for s in req.styles or []:
        get_style(s)
    return [f.id for f in fmts]


def campaign_for(session: Session, tenant_id: str, req: GenerateIn, title: str) -> Campaign:
    """The named campaign, or a new one."""
    if req.campaign_id is not None:
        return get_owned(session, Campaign, req.campaign_id, tenant_id, "campaign")
    camp = Campaign(tenant_id=tenant_id, name=req.campaign_name or title[:200])
    session.add(camp)
    session.flush()
    return camp


def existing_task(session: Session, tenant_id: str, key: str | None) -> Task | None:
    """The task created earlier with this Idempotency-Key."""
    if not key:
        return None
    return session.scalar(
        select(Task).where(Task.tenant_id == tenant_id, Task.idempotency_key == key)
    )


def fingerprint(body: BaseModel, upload: bytes | None = None) -> str:
    """A digest of what was asked, kept with the task to recognise a reused Idempotency-Key."""
    h = hashlib.sha256(json.dumps(body.model_dump(mode="json"), sort_keys=True).encode())
    if upload is not None:
        h.update(hashlib.sha256(upload).digest())
    return h.hexdigest()


def replay(found: Task, digest: str) -> Task:
    """The earlier task for this Idempotency-Key, if the request is the same one."""
    earlier = (found.request or {}).get("fingerprint")
    if earlier is not None and earlier != digest:
        raise UnprocessableRequest(
            "this Idempotency-Key was already used with a different request: "
            "send a new key for a new request"
        )
    return found


def check_quota(c: Container, session: Session, tenant_id: str) -> None:
    """Refuse new work while the tenant has too many unfinished tasks."""
    # A running task whose worker stopped beating is not held against the tenant: the sweeper
    # re-queues or fails it within a minute anyway.
    active = session.scalar(
        select(func.count())
        .select_from(Task)
        .where(
            Task.tenant_id == tenant_id,
            or_(
                Task.status == "pending",
                and_(
                    Task.status == "running",
                    Task.heartbeat_at >= stale_before(c.settings),
                ),
            ),
        )
    )
    cap = c.settings.tasks.max_active_per_tenant
    if (active or 0) >= cap:
        raise too_many("too_many_tasks", retry_after=10, count=active or 0, max=cap)


def image_asset(session: Session, tenant_id: str, asset_id: str | None) -> Asset | None:
    """An image asset of this tenant."""
    asset = optional_owned(session, Asset, asset_id, tenant_id, "asset")
    if asset is not None and asset.kind not in ("image", "logo"):
        raise InputError(f"asset {asset.id} is a {asset.kind}, not an image")
    return asset


def enqueue(
    c: Container, session: Session, task: Task, queue: str, created: list[Any], metrics: Metrics
) -> None:
    """Hand a committed task to the runner; undo the rows if the queue is down."""
    assert c.runner is not None
    try:
        c.runner.submit(task.id, queue)
    except QueueUnavailable:
        for row in reversed(created):
            session.delete(row)
            session.flush()
        session.commit()
        raise
    metrics.tasks_submitted.labels(task.kind).inc()


def commit_task(session: Session, tenant_id: str, key: str | None) -> Task | None:
    """Commit; on an Idempotency-Key race return the task that won."""
    try:
        session.commit()
        return None
    except IntegrityError:
        session.rollback()
        found = existing_task(session, tenant_id, key)
        if found is None:
            raise
        return found


def brand_kit(session: Session, tenant_id: str, kit_id: str | None) -> BrandKitRow | None:
    """The tenant's brand kit."""
    return optional_owned(session, BrandKitRow, kit_id, tenant_id, "brand kit")


def new_brief(
    tenant_id: str, campaign: Campaign, fields: dict[str, Any], image: str | None, kit: str | None
) -> BriefRow:
    """A brief row."""
    return BriefRow(
        tenant_id=tenant_id,
        campaign_id=campaign.id,
        data=fields,
        image_asset_id=image,
        brand_kit_id=kit,
    )


def not_found(what: str, obj_id: str) -> NotFound:
    """The error for a missing or foreign object."""
    return NotFound(f"no {what} with id {obj_id!r}")
