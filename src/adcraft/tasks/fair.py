"""Which task runs next: round-robin over tenants, with worker slots kept for small tasks.

A FIFO pool lets one tenant's batch of large tasks hold every worker while another tenant's
one-creative task waits behind it. In the local pool each tenant has its own queue and the next
free slot goes to the next tenant in turn; and while ``reserved_small`` slots are free, large
tasks (more than ``small_max`` creatives) leave them to small ones, so a short task starts at
once even when large tasks fill the rest of the pool.

On Celery the same two rules are carried by the message (``celery_route``): its priority is the
number of the tenant's unfinished tasks ahead of it, so the n-th task of every tenant comes
before the (n+1)-th of any (Redis serves priority 0 first, FIFO within one); and a small task
goes to its queue's small lane (``generate.small``), which every worker also reads and a worker
started on the lanes alone keeps for small tasks.
"""

from __future__ import annotations

import threading
from collections import OrderedDict, deque
from dataclasses import dataclass
from typing import Any


def task_size(request: dict[str, Any]) -> int:
    """Creatives a task renders: formats × variants (a re-render: one variant's sizes)."""
    formats = request.get("formats")
    n_formats = len(formats) if isinstance(formats, list) else 1
    variants = request.get("variants")
    return n_formats * (variants if isinstance(variants, int) and variants > 0 else 1)


@dataclass(frozen=True)
class Queued:
    task_id: str
    tenant: str
    size: int


class FairQueue:
    """Per-tenant FIFO queues served in turn, within ``slots`` running tasks (thread-safe)."""

    def __init__(self, slots: int, *, reserved_small: int = 1, small_max: int = 12) -> None:
        self.slots = slots
        # One slot is never reserved away: a pool of one runs everything.
        self.reserved_small = min(reserved_small, max(0, slots - 1))
        self.small_max = small_max
        self._waiting: OrderedDict[str, deque[Queued]] = OrderedDict()
        self._running: dict[str, Queued] = {}
        self._lock = threading.Lock()

    def push(self, task_id: str, tenant: str, size: int) -> None:
        """Queue a task at the back of its tenant's queue."""
        with self._lock:
            self._waiting.setdefault(tenant, deque()).append(Queued(task_id, tenant, size))

    def next(self) -> str | None:
        """The task to start now, or None when no slot may take any waiting task."""
        with self._lock:
            if len(self._running) >= self.slots:
                return None
            large = sum(1 for q in self._running.values() if q.size > self.small_max)
            for tenant in list(self._waiting):
                head = self._waiting[tenant][0]
                if head.size > self.small_max and large >= self.slots - self.reserved_small:
                    continue  # the free slots are kept for small tasks
                rest = self._waiting.pop(tenant)
                rest.popleft()
                if rest:  # served: this tenant goes to the back of the turn order
                    self._waiting[tenant] = rest
                self._running[head.task_id] = head
                return head.task_id
            return None

    def done(self, task_id: str) -> None:
        """A task left its slot (finished, failed or will be retried later)."""
        with self._lock:
            self._running.pop(task_id, None)

    def running(self) -> int:
        """Tasks holding a slot."""
        with self._lock:
            return len(self._running)


SMALL_LANE = ".small"
PRIORITY_LEVELS = 10
"""Redis priorities the workers read (0 first); a tenant's tenth task and later share the last."""


@dataclass(frozen=True)
class Route:
    """Where a Celery message goes: the Redis queue and its priority (0 = first)."""

    queue: str
    priority: int


def celery_route(queue: str, size: int, ahead: int, small_max: int) -> Route:
    """The lane and priority of a task of ``size`` creatives whose tenant has ``ahead``
    unfinished tasks queued before it."""
    lane = queue + SMALL_LANE if size <= small_max else queue
    return Route(lane, min(PRIORITY_LEVELS - 1, max(0, ahead)))


def lanes(queues: list[str]) -> list[str]:
    """The Redis queues a worker reads for the queues it is given: each queue with its small
    lane, so small tasks never wait for a worker of their own; a lane named alone
    (``generate.small``) is read alone: that worker is the slot kept for small tasks."""
    out: list[str] = []
    for q in queues:
        for lane in (q,) if q.endswith(SMALL_LANE) else (q, q + SMALL_LANE):
            if lane not in out:
                out.append(lane)
    return out
