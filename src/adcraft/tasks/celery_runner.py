"""The API side of Celery: publish task ids to Redis after the database commit."""

from __future__ import annotations

import logging
from typing import Any

from adcraft.config import Settings
from adcraft.errors import QueueUnavailable
from adcraft.tasks.celery_app import TASK_NAME, make_celery
from adcraft.tasks.fair import Route, celery_route, task_size
from adcraft.tasks.sweeper import Sweeper

log = logging.getLogger("adcraft.tasks")


class CeleryRunner:
    """Publishes to the ``generate`` / ``render`` queues; workers run elsewhere."""

    name = "celery"

    def __init__(self, settings: Settings) -> None:
        self._settings = settings
        self._app: Any = make_celery(settings)
        self._ops: Any = None
        self._sweeper: Sweeper | None = None

    def start(self) -> None:
        """Sweep for dead and lost tasks (workers are separate processes)."""
        from adcraft.container import build

        self._ops = build(self._settings, with_runner=False, migrate_db=False)
        self._sweeper = Sweeper(self._ops.sessions, self._ops.store, self._settings, self.submit)
        self._sweeper.start()

    def submit(self, task_id: str, queue: str) -> None:
        """Publish in the task's fair lane and priority, failing fast (QueueUnavailable) when
        Redis is down."""
        from kombu.exceptions import KombuError, OperationalError

        route = self._route(task_id, queue)
        try:
            self._app.send_task(
                TASK_NAME,
                args=[task_id],
                queue=route.queue,
                priority=route.priority,
                retry=True,
                retry_policy={
                    "max_retries": 2,
                    "interval_start": 0,
                    "interval_step": 0.5,
                    "interval_max": 1,
                },
            )
        except (OperationalError, KombuError, OSError) as exc:
            raise QueueUnavailable(
                "the task queue (Redis) is unreachable: retry in a few seconds"
            ) from exc

    def _route(self, task_id: str, queue: str) -> Route:
        """The lane by the task's size, the priority by its tenant's unfinished tasks ahead."""
        from sqlalchemy import func, select

        from adcraft.db.models import Task

        small_max = self._settings.tasks.small_task_creatives
        if self._ops is None:  # not started (a one-off publisher): plain FIFO in the big lane
            return Route(queue, 0)
        try:
            with self._ops.sessions() as s:
                task = s.get(Task, task_id)
                if task is None:
                    return Route(queue, 0)
                ahead = s.scalar(
                    select(func.count())
                    .select_from(Task)
                    .where(
                        Task.tenant_id == task.tenant_id,
                        Task.status.in_(("pending", "running")),
                        Task.created_at <= task.created_at,
                        Task.id != task.id,
                    )
                )
                return celery_route(queue, task_size(task.request or {}), ahead or 0, small_max)
        except Exception as exc:  # the database is down: the task itself will say so
            log.warning("task %s: cannot read its tenant for fair scheduling: %s", task_id, exc)
            return Route(queue, 0)

    def ping(self) -> bool:
        """Redis answers PING within a second."""
        import redis

        try:
            client = redis.Redis.from_url(
                self._settings.tasks.broker_url, socket_connect_timeout=1, socket_timeout=1
            )
            ok = bool(client.ping())
            client.close()
            return ok
        except (redis.RedisError, OSError):
            return False

    def stop(self) -> None:
        """Stop sweeping and close broker connections."""
        if self._sweeper is not None:
            self._sweeper.stop()
            self._sweeper = None
        if self._ops is not None:
            self._ops.engine.dispose()
            self._ops = None
        pool = getattr(self._app, "pool", None)
        if pool is not None:
            pool.force_close_all()
