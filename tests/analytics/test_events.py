"""The event contract: UUIDv7 ids, strict fields, caps."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from pydantic import ValidationError

from adcraft.analytics.events import Event, EventType, StoredEvent, uuid7, uuid7_time

BASE = {"type": "click", "ts": "2026-03-01T12:00:00Z", "tenant_id": "t1"}


def test_uuid7_layout_and_order() -> None:
    ids = [uuid7() for _ in range(3000)]
    assert ids == sorted(ids), "ids made in one process must sort by creation"
    assert len(set(ids)) == len(ids)
    assert all(i.version == 7 and i.variant == uuid.RFC_4122 for i in ids)
    at = uuid7(at_ms=1_700_000_000_123)
    assert uuid7_time(at) == datetime(2023, 11, 14, 22, 13, 20, 123000, tzinfo=UTC)


def test_valid_event_round_trip() -> None:
    e = Event(event_id=uuid7(), value="12.50", currency="EUR", props={"edit_distance": 0.1}, **BASE)
    assert e.type is EventType.CLICK and e.value == Decimal("12.50")
    assert e.ts.tzinfo is UTC
    row = e.received(datetime(2026, 3, 1, 12, 0, 1, tzinfo=UTC)).to_row()
    assert row["ts"] == "2026-03-01 12:00:00.000" and row["value"] == "12.50"
    assert row["props"] == '{"edit_distance":0.1}'


def test_received_equals_a_validated_stored_event() -> None:
    """``received`` skips validating again; what it builds must be what validation builds."""
    e = Event(event_id=uuid7(), props={"k": "v"}, **BASE)
    at = datetime(2026, 3, 1, 12, 0, 1, 250000, tzinfo=UTC)
    stored = e.received(at, ["ts_future"])
    validated = StoredEvent.model_validate(
        {**e.model_dump(), "received_at": at, "flags": ["ts_future"]}
    )
    assert stored == validated
    assert stored.model_dump_json() == validated.model_dump_json()
    assert stored.model_fields_set == validated.model_fields_set
    assert StoredEvent.model_validate_json(stored.model_dump_json()) == stored
    with pytest.raises(ValidationError):
        stored.tenant_id = "other"  # type: ignore[misc]  # still frozen


@pytest.mark.parametrize(
    ("change", "needle"),
    [
        ({"event_id": str(uuid.uuid4())}, "UUIDv7"),
        ({"type": "hover"}, "type"),
        ({"ts": "2026-03-01T12:00:00"}, "time zone"),
        ({"unknown_field": 1}, "unknown_field"),
        ({"flags": ["ts_past"]}, "flags"),  # the server's to set
        ({"tenant_id": ""}, "tenant_id"),
        ({"creative_id": "x" * 65}, "creative_id"),
        ({"creative_id": "has space"}, "creative_id"),
        ({"currency": "eur"}, "currency"),
        ({"value": "-1"}, "value"),
        ({"props": {f"k{i}": i for i in range(33)}}, "keys"),
        ({"props": {"k": "x" * 600}}, "512"),
        ({"props": {"k": {"nested": 1}}}, "props"),
    ],
)
def test_bad_fields_are_rejected(change: dict[str, object], needle: str) -> None:
    data = {"event_id": str(uuid7()), **BASE, **change}
    with pytest.raises(ValidationError) as info:
        Event.model_validate(data)
    assert needle in str(info.value)
