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
from adcraft.analytics.schema import PILOT_TYPES

# pyarrow ships no type hints (it comes with chdb): held as Any, like chdb itself.
pa: Any = importlib.import_module("pyarrow")
pc: Any = importlib.import_module("pyarrow.compute")
pj: Any = importlib.import_module("pyarrow.json")

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


_JSON_PARSE = pj.ParseOptions(explicit_schema=_ROW_SCHEMA, unexpected_field_behavior="ignore")
_REQUIRED = ("event_id", "tenant_id", "ts", "type")
_UUID_TEXT = r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"


def json_table(values: Sequence[bytes | None]) -> Any | None:
    """Kafka message values (each a ``StoredEvent.to_row`` JSON object) as a table, parsed in
    one call by Arrow's JSON reader instead of one ``json.loads`` per message; or None when
    any message is not a plain one-line object of that shape with the required fields (the
    caller then decodes message by message, to store the good ones and report the others).

    Each value must start with ``{``, end with ``}`` and hold no line break, and the table must
    have exactly one row per value: so row *i* is message *i*, whatever the bytes were.
    """
    if not values:
        return None
    for value in values:
        if not value or value[:1] != b"{" or value[-1:] != b"}":
            return None
        if b"\n" in value or b"\r" in value:
            return None
    text = b"\n".join(values)  # type: ignore[arg-type]  # no None left: checked above
    options = pj.ReadOptions(use_threads=False, block_size=len(text) + 1)
    try:
        table = pj.read_json(pa.py_buffer(text), read_options=options, parse_options=_JSON_PARSE)
    except ARROW_ERRORS:
        return None
    if table.num_rows != len(values) or any(table[c].null_count for c in _REQUIRED):
        return None
    if not pc.all(pc.match_substring_regex(table["event_id"], _UUID_TEXT)).as_py():
        return None
    for i, name in enumerate(COLUMNS):
        if table[name].null_count:  # a missing key or a null stores the column default
            default = [] if name == "flags" else _ROW_DEFAULTS.get(name, "")
            filled = pc.fill_null(table[name], pa.scalar(default, type=_ROW_TYPES[name]))
            table = table.set_column(i, name, filled)
    return table


def first_rows_by_id(table: Any) -> Any:
    """The table with the first row of each ``event_id`` only: a batch stores an id once."""
    ids = table["event_id"]
    if pc.count_distinct(ids).as_py() == len(ids):
        return table
    first: dict[str, int] = {}
    for i, event_id in enumerate(ids.to_pylist()):
        first.setdefault(event_id, i)
    return table.take(sorted(first.values()))


def table_hours(table: Any) -> tuple[set[tuple[str, str]], set[tuple[str, str]]]:
    """``sqlstore.touched_hours`` of a table of store rows (``ts`` as text)."""
    # One key per row, the hour (``ts``'s first 13 characters, padded to exactly 13) then the
    # tenant: distinct keys are found in Arrow, and only those reach Python.
    hour = pc.utf8_rpad(pc.utf8_slice_codeunits(table["ts"], 0, 13), 13, " ")
    keys = pc.binary_join_element_wise(hour, table["tenant_id"], "")
    lifecycle = pc.is_in(table["type"], value_set=pa.array(PILOT_TYPES))

    def pairs(values: Any) -> set[tuple[str, str]]:
        return {(key[13:], key[:13].rstrip(" ")) for key in pc.unique(values).to_pylist()}

    return pairs(keys), pairs(keys.filter(lifecycle)) if pc.any(lifecycle).as_py() else set()


def _table(columns: list[list[Any]], schema: Any) -> Any:
    pairs = zip(columns, schema, strict=True)
    arrays = [pa.array(values, type=field.type) for values, field in pairs]
    return pa.Table.from_arrays(arrays, schema=schema)
