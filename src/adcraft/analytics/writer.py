"""The direct transport: an in-process batching writer from the API to the store.

``emit`` appends to the write-ahead file (fsync'd) and queues the events; a background thread
inserts queued events in batches. The buffer is bounded: when the store is down and the queue
is full, ``emit`` raises ``EventsUnavailable`` (the API answers 503 with Retry-After) instead of
growing without limit.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Sequence

from adcraft.analytics.errors import AnalyticsError, EventsUnavailable
from adcraft.analytics.events import EventStore, StoredEvent
from adcraft.analytics.wal import WriteAheadLog

log = logging.getLogger(__name__)


class BatchingWriter:
    """EventSink that owns the store's writes in this process."""

    name = "direct"

    def __init__(
        self,
        store: EventStore,
        wal: WriteAheadLog,
        *,
        flush_interval_s: float = 0.5,
        flush_batch: int = 20_000,
        max_pending: int = 200_000,
        retry_after_s: int = 5,
    ) -> None:
        self.store = store
        self.wal = wal
        self.flush_interval_s = flush_interval_s
        self.flush_batch = flush_batch
        # How many ``flush`` calls are waiting. A count, not a one-shot flag: events emitted
        # while the flushed batch is being inserted belong to the flush too, so the thread
        # must not go back to its timer while anyone still waits.
        self._flush_waiters = 0
        self.max_pending = max_pending
        self.retry_after_s = retry_after_s
        self._lock = threading.Lock()
        self._wake = threading.Condition(self._lock)
        self._queue: list[StoredEvent] = []
        self._inflight = 0
        self._stop = False
        self._thread: threading.Thread | None = None
        self.last_error: str = ""

    # -- lifecycle ------------------------------------------------------------------------------
    def start(self) -> None:
        """Replay what an earlier process left in the write-ahead file, then start flushing."""
        for number, events in list(self.wal.pending()):
            if events:
                self.store.insert(events)
            self.wal.drop_through(number)
        self._thread = threading.Thread(target=self._run, name="events-writer", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Flush what is queued (best effort) and stop the thread."""
        with self._lock:
            self._stop = True
            self._wake.notify_all()
        if self._thread is not None:
            self._thread.join(timeout=30)
        self.wal.close()

    # -- EventSink ------------------------------------------------------------------------------
    def emit(self, events: Sequence[StoredEvent]) -> None:
        """Durably accept events: on disk before this returns, in the store shortly after."""
        if not events:
            return
        with self._lock:
            if self._stop:
                raise EventsUnavailable("the event writer is shutting down", self.retry_after_s)
            if len(self._queue) + self._inflight + len(events) > self.max_pending:
                raise EventsUnavailable(
                    f"{len(self._queue) + self._inflight} events wait for the analytics store "
                    f"(limit {self.max_pending}); retry later"
                    + (f" (store: {self.last_error})" if self.last_error else ""),
                    self.retry_after_s,
                )
            try:
                self.wal.append(events)
            except OSError as exc:
                raise EventsUnavailable(f"cannot write the event log: {exc}") from exc
            self._queue.extend(events)
            if len(self._queue) >= self.flush_batch or self._flush_waiters:
                self._wake.notify_all()

    def flush(self, timeout_s: float = 30.0) -> None:
        """Block until everything emitted so far is in the store (tests, shutdown)."""
        end = time.monotonic() + timeout_s
        with self._lock:
            self._flush_waiters += 1
            self._wake.notify_all()
            try:
                while self._queue or self._inflight:
                    if not self._wake.wait(timeout=max(0.0, end - time.monotonic())):
                        raise EventsUnavailable(
                            f"events not stored after {timeout_s}s: {self.last_error or 'busy'}"
                        )
            finally:
                self._flush_waiters -= 1

    @property
    def pending(self) -> int:
        """Events accepted but not in the store yet."""
        with self._lock:
            return len(self._queue) + self._inflight

    # -- the flushing thread --------------------------------------------------------------------
    def _run(self) -> None:
        retry: list[tuple[int, list[StoredEvent]]] = []
        while True:
            with self._lock:
                deadline = time.monotonic() + self.flush_interval_s
                while (
                    not self._stop
                    and not (self._flush_waiters and self._queue)
                    and len(self._queue) < self.flush_batch
                    and not retry
                    and time.monotonic() < deadline
                ):
                    self._wake.wait(timeout=max(0.0, deadline - time.monotonic()))
                if self._stop and not self._queue and not retry:
                    return
                if self._queue:
                    batch, self._queue = self._queue, []
                    self._inflight += len(batch)
                    retry.append((self.wal.rotate(), batch))
            while retry:
                segment, batch = retry[0]
                try:
                    self.store.insert(batch)
                except AnalyticsError as exc:
                    self.last_error = str(exc)
                    log.warning("analytics store insert failed, will retry: %s", exc)
                    if self._stop:
                        return  # the write-ahead file keeps them for the next start
                    time.sleep(min(5.0, self.flush_interval_s * 10))
                    break
                self.last_error = ""
                self.wal.drop_through(segment)
                retry.pop(0)
                with self._lock:
                    self._inflight -= len(batch)
                    self._wake.notify_all()
