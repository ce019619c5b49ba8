"""Turning a posted batch into stored events, with one result per index.

Bad items never sink the batch: each is reported by index and the rest are accepted. Timestamps
from the future (beyond the allowed clock skew) or far past are clamped to the receive time and
flagged, so a wrong client clock cannot put events in the wrong hour bucket unnoticed.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any, Literal

from pydantic import BaseModel, TypeAdapter, ValidationError

from adcraft.analytics.events import Event, StoredEvent

Status = Literal["accepted", "rejected", "duplicate"]


class ItemResult(BaseModel):
    """What happened to one item of a batch."""

    index: int
    status: Status
    event_id: str | None = None
    error: str | None = None
    flags: list[str] = []


class BatchResult(BaseModel):
    """The answer to ``POST /events``: counts and one result per posted item."""

    accepted: int
    rejected: int
    duplicates: int
    results: list[ItemResult]


_EVENT_LIST = TypeAdapter(list[Event])


def _error_text(exc: ValidationError) -> str:
    parts = []
    for err in exc.errors()[:5]:
        where = ".".join(str(p) for p in err["loc"]) or "event"
        parts.append(f"{where}: {err['msg']}")
    return "; ".join(parts)


def parse_batch(
    items: list[Any],
    *,
    tenant_id: str,
    received_at: datetime,
    future_skew: timedelta,
    max_age: timedelta,
) -> tuple[list[StoredEvent], BatchResult]:
    """Validate items for the calling tenant; return the events to store and the per-item report."""
    results: list[ItemResult] = []
    objects: list[tuple[int, dict[str, Any]]] = []
    rejected: dict[int, ItemResult] = {}
    for index, item in enumerate(items):
        if not isinstance(item, dict):
            rejected[index] = ItemResult(index=index, status="rejected", error="not a JSON object")
            continue
        if "received_at" in item:
            item = {k: v for k, v in item.items() if k != "received_at"}  # the server's to set
        item.setdefault("tenant_id", tenant_id)
        objects.append((index, item))
    parsed = dict(_validate(objects))
    events: list[StoredEvent] = []
    seen: set[str] = set()
    latest, earliest = received_at + future_skew, received_at - max_age
    for index in range(len(items)):
        outcome = rejected.get(index) or parsed[index]
        if isinstance(outcome, ItemResult):
            results.append(outcome)
            continue
        event = outcome
        eid = str(event.event_id)
        if event.tenant_id != tenant_id:
            results.append(
                ItemResult(
                    index=index,
                    status="rejected",
                    event_id=eid,
                    error="tenant_id is not the tenant of this API key",
                )
            )
            continue
        if eid in seen:
            results.append(ItemResult(index=index, status="duplicate", event_id=eid))
            continue
        seen.add(eid)
        stored, flags = _clamped(event, received_at, latest, earliest)
        events.append(stored)
        results.append(ItemResult(index=index, status="accepted", event_id=eid, flags=flags))
    accepted = sum(r.status == "accepted" for r in results)
    duplicates = sum(r.status == "duplicate" for r in results)
    return events, BatchResult(
        accepted=accepted,
        rejected=len(results) - accepted - duplicates,
        duplicates=duplicates,
        results=results,
    )


def _validate(objects: list[tuple[int, dict[str, Any]]]) -> list[tuple[int, Event | ItemResult]]:
    """Each object as an Event, or as its rejection naming what is wrong."""
    try:
        # One pydantic-core call for the whole batch; only a batch with a bad item pays for
        # a second pass, item by item, that reports each error at its own index.
        valid = _EVENT_LIST.validate_python([item for _, item in objects])
        return list(zip((index for index, _ in objects), valid, strict=True))
    except ValidationError:
        pass
    out: list[tuple[int, Event | ItemResult]] = []
    for index, item in objects:
        try:
            out.append((index, Event.model_validate(item)))
        except ValidationError as exc:
            eid = item.get("event_id")
            out.append(
                (
                    index,
                    ItemResult(
                        index=index,
                        status="rejected",
                        event_id=eid if isinstance(eid, str) else None,
                        error=_error_text(exc),
                    ),
                )
            )
    return out


def clamp(
    event: Event, received_at: datetime, future_skew: timedelta, max_age: timedelta
) -> tuple[StoredEvent, list[str]]:
    """The stored form of an event, its ts clamped into [received - max_age, received + skew]."""
    return _clamped(event, received_at, received_at + future_skew, received_at - max_age)


def _clamped(
    event: Event, received_at: datetime, latest: datetime, earliest: datetime
) -> tuple[StoredEvent, list[str]]:
    flags: list[str] = []
    if event.ts > latest:
        flags.append("ts_future")
        event = event.model_copy(update={"ts": received_at})
    elif event.ts < earliest:
        flags.append("ts_past")
        event = event.model_copy(update={"ts": received_at})
    return event.received(received_at, flags), flags
