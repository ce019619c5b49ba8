"""A bulk run's state in SQLite: the run, one item per product, leases and an event log.

SQLite in WAL mode is the queue of record for the worker processes of one machine: a worker
claims an item inside ``BEGIN IMMEDIATE`` (one writer at a time), holds it under a lease, and
completes it only while it still owns the lease. A worker that dies (SIGKILL, OOM) simply stops
renewing; its item is claimed again when the lease runs out. Completion is an update guarded
by ``status='running' AND lease_owner=me``, so an item is completed once however many workers
touched it; the outputs are content-addressed, so a repeat writes identical files.
"""

from __future__ import annotations

import json
import sqlite3
import time
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from adcraft.catalog.bulk.spec import RunSpec, output_key
from adcraft.catalog.feeds.record import FeedProduct

SCHEMA = """
CREATE TABLE IF NOT EXISTS runs (
    id TEXT PRIMARY KEY,
    spec TEXT NOT NULL,
    feed TEXT NOT NULL,
    status TEXT NOT NULL,              -- running, paused, interrupted, cancelled, completed
    report TEXT,
    created_at REAL NOT NULL,
    finished_at REAL,
    workers INTEGER,                   -- worker processes it was last (re)started with
    supervisor TEXT,                   -- the process supervising it, under a lease ...
    supervisor_until REAL              -- ... it renews; run out: nobody is on the run
);
CREATE TABLE IF NOT EXISTS items (
    run_id TEXT NOT NULL,
    seq INTEGER NOT NULL,
    product_id TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    out_key TEXT NOT NULL,
    product TEXT NOT NULL,
    status TEXT NOT NULL,              -- pending, running, completed, failed, cancelled
    attempts INTEGER NOT NULL DEFAULT 0,
    completions INTEGER NOT NULL DEFAULT 0,
    reused INTEGER NOT NULL DEFAULT 0,
    lease_owner TEXT,
    lease_until REAL,
    error TEXT,
    finished_at REAL,
    PRIMARY KEY (run_id, product_id)
);
CREATE INDEX IF NOT EXISTS items_queue ON items (run_id, status, seq);
CREATE TABLE IF NOT EXISTS outputs (
    out_key TEXT PRIMARY KEY,
    product_id TEXT NOT NULL,
    run_id TEXT NOT NULL,
    created_at REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS workers (
    id TEXT PRIMARY KEY,
    run_id TEXT NOT NULL,
    pid INTEGER NOT NULL,
    started_at REAL NOT NULL,
    seen_at REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    run_id TEXT NOT NULL,
    product_id TEXT,
    kind TEXT NOT NULL,
    worker TEXT,
    at REAL NOT NULL
);
"""
TERMINAL = ("completed", "failed", "cancelled")
# Columns added after the first release: older state files get them on open.
_ADDED = {"runs": (("workers", "INTEGER"), ("supervisor", "TEXT"), ("supervisor_until", "REAL"))}


@dataclass(frozen=True)
class Claimed:
    """An item a worker now owns."""

    run_id: str
    product: FeedProduct
    out_key: str
    attempts: int


@dataclass(frozen=True)
class Progress:
    """Counts of a run's items by status."""

    status: str
    total: int
    pending: int
    running: int
    completed: int
    failed: int
    cancelled: int
    reused: int

    @property
    def done(self) -> int:
        """Items that will not change any more."""
        return self.completed + self.failed + self.cancelled

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready counts."""
        return {**self.__dict__, "done": self.done}


class RunState:
    """One SQLite file shared by the coordinator and its workers (each opens its own)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        # isolation_level=None: transactions are explicit, so BEGIN IMMEDIATE means what it says.
        self._db = sqlite3.connect(path, timeout=60, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.executescript(SCHEMA)
        self._upgrade()
        self._importing: dict[str, tuple[str, float]] = {}

    def _upgrade(self) -> None:
        for table, columns in _ADDED.items():
            have = {r[1] for r in self._db.execute(f"PRAGMA table_info({table})")}
            for name, kind in columns:
                if name not in have:
                    try:
                        self._db.execute(f"ALTER TABLE {table} ADD COLUMN {name} {kind}")
                    except sqlite3.OperationalError as exc:
                        # Another process opening the same file added it first.
                        if "duplicate column" not in str(exc):
                            raise

    def close(self) -> None:
        """Close the connection."""
        self._db.close()

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        self._db.execute("BEGIN IMMEDIATE")
        try:
            yield self._db
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")

    # -- runs -------------------------------------------------------------------------------

    def create_run(
        self,
        spec: RunSpec,
        feed: str,
        run_id: str | None = None,
        *,
        status: str = "running",
        supervisor: str | None = None,
        lease_s: float = 120.0,
        workers: int | None = None,
    ) -> str:
        """A new run ('running' or 'paused') with no items yet.

        ``supervisor`` holds the run's lease from the first moment, renewed while ``add_items``
        imports: otherwise another process looking for unsupervised runs could start workers
        on a half-imported run, and they would complete it before its last products arrive."""
        rid = run_id or uuid.uuid4().hex[:16]
        now = time.time()
        with self._write() as db:
            db.execute(
                "INSERT INTO runs (id, spec, feed, status, created_at, supervisor, "
                "supervisor_until, workers) VALUES (?,?,?,?,?,?,?,?)",
                (
                    rid,
                    spec.model_dump_json(),
                    feed,
                    status,
                    now,
                    supervisor,
                    now + lease_s if supervisor else None,
                    workers,
                ),
            )
        if supervisor:
            self._importing[rid] = (supervisor, lease_s)
        return rid

    def add_items(self, run_id: str, spec: RunSpec, products: Iterable[FeedProduct]) -> int:
        """Queue products in batches; a product whose output exists is completed as reused."""
        settings = spec.settings_hash()
        n = 0
        batch: list[tuple[Any, ...]] = []

        hold = self._importing.get(run_id)

        def flush() -> None:
            with self._write() as db:
                if hold is not None:
                    db.execute(
                        "UPDATE runs SET supervisor_until=? WHERE id=? AND supervisor=?",
                        (time.time() + hold[1], run_id, hold[0]),
                    )
                for row in batch:
                    key = row[4]
                    done = db.execute("SELECT 1 FROM outputs WHERE out_key=?", (key,)).fetchone()
                    status = "completed" if done else "pending"
                    db.execute(
                        "INSERT INTO items (run_id, seq, product_id, content_hash, out_key, "
                        "product, status, reused, finished_at) VALUES (?,?,?,?,?,?,?,?,?)",
                        (*row, status, 1 if done else 0, time.time() if done else None),
                    )
                    if done:
                        self._event(db, run_id, row[2], "reused", None)
            batch.clear()

        for product in products:
            h = product.content_hash()
            batch.append(
                (run_id, n, product.id, h, output_key(h, settings), product.model_dump_json())
            )
            n += 1
            if len(batch) >= 500:
                flush()
        if batch:
            flush()
        return n

    def set_report(self, run_id: str, report: dict[str, Any]) -> None:
        """Keep the import report with the run."""
        with self._write() as db:
            db.execute("UPDATE runs SET report=? WHERE id=?", (json.dumps(report), run_id))

    def run(self, run_id: str) -> dict[str, Any] | None:
        """The run's row, spec and report decoded."""
        row = self._db.execute(
            "SELECT id, spec, feed, status, report, created_at, finished_at FROM runs WHERE id=?",
            (run_id,),
        ).fetchone()
        if row is None:
            return None
        return {
            "id": row[0],
            "spec": json.loads(row[1]),
            "feed": row[2],
            "status": row[3],
            "report": json.loads(row[4]) if row[4] else None,
            "created_at": row[5],
            "finished_at": row[6],
        }

    def runs(self) -> list[str]:
        """Run ids, newest first."""
        return [r[0] for r in self._db.execute("SELECT id FROM runs ORDER BY created_at DESC")]

    def set_status(
        self, run_id: str, status: str, only_from: tuple[str, ...] | None = None
    ) -> str | None:
        """Pause, resume ('running'), cancel (pending items become cancelled) or complete.

        With ``only_from``, nothing changes unless the run is in one of those states, checked in
        the same transaction (a worker may complete the run between a caller's read and write).
        Returns the status the run had (None: no such run)."""
        with self._write() as db:
            row = db.execute("SELECT status FROM runs WHERE id=?", (run_id,)).fetchone()
            if row is None or (only_from is not None and row[0] not in only_from):
                return None if row is None else str(row[0])
            db.execute(
                "UPDATE runs SET status=?, finished_at=? WHERE id=?",
                (status, time.time() if status in ("completed", "cancelled") else None, run_id),
            )
            if status == "cancelled":
                db.execute(
                    "UPDATE items SET status='cancelled', finished_at=? "
                    "WHERE run_id=? AND status='pending'",
                    (time.time(), run_id),
                )
            self._event(db, run_id, None, f"run.{status}", None)
        return str(row[0])

    def retry_failed(self, run_id: str) -> int:
        """Queue the failed items again (and only those); the run is running again. With no
        failed item nothing changes (a finished run stays finished). Returns items queued."""
        with self._write() as db:
            n = db.execute(
                "UPDATE items SET status='pending', attempts=0, error=NULL, finished_at=NULL "
                "WHERE run_id=? AND status='failed'",
                (run_id,),
            ).rowcount
            if n:
                db.execute(
                    "UPDATE runs SET status='running', finished_at=NULL WHERE id=?", (run_id,)
                )
                self._event(db, run_id, None, "run.retried", None)
        return int(n)

    # -- supervision ------------------------------------------------------------------------

    def supervise(
        self, run_id: str, owner: str, lease_s: float, workers: int | None = None
    ) -> bool:
        """Take (or keep) the run's supervisor lease; False while another live process has it.

        One conditional update inside ``BEGIN IMMEDIATE``: of two processes starting at once,
        exactly one gets a run whose lease has run out."""
        now = time.time()
        with self._write() as db:
            row = db.execute("SELECT supervisor FROM runs WHERE id=?", (run_id,)).fetchone()
            n = db.execute(
                "UPDATE runs SET supervisor=?, supervisor_until=?, workers=COALESCE(?, workers) "
                "WHERE id=? AND (supervisor IS NULL OR supervisor=? OR supervisor_until<?)",
                (owner, now + lease_s, workers, run_id, owner, now),
            ).rowcount
            if n and row is not None and row[0] != owner:
                self._event(db, run_id, None, "supervised", owner)
        return bool(n)

    def release_supervision(self, run_id: str, owner: str, workers: Iterable[str] = ()) -> int:
        """Give up the run's supervisor lease, and put back the products ``workers`` (this
        supervisor's, all stopped) held: the next supervisor starts on them at once instead of
        after their leases. Their interrupted attempt is not counted. Returns products put back.
        """
        ids = list(workers)
        with self._write() as db:
            n = 0
            if ids:
                marks = ",".join("?" * len(ids))
                n = db.execute(
                    "UPDATE items SET status='pending', lease_owner=NULL, lease_until=NULL, "
                    "attempts=MAX(attempts-1, 0) WHERE run_id=? AND status='running' "
                    f"AND lease_owner IN ({marks})",
                    (run_id, *ids),
                ).rowcount
            db.execute(
                "UPDATE runs SET supervisor=NULL, supervisor_until=NULL "
                "WHERE id=? AND supervisor=?",
                (run_id, owner),
            )
        return int(n)

    def orphaned(self) -> list[str]:
        """Running runs nobody supervises: no supervisor lease, or one that ran out."""
        now = time.time()
        rows = self._db.execute(
            "SELECT id FROM runs WHERE status='running' "
            "AND (supervisor IS NULL OR supervisor_until<?) ORDER BY created_at",
            (now,),
        )
        return [r[0] for r in rows]

    def interrupt(self, run_id: str) -> bool:
        """Mark a running run nobody supervises 'interrupted' (it waits for ``resume``); False
        when it is supervised again or no longer running (checked in the same transaction)."""
        now = time.time()
        with self._write() as db:
            n = db.execute(
                "UPDATE runs SET status='interrupted' WHERE id=? AND status='running' "
                "AND (supervisor IS NULL OR supervisor_until<?)",
                (run_id, now),
            ).rowcount
            if n:
                self._event(db, run_id, None, "run.interrupted", None)
        return bool(n)

    def workers_wanted(self, run_id: str) -> int | None:
        """The worker count the run was last started with (None: not recorded)."""
        row = self._db.execute("SELECT workers FROM runs WHERE id=?", (run_id,)).fetchone()
        return None if row is None or row[0] is None else int(row[0])

    def progress(self, run_id: str) -> Progress:
        """Item counts by status."""
        run = self._db.execute("SELECT status FROM runs WHERE id=?", (run_id,)).fetchone()
        counts = dict(
            self._db.execute(
                "SELECT status, COUNT(*) FROM items WHERE run_id=? GROUP BY status", (run_id,)
            ).fetchall()
        )
        reused = self._db.execute(
            "SELECT COUNT(*) FROM items WHERE run_id=? AND reused=1", (run_id,)
        ).fetchone()[0]
        return Progress(
            status=run[0] if run else "unknown",
            total=sum(counts.values()),
            pending=counts.get("pending", 0),
            running=counts.get("running", 0),
            completed=counts.get("completed", 0),
            failed=counts.get("failed", 0),
            cancelled=counts.get("cancelled", 0),
            reused=int(reused),
        )

    def items(
        self,
        run_id: str,
        status: str | None = None,
        limit: int | None = None,
        offset: int = 0,
    ) -> list[dict[str, Any]]:
        """Per-product status rows, in feed order (a page of them when ``limit`` is given)."""
        sql = (
            "SELECT product_id, status, attempts, completions, reused, out_key, error "
            "FROM items WHERE run_id=?"
        )
        args: tuple[Any, ...] = (run_id,)
        if status:
            sql += " AND status=?"
            args += (status,)
        sql += " ORDER BY seq"
        if limit is not None:
            sql += " LIMIT ? OFFSET ?"
            args += (limit, offset)
        rows = self._db.execute(sql, args).fetchall()
        keys = ("product_id", "status", "attempts", "completions", "reused", "out_key", "error")
        return [dict(zip(keys, r, strict=True)) for r in rows]

    def events(self, run_id: str, kind: str | None = None) -> list[tuple[str | None, str]]:
        """(product id, kind) of the run's events in order."""
        sql = "SELECT product_id, kind FROM events WHERE run_id=?"
        args: tuple[Any, ...] = (run_id,)
        if kind:
            sql += " AND kind=?"
            args += (kind,)
        return [(r[0], r[1]) for r in self._db.execute(sql + " ORDER BY id", args)]

    # -- workers ----------------------------------------------------------------------------

    def register_worker(self, run_id: str, worker: str, pid: int) -> None:
        """Record a worker process (its pid lets operators and tests find it)."""
        now = time.time()
        with self._write() as db:
            db.execute(
                "INSERT OR REPLACE INTO workers (id, run_id, pid, started_at, seen_at) "
                "VALUES (?,?,?,?,?)",
                (worker, run_id, pid, now, now),
            )

    def worker_pids(self, run_id: str) -> list[int]:
        """Pids of the workers registered for a run."""
        return [
            r[0]
            for r in self._db.execute(
                "SELECT pid FROM workers WHERE run_id=? ORDER BY started_at", (run_id,)
            )
        ]

    def claim(self, run_id: str, worker: str, lease_s: float, max_attempts: int) -> Claimed | None:
        """The next pending item, or one whose worker's lease ran out; None when none."""
        now = time.time()
        with self._write() as db:
            status = db.execute("SELECT status FROM runs WHERE id=?", (run_id,)).fetchone()
            if status is None or status[0] != "running":
                return None
            # Items whose lease ran out too often are failed, not retried forever.
            db.execute(
                "UPDATE items SET status='failed', finished_at=?, "
                "error='gave up: its worker stopped on every attempt' "
                "WHERE run_id=? AND status='running' AND lease_until<? AND attempts>=?",
                (now, run_id, now, max_attempts),
            )
            row = db.execute(
                "SELECT product_id, product, out_key, attempts FROM items WHERE run_id=? AND "
                "(status='pending' OR (status='running' AND lease_until<?)) ORDER BY seq LIMIT 1",
                (run_id, now),
            ).fetchone()
            if row is None:
                return None
            db.execute(
                "UPDATE items SET status='running', attempts=attempts+1, lease_owner=?, "
                "lease_until=? WHERE run_id=? AND product_id=?",
                (worker, now + lease_s, run_id, row[0]),
            )
            db.execute("UPDATE workers SET seen_at=? WHERE id=?", (now, worker))
            self._event(db, run_id, row[0], "claimed", worker)
        return Claimed(run_id, FeedProduct.model_validate_json(row[1]), row[2], row[3] + 1)

    def renew(self, item: Claimed, worker: str, lease_s: float) -> bool:
        """Extend this worker's lease on an item it is still working on; False when it lost it."""
        now = time.time()
        with self._write() as db:
            n = db.execute(
                "UPDATE items SET lease_until=? "
                "WHERE run_id=? AND product_id=? AND status='running' AND lease_owner=?",
                (now + lease_s, item.run_id, item.product.id, worker),
            ).rowcount
            db.execute("UPDATE workers SET seen_at=? WHERE id=?", (now, worker))
        return bool(n)

    def complete(self, item: Claimed, worker: str) -> bool:
        """Mark the item completed if this worker still owns it; False when another did."""
        now = time.time()
        with self._write() as db:
            n = db.execute(
                "UPDATE items SET status='completed', completions=completions+1, finished_at=?, "
                "lease_owner=NULL, lease_until=NULL, error=NULL "
                "WHERE run_id=? AND product_id=? AND status='running' AND lease_owner=?",
                (now, item.run_id, item.product.id, worker),
            ).rowcount
            if n:
                db.execute(
                    "INSERT OR IGNORE INTO outputs (out_key, product_id, run_id, created_at) "
                    "VALUES (?,?,?,?)",
                    (item.out_key, item.product.id, item.run_id, now),
                )
                self._event(db, item.run_id, item.product.id, "completed", worker)
        return bool(n)

    def fail(self, item: Claimed, worker: str, error: str, retry: bool) -> None:
        """Record a failure: back to pending when worth retrying, else failed."""
        with self._write() as db:
            db.execute(
                "UPDATE items SET status=?, error=?, lease_owner=NULL, lease_until=NULL, "
                "finished_at=? WHERE run_id=? AND product_id=? AND status='running' "
                "AND lease_owner=?",
                (
                    "pending" if retry else "failed",
                    error[:2000],
                    None if retry else time.time(),
                    item.run_id,
                    item.product.id,
                    worker,
                ),
            )
            self._event(db, item.run_id, item.product.id, "retry" if retry else "failed", worker)

    def finish_if_done(self, run_id: str) -> bool:
        """Complete a running run once no item is pending or running; True when finished."""
        with self._write() as db:
            left = db.execute(
                "SELECT COUNT(*) FROM items WHERE run_id=? AND status IN ('pending','running')",
                (run_id,),
            ).fetchone()[0]
            status = db.execute("SELECT status FROM runs WHERE id=?", (run_id,)).fetchone()
            if left or status is None or status[0] != "running":
                return False
            db.execute(
                "UPDATE runs SET status='completed', finished_at=? WHERE id=?",
                (time.time(), run_id),
            )
            self._event(db, run_id, None, "run.completed", None)
        return True

    @staticmethod
    def _event(
        db: sqlite3.Connection, run_id: str, product_id: str | None, kind: str, worker: str | None
    ) -> None:
        db.execute(
            "INSERT INTO events (run_id, product_id, kind, worker, at) VALUES (?,?,?,?,?)",
            (run_id, product_id, kind, worker, time.time()),
        )
