"""The sweeper: no task stays ``pending`` or ``running`` for good.

Every ``tasks.sweep_interval_s`` (in the API process, whatever the runner) it:

1. fails a running attempt older than the hard time limit ("ran past its hard time limit");
2. takes a running task whose heartbeat is older than ``tasks.stale_after_s`` (its worker died)
   back to ``pending`` and queues it again, or fails it when its attempts are spent;
3. queues again a task still ``pending`` ``requeue_pending_after_s`` after it was queued (a
   message lost with the broker, or dropped after a database outage), and fails one that has
   waited ``max_pending_s`` since it was created;
4. removes the unreferenced files of failed tasks (``tasks.journal``) and forgets workers that
   stopped beating long ago;
5. removes style preview files shown more than ``tasks.preview_ttl_s`` ago, unless a row names
   them (``tasks.preview_expiry``).

Every change is a conditional UPDATE, so several API replicas may sweep at once: exactly one of
them wins each task.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.orm import Session, sessionmaker

from adcraft.config import Settings
from adcraft.db.engine import unit_of_work
from adcraft.db.models import Task, TaskOutput, WorkerRow, as_utc, utcnow
from adcraft.store.base import AssetStore
from adcraft.tasks.journal import remove_outputs
from adcraft.tasks.liveness import stale_before
from adcraft.tasks.preview_expiry import expire_previews
from adcraft.tasks.work import fail, time_limit_problem

log = logging.getLogger("adcraft.tasks")
Requeue = Callable[[str, str], None]
_BATCH = 200


@dataclass
class SweepReport:
    """What one sweep did (logged, and returned for tests)."""

    timed_out: int = 0
    requeued: int = 0
    dead_failed: int = 0
    pending_requeued: int = 0
    pending_failed: int = 0
    files_removed: int = 0
    previews_removed: int = 0

    def any(self) -> bool:
        """Whether the sweep changed anything."""
        return any(vars(self).values())


def queue_of(settings: Settings, kind: str, request: dict[str, Any] | None = None) -> str:
    """The queue a task goes to: new sets, and re-renders that paint (a new look of a
    generated picture or scene), to the generate queue, where the GPU workers listen."""
    from adcraft.tasks.generated import needs_generator

    t = settings.tasks
    if kind == "generate" or needs_generator(request or {}):
        return t.generate_queue
    return t.render_queue


def sweep(
    sessions: sessionmaker[Session],
    store: AssetStore,
    settings: Settings,
    requeue: Requeue,
    *,
    in_flight: Callable[[], set[str]] | None = None,
) -> SweepReport:
    """One pass; ``in_flight`` names tasks the caller's own pool still holds (never re-queued)."""
    t = settings.tasks
    now = utcnow()
    report = SweepReport()
    holding = in_flight() if in_flight is not None else set()

    stale = stale_before(settings, now)
    limit = timedelta(seconds=t.hard_time_limit_s)
    with sessions() as s:
        running = s.execute(
            select(
                Task.id,
                Task.kind,
                Task.attempts,
                Task.attempt_started_at,
                Task.heartbeat_at,
                Task.request,
            )
            .where(
                Task.status == "running",
                or_(
                    Task.attempt_started_at < now - limit,
                    Task.heartbeat_at.is_(None),
                    Task.heartbeat_at < stale,
                ),
            )
            .limit(_BATCH)
        ).all()
    for task_id, kind, attempts, started, beat, request in running:
        if _overran(started, beat, limit, settings):
            if fail(sessions, task_id, time_limit_problem("hard", settings), attempt=attempts):
                log.warning("task %s failed: past its hard time limit", task_id)
                report.timed_out += 1
            continue
        if beat is not None and as_utc(beat) >= stale:
            continue  # alive and within its limit
        if task_id in holding:
            continue
        if attempts >= t.max_attempts:
            if fail(sessions, task_id, _worker_lost(settings, attempts), attempt=attempts):
                log.warning("task %s failed: its worker stopped, attempts spent", task_id)
                report.dead_failed += 1
            continue
        with unit_of_work(sessions) as s:
            moved = s.execute(
                update(Task)
                .where(
                    Task.id == task_id,
                    Task.status == "running",
                    Task.attempts == attempts,
                    or_(Task.heartbeat_at.is_(None), Task.heartbeat_at < stale),
                )
                .values(status="pending", queued_at=now, current_step="queued again")
            ).rowcount  # type: ignore[attr-defined]
        if moved == 1 and _requeue(requeue, task_id, queue_of(settings, kind, request)):
            log.warning("task %s: worker stopped (no heartbeat); queued again", task_id)
            report.requeued += 1

    requeue_before = now - timedelta(seconds=t.requeue_pending_after_s)
    with sessions() as s:
        lost = s.execute(
            select(Task.id, Task.kind, Task.created_at, Task.request)
            .where(
                Task.status == "pending",
                func.coalesce(Task.queued_at, Task.created_at) < requeue_before,
            )
            .limit(_BATCH)
        ).all()
    too_old = now - timedelta(seconds=t.max_pending_s)
    for task_id, kind, created, request in lost:
        if task_id in holding:
            continue
        if as_utc(created) < too_old:
            if fail(sessions, task_id, _never_started(settings)):
                report.pending_failed += 1
            continue
        with unit_of_work(sessions) as s:
            moved = s.execute(
                update(Task)
                .where(
                    Task.id == task_id,
                    Task.status == "pending",
                    func.coalesce(Task.queued_at, Task.created_at) < requeue_before,
                )
                .values(queued_at=now)
            ).rowcount  # type: ignore[attr-defined]
        if moved == 1 and _requeue(requeue, task_id, queue_of(settings, kind, request)):
            report.pending_requeued += 1

    with sessions() as s:
        failed_with_files = s.scalars(
            select(TaskOutput.task_id)
            .distinct()
            .join(Task, Task.id == TaskOutput.task_id)
            .where(Task.status == "failed")
            .limit(_BATCH)
        ).all()
    for task_id in failed_with_files:
        report.files_removed += remove_outputs(sessions, store, task_id)

    report.previews_removed = expire_previews(sessions, store, t.preview_ttl_s, now=now)

    with unit_of_work(sessions) as s:
        forget = now - timedelta(seconds=max(3600.0, 10 * t.stale_after_s))
        s.execute(delete(WorkerRow).where(WorkerRow.heartbeat_at < forget))
    if report.any():
        log.info("sweep: %s", report)
    return report


def _overran(
    started: datetime | None, beat: datetime | None, limit: timedelta, settings: Settings
) -> bool:
    """Past the hard limit and alive until about then (a worker that died earlier is 'lost')."""
    if started is None or beat is None or utcnow() - as_utc(started) < limit:
        return False
    # The last beat falls at most one interval before the end; a beat much earlier means the
    # worker died before its limit (and is re-queued instead).
    margin = min(timedelta(seconds=1.5 * settings.tasks.heartbeat_s), limit / 4)
    return as_utc(beat) >= as_utc(started) + limit - margin


def _requeue(requeue: Requeue, task_id: str, queue: str) -> bool:
    try:
        requeue(task_id, queue)
        return True
    except Exception as exc:  # the queue is down: the task stays pending, the next sweep retries
        log.warning("task %s not queued again yet: %s", task_id, exc)
        return False


def _worker_lost(settings: Settings, attempts: int) -> dict[str, str]:
    return {
        "type": "WorkerLost",
        "title": "task failed",
        "detail": "the worker running it stopped (no heartbeat for "
        f"{settings.tasks.stale_after_s:g} s) on each of {attempts} attempts. Retry the task",
    }


def _never_started(settings: Settings) -> dict[str, str]:
    return {
        "type": "NeverStarted",
        "title": "task failed",
        "detail": f"no worker started it within {settings.tasks.max_pending_s:g} s. Check that "
        "workers are running (GET /readyz), then retry the task",
    }


class Sweeper:
    """Runs ``sweep`` every ``tasks.sweep_interval_s`` in a daemon thread."""

    def __init__(
        self,
        sessions: sessionmaker[Session],
        store: AssetStore,
        settings: Settings,
        requeue: Requeue,
        *,
        in_flight: Callable[[], set[str]] | None = None,
    ) -> None:
        self._args = (sessions, store, settings, requeue)
        self._in_flight = in_flight
        self._every = settings.tasks.sweep_interval_s
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="adcraft-sweeper", daemon=True)

    def start(self) -> None:
        """Begin sweeping in the background."""
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.wait(self._every):
            try:
                sweep(*self._args, in_flight=self._in_flight)
            except Exception as exc:  # a database outage: sweep again next time
                log.warning("sweep skipped: %s", exc)

    def stop(self) -> None:
        """Stop after the current pass."""
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout=10)
