"""The catalog as a service: each tenant's feeds, runs and webhooks under one folder, and the
supervisors of the runs this process started.

    <data_dir>/catalog/<tenant>/bulk.db        runs, items, webhooks, deliveries
    <data_dir>/catalog/<tenant>/feeds/<id>     uploaded or fetched feed files
    <data_dir>/catalog/<tenant>/creatives/     content-addressed outputs, shared by runs
"""

from __future__ import annotations

import re
import shutil
import threading
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from adcraft.catalog.bulk.runner import Supervisor, create_run, state_path
from adcraft.catalog.bulk.spec import RunSpec
from adcraft.catalog.bulk.state import RunState
from adcraft.catalog.delivery.notify import Notifier
from adcraft.catalog.feeds.download import download_feed
from adcraft.catalog.feeds.importer import FeedOptions, ImportReport, open_feed
from adcraft.errors import Conflict, InputError, NotFound

_ID = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
ACTIONS = ("pause", "resume", "cancel", "retry")
# The run states each action may start from. A finished run is not paused or resumed: the
# request answers 409 instead of quietly rewriting a completed run's status.
_FROM: dict[str, tuple[str, ...]] = {
    "pause": ("running",),
    "resume": ("running", "paused"),  # running: restart workers lost with a server restart
    "cancel": ("running", "paused"),
}
_STATUS = {"pause": "paused", "resume": "running", "cancel": "cancelled"}
_DONE = {"pause": "paused", "resume": "resumed", "cancel": "cancelled"}


@dataclass
class CatalogService:
    """Feeds, runs and webhooks of every tenant under ``root``."""

    root: Path
    lease_s: float = 120.0
    _running: dict[str, tuple[Supervisor, threading.Thread]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

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
        workers: int,
        *,
        paused: bool = False,
    ) -> tuple[str, ImportReport]:
        """Import the feed into a run and start its worker processes in the background; a
        ``paused`` run is queued and waits for ``resume`` (to read its import report first)."""
        out = self.folder(tenant)
        run_id, report = create_run(self.feed_path(tenant, feed_id), options, spec, out)
        if paused:
            st = self.state(tenant)
            try:
                st.set_status(run_id, "paused")
            finally:
                st.close()
        else:
            self.supervise(tenant, run_id, workers)
        return run_id, report

    def control(self, tenant: str, run_id: str, action: str, workers: int) -> dict[str, Any]:
        """pause, resume, cancel or retry (the failed products only) a run; its view after.

        Raises NotFound for an unknown run or action, Conflict when the run's state does not
        allow the action (pausing a finished run, retrying a run with no failed product)."""
        if action not in ACTIONS:
            raise NotFound(f"unknown run action {action!r}: use one of {', '.join(ACTIONS)}")
        st = self.state(tenant)
        try:
            if action == "retry":
                if st.run(run_id) is None:
                    raise NotFound(f"no run {run_id!r}")
                if not st.progress(run_id).failed:
                    raise Conflict(f"run {run_id} has no failed products to retry")
                st.retry_failed(run_id)
            else:
                was = st.set_status(run_id, _STATUS[action], only_from=_FROM[action])
                if was is None:
                    raise NotFound(f"no run {run_id!r}")
                if was not in _FROM[action]:
                    raise Conflict(f"run {run_id} is {was}: it cannot be {_DONE[action]}")
        finally:
            st.close()
        if action in ("resume", "retry"):
            self.supervise(tenant, run_id, workers)
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

    def supervise(self, tenant: str, run_id: str, workers: int) -> None:
        """(Re)start worker processes for a run unless this process already supervises it."""
        key = f"{tenant}/{run_id}"
        with self._lock:
            if key in self._running and self._running[key][1].is_alive():
                return
            out = self.folder(tenant)
            notifier = Notifier(state_path(out))
            sup = Supervisor(out, run_id, workers=workers, lease_s=self.lease_s, notify=notifier)
            sup.start()

            def wait() -> None:
                try:
                    sup.wait()
                finally:
                    notifier.close()

            thread = threading.Thread(target=wait, name=f"adcraft-run-{run_id}", daemon=True)
            thread.start()
            self._running[key] = (sup, thread)

    def wait(self, tenant: str, run_id: str, timeout_s: float | None = None) -> None:
        """Wait for this process's supervisor of a run (tests, shutdown)."""
        entry = self._running.get(f"{tenant}/{run_id}")
        if entry is not None:
            entry[1].join(timeout_s)

    def stop(self) -> None:
        """Stop every worker this process started (their products resume after the lease)."""
        with self._lock:
            for sup, _ in self._running.values():
                sup.stop()
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
            }
        finally:
            st.close()
