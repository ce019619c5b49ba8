"""The embedded analytics store: the ClickHouse engine in-process through chdb.

chdb runs one embedded server per process and one data path at a time, so exactly one process
owns the data (the API, or ``adcraft events consume``); others send events to it. Closing the
store frees the process to open another path (tests do this).
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

_open_lock = threading.Lock()
_open_path: list[Path] = []


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
        self.path = path.resolve()
        self.path.mkdir(parents=True, exist_ok=True)
        with _open_lock:
            if _open_path and _open_path[0] != self.path:
                raise StoreError(
                    f"this process already has the analytics store {_open_path[0]} open; chdb "
                    "holds one data folder per process: close it first"
                )
            try:
                self._session: Any = session.Session(str(self.path))
            except Exception as exc:
                raise StoreError(f"cannot open the analytics store at {self.path}: {exc}") from exc
            _open_path[:] = [self.path]
        self._closed = False

    def _select(self, sql: str, params: dict[str, Any] | None) -> list[dict[str, Any]]:
        try:
            result = self._session.query(sql, "JSONEachRow", params=params or None)
        except Exception as exc:
            raise StoreError(f"analytics query failed: {exc}") from exc
        text = result.data() if hasattr(result, "data") else str(result)
        return [json.loads(line) for line in text.splitlines() if line]

    def _execute(self, sql: str, params: dict[str, Any] | None = None) -> None:
        try:
            self._session.query(sql, "CSV", params=params or None)
        except Exception as exc:
            raise StoreError(f"analytics statement failed: {exc}") from exc

    def _insert_rows(self, table: str, rows: list[dict[str, Any]]) -> None:
        self._execute(f"INSERT INTO {table} FORMAT JSONEachRow\n" + rows_as_json_lines(rows))

    def close(self) -> None:
        """Close the embedded server so this process may open another path."""
        with self._lock, _open_lock:
            if self._closed:
                return
            self._closed = True
            self._session.close()
            _open_path.clear()
