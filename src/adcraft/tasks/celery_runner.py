"""The API side of Celery: publish task ids to Redis after the database commit."""

from __future__ import annotations

from typing import Any

from adcraft.config import Settings
from adcraft.errors import QueueUnavailable
from adcraft.tasks.celery_app import TASK_NAME, make_celery


class CeleryRunner:
    """Publishes to the ``generate`` / ``render`` queues; workers run elsewhere."""

    name = "celery"

    def __init__(self, settings: Settings) -> None:
        self._settings = settings
        self._app: Any = make_celery(settings)

    def start(self) -> None:
        """Nothing to start: workers are separate processes."""

    def submit(self, task_id: str, queue: str) -> None:
        """Publish, failing fast (QueueUnavailable) when Redis is down."""
        from kombu.exceptions import KombuError, OperationalError

        try:
            self._app.send_task(
                TASK_NAME,
                args=[task_id],
                queue=queue,
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
        """Close broker connections."""
        pool = getattr(self._app, "pool", None)
        if pool is not None:
            pool.force_close_all()
