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
import time
import traceback
from collections.abc import Callable
from typing import Any

from sqlalchemy import func, select, update
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
    Transient,
)
from adcraft.store.base import AssetStore
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


def _claim(sessions: sessionmaker[Session], task_id: str) -> Task | None:
    with unit_of_work(sessions) as s:
        res = s.execute(
            update(Task)
            .where(Task.id == task_id, Task.status.in_(("pending", "running")))
            .values(
                status="running",
                attempts=Task.attempts + 1,
                started_at=func.coalesce(Task.started_at, utcnow()),
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


def fail(sessions: sessionmaker[Session], task_id: str, problem: dict[str, Any]) -> None:
    """Mark a task failed unless it already finished."""
    with unit_of_work(sessions) as s:
        s.execute(
            update(Task)
            .where(Task.id == task_id, Task.status.in_(("pending", "running")))
            .values(status="failed", error=problem, finished_at=utcnow(), current_step="failed")
        )


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
    )


def execute(
    sessions: sessionmaker[Session],
    store: AssetStore,
    settings: Settings,
    task_id: str,
    *,
    final_attempt: bool = False,
) -> str:
    """Run a task once; returns its final status. Transient errors propagate for a retry."""
    claimed = _claim(sessions, task_id)
    if claimed is None:
        return "skipped"
    task = claimed
    if task.attempts > settings.tasks.max_attempts:
        fail(sessions, task_id, _gave_up(task.attempts - 1))
        return "failed"
    from adcraft.tasks.generate_job import run_generate
    from adcraft.tasks.render_job import run_render

    report = _progress(sessions, task_id)
    try:
        with sessions() as s:
            row = s.get(Task, task_id)
            assert row is not None
            if row.kind == "generate":
                outcome = run_generate(s, store, row, report, workers=1, settings=settings)
            else:
                outcome = run_render(s, store, row, report)
        _finish(sessions, row, outcome)
        return "completed"
    except TRANSIENT as exc:
        if final_attempt or task.attempts >= settings.tasks.max_attempts:
            _fail_quietly(sessions, task_id, _gave_up(task.attempts, exc))
            return "failed"
        raise
    except DBAPIError as exc:
        if is_outage(exc) and not final_attempt and task.attempts < settings.tasks.max_attempts:
            raise DatabaseUnavailable("database unavailable during the task") from exc
        _fail_quietly(sessions, task_id, problem_of(exc))
        return "failed"
    except Exception as exc:
        log.error("task %s failed:\n%s", task_id, traceback.format_exc())
        _fail_quietly(sessions, task_id, problem_of(exc))
        return "failed"


def _gave_up(attempts: int, exc: BaseException | None = None) -> dict[str, Any]:
    why = f": {exc}" if exc else ""
    return {
        "type": "GaveUp",
        "title": "task failed",
        "detail": f"gave up after {attempts} attempts{why}. Retry the task later",
    }


def _fail_quietly(sessions: sessionmaker[Session], task_id: str, problem: dict[str, Any]) -> None:
    try:
        fail(sessions, task_id, problem)
    except DatabaseUnavailable:
        log.error("task %s failed and the failure could not be saved", task_id)
