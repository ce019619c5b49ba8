"""Generation events from the task table: started, finished (with duration), failed.

Tasks run in worker processes that do not own the event store. Rather than give every worker a
transport, the process that owns the sink reads task state changes from the metadata database
every few seconds and records them with ids derived from (task, kind): reading a task twice
records it once, and a restart loses nothing (the first scan looks back a week).
"""

from __future__ import annotations

import hashlib
import logging
import threading
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session, sessionmaker

from adcraft.analytics.events import Event, EventSink, EventType, StoredEvent
from adcraft.db.models import CreativeRow, Task, as_utc

log = logging.getLogger(__name__)
KINDS = {"generate": "generate", "render": "render"}


def derived_id(key: str, at: datetime) -> uuid.UUID:
    """A UUIDv7 at ``at`` whose random bits come from ``key`` (same key, same id)."""
    digest = hashlib.sha256(key.encode()).digest()
    ms = int(at.timestamp() * 1000)
    value = (ms & ((1 << 48) - 1)) << 80 | 0x7 << 76
    value |= (int.from_bytes(digest[:2], "big") & 0xFFF) << 64 | 0b10 << 62
    value |= int.from_bytes(digest[2:10], "big") & ((1 << 62) - 1)
    return uuid.UUID(int=value)


def task_events(session: Session, since: datetime) -> list[StoredEvent]:
    """Events for tasks created or finished since ``since``."""
    # An upload task records a finished image that was made elsewhere: nothing was generated.
    tasks = session.scalars(
        select(Task).where(
            or_(Task.created_at >= since, Task.finished_at >= since), Task.kind != "upload"
        )
    ).all()
    if not tasks:
        return []
    counts = dict(
        session.execute(
            select(CreativeRow.task_id, func.count())
            .where(CreativeRow.task_id.in_([t.id for t in tasks]))
            .group_by(CreativeRow.task_id)
        ).all()
    )
    now = datetime.now(UTC)
    out: list[StoredEvent] = []
    for task in tasks:
        created = as_utc(task.created_at)
        base: dict[str, Any] = {
            "tenant_id": task.tenant_id,
            "campaign_id": task.campaign_id,
            "task_id": task.id,
        }
        out.append(
            Event(
                event_id=derived_id(f"{task.id}:started", created),
                type=EventType.GENERATE_STARTED,
                ts=created,
                props={"kind": task.kind},
                **base,
            ).received(now)
        )
        if task.finished_at is None or task.status not in ("completed", "failed"):
            continue
        finished = as_utc(task.finished_at)
        duration = int((finished - created).total_seconds() * 1000)
        props: dict[str, str | int | float | bool | None] = {
            "kind": task.kind,
            "duration_ms": duration,
        }
        if task.status == "completed":
            kind = EventType.GENERATE_FINISHED
            props["creatives"] = int(counts.get(task.id, 0)) if task.kind == "generate" else 0
        else:
            kind = EventType.GENERATE_FAILED
            props["error"] = str((task.error or {}).get("type", "error"))[:64]
        out.append(
            Event(
                event_id=derived_id(f"{task.id}:{kind.value}", finished),
                type=kind,
                ts=finished,
                props=props,
                **base,
            ).received(now)
        )
    return out


class TaskEventPoller:
    """A thread recording task events through a sink every ``interval_s``."""

    def __init__(
        self, sessions: sessionmaker[Session], sink: EventSink, interval_s: float = 5.0
    ) -> None:
        self.sessions = sessions
        self.sink = sink
        self.interval_s = interval_s
        self._stop = threading.Event()
        self._since = datetime.now(UTC) - timedelta(days=7)
        self._thread = threading.Thread(target=self._run, name="task-events", daemon=True)

    def start(self) -> None:
        """Start polling."""
        self._thread.start()

    def poll_once(self) -> int:
        """Record what changed since the last poll; return how many events were emitted."""
        started = datetime.now(UTC)
        with self.sessions() as s:
            events = task_events(s, self._since - timedelta(seconds=60))
        if events:
            self.sink.emit(events)
        self._since = started
        return len(events)

    def _run(self) -> None:
        while not self._stop.wait(self.interval_s):
            try:
                self.poll_once()
            except Exception as exc:  # the next poll retries from the same watermark
                log.warning("task events not recorded yet: %s", exc)

    def stop(self) -> None:
        """Stop polling."""
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout=10)
