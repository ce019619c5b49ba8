"""Event batches as Arrow tables, the cheap way into the embedded store.

Encoding a batch as JSONEachRow and having ClickHouse parse it back cost about half of the
store's insert time. An Arrow table built column by column from the events (or from the rows a
Kafka consumer reads) is handed to chdb without any text in between; ClickHouse casts each
column to the ``events`` type as it stages the batch (strings to UUID, Decimal and DateTime64,
timestamps kept to the millisecond).
"""

from __future__ import annotations

import importlib
from collections.abc import Sequence
from typing import Any

from adcraft.analytics.events import StoredEvent, props_json

# pyarrow ships no type hints (it comes with chdb): held as Any, like chdb itself.
pa: Any = importlib.import_module("pyarrow")

ARROW_ERRORS: tuple[type[Exception], ...] = (
    pa.ArrowException,
    TypeError,
    ValueError,
    OverflowError,
)
"""What building a table raises on a value of the wrong type."""

_STRING = pa.string()

# Columns of the ``events`` table in order, with the Arrow type a batch carries them in.
_ROW_TYPES: dict[str, Any] = {
    "event_id": _STRING,
    "type": _STRING,
    "ts": _STRING,
    "received_at": _STRING,
    "tenant_id": _STRING,
    "campaign_id": _STRING,
    "task_id": _STRING,
    "creative_id": _STRING,
    "version": pa.uint32(),
    "variant": pa.uint16(),
    "format_id": _STRING,
    "style": _STRING,
    "experiment_id": _STRING,
    "arm_id": _STRING,
    "placement": _STRING,
    "user_hash": _STRING,
    "session_id": _STRING,
    "value": _STRING,
    "currency": _STRING,
    "props": _STRING,
    "flags": pa.list_(_STRING),
}
COLUMNS: tuple[str, ...] = tuple(_ROW_TYPES)

# Events carry aware datetimes: Arrow takes them as UTC microseconds without formatting.
_TIMESTAMP = pa.timestamp("us", tz="UTC")
_EVENT_TYPES = {**_ROW_TYPES, "ts": _TIMESTAMP, "received_at": _TIMESTAMP}
_ROW_SCHEMA = pa.schema(list(_ROW_TYPES.items()))
_EVENT_SCHEMA = pa.schema(list(_EVENT_TYPES.items()))

# What a row that lacks a column stores (the column defaults of JSONEachRow inserts).
_ROW_DEFAULTS: dict[str, Any] = {"version": 0, "variant": 0, "value": "0", "props": "{}"}

# Columns whose attribute is stored as is (strings and ints).
_PLAIN = (
    "tenant_id",
    "campaign_id",
    "task_id",
    "creative_id",
    "version",
    "variant",
    "format_id",
    "style",
    "experiment_id",
    "arm_id",
    "placement",
    "user_hash",
    "session_id",
    "currency",
)


def events_table(events: Sequence[StoredEvent]) -> Any:
    """Validated events as a table in ``events`` column order."""
    columns: dict[str, list[Any]] = {name: [getattr(e, name) for e in events] for name in _PLAIN}
    columns["event_id"] = [str(e.event_id) for e in events]
    columns["type"] = [e.type for e in events]  # a StrEnum: Arrow takes it as its string
    columns["ts"] = [e.ts for e in events]
    columns["received_at"] = [e.received_at for e in events]
    columns["value"] = [str(e.value) for e in events]
    columns["props"] = [props_json(e.props) for e in events]
    columns["flags"] = [list(e.flags) for e in events]
    return _table([columns[name] for name in COLUMNS], _EVENT_SCHEMA)


def rows_table(rows: Sequence[dict[str, Any]]) -> Any:
    """Store rows (``StoredEvent.to_row``) as a table; raises one of ``ARROW_ERRORS`` on a
    value of the wrong type (the caller then falls back to JSONEachRow, which is laxer)."""
    columns = []
    for name in COLUMNS:
        # A missing key or a null stores the column default, as JSONEachRow inserts do.
        default = [] if name == "flags" else _ROW_DEFAULTS.get(name, "")
        values = [r.get(name) for r in rows]
        columns.append([default if v is None else v for v in values])
    return _table(columns, _ROW_SCHEMA)


def _table(columns: list[list[Any]], schema: Any) -> Any:
    pairs = zip(columns, schema, strict=True)
    arrays = [pa.array(values, type=field.type) for values, field in pairs]
    return pa.Table.from_arrays(arrays, schema=schema)
