"""Celery on Redis: late acks, requeue on worker loss, prefetch 1, retries with backoff.

Redis redelivers an unacknowledged task after ``visibility_timeout``; the settings insist it is
above the hard time limit so a long task is never delivered twice while it still runs. A task
killed with its worker is redelivered then, and ``execute`` makes the repeat harmless.

Run a worker with ``adcraft worker --queues render,generate`` or
``python -m adcraft.tasks.celery_app --queues render,generate`` (settings from ADCRAFT_*).
"""

from __future__ import annotations

import logging
import os
import sys
from typing import Any

from adcraft.config import Settings
from adcraft.errors import ProviderUnavailable
from adcraft.tasks.fair import PRIORITY_LEVELS, lanes

TASK_NAME = "adcraft.run_task"
_PROCESS: dict[int, Any] = {}
_MAIN: dict[str, Any] = {}
"""The worker main process's own container (heartbeat, hard-limit failures). Kept apart from
_PROCESS and never dropped: a forked child that garbage-collected it would close the parent's
database sockets."""


def make_celery(settings: Settings) -> Any:
    """A configured Celery app with the one task that runs adcraft tasks by id."""
    try:
        from celery import Celery  # type: ignore[import-untyped]
    except ImportError as exc:
        raise ProviderUnavailable("Celery workers need: pip install 'adcraft[celery]'") from exc
    t = settings.tasks
    app = Celery("adcraft", broker=t.broker_url)
    transport = {
        "visibility_timeout": t.visibility_timeout_s,
        # Sweep for messages of dead workers every restore_interval_s (kombu's default
        # throttle makes that ~100 s); the sweep is one ZRANGE on Redis.
        "unacked_restore_interval": t.restore_interval_s,
        "unacked_restore_throttle": 1,
        "socket_connect_timeout": 3,
        # Fair scheduling (tasks/fair.py): a message's priority is its tenant's unfinished tasks
        # ahead of it; every level is its own Redis list, read 0 first.
        "priority_steps": list(range(PRIORITY_LEVELS)),
    }
    app.conf.update(
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,
        task_ignore_result=True,
        task_serializer="json",
        accept_content=["json"],
        task_soft_time_limit=t.soft_time_limit_s,
        task_time_limit=t.hard_time_limit_s,
        task_default_queue=t.generate_queue,
        broker_transport_options=transport,
        result_backend_transport_options=transport,
        broker_connection_retry_on_startup=True,
        broker_connection_timeout=3,
        worker_hijack_root_logger=False,
        worker_cancel_long_running_tasks_on_connection_loss=False,
    )
    _register(app, settings)
    return app


def _container(settings: Settings) -> Any:
    """This process's container, built after fork (engines must not cross processes)."""
    pid = os.getpid()
    if pid not in _PROCESS:
        from adcraft.container import build

        _PROCESS.clear()
        _PROCESS[pid] = build(settings, with_runner=False, migrate_db=False)
    return _PROCESS[pid]


def _main_container(settings: Settings) -> Any:
    if "c" not in _MAIN:
        from adcraft.container import build

        _MAIN["c"] = build(settings, with_runner=False, migrate_db=False)
    return _MAIN["c"]


def _register(app: Any, settings: Settings) -> None:
    from adcraft.tasks.work import TRANSIENT, execute

    max_retries = max(0, settings.tasks.max_attempts - 1)

    @app.task(  # type: ignore[untyped-decorator]
        name=TASK_NAME,
        # This app's own task: a shared one would be handed to every later app in the process
        # (tests build several), which would then run the first app's settings.
        shared=False,
        bind=True,
        autoretry_for=TRANSIENT,
        # A real exponential backoff: with jitter Celery drew the wait from 0..2^n s, so the
        # retries of a database outage were spent within a second ("Retry in 0s").
        retry_backoff=settings.tasks.retry_backoff_s,
        retry_backoff_max=settings.tasks.retry_backoff_max_s,
        retry_jitter=False,
        max_retries=max_retries,
    )
    def run_task(self: Any, task_id: str) -> str:
        c = _container(settings)
        final = self.request.retries >= max_retries
        return execute(c.sessions, c.store, c.settings, task_id, final_attempt=final)

    def on_hard_limit(
        sender: Any = None, exception: Any = None, args: Any = None, **_: Any
    ) -> None:
        """The hard limit killed the child: fail the task now, in the worker's main process."""
        from celery.exceptions import TimeLimitExceeded  # type: ignore[import-untyped]

        from adcraft.tasks.work import fail, time_limit_problem

        # By name: ``run_task`` is Celery's lazy proxy here, never the task object it sends.
        if getattr(sender, "name", None) != TASK_NAME or getattr(sender, "app", app) is not app:
            return
        if not isinstance(exception, TimeLimitExceeded) or not args:
            return
        try:
            c = _main_container(settings)
            fail(c.sessions, str(args[0]), time_limit_problem("hard", settings))
        except Exception as exc:  # the sweeper fails it later by its attempt's start time
            logging.getLogger("adcraft.tasks").warning("hard-limit failure not saved: %s", exc)

    from celery import signals

    signals.task_failure.connect(on_hard_limit, weak=False)
    _task_ids_in_logs(signals)
    _worker_heartbeat(signals, settings)


def _task_ids_in_logs(signals: Any) -> None:
    """Celery's own lines about a task (received, succeeded, retry) carry the adcraft task id,
    not only Celery's message id: set from the task's argument before it runs, cleared after
    Celery has logged its outcome."""
    from adcraft.logs import TASK_ID

    tokens: dict[str, Any] = {}

    def prerun(sender: Any = None, task_id: str = "", args: Any = None, **_: Any) -> None:
        if getattr(sender, "name", None) == TASK_NAME and args:
            tokens[task_id] = TASK_ID.set(str(args[0]))

    def postrun(sender: Any = None, task_id: str = "", **_: Any) -> None:
        token = tokens.pop(task_id, None)
        if token is not None:
            TASK_ID.reset(token)

    signals.task_prerun.connect(prerun, weak=False)
    signals.task_postrun.connect(postrun, weak=False)


def _worker_heartbeat(signals: Any, settings: Settings) -> None:
    """A ``workers`` row beaten by the worker's main process while it consumes."""
    beat: list[Any] = []

    def started(sender: Any = None, **_: Any) -> None:
        from adcraft.tasks.liveness import WorkerHeartbeat

        consumer = getattr(sender, "task_consumer", None)
        queues = [q.name for q in getattr(consumer, "queues", [])]
        hb = WorkerHeartbeat(_main_container(settings).sessions, settings, "celery", queues)
        hb.start()
        beat.append(hb)

    def stopping(**_: Any) -> None:
        for hb in beat:
            hb.stop()

    signals.worker_ready.connect(started, weak=False)
    signals.worker_shutdown.connect(stopping, weak=False)


def run_worker(settings: Settings, *, queues: list[str], concurrency: int = 1) -> None:
    """Start a worker consuming ``queues`` and their small lanes (blocks); a small lane named
    alone (``generate.small``) is consumed alone."""
    from celery import signals
    from celery.app import trace  # type: ignore[import-untyped]

    from adcraft.logs import configure

    # The Celery call returns normally whatever the adcraft task's outcome, so Celery's line
    # read "succeeded … 'failed'" for a failed task; name the outcome instead (read per call).
    trace.LOG_SUCCESS = "Task %(name)s[%(id)s] ran in %(runtime)ss, task status: %(return_value)s"
    app = make_celery(settings)
    # Celery leaves logging alone when setup_logging has a receiver: ours formats its lines too.
    signals.setup_logging.connect(lambda **_: configure(settings.server.log_format), weak=False)
    configure(settings.server.log_format)
    # JSON logs: no start-up banner (a multi-line block on stdout that no log parser reads).
    quiet = ["--quiet"] if settings.server.log_format == "json" else []
    app.worker_main(
        [
            *quiet,
            "worker",
            f"--queues={','.join(lanes(queues))}",
            f"--concurrency={concurrency}",
            "--loglevel=INFO",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
        ]
    )


def main(argv: list[str] | None = None) -> None:
    """``python -m adcraft.tasks.celery_app --queues a,b [--concurrency N]``."""
    import argparse

    from adcraft.config import load_settings

    parser = argparse.ArgumentParser(prog="adcraft-worker")
    parser.add_argument("--queues", default="render,generate")
    parser.add_argument("--concurrency", type=int, default=1)
    args = parser.parse_args(argv)
    run_worker(load_settings(), queues=args.queues.split(","), concurrency=args.concurrency)


if __name__ == "__main__":
    main(sys.argv[1:])
