"""Task and worker metrics read from the database at scrape time, so they cover every worker.

Workers (Celery processes on other hosts, the local pool's processes) are never scraped: what
they did is in the ``tasks`` and ``workers`` tables. At each scrape this collector

* counts pending tasks per queue and the age of the oldest one (gauges);
* reads the tasks that finished since the previous scrape and adds their queue wait (created →
  first started) and run time (started → finished) to per-queue histograms, and their failures
  to a per-tenant counter — cumulative since this API process started, as Prometheus expects;
* counts workers with a fresh heartbeat, and rows left by workers that died (stale heartbeat).

Every API replica reads the same tables: aggregate the task series across replicas with
``max``, not ``sum``.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from prometheus_client.core import (
    CounterMetricFamily,
    GaugeMetricFamily,
    HistogramMetricFamily,
    Metric,
)
from prometheus_client.registry import Collector
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from adcraft.config import Settings
from adcraft.db.models import Task, WorkerRow, as_utc, utcnow
from adcraft.tasks.liveness import stale_before

log = logging.getLogger("adcraft.metrics")

WAIT_BUCKETS = (0.1, 0.5, 1, 2, 5, 10, 30, 60, 300, 900, 3600)
RUN_BUCKETS = (0.5, 1, 2, 5, 10, 30, 60, 120, 300, 600, 1800)
_LATE_COMMIT = timedelta(seconds=120)
"""``finished_at`` is stamped before its transaction commits: a task may appear with a time
slightly before the previous scrape's newest one. Rows this recent are read again and counted
once (by id)."""


@dataclass
class _Histogram:
    buckets: tuple[float, ...]
    counts: list[int] = field(default_factory=list)
    total: float = 0.0
    n: int = 0

    def observe(self, value: float) -> None:
        if not self.counts:
            self.counts = [0] * len(self.buckets)
        for i, bound in enumerate(self.buckets):
            if value <= bound:
                self.counts[i] += 1
        self.total += value
        self.n += 1

    def exposition(self) -> list[tuple[str, float]]:
        counts = self.counts or [0] * len(self.buckets)
        finite = [(f"{b:g}", float(c)) for b, c in zip(self.buckets, counts, strict=True)]
        return [*finite, ("+Inf", float(self.n))]


class TaskCollector(Collector):
    """See the module docstring."""

    def __init__(self, sessions: sessionmaker[Session], settings: Settings) -> None:
        self._sessions = sessions
        self._settings = settings
        self._lock = threading.Lock()
        self._started = utcnow()
        self._since = self._started
        self._seen: dict[str, datetime] = {}
        self._wait: dict[str, _Histogram] = {}
        self._run: dict[str, _Histogram] = {}
        self._failures: dict[tuple[str, str], int] = {}

    def _queue(self, kind: str) -> str:
        t = self._settings.tasks
        return t.generate_queue if kind == "generate" else t.render_queue

    def collect(self) -> Iterator[Metric]:
        up = GaugeMetricFamily(
            "adcraft_metrics_database_up", "1 when the task metrics below could be read"
        )
        try:
            with self._lock, self._sessions() as s:
                families = [*self._gauges(s), *self._finished(s)]
            up.add_metric([], 1)
        except Exception as exc:  # the database is down: say so instead of failing the scrape
            log.warning("task metrics not read: %s", exc)
            families = []
            up.add_metric([], 0)
        yield up
        yield from families

    def _gauges(self, s: Session) -> list[Metric]:
        now = utcnow()
        by_status = GaugeMetricFamily("adcraft_tasks", "Tasks by status", labels=["status"])
        counts = dict.fromkeys(("pending", "running", "completed", "failed"), 0)
        for status, n in s.execute(select(Task.status, func.count()).group_by(Task.status)):
            counts[str(status)] = int(n)
        for status, n in counts.items():
            by_status.add_metric([status], n)

        depth = GaugeMetricFamily(
            "adcraft_queue_depth", "Tasks waiting to start (pending), per queue", labels=["queue"]
        )
        oldest = GaugeMetricFamily(
            "adcraft_queue_oldest_pending_seconds",
            "Age of the oldest pending task, per queue (0 when none waits)",
            labels=["queue"],
        )
        queues = {self._queue("generate"): (0, 0.0), self._queue("render"): (0, 0.0)}
        rows = s.execute(
            select(Task.kind, func.count(), func.min(Task.created_at))
            .where(Task.status == "pending")
            .group_by(Task.kind)
        )
        for kind, n, first in rows:
            q = self._queue(str(kind))
            age = (now - as_utc(first)).total_seconds() if first is not None else 0.0
            prev_n, prev_age = queues.get(q, (0, 0.0))
            queues[q] = (prev_n + int(n), max(prev_age, age))
        for q, (n, age) in queues.items():
            depth.add_metric([q], n)
            oldest.add_metric([q], max(0.0, age))

        live = GaugeMetricFamily(
            "adcraft_workers_live", "Workers with a fresh heartbeat", labels=["runner"]
        )
        dead = GaugeMetricFamily(
            "adcraft_workers_stale",
            "Worker rows whose heartbeat is older than tasks.stale_after_s (died without "
            "stopping cleanly)",
            labels=["runner"],
        )
        cutoff = stale_before(self._settings, now)
        live_n = dict.fromkeys(("celery", "local"), 0)
        dead_n = dict.fromkeys(("celery", "local"), 0)
        for runner, beat in s.execute(select(WorkerRow.runner, WorkerRow.heartbeat_at)):
            target = live_n if as_utc(beat) >= cutoff else dead_n
            target[str(runner)] = target.get(str(runner), 0) + 1
        for runner, n in live_n.items():
            live.add_metric([runner], n)
        for runner, n in dead_n.items():
            dead.add_metric([runner], n)
        return [by_status, depth, oldest, live, dead]

    def _finished(self, s: Session) -> list[Metric]:
        floor = max(self._started, self._since - _LATE_COMMIT)
        rows = s.execute(
            select(
                Task.id,
                Task.kind,
                Task.tenant_id,
                Task.status,
                Task.error,
                Task.created_at,
                Task.started_at,
                Task.finished_at,
            ).where(Task.finished_at >= floor, Task.status.in_(("completed", "failed")))
        ).all()
        newest = self._since
        for task_id, kind, tenant, status, error, created, started, finished in rows:
            finished = as_utc(finished)
            newest = max(newest, finished)
            if task_id in self._seen:
                continue
            self._seen[task_id] = finished
            q = self._queue(str(kind))
            if started is not None:
                started = as_utc(started)
                wait = (started - as_utc(created)).total_seconds()
                self._wait.setdefault(q, _Histogram(WAIT_BUCKETS)).observe(max(0.0, wait))
                run = (finished - started).total_seconds()
                self._run.setdefault(q, _Histogram(RUN_BUCKETS)).observe(max(0.0, run))
            if status == "failed":
                reason = str((error or {}).get("type") or "unknown")[:60]
                key = (str(tenant), reason)
                self._failures[key] = self._failures.get(key, 0) + 1
        self._since = newest
        horizon = newest - _LATE_COMMIT
        self._seen = {k: v for k, v in self._seen.items() if v >= horizon}
        return [*self._histograms(), self._failure_counter()]

    def _histograms(self) -> list[Metric]:
        out: list[Metric] = []
        for name, text, hists, buckets in (
            (
                "adcraft_task_queue_wait_seconds",
                "From submission to the first start, per queue (finished tasks)",
                self._wait,
                WAIT_BUCKETS,
            ),
            (
                "adcraft_task_run_seconds",
                "From the first start to completion or failure, per queue",
                self._run,
                RUN_BUCKETS,
            ),
        ):
            fam = HistogramMetricFamily(name, text, labels=["queue"])
            for q in {self._queue("generate"), self._queue("render"), *hists}:
                h = hists.get(q, _Histogram(buckets))
                fam.add_metric([q], h.exposition(), h.total)
            out.append(fam)
        return out

    def _failure_counter(self) -> Metric:
        fam = CounterMetricFamily(
            "adcraft_task_failures",
            "Failed tasks per tenant and error type, since this API process started",
            labels=["tenant", "reason"],
        )
        for (tenant, reason), n in sorted(self._failures.items()):
            fam.add_metric([tenant, reason], n)
        return fam
