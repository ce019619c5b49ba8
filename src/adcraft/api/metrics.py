"""Prometheus metrics: HTTP traffic by route, and task counts read from the database."""

from __future__ import annotations

import time
from collections.abc import Iterator

from prometheus_client import CollectorRegistry, Counter, Histogram
from prometheus_client.core import GaugeMetricFamily, HistogramMetricFamily
from prometheus_client.registry import Collector
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from adcraft.db.models import Task

_WAIT_BUCKETS = (0.1, 0.5, 1, 2, 5, 10, 30, 60, 300, float("inf"))


class Metrics:
    """The app's own registry (no global state, so several apps can live in one process)."""

    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self.registry = CollectorRegistry()
        self.requests = Counter(
            "adcraft_http_requests_total",
            "HTTP requests",
            ["method", "route", "status"],
            registry=self.registry,
        )
        self.latency = Histogram(
            "adcraft_http_request_seconds",
            "HTTP request latency",
            ["method", "route"],
            registry=self.registry,
        )
        self.tasks_submitted = Counter(
            "adcraft_tasks_submitted_total", "Tasks accepted", ["kind"], registry=self.registry
        )
        self.registry.register(_TaskCollector(sessions))


class _TaskCollector(Collector):
    """Tasks by status and recent queue wait, from the database (true across all workers)."""

    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions

    def collect(self) -> Iterator[GaugeMetricFamily | HistogramMetricFamily]:
        g = GaugeMetricFamily("adcraft_tasks", "Tasks by status", labels=["status"])
        try:
            with self._sessions() as s:
                rows = s.execute(select(Task.status, func.count()).group_by(Task.status)).all()
        except Exception:
            rows = []
        counts = dict.fromkeys(("pending", "running", "completed", "failed"), 0)
        counts.update({str(k): int(v) for k, v in rows})
        for status, n in counts.items():
            g.add_metric([status], n)
        yield g


class MetricsMiddleware:
    """Count and time every request by its route template (ids never become label values)."""

    def __init__(self, app: ASGIApp, metrics: Metrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        start = time.perf_counter()
        status = [500]

        async def wrapped(msg: Message) -> None:
            if msg["type"] == "http.response.start":
                status[0] = int(msg["status"])
            await send(msg)

        try:
            await self.app(scope, receive, wrapped)
        finally:
            route = getattr(scope.get("route"), "path", "unmatched")
            method = scope.get("method", "GET")
            self.metrics.requests.labels(method, route, str(status[0])).inc()
            self.metrics.latency.labels(method, route).observe(time.perf_counter() - start)
