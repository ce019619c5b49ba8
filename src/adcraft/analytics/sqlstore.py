"""Store logic shared by the embedded (chdb) and server (clickhouse-connect) stores.

Both speak the same SQL; subclasses only run statements. Inserts are idempotent in two layers:
ids already stored are dropped before the INSERT (one writer per store, so check-then-insert
cannot race), and the raw table is a ReplacingMergeTree on ``event_id`` as a backstop.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterable, Sequence
from typing import Any, TypeVar

from adcraft.analytics.errors import StoreError
from adcraft.analytics.events import StoredEvent
from adcraft.analytics.schema import (
    PILOT_TYPES,
    hourly_correction_sql,
    hourly_recount_sql,
    migrations,
    pilot_recount_sql,
    ttl_statement,
)

ROLLUPS = ("events_hourly", "pilot_hourly")

T = TypeVar("T")


def quote(value: str) -> str:
    """A ClickHouse string literal."""
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"


class SqlEventStore:
    """Idempotent inserts, hourly rollups and queries over ``_select``/``_execute``."""

    def __init__(self, *, ttl_days: int) -> None:
        self.ttl_days = ttl_days
        self._lock = threading.RLock()  # one statement at a time; inserts are check-then-write

    # -- what subclasses provide -------------------------------------------------------------
    def _select(self, sql: str, params: dict[str, Any] | None) -> list[dict[str, Any]]:
        raise NotImplementedError

    def _execute(self, sql: str, params: dict[str, Any] | None = None) -> None:
        raise NotImplementedError

    def _insert_rows(self, table: str, rows: list[dict[str, Any]]) -> None:
        raise NotImplementedError

    # -- EventStore ---------------------------------------------------------------------------
    def migrate(self) -> None:
        """Create or upgrade the schema; re-apply the configured TTL."""
        with self._lock:
            self._execute(
                "CREATE TABLE IF NOT EXISTS analytics_migrations (version UInt32, "
                "applied_at DateTime('UTC') DEFAULT now()) ENGINE = MergeTree ORDER BY version"
            )
            done = {
                int(r["version"])
                for r in self._select("SELECT version FROM analytics_migrations", None)
            }
            for version, statements in migrations(self.ttl_days):
                if version in done:
                    continue
                for statement in statements:
                    self._execute(statement)
                self._execute(f"INSERT INTO analytics_migrations (version) VALUES ({version})")
            self._execute(ttl_statement(self.ttl_days))

    def insert(self, events: Sequence[StoredEvent]) -> int:
        """Insert the events not stored yet and refresh the hours they touch; return how many."""
        return self.insert_rows([e.to_row() for e in events])

    def insert_rows(self, rows: Sequence[dict[str, Any]]) -> int:
        """``insert`` for rows already in store form (``StoredEvent.to_row``): the Kafka
        consumer takes this path and skips re-validating what the API validated."""
        if not rows:
            return 0
        with self._lock:
            unique = list(first_by_id(rows, lambda r: str(r["event_id"])).values())
            existing = self._existing_ids(unique)
            fresh = [r for r in unique if str(r["event_id"]) not in existing]
            if fresh:
                self._insert_rows("events", fresh)
            # Recompute every touched hour, fresh or not: a crash between the raw insert and the
            # recompute is repaired when the same batch is replayed.
            self.recompute(*touched_hours((r["tenant_id"], r["ts"], r["type"]) for r in unique))
            return len(fresh)

    def recompute(
        self,
        hours: Iterable[tuple[str, str]],
        pilot_hours: Iterable[tuple[str, str]] | None = None,
    ) -> None:
        """Bring the rollups of (tenant, ``YYYY-MM-DD HH``) pairs to the raw table's recount.

        ``pilot_hours`` (default: all of ``hours``) limits ``pilot_hourly`` to the hours whose
        lifecycle events changed: most batches are impressions and clicks only.
        """
        pairs = sorted(set(hours))
        pilot = set(pairs) if pilot_hours is None else set(pilot_hours)
        with self._lock:
            for start in range(0, len(pairs), 500):
                chunk = pairs[start : start + 500]
                tuples = _hour_tuples(chunk)
                self._execute(
                    hourly_correction_sql(
                        f"(tenant_id, toStartOfHour(ts)) IN ({tuples})",
                        f"(tenant_id, hour) IN ({tuples})",
                    )
                )
                self.recompute_pilot(p for p in chunk if p in pilot)

    def recompute_pilot(self, hours: Iterable[tuple[str, str]]) -> None:
        """Bring ``pilot_hourly`` of (tenant, ``YYYY-MM-DD HH``) pairs to the raw recount."""
        pairs = sorted(set(hours))
        with self._lock:
            for start in range(0, len(pairs), 500):
                tuples = _hour_tuples(pairs[start : start + 500])
                where = f"(tenant_id, toStartOfHour(ts)) IN ({tuples})"
                self._execute(f"INSERT INTO pilot_hourly {pilot_recount_sql(where)}")

    def recompute_tenant(self, tenant_id: str) -> None:
        """Drop and rebuild a tenant's rollups (after deletes)."""
        where = f"tenant_id = {quote(tenant_id)}"
        with self._lock:
            for table in ROLLUPS:
                self._execute(f"DELETE FROM {table} WHERE {where}")
            self._execute(f"INSERT INTO events_hourly {hourly_recount_sql(where)}")
            self._execute(f"INSERT INTO pilot_hourly {pilot_recount_sql(where)}")

    def query(self, sql: str, params: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        """Rows of a SELECT as dicts."""
        with self._lock:
            return self._select(sql, params)

    def command(self, sql: str, params: dict[str, Any] | None = None) -> None:
        """Run a statement that returns nothing."""
        with self._lock:
            self._execute(sql, params)

    def close(self) -> None:
        """Nothing to release by default."""

    # -- privacy --------------------------------------------------------------------------------
    def delete_tenant(self, tenant_id: str) -> None:
        """Delete every event and aggregate of a tenant."""
        with self._lock:
            for table in ("events", *ROLLUPS):
                self._execute(
                    f"DELETE FROM {table} WHERE tenant_id = {{t:String}}", {"t": tenant_id}
                )

    def delete_user(self, tenant_id: str, user_hash: str) -> None:
        """Delete one viewer's events within a tenant and rebuild the tenant's aggregates."""
        if not user_hash:
            raise StoreError("user_hash is empty: name the viewer whose events to delete")
        with self._lock:
            self._execute(
                "DELETE FROM events WHERE tenant_id = {t:String} AND user_hash = {u:String}",
                {"t": tenant_id, "u": user_hash},
            )
            self.recompute_tenant(tenant_id)

    def apply_retention(self, tenant_id: str, days: int) -> None:
        """Delete a tenant's events older than ``days`` (per-tenant retention) and rebuild."""
        with self._lock:
            self._execute(
                "DELETE FROM events WHERE tenant_id = {t:String} "
                "AND ts < now64(3) - toIntervalDay({d:UInt32})",
                {"t": tenant_id, "d": days},
            )
            self.recompute_tenant(tenant_id)

    # -- helpers --------------------------------------------------------------------------------
    def _existing_ids(self, rows: Iterable[dict[str, Any]]) -> set[str]:
        by_tenant: dict[str, list[str]] = {}
        for r in rows:
            by_tenant.setdefault(str(r["tenant_id"]), []).append(str(r["event_id"]))
        found: set[str] = set()
        for tenant, ids in by_tenant.items():
            for start in range(0, len(ids), 2000):  # stay under max_query_size
                id_list = ", ".join(quote(i) for i in ids[start : start + 2000])
                rows = self._select(
                    "SELECT toString(event_id) AS id FROM events "
                    f"WHERE tenant_id = {quote(tenant)} AND event_id IN ({id_list})",
                    None,
                )
                found.update(str(r["id"]) for r in rows)
        return found


def _hour_tuples(pairs: Iterable[tuple[str, str]]) -> str:
    return ", ".join(
        f"({quote(t)}, toDateTime({quote(h[:13] + ':00:00')}, 'UTC'))" for t, h in pairs
    )


def touched_hours(
    events: Iterable[tuple[object, object, object]],
) -> tuple[set[tuple[str, str]], set[tuple[str, str]]]:
    """The (tenant, ``YYYY-MM-DD HH``) pairs of (tenant, time text, type) triples: all of
    them, and those of lifecycle events (the hours ``pilot_hourly`` must recompute)."""
    hours: set[tuple[str, str]] = set()
    lifecycle: set[tuple[str, str]] = set()
    for tenant, ts, kind in events:
        pair = (str(tenant), str(ts)[:13])
        hours.add(pair)
        if str(kind) in PILOT_TYPES:
            lifecycle.add(pair)
    return hours, lifecycle


_ROW_ENCODER = json.JSONEncoder(separators=(",", ":"))  # one encoder, not one per row


def rows_as_json_lines(rows: Sequence[dict[str, Any]]) -> str:
    """JSONEachRow text."""
    return "\n".join(map(_ROW_ENCODER.encode, rows))


def first_by_id(items: Iterable[T], key: Callable[[T], str]) -> dict[str, T]:
    """The first item of each ``event_id``, in order: a batch stores an id once."""
    unique: dict[str, T] = {}
    for item in items:
        unique.setdefault(key(item), item)
    return unique
