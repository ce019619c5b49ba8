"""The analytics services of the app, as a dependency, and a helper routes use to record."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated, Any

from fastapi import Depends, Request

from adcraft.analytics.events import Event, EventType, now_utc, uuid7
from adcraft.analytics.privacy import user_hash
from adcraft.analytics.service import Analytics
from adcraft.db.models import CreativeRow
from adcraft.db.tenants import Principal


def get_analytics(request: Request) -> Analytics:
    """The app's analytics (a disabled one when the app was built without)."""
    analytics = getattr(request.app.state, "analytics", None)
    if analytics is None:
        container = request.app.state.container
        analytics = Analytics(settings=container.settings.events, secret=container.secret)
        analytics.problem = "analytics are not started in this process"
    assert isinstance(analytics, Analytics)
    return analytics


AnalyticsDep = Annotated[Analytics, Depends(get_analytics)]


def creative_fields(row: CreativeRow, version: int | None = None) -> dict[str, Any]:
    """The event fields that identify a creative version."""
    return {
        "campaign_id": row.campaign_id,
        "task_id": row.task_id,
        "creative_id": row.id,
        "version": version or row.current_version,
        "variant": row.variant,
        "format_id": row.format,
        "style": row.style,
    }


def record(
    analytics: Analytics,
    principal: Principal,
    kind: EventType,
    *,
    props: dict[str, Any] | None = None,
    **fields: Any,
) -> None:
    """Record one platform event for the caller (user hashed; failures only logged)."""
    record_many(analytics, principal, [(kind, props or {}, fields)])


def record_many(
    analytics: Analytics,
    principal: Principal,
    items: Sequence[tuple[EventType, dict[str, Any], dict[str, Any]]],
) -> None:
    """Record several platform events for the caller in one write."""
    if analytics.sink is None:
        return
    at = now_utc()
    who = user_hash(analytics.secret, principal.tenant_id, principal.key_id)
    events = []
    for kind, props, fields in items:
        clean = {k: v for k, v in fields.items() if v is not None}
        events.append(
            Event(
                event_id=uuid7(),
                type=kind,
                ts=at,
                tenant_id=principal.tenant_id,
                user_hash=who,
                props=props,
                **clean,
            ).received(at)
        )
    analytics.record(events)
