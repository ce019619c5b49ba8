"""The outputs a task writes, recorded before each write, so a failed task leaves no files behind.

Store keys are content addresses shared by every task of a tenant that renders the same bytes,
so a failed task's key is removed only when nothing references it (``db.references``). Recording the
key *before* the write means even an attempt killed mid-write (SIGKILL) is cleaned up: the row
exists, the sweeper finds it once the task has failed.
"""

from __future__ import annotations

import logging

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from adcraft.db.engine import unit_of_work
from adcraft.db.models import Task, TaskOutput
from adcraft.db.references import key_in_use
from adcraft.store.base import AssetStore, content_key

log = logging.getLogger("adcraft.tasks")


class JournaledStore:
    """An AssetStore that records each key in ``task_outputs`` before writing it."""

    def __init__(self, inner: AssetStore, sessions: sessionmaker[Session], task_id: str) -> None:
        self.inner = inner
        self.name = inner.name
        self._sessions = sessions
        self._task_id = task_id
        self._recorded: set[str] = set()

    def put(self, tenant_id: str, data: bytes, ext: str, content_type: str) -> str:
        """Record, then store."""
        key = content_key(tenant_id, data, ext)
        if key not in self._recorded:
            try:
                with unit_of_work(self._sessions) as s:
                    s.add(TaskOutput(task_id=self._task_id, key=key))
            except IntegrityError:
                pass  # an earlier attempt of this task recorded it
            self._recorded.add(key)
        return self.inner.put(tenant_id, data, ext, content_type)

    def get(self, key: str) -> bytes:
        """The stored bytes."""
        return self.inner.get(key)

    def exists(self, key: str) -> bool:
        """Whether a key is stored."""
        return self.inner.exists(key)

    def delete(self, key: str) -> None:
        """Remove a key."""
        self.inner.delete(key)

    def delete_tenant(self, tenant_id: str) -> int:
        """As the wrapped store."""
        return self.inner.delete_tenant(tenant_id)

    def presigned_url(
        self, key: str, *, ttl_s: int, filename: str, content_type: str
    ) -> str | None:
        """As the wrapped store."""
        return self.inner.presigned_url(
            key, ttl_s=ttl_s, filename=filename, content_type=content_type
        )

    def ping(self) -> bool:
        """As the wrapped store."""
        return self.inner.ping()


def forget_outputs(s: Session, task_id: str) -> None:
    """A completed task's outputs are referenced for good: drop the journal rows."""
    s.execute(delete(TaskOutput).where(TaskOutput.task_id == task_id))


def remove_outputs(sessions: sessionmaker[Session], store: AssetStore, task_id: str) -> int:
    """Delete the unreferenced files a failed task wrote; returns how many were removed.

    Does nothing for a task that is not failed (a live retry may still use them).
    """
    with unit_of_work(sessions) as s:
        task = s.get(Task, task_id)
        keys = list(s.scalars(select(TaskOutput.key).where(TaskOutput.task_id == task_id)))
        if task is None or task.status != "failed" or not keys:
            return 0
        doomed = [k for k in keys if not key_in_use(s, task.tenant_id, k, besides_task=task.id)]
    removed = 0
    for key in doomed:
        try:
            store.delete(key)
            removed += 1
        except Exception as exc:  # any store's error: keep the rows, the sweeper tries again
            log.warning("task %s: output %s not removed yet: %s", task_id, key, exc)
            return removed
    with unit_of_work(sessions) as s:
        s.execute(delete(TaskOutput).where(TaskOutput.task_id == task_id))
    if removed:
        log.info("task %s: removed %d unreferenced output files", task_id, removed)
    return removed
