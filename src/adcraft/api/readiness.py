"""Readiness: can this process take work right now? One bounded check per dependency.

``/readyz`` runs every check at once, each in its own thread, and waits at most
``server.ready_timeout_s`` for each: a hanging dependency (an S3 endpoint that never answers, a
database behind a dropped firewall rule) counts as down after that instead of holding the probe.
A check still running from an earlier probe is not started again: it answers "timeout" until it
returns, so a hung dependency costs one thread, not one per probe.

Checks, by name:

* ``database`` — a trivial query on the metadata database;
* ``queue`` — the task queue accepts work (Redis answers PING in Celery mode; the in-process pool
  runs in local mode);
* ``workers`` — at least one worker's heartbeat is fresh (``tasks.stale_after_s``): with none,
  accepted tasks would wait forever;
* ``disk`` — free space under the data folder (and the asset folder when it is elsewhere) is at
  least ``server.min_free_disk_mb``;
* ``store`` — the asset store answers (folder writable, or the bucket reachable);
* ``analytics`` — the analytics event store answers a query; "skipped" when analytics are
  disabled (it never fails readiness then).
"""

from __future__ import annotations

import os
import shutil
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from adcraft.analytics.service import Analytics
from adcraft.container import Container
from adcraft.db.engine import ping
from adcraft.tasks.liveness import live_workers

State = Literal["ok", "down", "timeout", "skipped"]


class CheckFailed(Exception):
    """A check found its dependency unusable; the message says how."""


class Skipped(Exception):
    """The dependency is not used by this setup; the message says why."""


@dataclass(frozen=True)
class CheckResult:
    name: str
    state: State
    detail: str
    ms: float

    @property
    def ok(self) -> bool:
        return self.state in ("ok", "skipped")


Probe = Callable[[], str]
"""Returns a short detail when the dependency is usable, raises ``CheckFailed`` (or anything)
when it is not."""


class Readiness:
    """The checks of one app, and which of them are still running from an earlier probe."""

    def __init__(self, container: Container, analytics: Callable[[], Analytics | None]) -> None:
        self.container = container
        self.analytics = analytics
        self._running: dict[str, threading.Thread] = {}
        self._lock = threading.Lock()

    def probes(self) -> dict[str, Probe]:
        return {
            "database": self._database,
            "queue": self._queue,
            "workers": self._workers,
            "disk": self._disk,
            "store": self._store,
            "analytics": self._analytics,
        }

    def run(self) -> list[CheckResult]:
        """Every check, each within ``ready_timeout_s`` (they run side by side)."""
        timeout = self.container.settings.server.ready_timeout_s
        started = time.monotonic()
        boxes: dict[str, list[CheckResult]] = {}
        threads: dict[str, threading.Thread | None] = {}
        for name, probe in self.probes().items():
            boxes[name] = []
            threads[name] = self._start(name, probe, boxes[name])
        results = []
        for name, thread in threads.items():
            if thread is not None:
                thread.join(max(0.0, started + timeout - time.monotonic()))
            if boxes[name]:
                results.append(boxes[name][0])
            else:
                detail = (
                    f"no answer within ready_timeout_s={timeout:g}"
                    if thread is not None
                    else "the previous check has not answered yet"
                )
                ms = (time.monotonic() - started) * 1000
                results.append(CheckResult(name, "timeout", detail, round(ms, 1)))
        return results

    def _start(self, name: str, probe: Probe, box: list[CheckResult]) -> threading.Thread | None:
        with self._lock:
            previous = self._running.get(name)
            if previous is not None and previous.is_alive():
                return None
            thread = threading.Thread(
                target=self._call, args=(name, probe, box), name=f"readyz-{name}", daemon=True
            )
            self._running[name] = thread
            thread.start()
            return thread

    @staticmethod
    def _call(name: str, probe: Probe, box: list[CheckResult]) -> None:
        t0 = time.monotonic()
        try:
            state: State = "ok"
            detail = probe()
        except Skipped as exc:
            state, detail = "skipped", str(exc)
        except Exception as exc:  # any failure of a dependency is "down", with its reason
            state, detail = "down", (str(exc) or type(exc).__name__)[:300]
        box.append(CheckResult(name, state, detail, round((time.monotonic() - t0) * 1000, 1)))

    # The checks -------------------------------------------------------------------------

    def _database(self) -> str:
        if not ping(self.container.engine):
            raise CheckFailed("the metadata database does not answer")
        return "answers"

    def _queue(self) -> str:
        runner = self.container.runner
        if runner is None:
            raise CheckFailed("this process has no task runner")
        if not runner.ping():
            if self.container.settings.tasks.runner == "celery":
                raise CheckFailed("the broker (Redis) does not answer")
            raise CheckFailed("the worker pool is not running")
        return "accepts tasks"

    def _workers(self) -> str:
        settings = self.container.settings
        with self.container.sessions() as s:
            n = live_workers(s, settings)
        if n == 0:
            raise CheckFailed(
                f"no worker has sent a heartbeat in the last {settings.tasks.stale_after_s:g} s"
                + (" (start one: adcraft worker)" if settings.tasks.runner == "celery" else "")
            )
        return f"{n} live"

    def _disk(self) -> str:
        settings = self.container.settings
        need = settings.server.min_free_disk_mb
        paths = [settings.data_dir]
        root = getattr(self.container.store, "root", None)
        if isinstance(root, Path):
            paths.append(root)
        seen: set[int] = set()
        parts = []
        for path in paths:
            dev = os.stat(path).st_dev
            if dev in seen:
                continue
            seen.add(dev)
            free = shutil.disk_usage(path).free // 2**20
            if free < need:
                raise CheckFailed(
                    f"{free} MB free under {path}, below server.min_free_disk_mb={need}"
                )
            parts.append(f"{free} MB free under {path}")
        return "; ".join(parts)

    def _store(self) -> str:
        if not self.container.store.ping():
            raise CheckFailed(f"the {self.container.store.name} asset store does not answer")
        return "answers"

    def _analytics(self) -> str:
        analytics = self.analytics()
        if analytics is None or not analytics.settings.enabled:
            raise Skipped("analytics are disabled")
        if analytics.sink is None:
            raise CheckFailed(analytics.problem or "analytics are not running")
        if analytics.store is None:  # events go through Kafka; the consumer owns the store
            raise Skipped("the event store belongs to 'adcraft events consume'")
        analytics.store.query("SELECT 1 AS one")
        return "answers"
