"""The default runner: a pool of worker processes inside ``adcraft serve``.

The database is the queue of record: tasks are committed as ``pending`` before they are handed
to the pool, and at start every task still pending or running (the server stopped mid-task) is
handed over again, so a restart does not lose work.
"""

from __future__ import annotations

import logging
import multiprocessing
import threading
from concurrent.futures import Executor, Future, ProcessPoolExecutor, ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any

from sqlalchemy import select

from adcraft.config import Settings
from adcraft.errors import QueueUnavailable
from adcraft.tasks.fair import FairQueue, task_size
from adcraft.tasks.liveness import WorkerHeartbeat
from adcraft.tasks.sweeper import Sweeper

log = logging.getLogger("adcraft.tasks")
_CTX: dict[str, Any] = {}


def _init_worker(settings: Settings) -> None:
    """Build this worker process's own database engine and store."""
    from adcraft.container import build
    from adcraft.logs import configure

    configure(settings.server.log_format)
    _CTX["container"] = build(settings, with_runner=False, migrate_db=False)


def _run(task_id: str, final_attempt: bool) -> str:
    from adcraft.tasks.work import execute

    c = _CTX["container"]
    return execute(
        c.sessions, c.store, c.settings, task_id, final_attempt=final_attempt, soft_limit_alarm=True
    )


class LocalRunner:
    """A process (or thread) pool; transient failures are retried with backoff."""

    name = "local"

    def __init__(self, settings: Settings) -> None:
        self._settings = settings
        self._pool: Executor | None = None
        self._lock = threading.Lock()
        self._timers: list[threading.Timer] = []
        self._attempts: dict[str, int] = {}
        self._own: Any = None  # thread mode: this runner's own container
        self._db: Any = None  # reads each task's tenant and size for the fair queue
        t = settings.tasks
        self._fair = FairQueue(
            t.local_workers, reserved_small=t.reserved_small_slots, small_max=t.small_task_creatives
        )
        self._queues: dict[str, str] = {}
        self._ops: Any = None  # the sweeper's and heartbeat's container
        self._sweeper: Sweeper | None = None
        self._heartbeat: WorkerHeartbeat | None = None

    def start(self) -> None:
        """Start the pool, hand over unfinished tasks, then beat and sweep."""
        from adcraft.container import build

        n = self._settings.tasks.local_workers
        self._db = build(self._settings, with_runner=False, migrate_db=False)
        if self._settings.tasks.local_mode == "thread":
            self._own = self._db
            self._pool = ThreadPoolExecutor(max_workers=n, thread_name_prefix="adcraft-task")
        else:
            self._pool = self._new_process_pool()
        self._resume()
        self._ops = build(self._settings, with_runner=False, migrate_db=False)
        t = self._settings.tasks
        self._heartbeat = WorkerHeartbeat(
            self._ops.sessions, self._settings, "local", [t.generate_queue, t.render_queue]
        )
        self._heartbeat.start()
        self._sweeper = Sweeper(
            self._ops.sessions,
            self._ops.store,
            self._settings,
            self.submit,
            in_flight=self.in_flight,
        )
        self._sweeper.start()

    def in_flight(self) -> set[str]:
        """Tasks this pool holds (queued, running or waiting for a retry)."""
        with self._lock:
            return set(self._attempts)

    def _new_process_pool(self) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(
            max_workers=self._settings.tasks.local_workers,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_init_worker,
            initargs=(self._settings,),
        )

    def _replace_broken_pool(self, broken: Executor) -> None:
        """A worker process died (OOM kill, crash): the pool is unusable, start a new one."""
        with self._lock:
            if self._pool is broken:
                log.warning("a worker process died; starting a new worker pool")
                broken.shutdown(wait=False, cancel_futures=False)
                self._pool = self._new_process_pool()

    def _resume(self) -> None:
        from adcraft.container import build
        from adcraft.db.models import Task

        c = build(self._settings, with_runner=False, migrate_db=False)
        try:
            with c.sessions() as s:
                ids = s.scalars(
                    select(Task.id)
                    .where(Task.status.in_(("pending", "running")))
                    .order_by(Task.created_at)
                ).all()
        finally:
            c.engine.dispose()
        for task_id in ids:
            self.submit(task_id, "resume")
        if ids:
            log.info("resumed %d unfinished tasks", len(ids))

    def submit(self, task_id: str, queue: str) -> None:
        """Queue a committed task in its tenant's queue; it starts when the fair queue says."""
        if self._pool is None:
            raise QueueUnavailable("the worker pool is not running: restart adcraft serve")
        tenant, size = self._describe(task_id)
        self._queues[task_id] = queue
        self._fair.push(task_id, tenant, size)
        self._pump()

    def _describe(self, task_id: str) -> tuple[str, int]:
        from adcraft.db.models import Task

        try:
            with self._db.sessions() as s:
                row = s.get(Task, task_id)
                if row is not None:
                    return row.tenant_id, task_size(row.request or {})
        except Exception as exc:  # the database is down: the task itself will say so
            log.warning("task %s: cannot read its tenant for fair scheduling: %s", task_id, exc)
        return "", 1

    def _pump(self) -> None:
        """Start every task the fair queue lets run now."""
        while (task_id := self._fair.next()) is not None:
            try:
                self._dispatch(task_id, self._queues.get(task_id, "resume"))
            except QueueUnavailable:
                self._fair.done(task_id)
                raise

    def _dispatch(self, task_id: str, queue: str) -> None:
        """Hand a task to the pool."""
        with self._lock:
            if self._pool is None:
                raise QueueUnavailable("the worker pool is not running: restart adcraft serve")
            attempt = self._attempts.get(task_id, 0) + 1
            self._attempts[task_id] = attempt
            final = attempt >= self._settings.tasks.max_attempts
            pool = self._pool
            try:
                if self._own is not None:
                    from adcraft.tasks.work import execute

                    c = self._own
                    fut = self._pool.submit(
                        execute, c.sessions, c.store, c.settings, task_id, final_attempt=final
                    )
                else:
                    fut = self._pool.submit(_run, task_id, final)
            except BrokenProcessPool:
                broken = True
            except RuntimeError as exc:  # pool shut down
                raise QueueUnavailable(f"the worker pool cannot take tasks: {exc}") from exc
            else:
                broken = False
        if broken:
            self._replace_broken_pool(pool)
            self._attempts[task_id] -= 1
            self._dispatch(task_id, queue)
            return
        fut.add_done_callback(lambda f: self._done(task_id, queue, pool, f))

    def _done(self, task_id: str, queue: str, pool: Executor, fut: Future[str]) -> None:
        self._fair.done(task_id)
        if fut.cancelled():
            return  # stopping: the task stays in the database and resumes at the next start
        try:
            self._after(task_id, queue, pool, fut)
        finally:
            if self._pool is not None:
                try:
                    self._pump()
                except QueueUnavailable:
                    log.error("the pool stopped while tasks were waiting; they resume at start")

    def _after(self, task_id: str, queue: str, pool: Executor, fut: Future[str]) -> None:
        exc = fut.exception()
        if exc is None:
            self._attempts.pop(task_id, None)
            self._queues.pop(task_id, None)
            return
        if isinstance(exc, BrokenProcessPool):
            self._replace_broken_pool(pool)
        attempt = self._attempts.get(task_id, 1)
        t = self._settings.tasks
        delay = float(min(t.retry_backoff_max_s, t.retry_backoff_s * 2 ** (attempt - 1)))
        log.warning("task %s attempt %d: %s; retrying in %.1fs", task_id, attempt, exc, delay)
        timer = threading.Timer(delay, self._retry, args=(task_id, queue))
        timer.daemon = True
        self._timers = [t for t in self._timers if t.is_alive()] + [timer]
        timer.start()

    def _retry(self, task_id: str, queue: str) -> None:
        try:
            self.submit(task_id, queue)
        except QueueUnavailable:
            log.error("task %s could not be retried: the pool is stopped", task_id)

    def ping(self) -> bool:
        """The pool is running."""
        return self._pool is not None

    def stop(self) -> None:
        """Stop the pool; unfinished tasks stay in the database and resume at the next start."""
        if self._sweeper is not None:
            self._sweeper.stop()
        if self._heartbeat is not None:
            self._heartbeat.stop()
        if self._ops is not None:
            self._ops.engine.dispose()
            self._ops = None
        with self._lock:
            pool, self._pool = self._pool, None
        for t in self._timers:
            t.cancel()
        if pool is None:
            return
        if isinstance(pool, ProcessPoolExecutor):
            procs = list(getattr(pool, "_processes", {}).values())  # no public accessor
            pool.shutdown(wait=False, cancel_futures=True)
            for p in procs:
                p.terminate()
            for p in procs:
                p.join(timeout=5)
        else:
            pool.shutdown(wait=True, cancel_futures=True)
        if self._db is not None:
            self._db.engine.dispose()
            self._db = self._own = None
