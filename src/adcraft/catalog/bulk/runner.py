"""Start a bulk run and supervise its worker processes until every product is done.

The supervisor keeps ``workers`` processes alive while work remains: a worker that died is
replaced, and its item is claimed again when its lease runs out. It holds no run state of its
own, so it can itself be restarted (``resume``) at any time.

A supervisor holds the run's supervisor lease in the state file and renews it while it waits:
a process that finds a running run whose lease ran out knows nobody is on it (the process that
supervised it stopped or died) and may take it over (see ``CatalogService.recover``). Only one
process gets the lease, so two servers starting at once never both resume a run.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from adcraft.catalog.bulk.spec import RunSpec
from adcraft.catalog.bulk.state import Progress, RunState
from adcraft.catalog.feeds.importer import FeedOptions, ImportReport, open_feed
from adcraft.domain.formats import default_registry
from adcraft.errors import InputError
from adcraft.layout.styles import get_style

STATE_FILE = "bulk.db"
CREATIVES = "creatives"
POLL_S = 0.2


def state_path(out_dir: Path) -> Path:
    """The SQLite file of the runs writing into ``out_dir``."""
    return out_dir / STATE_FILE


def create_run(
    feed: Path,
    options: FeedOptions,
    spec: RunSpec,
    out_dir: Path,
    run_id: str | None = None,
    *,
    paused: bool = False,
    supervisor: str | None = None,
    lease_s: float = 120.0,
    workers: int | None = None,
) -> tuple[str, ImportReport]:
    """Import the feed (streamed) into a new run's items; products rendered before are reused.

    ``supervisor`` (the owner of the ``Supervisor`` that will run it) holds the run from the
    start, so no other process takes a half-imported run over."""
    check_spec(spec)
    reader, fh = open_feed(feed, options)
    state = RunState(state_path(out_dir))
    try:
        with fh:
            rid = state.create_run(
                spec,
                str(feed),
                run_id,
                status="paused" if paused else "running",
                supervisor=supervisor,
                lease_s=lease_s,
                workers=workers,
            )
            state.add_items(rid, spec, reader.products())
        state.set_report(rid, reader.report.model_dump(mode="json"))
    finally:
        state.close()
    return rid, reader.report


def owner_id(kind: str) -> str:
    """A name for a supervising process, unique across machines, processes and restarts."""
    return f"{kind}-{socket.gethostname()}-{os.getpid()}-{uuid.uuid4().hex[:6]}"


def check_spec(spec: RunSpec) -> None:
    """Refuse unknown formats and styles before any product is queued."""
    fmts = default_registry().select(list(spec.formats))
    if any(f.kind == "logo" or not f.width for f in fmts):
        raise InputError("logo and text-only formats are not made in bulk runs: pick image formats")
    for style in spec.styles or ():
        get_style(style)
    for rule in spec.rules:
        if rule.style:
            get_style(rule.style)


@dataclass
class Supervisor:
    """Runs ``workers`` worker processes for one run and replaces those that die."""

    out_dir: Path
    run_id: str
    workers: int = 2
    lease_s: float = 120.0
    max_attempts: int = 3
    env: dict[str, str] | None = None
    notify: Callable[[str, dict[str, Any]], None] | None = None
    """Called with run events (run.started, product.failed, run.completed...) for webhooks."""
    owner: str = field(default_factory=lambda: owner_id("supervisor"))
    """Who holds the run's supervisor lease (see ``acquire``)."""
    procs: list[subprocess.Popen[bytes]] = field(default_factory=list)
    replaced: int = 0
    worker_ids: list[str] = field(default_factory=list)
    """Every worker this supervisor started (their leases are put back when it stops)."""
    _seen_status: str = ""
    _seen_failed: set[str] = field(default_factory=set)
    _stopping: threading.Event = field(default_factory=threading.Event)
    _procs_lock: threading.Lock = field(default_factory=threading.Lock)

    def acquire(self) -> bool:
        """Take the run's supervisor lease; False while another live process holds it."""
        state = RunState(state_path(self.out_dir))
        try:
            return state.supervise(self.run_id, self.owner, self.lease_s, self.workers)
        finally:
            state.close()

    def _spawn(self) -> subprocess.Popen[bytes]:
        worker = f"{self.owner}.{len(self.worker_ids)}"
        self.worker_ids.append(worker)
        cmd = [
            sys.executable,
            "-m",
            "adcraft.catalog.bulk.worker",
            str(state_path(self.out_dir)),
            self.run_id,
            str(self.out_dir / CREATIVES),
            "--lease",
            str(self.lease_s),
            "--max-attempts",
            str(self.max_attempts),
            "--worker",
            worker,
        ]
        env = {**os.environ, **(self.env or {})}
        return subprocess.Popen(cmd, env=env, stdin=subprocess.DEVNULL)

    def start(self) -> None:
        """Start the worker processes."""
        with self._procs_lock:
            self.procs = [self._spawn() for _ in range(self.workers)]
        self._emit("run.started", {"workers": self.workers})

    def _emit(self, event: str, data: dict[str, Any]) -> None:
        if self.notify is not None:
            self.notify(event, {"run": self.run_id, **data})

    def _events(self, state: RunState, prog: Progress) -> None:
        """Turn what changed since the last look into run events."""
        if self.notify is None:
            return
        if prog.failed > len(self._seen_failed):
            for item in state.items(self.run_id, "failed"):
                if item["product_id"] not in self._seen_failed:
                    self._seen_failed.add(item["product_id"])
                    self._emit(
                        "product.failed",
                        {"product_id": item["product_id"], "error": item["error"]},
                    )
        if prog.status != self._seen_status:
            self._seen_status = prog.status
            if prog.status in ("paused", "cancelled", "completed"):
                self._emit(f"run.{prog.status}", prog.as_dict())

    def step(self, state: RunState) -> Progress:
        """Replace dead workers while work remains; the run's progress."""
        prog = state.progress(self.run_id)
        with self._procs_lock:
            if not self._stopping.is_set():
                self._replace(prog)
        return prog

    def _replace(self, prog: Progress) -> None:
        if prog.status == "running" and (prog.pending or prog.running):
            for i, p in enumerate(self.procs):
                if p.poll() is not None and p.returncode != 0:
                    self.procs[i] = self._spawn()
                    self.replaced += 1
            if all(p.poll() is not None for p in self.procs):
                # Every worker finished cleanly yet work remains (resumed, or leases expiring).
                self.procs = [self._spawn() for _ in range(self.workers)]
            while len(self.procs) < self.workers:  # resumed with more workers
                self.procs.append(self._spawn())

    def wait(
        self, on_progress: Callable[[Progress], None] | None = None, timeout_s: float | None = None
    ) -> Progress:
        """Until the run is completed or cancelled (paused runs keep waiting), or ``stop``."""
        state = RunState(state_path(self.out_dir))
        deadline = None if timeout_s is None else time.monotonic() + timeout_s
        renew_at = time.monotonic() + self.lease_s / 3
        try:
            while not self._stopping.is_set():
                if time.monotonic() >= renew_at:
                    # supervise, not a bare renewal: a supervisor started without
                    # ``acquire`` (benchmarks, tests) takes a free lease here.
                    if not state.supervise(self.run_id, self.owner, self.lease_s):
                        # Another process took the run over (this one stalled past its
                        # lease): leave it to that one; our workers finish what they hold.
                        prog = state.progress(self.run_id)
                        break
                    renew_at = time.monotonic() + self.lease_s / 3
                prog = self.step(state)
                if on_progress:
                    on_progress(prog)
                if prog.status in ("completed", "cancelled") or (
                    prog.status == "running" and not prog.pending and not prog.running
                ):
                    state.finish_if_done(self.run_id)
                    prog = state.progress(self.run_id)
                    self._events(state, prog)
                    break
                self._events(state, prog)
                if deadline is not None and time.monotonic() > deadline:
                    break
                self._stopping.wait(POLL_S)
            else:
                prog = state.progress(self.run_id)
        finally:
            state.close()
        if not self._stopping.is_set():
            self.join()
            self.release()
        return prog

    def release(self) -> int:
        """Give up the supervisor lease; products this supervisor's (stopped) workers held are
        queued again at once. Returns how many were put back."""
        state = RunState(state_path(self.out_dir))
        try:
            return state.release_supervision(self.run_id, self.owner, self.worker_ids)
        finally:
            state.close()

    def join(self, timeout_s: float = 30.0) -> None:
        """Wait for the workers to exit (they do once nothing is left), then stop stragglers."""
        end = time.monotonic() + timeout_s
        for p in self.procs:
            try:
                p.wait(max(0.1, end - time.monotonic()))
            except subprocess.TimeoutExpired:
                p.send_signal(signal.SIGTERM)
                p.wait(10)

    def stop(self) -> None:
        """Stop every worker now and hand the run back: the products in hand are queued again
        and the supervisor lease is released, so the next process to start resumes the run at
        once (a supervisor that dies instead is taken over when its lease runs out)."""
        with self._procs_lock:
            self._stopping.set()  # no worker is replaced from here on
            for p in self.procs:
                if p.poll() is None:
                    p.send_signal(signal.SIGTERM)
            for p in self.procs:
                try:
                    p.wait(10)
                except subprocess.TimeoutExpired:
                    p.kill()
                    p.wait()
        self.release()
