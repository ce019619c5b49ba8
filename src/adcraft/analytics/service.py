"""Wiring the analytics services of one process from the settings.

The direct transport (default) makes this process own the store and the write-ahead file; with
Kafka configured the process only produces, and owns the store only if it is a server (many
processes can share a ClickHouse server, but only one can own a chdb folder).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from adcraft.analytics.errors import AnalyticsError, EventsUnavailable
from adcraft.analytics.events import EventSink, EventStore, StoredEvent
from adcraft.config import EventsSettings, Settings

if TYPE_CHECKING:
    from sqlalchemy.orm import Session, sessionmaker

log = logging.getLogger(__name__)


def store_path(settings: Settings) -> Path:
    """Where the embedded store keeps its data."""
    return settings.data_dir / "analytics" / "chdb"


def open_store(settings: Settings) -> EventStore:
    """The store named by ``events.store_url`` (embedded chdb when empty), migrated."""
    url = settings.events.store_url
    store: EventStore
    if url:
        from adcraft.analytics.store_clickhouse import ClickHouseStore

        store = ClickHouseStore(url, ttl_days=settings.events.retention_days)
    else:
        from adcraft.analytics.store_chdb import ChdbStore

        store = ChdbStore(store_path(settings), ttl_days=settings.events.retention_days)
    try:
        store.migrate()
    except Exception:
        store.close()
        raise
    return store


@dataclass
class Analytics:
    """The sink this process records events through, and the store if it owns one."""

    settings: EventsSettings
    secret: str
    sink: EventSink | None = None
    store: EventStore | None = None
    problem: str = ""
    _closers: list[object] = field(default_factory=list)

    def require_store(self) -> EventStore:
        """The store, or ``EventsUnavailable`` saying why this process has none."""
        if self.store is None:
            raise EventsUnavailable(self.problem or "analytics are disabled", retry_after=30)
        return self.store

    def require_sink(self) -> EventSink:
        """The sink, or ``EventsUnavailable``."""
        if self.sink is None:
            raise EventsUnavailable(self.problem or "analytics are disabled", retry_after=30)
        return self.sink

    def record(self, events: Sequence[StoredEvent]) -> None:
        """Record the platform's own events; never fails the caller's request."""
        if self.sink is None or not events:
            return
        try:
            self.sink.emit(events)
        except AnalyticsError as exc:
            log.warning("dropped %d platform events: %s", len(events), exc)

    def stop(self) -> None:
        """Flush and release in reverse order of start."""
        for item in reversed(self._closers):
            try:
                getattr(item, "stop", getattr(item, "close", lambda: None))()
            except Exception:  # shutting down: log and keep closing the rest
                log.exception("closing %r failed", item)
        self._closers.clear()
        self.sink = None
        self.store = None


def start_analytics(
    settings: Settings, secret: str, sessions: sessionmaker[Session] | None = None
) -> Analytics:
    """Open the store and start the transport; a failure leaves analytics off with a reason.

    With ``sessions`` (the API process), task start/finish/fail events are read from the
    metadata database and recorded too.
    """
    ev = settings.events
    analytics = Analytics(settings=ev, secret=secret)
    if not ev.enabled:
        analytics.problem = "analytics are disabled (events.enabled = false)"
        return analytics
    try:
        if ev.kafka_bootstrap:
            from adcraft.analytics.kafka import KafkaSink

            producer = KafkaSink(
                ev.kafka_bootstrap,
                ev.kafka_topic,
                timeout_s=ev.kafka_timeout_s,
                max_queued=ev.max_pending_events,
            )
            analytics._closers.append(producer)
            analytics.sink = producer
            if ev.store_url:
                analytics.store = open_store(settings)
                analytics._closers.insert(0, analytics.store)
            else:
                analytics.problem = (
                    "the embedded analytics store belongs to 'adcraft events consume' when "
                    "events go through Kafka: query it there, or set events.store_url to a "
                    "ClickHouse server"
                )
            _poll_tasks(analytics, sessions)
            return analytics
        from adcraft.analytics.wal import WriteAheadLog
        from adcraft.analytics.writer import BatchingWriter

        store = open_store(settings)
        analytics._closers.append(store)
        analytics.store = store
        writer = BatchingWriter(
            store,
            WriteAheadLog(settings.data_dir / "analytics" / "wal"),
            flush_interval_s=ev.flush_interval_s,
            flush_batch=ev.flush_batch_events,
            max_pending=ev.max_pending_events,
        )
        writer.start()
        analytics._closers.append(writer)
        analytics.sink = writer
        _poll_tasks(analytics, sessions)
    except AnalyticsError as exc:
        log.warning("analytics are off in this process: %s", exc)
        analytics.stop()
        analytics.problem = f"analytics are off in this process: {exc}"
    return analytics


def _poll_tasks(analytics: Analytics, sessions: sessionmaker[Session] | None) -> None:
    if sessions is None or analytics.sink is None:
        return
    from adcraft.analytics.task_events import TaskEventPoller

    poller = TaskEventPoller(sessions, analytics.sink)
    poller.start()
    analytics._closers.append(poller)
