"""``/analytics``: delivery, CTR and pilot metrics of the caller's tenant; privacy deletes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query
from starlette.concurrency import run_in_threadpool

from adcraft.analytics import pilot
from adcraft.api.analytics_deps import AnalyticsDep
from adcraft.api.deps import PrincipalDep
from adcraft.problem_codes import refuse

router = APIRouter(prefix="/analytics", tags=["analytics"])

CampaignQ = Annotated[str, Query(max_length=64, pattern=r"^[A-Za-z0-9_.:\-]*$")]
SinceQ = Annotated[datetime | None, Query(description="RFC 3339; default: 30 days ago")]
UntilQ = Annotated[datetime | None, Query(description="RFC 3339; default: now")]
_YEARS = (1970, 2200)  # the years a report's dates may fall in


def _range(since: datetime | None, until: datetime | None) -> tuple[datetime, datetime]:
    end = (until or datetime.now(UTC)).astimezone(UTC)
    start = (since or end - timedelta(days=30)).astimezone(UTC)
    if start >= end:
        raise refuse("since_not_before_until")
    for name, value in (("since", start), ("until", end)):
        if not _YEARS[0] <= value.year <= _YEARS[1]:
            raise refuse("date_out_of_range", name=name, min_year=_YEARS[0], max_year=_YEARS[1])
    return start, end


def _params(
    tenant: str, campaign: str, since: datetime | None, until: datetime | None, **extra: Any
) -> dict[str, Any]:
    start, end = _range(since, until)
    return pilot.scope_params(tenant, campaign, start, end, **extra)


@router.get("/summary")
async def summary(
    p: PrincipalDep,
    a: AnalyticsDep,
    campaign_id: CampaignQ = "",
    since: SinceQ = None,
    until: UntilQ = None,
) -> dict[str, Any]:
    """Impressions, clicks, CTR, conversions and platform actions in the range."""
    store = a.require_store()
    params = _params(p.tenant_id, campaign_id, since, until)
    return await run_in_threadpool(pilot.delivery, store, params)


@router.get("/pilot")
async def pilot_metrics(
    p: PrincipalDep,
    a: AnalyticsDep,
    campaign_id: CampaignQ = "",
    since: SinceQ = None,
    until: UntilQ = None,
) -> dict[str, Any]:
    """Adoption rate, edit distance, regenerations, time-to-asset, success rate, latency."""
    store = a.require_store()
    params = _params(p.tenant_id, campaign_id, since, until)
    return await run_in_threadpool(pilot.pilot_metrics, store, params)


@router.get("/creatives")
async def creatives(
    p: PrincipalDep,
    a: AnalyticsDep,
    campaign_id: CampaignQ = "",
    since: SinceQ = None,
    until: UntilQ = None,
) -> list[dict[str, Any]]:
    """Delivery and CTR per creative version, most shown first."""
    store = a.require_store()
    params = _params(p.tenant_id, campaign_id, since, until)
    return await run_in_threadpool(store.query, pilot.CREATIVES_SQL, params)


@router.get("/breakdown")
async def breakdown(
    p: PrincipalDep,
    a: AnalyticsDep,
    campaign_id: CampaignQ = "",
    since: SinceQ = None,
    until: UntilQ = None,
    by: Literal["format_id", "style", "creative_id"] = "format_id",
) -> list[dict[str, Any]]:
    """Delivery and CTR by format, style or creative."""
    store = a.require_store()
    params = _params(p.tenant_id, campaign_id, since, until)
    return await run_in_threadpool(store.query, pilot.BREAKDOWN_SQL[by], params)


@router.get("/timeseries")
async def timeseries(
    p: PrincipalDep,
    a: AnalyticsDep,
    campaign_id: CampaignQ = "",
    since: SinceQ = None,
    until: UntilQ = None,
    bucket: Literal["hour", "day"] = "hour",
    format_id: Annotated[str, Query(max_length=100, pattern=r"^[A-Za-z0-9_.:\-]*$")] = "",
) -> list[dict[str, Any]]:
    """Impressions, clicks and CTR per hour or day (of one format when ``format_id`` is given)."""
    store = a.require_store()
    seconds = 3600 if bucket == "hour" else 86400
    params = _params(p.tenant_id, campaign_id, since, until, bucket_s=seconds, format=format_id)
    return await run_in_threadpool(store.query, pilot.TIMESERIES_SQL, params)


@router.get("/experiment")
async def experiment(
    experiment_id: Annotated[
        str, Query(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.:\-]+$")
    ],
    p: PrincipalDep,
    a: AnalyticsDep,
    since: SinceQ = None,
    until: UntilQ = None,
) -> list[dict[str, Any]]:
    """Impressions, clicks and conversions per arm of an experiment."""
    store = a.require_store()
    params = _params(p.tenant_id, "", since, until, experiment=experiment_id)
    return await run_in_threadpool(store.query, pilot.EXPERIMENT_SQL, params)


@router.delete("/events", status_code=200)
async def delete_events(
    p: PrincipalDep,
    a: AnalyticsDep,
    user_hash: Annotated[str, Query(max_length=64, pattern=r"^[A-Za-z0-9_.:\-]*$")] = "",
    all_events: Annotated[bool, Query(alias="all")] = False,
) -> dict[str, str]:
    """Delete one viewer's events (``user_hash``) or, with ``all=true``, all of the tenant's."""
    store = a.require_store()
    if all_events == bool(user_hash):
        raise refuse("delete_events_needs_one")
    if all_events:
        await run_in_threadpool(store.delete_tenant, p.tenant_id)
        return {"deleted": "tenant"}
    await run_in_threadpool(store.delete_user, p.tenant_id, user_hash)
    return {"deleted": "user_hash"}
