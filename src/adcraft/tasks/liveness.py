"""Heartbeats: a running attempt and every worker write a timestamp every ``tasks.heartbeat_s``.

The sweeper and ``/readyz`` read them: a running task whose heartbeat is older than
``tasks.stale_after_s`` lost its worker (SIGKILL, OOM, a dead host) and is queued again within a
minute, instead of waiting for the broker's visibility timeout; a worker row as old means that
worker is gone.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import uuid
from datetime import datetime, timedelta
from types import TracebackType

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session, sessionmaker

from adcraft.config import Settings
from adcraft.db.engine import unit_of_work
from adcraft.db.models import Task, WorkerRow, utcnow

log = logging.getLogger("adcraft.tasks")


def stale_before(settings: Settings, now: datetime | None = None) -> datetime:
    """Heartbeats older than this are dead."""
    return (now or utcnow()) - timedelta(seconds=settings.tasks.stale_after_s)


class TaskHeartbeat:
    """While the ``with`` block runs, refresh the task's heartbeat (for this attempt only)."""

    def __init__(self, sessions: sessionmaker[Session], task_id: str, attempt: int, every_s: float):
        self._sessions = sessions
        self._task_id = task_id
        self._attempt = attempt
        self._every = every_s
        self._stop = threading.Event()
        self._thread = threading.Thread(
            target=self._run, name=f"heartbeat-{task_id[:8]}", daemon=True
        )

    def __enter__(self) -> TaskHeartbeat:
        self._thread.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._stop.set()
        self._thread.join(timeout=5)

    def _run(self) -> None:
        while not self._stop.wait(self._every):
            try:
                with unit_of_work(self._sessions) as s:
                    s.execute(
                        update(Task)
                        .where(
                            Task.id == self._task_id,
                            Task.status == "running",
                            # A newer attempt owns the task now: never keep it looking alive.
                            Task.attempts == self._attempt,
                        )
                        .values(heartbeat_at=utcnow())
                    )
            except Exception as exc:  # an outage: the next beat tries again
                log.warning("heartbeat of task %s not saved: %s", self._task_id, exc)


class WorkerHeartbeat:
    """A row in ``workers`` refreshed every ``heartbeat_s``; removed on a clean stop."""

    def __init__(
        self, sessions: sessionmaker[Session], settings: Settings, runner: str, queues: list[str]
    ) -> None:
        self._sessions = sessions
        self._every = settings.tasks.heartbeat_s
        self.id = f"{socket.gethostname()[:40]}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
        self._runner = runner
        self._queues = ",".join(queues)[:200]
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="worker-heartbeat", daemon=True)

    def start(self) -> None:
        """Beat once now (so readiness sees the worker at once), then in the background."""
        self.beat()
        self._thread.start()

    def beat(self) -> None:
        """Insert or refresh this worker's row; an outage is logged and retried next time."""
        try:
            with unit_of_work(self._sessions) as s:
                done = s.execute(
                    update(WorkerRow).where(WorkerRow.id == self.id).values(heartbeat_at=utcnow())
                )
                if done.rowcount == 0:  # type: ignore[attr-defined]
                    s.add(
                        WorkerRow(
                            id=self.id,
                            runner=self._runner,
                            host=socket.gethostname()[:200],
                            pid=os.getpid(),
                            queues=self._queues,
                        )
                    )
        except Exception as exc:
            log.warning("worker heartbeat not saved: %s", exc)

    def _run(self) -> None:
        while not self._stop.wait(self._every):
            self.beat()

    def stop(self) -> None:
        """Stop beating and remove the row (a worker that stops cleanly is not 'dead')."""
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout=5)
        try:
            with unit_of_work(self._sessions) as s:
                s.execute(delete(WorkerRow).where(WorkerRow.id == self.id))
        except Exception as exc:
            log.warning("worker row %s not removed: %s", self.id, exc)


def live_workers(session: Session, settings: Settings) -> int:
    """Workers whose heartbeat is fresh."""
    return int(
        session.scalar(
            select(func.count())
            .select_from(WorkerRow)
            .where(WorkerRow.heartbeat_at >= stale_before(settings))
        )
        or 0
    )
