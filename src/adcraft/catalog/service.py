"""The catalog as a service: each tenant's feeds, runs and webhooks under one folder, and the
supervisors of the runs this process started.

    <data_dir>/catalog/<tenant>/bulk.db        runs, items, webhooks, deliveries
    <data_dir>/catalog/<tenant>/feeds/<id>     uploaded or fetched feed files
    <data_dir>/catalog/<tenant>/creatives/     content-addressed outputs, shared by runs
"""

from __future__ import annotations

import logging
import re
import shutil
import threading
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from adcraft.catalog.bulk.control import apply_action
from adcraft.catalog.bulk.runner import STATE_FILE, Supervisor, create_run, owner_id, state_path
from adcraft.catalog.bulk.spec import RunSpec
from adcraft.catalog.bulk.state import RunState
from adcraft.catalog.delivery.notify import Notifier
from adcraft.catalog.feeds.download import download_feed
from adcraft.catalog.feeds.importer import FeedOptions, ImportReport, open_feed
from adcraft.errors import InputError, NotFound
from adcraft.problem_codes import refuse

_ID = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
log = logging.getLogger("adcraft.catalog")


@dataclass
class CatalogService:
    """Feeds, runs and webhooks of every tenant under ``root``."""

    root: Path
    lease_s: float = 120.0
    """Seconds before a silent worker's product, or a silent process's run, is taken over."""
    resume_interrupted: bool = True
    """Runs whose supervising process is gone are resumed by ``recover`` (else 'interrupted')."""
    default_workers: int = 2
    max_workers: int = 16
    owner: str = field(default_factory=lambda: owner_id("api"))
    _running: dict[str, tuple[Supervisor, threading.Thread]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _closed: threading.Event = field(default_factory=threading.Event)
    _sweeper: threading.Thread | None = None

    def folder(self, tenant: str) -> Path:
        """The tenant's catalog folder."""
        if not _ID.match(tenant):
            raise InputError("tenant id is not path-safe")
        path = self.root / tenant
        path.mkdir(parents=True, exist_ok=True)
        return path

    def state(self, tenant: str) -> RunState:
        """A connection to the tenant's run state (the caller closes it)."""
        return RunState(state_path(self.folder(tenant)))

    # -- feeds ------------------------------------------------------------------------------

    def save_feed(self, tenant: str, upload: IO[bytes] | None, url: str | None) -> str:
        """Keep an uploaded or fetched feed; its id."""
        feed_id = uuid.uuid4().hex[:16]
        dest = self.folder(tenant) / "feeds" / feed_id
        dest.parent.mkdir(parents=True, exist_ok=True)
        if upload is not None:
            with dest.open("wb") as f:
                shutil.copyfileobj(upload, f, 1 << 20)
        elif url:
            download_feed(url, dest)
        else:
            raise InputError("give a feed: upload a file or pass its http(s) url")
        return feed_id

    def feed_path(self, tenant: str, feed_id: str) -> Path:
        """The stored feed file."""
        path = self.folder(tenant) / "feeds" / feed_id
        if not _ID.match(feed_id) or not path.is_file():
            raise NotFound(f"no feed {feed_id!r}: upload it first")
        return path

    def check_feed(self, tenant: str, feed_id: str, options: FeedOptions) -> ImportReport:
        """Read the whole feed and report (nothing is queued)."""
        reader, fh = open_feed(self.feed_path(tenant, feed_id), options)
        with fh:
            for _ in reader.products():
                pass
        return reader.report

    # -- runs -------------------------------------------------------------------------------

    def start_run(
        self,
        tenant: str,
        feed_id: str,
        options: FeedOptions,
        spec: RunSpec,
        workers: int | None = None,
        *,
        paused: bool = False,
    ) -> tuple[str, ImportReport]:
        """Import the feed into a run and start its worker processes in the background; a
        ``paused`` run is queued and waits for ``resume`` (to read its import report first)."""
        count = self.worker_count(workers)
        out = self.folder(tenant)
        run_id, report = create_run(
            self.feed_path(tenant, feed_id),
            options,
            spec,
            out,
            paused=paused,
            supervisor=None if paused else self.owner,
            lease_s=self.lease_s,
            workers=count,
        )
        if not paused:
            self.supervise(tenant, run_id, count)
        return run_id, report

    def worker_count(self, workers: int | None, recorded: int | None = None) -> int:
        """``workers`` checked against ``max_workers``; when not given, the count the run was
        last started with (``recorded``), else ``default_workers``."""
        if workers is None:
            return min(recorded or self.default_workers, self.max_workers)
        if not 1 <= workers <= self.max_workers:
            raise refuse("run_workers_out_of_range", max=self.max_workers)
        return workers

    def control(
        self, tenant: str, run_id: str, action: str, workers: int | None = None
    ) -> dict[str, Any]:
        """pause, resume, cancel or retry (the failed products only) a run; its view after.

        Raises NotFound for an unknown run or action, Conflict when the run's state does not
        allow the action (pausing a finished run, retrying a run with no failed product),
        InputError for a worker count above ``max_workers``. ``workers`` applies to resume
        and retry; without it a run restarts with the count it had."""
        st = self.state(tenant)
        try:
            count = self.worker_count(workers, st.workers_wanted(run_id))
            apply_action(st, run_id, action)
        finally:
            st.close()
        if action in ("resume", "retry"):
            self.supervise(tenant, run_id, count)
        return self.run_view(tenant, run_id)

    def runs(self, tenant: str, limit: int = 100) -> list[dict[str, Any]]:
        """The tenant's runs, newest first: status, progress and settings (no import report)."""
        st = self.state(tenant)
        try:
            out = []
            for run_id in st.runs()[:limit]:
                run = st.run(run_id)
                if run is None:
                    continue
                spec = run["spec"]
                out.append(
                    {
                        "id": run_id,
                        "status": run["status"],
                        "created_at": run["created_at"],
                        "finished_at": run["finished_at"],
                        "formats": spec.get("formats", []),
                        "variants": spec.get("variants"),
                        "progress": st.progress(run_id).as_dict(),
                    }
                )
            return out
        finally:
            st.close()

    def supervise(self, tenant: str, run_id: str, workers: int) -> bool:
        """(Re)start worker processes for a run unless a live process already supervises it
        (this one: its worker count becomes ``workers``). False when another process has it."""
        key = f"{tenant}/{run_id}"
        with self._lock:
            if self._closed.is_set():
                return False
            out = self.folder(tenant)
            entry = self._running.get(key)
            if entry is not None and entry[1].is_alive():
                entry[0].workers = max(entry[0].workers, workers)
                return entry[0].acquire()
            notifier = Notifier(state_path(out))
            sup = Supervisor(
                out,
                run_id,
                workers=workers,
                lease_s=self.lease_s,
                notify=notifier,
                owner=self.owner,
            )
            if not sup.acquire():
                notifier.close()
                return False
            sup.start()

            def wait() -> None:
                try:
                    sup.wait()
                finally:
                    notifier.close()

            thread = threading.Thread(target=wait, name=f"adcraft-run-{run_id}", daemon=True)
            thread.start()
            self._running[key] = (sup, thread)
            return True

    def tenants(self) -> list[str]:
        """Tenants with run state under ``root``."""
        if not self.root.is_dir():
            return []
        return sorted(
            p.name for p in self.root.iterdir() if _ID.match(p.name) and (p / STATE_FILE).is_file()
        )

    def recover(self) -> list[tuple[str, str]]:
        """Runs left 'running' by a process that stopped or died (their supervisor lease ran
        out): resumed here, or marked 'interrupted' when ``resume_interrupted`` is off.

        Safe in any number of processes at once: taking a run is one conditional update, so
        exactly one resumes it. Their products held by dead workers are claimed again once
        each (a product's lease ran out, or was put back when its supervisor stopped).
        Returns the (tenant, run) pairs this call resumed or marked."""
        done: list[tuple[str, str]] = []
        for tenant in self.tenants():
            st = self.state(tenant)
            try:
                orphans = [(r, st.workers_wanted(r)) for r in st.orphaned()]
                if not self.resume_interrupted:
                    for run_id, _ in orphans:
                        if st.interrupt(run_id):
                            log.warning("bulk run %s/%s interrupted: resume it", tenant, run_id)
                            done.append((tenant, run_id))
                    continue
            finally:
                st.close()
            for run_id, recorded in orphans:
                if self.supervise(tenant, run_id, self.worker_count(None, recorded)):
                    log.warning("bulk run %s/%s had no live workers: resumed", tenant, run_id)
                    done.append((tenant, run_id))
        return done

    def start_recovery(self, every_s: float | None = None) -> None:
        """``recover`` now and then every ``every_s`` (default: a quarter lease) until ``stop``:
        a process that died just before this one started still holds its lease for a while."""
        interval = every_s if every_s is not None else max(1.0, self.lease_s / 4)
        self._closed.clear()  # a stopped service may be started again (one app after another)

        def sweep() -> None:
            while not self._closed.is_set():
                try:
                    self.recover()
                except Exception:  # a broken tenant file must not end recovery for the rest
                    log.exception("bulk run recovery failed")
                self._closed.wait(interval)

        self._sweeper = threading.Thread(target=sweep, name="adcraft-run-recovery", daemon=True)
        self._sweeper.start()

    def wait(self, tenant: str, run_id: str, timeout_s: float | None = None) -> None:
        """Wait for this process's supervisor of a run (tests, shutdown)."""
        entry = self._running.get(f"{tenant}/{run_id}")
        if entry is not None:
            entry[1].join(timeout_s)

    def stop(self) -> None:
        """Stop every worker this process started and hand their runs back: products in hand
        are queued again and the runs stay 'running', for the next process to resume."""
        self._closed.set()
        if self._sweeper is not None:
            self._sweeper.join()
        with self._lock:
            for sup, _ in self._running.values():
                sup.stop()
            for _, thread in self._running.values():
                thread.join(30)
            self._running.clear()

    def run_view(self, tenant: str, run_id: str) -> dict[str, Any]:
        """A run's settings, import report and progress."""
        st = self.state(tenant)
        try:
            run = st.run(run_id)
            if run is None:
                raise LookupError(run_id)
            return {
                **run,
                "progress": st.progress(run_id).as_dict(),
                "worker_pids": st.worker_pids(run_id),
                "workers": st.workers_wanted(run_id),
            }
        finally:
            st.close()
