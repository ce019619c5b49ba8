"""The server analytics store: a ClickHouse server by URL through clickhouse-connect.

Same SQL as the embedded store. The URL is ``http(s)://user:password@host:port/database``.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import unquote, urlsplit

from adcraft.analytics.errors import StoreError
from adcraft.analytics.sqlstore import SqlEventStore, rows_as_json_lines
from adcraft.errors import ProviderUnavailable


class ClickHouseStore(SqlEventStore):
    """Events in a ClickHouse server; many processes may share it."""

    name = "clickhouse"

    def __init__(self, url: str, *, ttl_days: int = 400, connect_timeout_s: float = 5.0) -> None:
        super().__init__(ttl_days=ttl_days)
        try:
            import clickhouse_connect
        except ImportError as exc:
            raise ProviderUnavailable(
                "clickhouse-connect is missing: pip install 'adcraft[analytics]'"
            ) from exc
        parts = urlsplit(url)
        if parts.scheme not in {"http", "https"} or not parts.hostname:
            raise StoreError(
                f"events.store_url {url!r} is not http(s)://user:password@host:port/database"
            )
        try:
            self._client = clickhouse_connect.get_client(
                host=parts.hostname,
                port=parts.port or (8443 if parts.scheme == "https" else 8123),
                username=unquote(parts.username or "default"),
                password=unquote(parts.password or ""),
                database=parts.path.strip("/") or "default",
                secure=parts.scheme == "https",
                connect_timeout=connect_timeout_s,
            )
        except Exception as exc:
            raise StoreError(f"cannot reach ClickHouse at {parts.hostname}: {exc}") from exc

    def _select(self, sql: str, params: dict[str, Any] | None) -> list[dict[str, Any]]:
        try:
            result = self._client.query(sql, parameters=params or None)
        except Exception as exc:
            raise StoreError(f"analytics query failed: {exc}") from exc
        return [dict(zip(result.column_names, row, strict=True)) for row in result.result_rows]

    def _execute(self, sql: str, params: dict[str, Any] | None = None) -> None:
        try:
            self._client.command(sql, parameters=params or None)
        except Exception as exc:
            raise StoreError(f"analytics statement failed: {exc}") from exc

    def _insert_rows(self, table: str, rows: list[dict[str, Any]]) -> None:
        try:
            self._client.raw_insert(
                table, insert_block=rows_as_json_lines(rows).encode(), fmt="JSONEachRow"
            )
        except Exception as exc:
            raise StoreError(f"analytics insert failed: {exc}") from exc

    def close(self) -> None:
        """Close the HTTP pool."""
        self._client.close()
