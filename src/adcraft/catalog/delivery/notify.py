"""Run events to webhooks without holding up the run: one delivery thread per notifier."""

from __future__ import annotations

from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any

from adcraft.catalog.delivery.webhooks import Backoff, Webhooks


class Notifier:
    """``notifier(event, data)`` queues the event; deliveries (with their backoff sleeps) run
    in a background thread, in order. ``close`` waits for what is queued."""

    def __init__(self, db: Path, backoff: Backoff | None = None) -> None:
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="adcraft-webhooks")
        self._db = db
        self._backoff = backoff
        self._hooks: Webhooks | None = None
        self._pending: list[Future[list[str]]] = []

    def _send(self, event: str, data: dict[str, Any]) -> list[str]:
        if self._hooks is None:  # opened in the delivery thread, used only there
            self._hooks = Webhooks(self._db, backoff=self._backoff)
        return self._hooks.emit(event, data)

    def __call__(self, event: str, data: dict[str, Any]) -> None:
        self._pending.append(self._pool.submit(self._send, event, data))

    def close(self) -> list[str]:
        """Wait for queued deliveries; their delivery ids."""
        ids = [d for f in self._pending for d in f.result()]
        if self._hooks is not None:
            hooks = self._hooks
            self._pool.submit(hooks.close).result()
        self._pool.shutdown(wait=True)
        return ids
