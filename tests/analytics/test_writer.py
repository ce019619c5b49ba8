"""The direct transport's batching writer: ``flush`` means "everything emitted so far is
stored", whatever the writer's timer and whenever the events came in."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from adcraft.analytics.events import StoredEvent
from adcraft.analytics.wal import WriteAheadLog
from adcraft.analytics.writer import BatchingWriter
from tests.analytics.conftest import make_event

HOUR = 3600.0


class GatedStore:
    """Stores events in a list; the first insert waits until the test opens the gate."""

    def __init__(self) -> None:
        self.rows: list[StoredEvent] = []
        self.first_insert_started = threading.Event()
        self.gate = threading.Event()

    def insert(self, events: Sequence[StoredEvent]) -> int:
        if not self.first_insert_started.is_set():
            self.first_insert_started.set()
            self.gate.wait()
        self.rows.extend(events)
        return len(events)

    def __getattr__(self, name: str) -> Any:  # the writer uses only insert
        raise AttributeError(name)


def test_flush_stores_events_emitted_while_a_batch_was_being_inserted(tmp_path: Path) -> None:
    """Events that arrive while the writer inserts the flushed batch are part of the flush:
    it does not leave them for the timer (an hour here), and it does not time out."""
    store = GatedStore()
    writer = BatchingWriter(store, WriteAheadLog(tmp_path / "wal"), flush_interval_s=HOUR)  # type: ignore[arg-type]
    writer.start()
    try:
        writer.emit([make_event("impression", creative_id="c1")])
        errors: list[BaseException] = []

        def flush() -> None:
            try:
                writer.flush(timeout_s=HOUR)
            except BaseException as exc:  # reported to the test thread
                errors.append(exc)

        flusher = threading.Thread(target=flush)
        flusher.start()
        assert store.first_insert_started.wait(timeout=HOUR)
        # The first batch is in the store's hands; these come in behind it.
        writer.emit([make_event("click", creative_id="c1"), make_event("impression")])
        store.gate.set()
        flusher.join(timeout=120)
        assert not flusher.is_alive(), "flush waited for the writer's hourly timer"
        assert not errors
        assert len(store.rows) == 3
        assert writer.pending == 0
    finally:
        store.gate.set()
        writer.stop()


def test_two_flushes_at_once_both_return(tmp_path: Path) -> None:
    store = GatedStore()
    store.gate.set()
    writer = BatchingWriter(store, WriteAheadLog(tmp_path / "wal"), flush_interval_s=HOUR)  # type: ignore[arg-type]
    writer.start()
    try:
        writer.emit([make_event("impression")])
        flush = {"timeout_s": HOUR}
        threads = [threading.Thread(target=writer.flush, kwargs=flush) for _ in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=120)
        assert not any(t.is_alive() for t in threads)
        assert len(store.rows) == 1
    finally:
        writer.stop()
