"""The embedded analytics store: the ClickHouse engine in-process through chdb.

chdb runs one embedded server per process with one data path at a time. A production process
has one store (the API, or ``adcraft events consume``); others send events to it. When a process
holds several stores (a test session that builds several API stacks), they take the engine in
turns: a statement on a store whose folder is not the open one closes that folder and opens its
own (about 30 ms), all under one process-wide lock, so no statement ever reaches the wrong data.

Inserts stage the batch in a Memory table from an Arrow table (no JSON text in between), then
one ``INSERT … SELECT`` keeps the staged rows whose (tenant, id) the store lacks: the id check
runs as a set lookup inside the engine instead of an id list spelled out in SQL. This store is
the only writer of its folder, so check and write cannot race.
"""

from __future__ import annotations

import importlib
import json
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from adcraft.analytics.columnar import (
    ARROW_ERRORS,
    COLUMNS,
    events_table,
    first_rows_by_id,
    rows_table,
    table_hours,
)
from adcraft.analytics.errors import StoreError
from adcraft.analytics.events import StoredEvent, ch_time
from adcraft.analytics.schema import hourly_recount_sql
from adcraft.analytics.sqlstore import (
    SqlEventStore,
    first_by_id,
    rows_as_json_lines,
    touched_hours,
)
from adcraft.errors import ProviderUnavailable

STAGING = "events_staging"
_STAGED_COLUMNS = ", ".join(COLUMNS)
# Staged rows whose (tenant, id) is not stored yet; the inner IN lists prune by tenant and by
# the event_id bloom filter before the tuple check.
_INSERT_FRESH = f"""INSERT INTO events SELECT * FROM {STAGING}
WHERE (tenant_id, event_id) NOT IN (
    SELECT tenant_id, event_id FROM events
    WHERE tenant_id IN (SELECT DISTINCT tenant_id FROM {STAGING})
        AND event_id IN (SELECT event_id FROM {STAGING}))"""

# The rollup rows of the staged batch alone (``events_hourly`` sums, so they add to it).
_STAGED_RECOUNT = hourly_recount_sql("1", source=STAGING)

# Held for every statement of every store in this process: chdb's engine is process-wide.
_engine_lock = threading.RLock()
_active: list[ChdbStore] = []  # the store whose folder is open now (at most one)


class ChdbStore(SqlEventStore):
    """Events in a chdb data folder."""

    name = "chdb"

    def __init__(self, path: Path, *, ttl_days: int = 400) -> None:
        super().__init__(ttl_days=ttl_days)
        try:
            # chdb ships no type hints: hold its session as Any.
            session: Any = importlib.import_module("chdb.session")
        except ImportError as exc:  # pragma: no cover - chdb is a core dependency
            raise ProviderUnavailable("chdb is missing: pip install 'adcraft[analytics]'") from exc
        self._sessions: Any = session
        self.path = path.resolve()
        self.path.mkdir(parents=True, exist_ok=True)
        self._session: Any = None
        self._closed = False
        with _engine_lock:
            self._engine()  # open now, so a folder chdb cannot use fails at start-up

    def _engine(self) -> Any:
        """This store's session, opened in place of another store's (call under the lock)."""
        if self._closed:
            raise StoreError(f"the analytics store at {self.path} is closed")
        if _active and _active[0] is self:
            return self._session
        if _active:
            _active[0]._release()
        try:
            self._session = self._sessions.Session(str(self.path))
        except Exception as exc:
            raise StoreError(f"cannot open the analytics store at {self.path}: {exc}") from exc
        _active[:] = [self]
        return self._session

    def _release(self) -> None:
        """Close this store's session so another folder may open (call under the lock)."""
        if self._session is not None:
            self._session.close()
            self._session = None
        if _active and _active[0] is self:
            _active.clear()

    def _select(self, sql: str, params: dict[str, Any] | None) -> list[dict[str, Any]]:
        try:
            with _engine_lock:
                result = self._engine().query(sql, "JSONEachRow", params=params or None)
        except StoreError:
            raise
        except Exception as exc:
            raise StoreError(f"analytics query failed: {exc}") from exc
        text = result.data() if hasattr(result, "data") else str(result)
        return [json.loads(line) for line in text.splitlines() if line]

    def _execute(self, sql: str, params: dict[str, Any] | None = None) -> None:
        try:
            with _engine_lock:
                self._engine().query(sql, "CSV", params=params or None)
        except StoreError:
            raise
        except Exception as exc:
            raise StoreError(f"analytics statement failed: {exc}") from exc

    # -- inserts through the staging table ------------------------------------------------------
    def migrate(self) -> None:
        """The schema, and a staging table shaped like ``events`` as it is now."""
        with self._lock:
            super().migrate()
            # Memory engine: holds one batch while it is inserted, nothing across restarts.
            self._execute(f"DROP TABLE IF EXISTS {STAGING}")
            self._execute(f"CREATE TABLE {STAGING} AS events ENGINE = Memory")

    def insert(self, events: Sequence[StoredEvent]) -> int:
        """Insert the events not stored yet and refresh the hours they touch; return how many."""
        if not events:
            return 0
        unique = list(first_by_id(events, lambda e: str(e.event_id)).values())
        with self._lock:
            return self._insert_staged(
                events_table(unique),
                None,
                touched_hours((e.tenant_id, ch_time(e.ts), e.type.value) for e in unique),
            )

    def insert_rows(self, rows: Sequence[dict[str, Any]]) -> int:
        """``insert`` for rows already in store form (``StoredEvent.to_row``)."""
        if not rows:
            return 0
        unique = list(first_by_id(rows, lambda r: str(r["event_id"])).values())
        table: Any = None
        try:
            table = rows_table(unique)
        except ARROW_ERRORS:
            table = None  # a value of another type than the producer writes: JSON is laxer
        with self._lock:
            return self._insert_staged(
                table, unique, touched_hours((r["tenant_id"], r["ts"], r["type"]) for r in unique)
            )

    def insert_table(self, table: Any) -> int:
        """``insert_rows`` for store rows already in a table (``columnar.json_table``)."""
        if not table.num_rows:
            return 0
        table = first_rows_by_id(table)
        with self._lock:
            return self._insert_staged(table, None, table_hours(table))

    def _insert_staged(
        self,
        table: Any,
        rows: list[dict[str, Any]] | None,
        hours: tuple[set[tuple[str, str]], set[tuple[str, str]]],
    ) -> int:
        """Stage ``table`` (or ``rows`` as JSON; ids unique), insert the fresh rows and bring
        the rollups of ``hours`` (all touched, and those touched by lifecycle events:
        ``touched_hours``) up to date.

        A batch that is entirely new adds its own counts to ``events_hourly`` (cost: the batch).
        A batch with rows already stored recounts its hours from the raw table (cost: every
        event of those hours), as every batch did before: that is what repairs a crash between
        the raw insert and the rollup insert, since the replayed batch is then not new.
        """
        staged = int(table.num_rows) if table is not None else len(rows or [])
        try:
            with _engine_lock:
                session = self._engine()
                session.query(f"TRUNCATE TABLE {STAGING}")
                if table is not None:
                    # chdb's Python() table function finds a variable by name in the calling
                    # frames: the name is unique so no other variable can be picked up.
                    _adcraft_staged_batch = table
                    session.query(
                        f"INSERT INTO {STAGING} ({_STAGED_COLUMNS}) SELECT {_STAGED_COLUMNS} "
                        "FROM Python(_adcraft_staged_batch)"
                    )
                else:
                    session.query(
                        f"INSERT INTO {STAGING} FORMAT JSONEachRow\n"
                        + rows_as_json_lines(rows or [])
                    )
                fresh = int(session.query(_INSERT_FRESH).rows_written())
                if fresh == staged:
                    # None of the batch was stored before, so none of it is in the rollup:
                    # its counts are added as they are, without recounting the touched hours.
                    self._add_staged_counts(session)
                session.query(f"TRUNCATE TABLE {STAGING}")
        except StoreError:
            raise
        except Exception as exc:
            raise StoreError(f"analytics insert failed: {exc}") from exc
        all_hours, lifecycle_hours = hours
        if fresh == staged:
            self.recompute_pilot(lifecycle_hours)
        else:
            # Some of the batch was stored already: a replay (or a duplicate). Its hours are
            # recounted from the raw table, which also repairs a rollup update lost to a crash
            # between the raw insert and the rollup insert.
            self.recompute(all_hours, lifecycle_hours)
        return fresh

    def _add_staged_counts(self, session: Any) -> None:
        """Add the staged batch's counts to ``events_hourly`` (all of its rows were new)."""
        session.query(f"INSERT INTO events_hourly {_STAGED_RECOUNT}")

    def close(self) -> None:
        """Close the store and free the engine for other folders."""
        with self._lock, _engine_lock:
            if self._closed:
                return
            self._release()
            self._closed = True
