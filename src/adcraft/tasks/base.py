"""The TaskRunner port: hand a committed task id to whatever executes it."""

from __future__ import annotations

from typing import Protocol, runtime_checkable


@runtime_checkable
class TaskRunner(Protocol):
    """Runs tasks by id; ``submit`` is called only after the task row is committed."""

    name: str

    def start(self) -> None:
        """Begin accepting work (and pick up unfinished tasks when the runner owns them)."""
        ...

    def submit(self, task_id: str, queue: str) -> None:
        """Queue a task; QueueUnavailable when it cannot be queued."""
        ...

    def ping(self) -> bool:
        """True when tasks can be queued."""
        ...

    def stop(self) -> None:
        """Stop accepting work and release resources."""
        ...
