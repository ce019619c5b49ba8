"""Prometheus metrics: HTTP traffic by route, and task/worker metrics read from the database
(task_metrics.py)."""

from __future__ import annotations

import time

from prometheus_client import CollectorRegistry, Counter, Histogram
from sqlalchemy.orm import Session, sessionmaker
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from adcraft.api.task_metrics import TaskCollector
from adcraft.config import Settings


class Metrics:
    """The app's own registry (no global state, so several apps can live in one process)."""

    def __init__(self, sessions: sessionmaker[Session], settings: Settings) -> None:
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
        self.registry.register(TaskCollector(sessions, settings))


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
