"""The embedded analytics store: the ClickHouse engine in-process through chdb.

chdb runs one embedded server per process with one data path at a time. A production process
has one store (the API, or ``adcraft events consume``); others send events to it. When a process
holds several stores (a test session that builds several API stacks), they take the engine in
turns: a statement on a store whose folder is not the open one closes that folder and opens its
own (about 30 ms), all under one process-wide lock, so no statement ever reaches the wrong data.
"""

from __future__ import annotations

import importlib
import json
import threading
from pathlib import Path
from typing import Any

from adcraft.analytics.errors import StoreError
from adcraft.analytics.sqlstore import SqlEventStore, rows_as_json_lines
from adcraft.errors import ProviderUnavailable

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

    def _insert_rows(self, table: str, rows: list[dict[str, Any]]) -> None:
        self._execute(f"INSERT INTO {table} FORMAT JSONEachRow\n" + rows_as_json_lines(rows))

    def close(self) -> None:
        """Close the store and free the engine for other folders."""
        with self._lock, _engine_lock:
            if self._closed:
                return
            self._release()
            self._closed = True
