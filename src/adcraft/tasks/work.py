"""Running one task by id, safely repeatable: claim, render, then commit once.

* Claim: ``UPDATE tasks SET status='running', attempts=attempts+1 WHERE status IN
  ('pending','running')`` — a finished task is never run again, a task whose worker died is.
* Outputs go to the store under content-addressed keys, so a repeat writes the same keys.
* Finish: ``UPDATE ... SET status='completed' WHERE status='running'`` and the creative rows in
  the same transaction; if another attempt finished first the update matches nothing and this
  attempt's rows are rolled back. Unique (task, creative) constraints back this up.
"""

from __future__ import annotations

import logging
import signal
import threading
import time
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import and_, func, or_, select, update
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from adcraft.config import Settings
from adcraft.db.engine import is_outage, unit_of_work
from adcraft.db.models import CreativeRow, Task, Version, utcnow
from adcraft.errors import (
    AdcraftError,
    DatabaseUnavailable,
    InputError,
    LayoutError,
    QueueUnavailable,
    StoreUnavailable,
    TaskTimeLimit,
    Transient,
)
from adcraft.logs import TASK_ID
from adcraft.store.base import AssetStore
from adcraft.tasks.journal import JournaledStore, forget_outputs, remove_outputs
from adcraft.tasks.liveness import TaskHeartbeat
from adcraft.tasks.outputs import Outcome

log = logging.getLogger("adcraft.tasks")
TRANSIENT: tuple[type[BaseException], ...] = (
    DatabaseUnavailable,
    StoreUnavailable,
    QueueUnavailable,
    Transient,
)
_PROGRESS_EVERY_S = 0.2


def problem_of(exc: BaseException) -> dict[str, Any]:
    """A task error as shown to the client: a type, a title and what to do; no traceback."""
    if isinstance(exc, InputError | LayoutError):
        return {"type": type(exc).__name__, "title": "input rejected", "detail": str(exc)}
    if isinstance(exc, AdcraftError):
        return {"type": type(exc).__name__, "title": "task failed", "detail": str(exc)}
    return {
        "type": "InternalError",
        "title": "internal error",
        "detail": "the task failed unexpectedly; it was logged. Retry, and report it if it repeats",
    }


def _claim(sessions: sessionmaker[Session], settings: Settings, task_id: str) -> Task | None:
    # A running task is taken over only when its heartbeat is stale: a duplicate delivery (the
    # sweeper re-queued it, the broker redelivered it) never runs beside a live attempt.
    from adcraft.tasks.liveness import stale_before

    now = utcnow()
    stale = stale_before(settings, now)
    with unit_of_work(sessions) as s:
        res = s.execute(
            update(Task)
            .where(
                Task.id == task_id,
                or_(
                    Task.status == "pending",
                    and_(
                        Task.status == "running",
                        or_(Task.heartbeat_at.is_(None), Task.heartbeat_at < stale),
                    ),
                ),
            )
            .values(
                status="running",
                attempts=Task.attempts + 1,
                started_at=func.coalesce(Task.started_at, now),
                attempt_started_at=now,
                heartbeat_at=now,
                current_step="starting",
            )
        )
        if res.rowcount != 1:  # type: ignore[attr-defined]
            return None
        return s.get(Task, task_id)


def _progress(sessions: sessionmaker[Session], task_id: str) -> Callable[[int, int, str], None]:
    last = [0.0]

    def report(done: int, total: int, step: str) -> None:
        now = time.monotonic()
        if now - last[0] < _PROGRESS_EVERY_S and done < total:
            return
        last[0] = now
        try:
            with unit_of_work(sessions) as s:
                s.execute(
                    update(Task)
                    .where(Task.id == task_id, Task.status == "running")
                    .values(steps_done=done, steps_total=total, current_step=step[:200])
                )
        except DatabaseUnavailable:
            log.warning("progress of task %s not saved: database unavailable", task_id)

    return report


def fail(
    sessions: sessionmaker[Session],
    task_id: str,
    problem: dict[str, Any],
    *,
    attempt: int | None = None,
) -> bool:
    """Mark a task failed unless it already finished (or, given ``attempt``, another attempt
    owns it now); True when this call failed it."""
    where = [Task.id == task_id, Task.status.in_(("pending", "running"))]
    if attempt is not None:
        where.append(Task.attempts == attempt)
    with unit_of_work(sessions) as s:
        res = s.execute(
            update(Task)
            .where(*where)
            .values(status="failed", error=problem, finished_at=utcnow(), current_step="failed")
        )
        return bool(res.rowcount == 1)  # type: ignore[attr-defined]


def _finish(sessions: sessionmaker[Session], task: Task, outcome: Outcome) -> bool:
    # Two re-renders of one variant finishing together can race for the next version number:
    # the loser's transaction rolls back whole and simply tries again with fresh numbers.
    for _ in range(5):
        try:
            return _finish_once(sessions, task, outcome)
        except IntegrityError:
            if task.kind == "generate":
                log.info("task %s: outputs already recorded by another attempt", task.id)
                return False
    raise Transient(f"task {task.id}: could not record its versions, retrying the task")


def _finish_once(sessions: sessionmaker[Session], task: Task, outcome: Outcome) -> bool:
    with unit_of_work(sessions) as s:
        res = s.execute(
            update(Task)
            .where(Task.id == task.id, Task.status == "running")
            .values(
                status="completed",
                finished_at=utcnow(),
                current_step="done",
                steps_done=Task.steps_total,
                result=outcome.result,
            )
        )
        if res.rowcount != 1:  # type: ignore[attr-defined]
            return False  # another attempt finished first: add nothing
        forget_outputs(s, task.id)
        if task.kind == "generate":
            _insert_set(s, task, outcome)
        else:
            _insert_versions(s, task, outcome)
    return True


def _insert_set(s: Session, task: Task, outcome: Outcome) -> None:
    for c in outcome.creatives:
        row = CreativeRow(
            tenant_id=task.tenant_id,
            campaign_id=task.campaign_id,
            task_id=task.id,
            pipeline_id=c.pipeline_id,
            format=c.format,
            platform=c.platform,
            width=c.width,
            height=c.height,
            variant=c.variant,
            style=c.style,
            template=c.template,
            rank=c.rank,
            current_version=1,
        )
        s.add(row)
        s.flush()
        s.add(_version(task, row.id, 1, "generated", c))


def _insert_versions(s: Session, task: Task, outcome: Outcome) -> None:
    action = str(task.request.get("action", "edit"))
    for c in outcome.creatives:
        creative = s.get(CreativeRow, c.pipeline_id)
        assert creative is not None
        number = (
            s.scalar(select(func.max(Version.number)).where(Version.creative_id == creative.id))
            or 0
        ) + 1
        s.add(_version(task, creative.id, number, action, c))
        creative.current_version = number


def _version(task: Task, creative_id: str, number: int, action: str, c: Any) -> Version:
    return Version(
        tenant_id=task.tenant_id,
        creative_id=creative_id,
        number=number,
        task_id=task.id,
        action=action,
        image_key=c.image_key,
        image_format=c.image_format,
        bytes=c.bytes,
        score=c.score,
        metrics=c.metrics,
        copy_fields=c.copy,
        platform_text=c.platform_text,
        copy_limits=c.render.get("copy_limits", {}),
        warnings=c.warnings,
        render={k: v for k, v in c.render.items() if k != "copy_limits"},
        gates=c.gates,
        gates_passed=c.gates_passed,
        layout=c.layout or None,
    )


def execute(
    sessions: sessionmaker[Session],
    store: AssetStore,
    settings: Settings,
    task_id: str,
    *,
    final_attempt: bool = False,
    soft_limit_alarm: bool = False,
) -> str:
    """Run a task once; returns its final status. Transient errors propagate for a retry.

    ``soft_limit_alarm`` raises the soft time limit by SIGALRM (the local pool's processes;
    Celery raises its own).
    """
    claimed = _claim(sessions, settings, task_id)
    if claimed is None:
        return "skipped"
    task = claimed
    token = TASK_ID.set(task_id)
    try:
        if task.attempts > settings.tasks.max_attempts:
            fail(sessions, task_id, _gave_up(task.attempts - 1), attempt=task.attempts)
            return "failed"
        journaled = JournaledStore(store, sessions, task_id)
        with (
            TaskHeartbeat(sessions, task_id, task.attempts, settings.tasks.heartbeat_s),
            soft_time_limit(settings.tasks.soft_time_limit_s, enabled=soft_limit_alarm),
        ):
            status = _attempt(sessions, journaled, settings, task, final_attempt)
    finally:
        TASK_ID.reset(token)
    if status != "completed":
        _remove_outputs_quietly(sessions, store, task_id)
    return status


def _attempt(
    sessions: sessionmaker[Session],
    store: AssetStore,
    settings: Settings,
    task: Task,
    final_attempt: bool,
) -> str:
    from adcraft.tasks.generate_job import run_generate
    from adcraft.tasks.render_job import run_render

    task_id = task.id
    last = final_attempt or task.attempts >= settings.tasks.max_attempts
    report = _progress(sessions, task_id)
    try:
        with sessions() as s:
            row = s.get(Task, task_id)
            assert row is not None
            if row.kind == "generate":
                outcome = run_generate(s, store, row, report, workers=1, settings=settings)
            else:
                outcome = run_render(s, store, row, report, settings, data_dir=settings.data_dir)
        return "completed" if _finish(sessions, row, outcome) else "skipped"
    except TRANSIENT as exc:
        if last:
            _fail_quietly(sessions, task, _gave_up(task.attempts, exc))
            return "failed"
        raise
    except DBAPIError as exc:
        if is_outage(exc) and not last:
            raise DatabaseUnavailable("database unavailable during the task") from exc
        _fail_quietly(sessions, task, problem_of(exc))
        return "failed"
    except Exception as exc:
        if is_time_limit(exc):
            log.warning("task %s: soft time limit reached", task_id)
            _fail_quietly(sessions, task, time_limit_problem("soft", settings))
            return "failed"
        if isinstance(exc, InputError):
            # Refused input (a layout adjustment that breaks a guarantee...): said to the
            # client with the reason; no traceback to log.
            log.info("task %s refused: %s", task_id, exc)
        else:
            log.error("task %s failed:\n%s", task_id, traceback.format_exc())
        _fail_quietly(sessions, task, problem_of(exc))
        return "failed"


def is_time_limit(exc: BaseException) -> bool:
    """Our own soft limit, or Celery's (matched by name: Celery is optional)."""
    return isinstance(exc, TaskTimeLimit) or type(exc).__name__ == "SoftTimeLimitExceeded"


def time_limit_problem(which: str, settings: Settings) -> dict[str, Any]:
    """The error of a task stopped by its soft or hard time limit."""
    seconds = (
        settings.tasks.soft_time_limit_s if which == "soft" else settings.tasks.hard_time_limit_s
    )
    env = f"ADCRAFT_TASKS__{which.upper()}_TIME_LIMIT_S"
    return {
        "type": "TimeLimitExceeded",
        "title": "task failed",
        "detail": f"the task ran past its {which} time limit of {seconds} s and was stopped. "
        f"Ask for fewer formats or variants, or raise {env}",
    }


@contextmanager
def soft_time_limit(seconds: float, *, enabled: bool) -> Iterator[None]:
    """Raise TaskTimeLimit in this (main) thread after ``seconds``."""
    usable = (
        enabled
        and hasattr(signal, "setitimer")
        and threading.current_thread() is threading.main_thread()
    )
    if not usable:
        yield
        return

    def on_alarm(_sig: int, _frame: object) -> None:
        raise TaskTimeLimit(f"soft time limit of {seconds} s reached")

    previous = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _remove_outputs_quietly(
    sessions: sessionmaker[Session], store: AssetStore, task_id: str
) -> None:
    try:
        remove_outputs(sessions, store, task_id)
    except Exception as exc:  # the sweeper tries again later
        log.warning("task %s: outputs not cleaned up yet: %s", task_id, exc)


def _gave_up(attempts: int, exc: BaseException | None = None) -> dict[str, Any]:
    why = f": {exc}" if exc else ""
    return {
        "type": "GaveUp",
        "title": "task failed",
        "detail": f"gave up after {attempts} attempts{why}. Retry the task later",
    }


def _fail_quietly(sessions: sessionmaker[Session], task: Task, problem: dict[str, Any]) -> None:
    try:
        fail(sessions, task.id, problem, attempt=task.attempts)
    except DatabaseUnavailable:
        # The heartbeat stops with this attempt: the sweeper re-queues or fails it later.
        log.error("task %s failed and the failure could not be saved", task.id)
