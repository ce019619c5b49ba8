"""``POST /events``: batches of analytics events, 202 with one result per item."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

from fastapi import APIRouter, Request
from starlette.concurrency import run_in_threadpool

from adcraft.analytics.errors import Forbidden
from adcraft.analytics.events import now_utc
from adcraft.analytics.ingest import BatchResult, parse_batch
from adcraft.api.analytics_deps import AnalyticsDep
from adcraft.api.deps import PrincipalDep, SettingsDep
from adcraft.errors import PayloadTooLarge
from adcraft.problem_codes import refuse

router = APIRouter(prefix="/events", tags=["analytics"])


async def _read_capped(request: Request, cap: int) -> bytes:
    """The body, refusing with 413 as soon as it is known to exceed ``cap`` (before parsing)."""
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > cap:
        raise PayloadTooLarge(
            f"event batch is {declared} bytes; at most {cap}: send smaller batches"
        )
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > cap:
            raise PayloadTooLarge(f"event batch is over {cap} bytes: send smaller batches")
        chunks.append(chunk)
    return b"".join(chunks)


@router.post(
    "",
    status_code=202,
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "application/json": {
                    "schema": {
                        "type": "object",
                        "required": ["events"],
                        "properties": {"events": {"type": "array", "items": {"type": "object"}}},
                    }
                }
            },
        }
    },
)
async def post_events(
    request: Request, p: PrincipalDep, settings: SettingsDep, analytics: AnalyticsDep
) -> BatchResult:
    """Accept up to ``events.max_batch_events`` events; each is accepted or rejected by index.

    Idempotent by ``event_id``: sending an event again stores it once. A 202 means the events
    are durable (write-ahead file or Kafka) and will be in the store shortly.
    """
    ev = settings.events
    raw = await _read_capped(request, ev.max_batch_bytes)
    try:
        body: Any = json.loads(raw)
    except (ValueError, UnicodeDecodeError) as exc:
        raise refuse("events_not_json", reason=str(exc)) from None
    items = body.get("events") if isinstance(body, dict) else body
    if not isinstance(items, list):
        raise refuse("events_not_list")
    if len(items) > ev.max_batch_events:
        raise PayloadTooLarge(
            f"batch has {len(items)} events; at most {ev.max_batch_events} per request"
        )
    foreign = [
        i
        for i, item in enumerate(items)
        if isinstance(item, dict) and item.get("tenant_id", p.tenant_id) != p.tenant_id
    ]
    if foreign:
        # Another tenant's id is not a malformed event but a wrong credential: refuse it all.
        raise Forbidden(
            f"events {foreign[:10]} name a tenant_id that is not this API key's tenant; "
            "nothing was accepted"
        )
    sink = analytics.require_sink()

    def accept() -> BatchResult:
        events, result = parse_batch(
            items,
            tenant_id=p.tenant_id,
            received_at=now_utc(),
            future_skew=timedelta(seconds=ev.future_skew_s),
            max_age=timedelta(days=ev.max_age_days),
        )
        if events:
            sink.emit(events)  # EventsUnavailable -> 503 with Retry-After; nothing acknowledged
        return result

    # Validation and the fsync are blocking work: keep them off the event loop.
    return await run_in_threadpool(accept)
