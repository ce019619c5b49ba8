"""The event contract shared by ingestion, the analytics store and the CTR model.

One event is one JSON object. ``event_id`` is a client-generated UUIDv7 and the idempotency key:
the same id sent twice is stored once. Unknown fields are rejected and every field is capped, so
a batch cannot smuggle large payloads into the store. ``received_at`` is always set by the server.
"""

from __future__ import annotations

import json
import os
import threading
import time
import uuid
from collections.abc import Sequence
from datetime import UTC, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Any, Protocol, runtime_checkable

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator

MAX_PROPS_KEYS = 32
MAX_PROPS_BYTES = 4096
MAX_PROP_STRING = 512

Ident = Annotated[str, StringConstraints(max_length=64, pattern=r"^[A-Za-z0-9_.:\-]*$")]
"""Ids, names and hashes: short, printable, no spaces (they end up as dashboard labels)."""


class EventType(StrEnum):
    """What happened."""

    IMPRESSION = "impression"
    CLICK = "click"
    CONVERSION = "conversion"
    DOWNLOAD = "download"
    EDIT = "edit"
    REGENERATE = "regenerate"
    APPROVE = "approve"
    EXPORT = "export"
    GENERATE_STARTED = "generate_started"
    GENERATE_FINISHED = "generate_finished"
    GENERATE_FAILED = "generate_failed"


PropValue = str | int | float | bool | None


class Event(BaseModel):
    """One analytics event (see the module docstring for the rules)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    event_id: uuid.UUID
    type: EventType
    ts: datetime
    received_at: datetime | None = None
    tenant_id: Ident = Field(min_length=1)
    campaign_id: Ident = ""
    task_id: Ident = ""
    creative_id: Ident = ""
    version: int = Field(default=0, ge=0, le=1_000_000)
    variant: int = Field(default=0, ge=0, le=10_000)
    format_id: Ident = ""
    style: Ident = ""
    experiment_id: Ident = ""
    arm_id: Ident = ""
    placement: Ident = ""
    user_hash: Ident = ""
    session_id: Ident = ""
    value: Decimal = Field(default=Decimal(0), ge=0, max_digits=18, decimal_places=6)
    currency: Annotated[str, StringConstraints(pattern=r"^([A-Z]{3})?$")] = ""
    props: dict[Annotated[str, StringConstraints(min_length=1, max_length=64)], PropValue] = Field(
        default_factory=dict
    )

    @field_validator("event_id")
    @classmethod
    def _uuid7(cls, value: uuid.UUID) -> uuid.UUID:
        if value.version != 7:
            raise ValueError(f"event_id must be a UUIDv7 (got version {value.version})")
        return value

    @field_validator("ts", "received_at")
    @classmethod
    def _utc(cls, value: datetime | None) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("timestamps need a time zone (RFC 3339, e.g. 2026-01-31T12:00:00Z)")
        return value.astimezone(UTC)

    @field_validator("props")
    @classmethod
    def _small_props(cls, value: dict[str, PropValue]) -> dict[str, PropValue]:
        if len(value) > MAX_PROPS_KEYS:
            raise ValueError(f"props has {len(value)} keys; at most {MAX_PROPS_KEYS}")
        for key, item in value.items():
            if isinstance(item, str) and len(item) > MAX_PROP_STRING:
                raise ValueError(f"props.{key} is longer than {MAX_PROP_STRING} characters")
        size = len(json.dumps(value, separators=(",", ":")))
        if size > MAX_PROPS_BYTES:
            raise ValueError(f"props is {size} bytes as JSON; at most {MAX_PROPS_BYTES}")
        return value

    def received(self, at: datetime, flags: Sequence[str] = ()) -> StoredEvent:
        """This event as the server stores it: with ``received_at`` and any flags."""
        # Every field was validated when this event was built and ``received_at`` comes from
        # the server's clock: building the stored form without validating again was the
        # largest single cost of ingesting a batch.
        values = {**self.__dict__, "received_at": at.astimezone(UTC), "flags": tuple(flags)}
        return _construct_stored(values)


class StoredEvent(Event):
    """An event after ingestion: ``received_at`` set, plus server flags (e.g. a clamped ts)."""

    received_at: datetime
    flags: tuple[str, ...] = ()

    def to_row(self) -> dict[str, Any]:
        """The JSON row the store inserts (ClickHouse JSONEachRow)."""
        return {
            "event_id": str(self.event_id),
            "type": self.type.value,
            "ts": ch_time(self.ts),
            "received_at": ch_time(self.received_at),
            "tenant_id": self.tenant_id,
            "campaign_id": self.campaign_id,
            "task_id": self.task_id,
            "creative_id": self.creative_id,
            "version": self.version,
            "variant": self.variant,
            "format_id": self.format_id,
            "style": self.style,
            "experiment_id": self.experiment_id,
            "arm_id": self.arm_id,
            "placement": self.placement,
            "user_hash": self.user_hash,
            "session_id": self.session_id,
            "value": str(self.value),
            "currency": self.currency,
            "props": props_json(self.props),
            "flags": list(self.flags),
        }


_set_attr = object.__setattr__


def _construct_stored(values: dict[str, Any]) -> StoredEvent:
    """A StoredEvent from complete, already valid field values.

    What ``model_construct`` does, without its per-field loop (five times faster): the values
    hold every field, so there are no defaults to fill and all fields count as set.
    """
    stored = StoredEvent.__new__(StoredEvent)
    _set_attr(stored, "__dict__", values)
    _set_attr(stored, "__pydantic_fields_set__", set(values))
    _set_attr(stored, "__pydantic_extra__", None)
    _set_attr(stored, "__pydantic_private__", None)
    return stored


def ch_time(value: datetime) -> str:
    """``YYYY-MM-DD hh:mm:ss.fff`` in UTC, as ClickHouse parses a DateTime64(3)."""
    # isoformat is C code (strftime is several times slower); it always prints milliseconds
    # with this timespec, and the first 23 characters stop before the "+00:00".
    return value.astimezone(UTC).isoformat(" ", "milliseconds")[:23]


def props_json(props: dict[str, PropValue]) -> str:
    """``props`` as canonical JSON (sorted keys); most events carry none."""
    return json.dumps(props, separators=(",", ":"), sort_keys=True) if props else "{}"


_uuid7_lock = threading.Lock()
_uuid7_state = [0, 0]  # last millisecond, counter within it


def uuid7(at_ms: int | None = None) -> uuid.UUID:
    """A UUIDv7 (RFC 9562): 48-bit Unix milliseconds, a 12-bit counter, 62 random bits.

    Without ``at_ms`` ids are strictly increasing within the process (the counter orders ids
    made in the same millisecond), so they sort by creation order.
    """
    if at_ms is None:
        with _uuid7_lock:
            ms = max(time.time_ns() // 1_000_000, _uuid7_state[0])
            counter = _uuid7_state[1] + 1 if ms == _uuid7_state[0] else 0
            if counter > 0xFFF:
                ms, counter = ms + 1, 0
            _uuid7_state[0], _uuid7_state[1] = ms, counter
    else:
        ms, counter = at_ms, int.from_bytes(os.urandom(2), "big") & 0xFFF
    value = (ms & ((1 << 48) - 1)) << 80
    value |= 0x7 << 76
    value |= counter << 64
    value |= 0b10 << 62
    value |= int.from_bytes(os.urandom(8), "big") & ((1 << 62) - 1)
    return uuid.UUID(int=value)


def uuid7_time(value: uuid.UUID) -> datetime:
    """The creation time encoded in a UUIDv7."""
    return datetime.fromtimestamp((value.int >> 80) / 1000, tz=UTC)


@runtime_checkable
class EventSink(Protocol):
    """Where code records events: the in-process writer, Kafka, or a list in tests."""

    def emit(self, events: Sequence[StoredEvent]) -> None:
        """Record events durably (or raise ``EventsUnavailable``)."""
        ...


class EventStore(Protocol):
    """The analytics store: idempotent batch inserts and SQL queries (ClickHouse dialect)."""

    def migrate(self) -> None:
        """Create or upgrade the schema."""
        ...

    def insert(self, events: Sequence[StoredEvent]) -> int:
        """Insert events not stored yet (by ``event_id``); refresh their hourly aggregates.

        Returns how many were new. Safe to call again with the same events.
        """
        ...

    def insert_rows(self, rows: Sequence[dict[str, Any]]) -> int:
        """``insert`` for rows already in store form (``StoredEvent.to_row``)."""
        ...

    def query(self, sql: str, params: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        """Rows of a SELECT as dicts; ``{name:Type}`` placeholders bound from ``params``."""
        ...

    def command(self, sql: str, params: dict[str, Any] | None = None) -> None:
        """Run a statement that returns nothing (DDL, DELETE)."""
        ...

    def delete_tenant(self, tenant_id: str) -> None:
        """Delete every event and aggregate of a tenant."""
        ...

    def delete_user(self, tenant_id: str, user_hash: str) -> None:
        """Delete one viewer's events within a tenant (aggregates rebuilt)."""
        ...

    def apply_retention(self, tenant_id: str, days: int) -> None:
        """Delete a tenant's events older than ``days``."""
        ...

    def close(self) -> None:
        """Release the store (chdb: let another path be opened in this process)."""
        ...


def now_utc() -> datetime:
    """The current time, aware, UTC."""
    return datetime.now(UTC)
