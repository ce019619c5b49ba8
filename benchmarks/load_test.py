"""Load test of the platform on loopback: N users each submitting a brief every few seconds.

Starts `adcraft serve`'s app in a subprocess on 127.0.0.1, then for each user count runs a
bounded window and prints requests/s, queue wait, p50/p95/p99 end-to-end time-to-first-ranked-set
(submit -> task completed -> ranked list fetched), success rate and the server's RSS (process
tree) over the run.

`--runner local` (default): the in-process worker pool, SQLite, local store. `--runner celery`:
the same app publishing to Redis, with one Celery worker process of `--workers` children,
metadata on PostgreSQL (both servers started here, throwaway). `--runner local,celery` runs both
on the same machine one after the other, the local pool on the same PostgreSQL, and prints the
ratio of each figure (celery / local).

    python benchmarks/load_test.py --users 1,5,10,20 --duration 60 --interval 5
    PYTHONPATH=src:. python benchmarks/load_test.py --runner local,celery --users 5,10
"""

from __future__ import annotations

import argparse
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import httpx

BRIEFS = [
    ("Trail 3 Tent", "20% off all tents this weekend"),
    ("Runner X Sneakers", "Second pair 50% off"),
    ("Quiet One Headphones", "Free shipping"),
    ("Morning Brew Coffee Maker", "Save $30 today"),
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def serve(data_dir: str, port: int, workers: int) -> None:
    """Child mode: run the API (its runner, database and broker from ADCRAFT_* variables)."""
    import uvicorn

    from adcraft.api import create_app
    from adcraft.config import load_settings
    from adcraft.container import build

    settings = load_settings().model_copy(update={"data_dir": Path(data_dir)})
    settings.tasks.local_workers = workers
    settings.tasks.max_active_per_tenant = 1000
    uvicorn.run(create_app(build(settings)), host="127.0.0.1", port=port, log_level="warning")


class Backends:
    """The servers a runner needs: PostgreSQL and, for Celery, Redis and a worker process."""

    def __init__(self, runners: list[str]) -> None:
        self.pg: Any = None
        self.redis: Any = None
        if runners != ["local"]:
            from tests.platform.servers import PostgresServer, RedisServer

            self.pg = PostgresServer()
            self.pg.init()  # and started
            self.redis = RedisServer()
            self.redis.start()

    def env(self, runner: str, data: str) -> dict[str, str]:
        """The ADCRAFT_* variables of one runner's API and workers."""
        env = {"ADCRAFT_DATA_DIR": data, "ADCRAFT_TASKS__RUNNER": runner}
        if self.pg is not None:
            env["ADCRAFT_DATABASE__URL"] = self.pg.new_database(f"load_{runner}")
        if runner == "celery":
            env["ADCRAFT_TASKS__BROKER_URL"] = self.redis.url
        return env

    def close(self) -> None:
        if self.redis is not None:
            self.redis.stop()
        if self.pg is not None:
            self.pg.destroy()


def _rss_tree_kb(pid: int) -> int:
    """Resident memory of a process and all its descendants, from /proc."""
    total, todo = 0, [pid]
    children: dict[int, list[int]] = {}
    for d in Path("/proc").iterdir():
        if d.name.isdigit():
            try:
                ppid = int((d / "stat").read_text().rsplit(")", 1)[1].split()[1])
                children.setdefault(ppid, []).append(int(d.name))
            except (OSError, IndexError, ValueError):
                pass
    while todo:
        p = todo.pop()
        todo.extend(children.get(p, []))
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            pass
    return total


def _pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    values = sorted(values)
    k = min(len(values) - 1, max(0, round(q / 100 * (len(values) - 1))))
    return values[k]


class User(threading.Thread):
    """Submits a brief, follows it to a ranked set, waits out the interval, repeats."""

    def __init__(self, base: str, key: str, stop_at: float, interval: float, req: dict[str, Any]):
        super().__init__(daemon=True)
        self.client = httpx.Client(
            base_url=base, headers={"Authorization": f"Bearer {key}"}, timeout=60
        )
        self.stop_at, self.interval, self.req = stop_at, interval, req
        self.e2e: list[float] = []
        self.waits: list[float] = []
        self.ok = self.failed = self.requests = 0

    def run(self) -> None:
        time.sleep(random.uniform(0, self.interval))
        while time.monotonic() < self.stop_at:
            started = time.monotonic()
            name, offer = random.choice(BRIEFS)
            try:
                self._one({"brief": {"product_name": name, "offer": offer}, **self.req})
            except Exception:
                self.failed += 1
            rest = self.interval - (time.monotonic() - started)
            if rest > 0:
                time.sleep(rest * random.uniform(0.8, 1.2))

    def _one(self, body: dict[str, Any]) -> None:
        t0 = time.monotonic()
        r = self.client.post("/api/v1/generate", json=body)
        self.requests += 1
        if r.status_code != 202:
            self.failed += 1
            return
        task_id = r.json()["id"]
        while True:
            time.sleep(0.2)
            t = self.client.get(f"/api/v1/tasks/{task_id}")
            self.requests += 1
            status = t.json()["status"]
            if status in ("completed", "failed"):
                break
            if time.monotonic() - t0 > 300:
                status = "timeout"
                break
        if status != "completed":
            self.failed += 1
            return
        ranked = self.client.get("/api/v1/creatives", params={"task": task_id, "top": 1})
        self.requests += 1
        if ranked.status_code != 200 or not ranked.json()["items"]:
            self.failed += 1
            return
        self.e2e.append(time.monotonic() - t0)
        self.waits.append(float(t.json()["queue_wait_s"] or 0.0))
        self.ok += 1


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--users", default="1,5,10,20")
    ap.add_argument("--duration", type=float, default=60.0, help="seconds per level")
    ap.add_argument("--interval", type=float, default=5.0, help="seconds between a user's briefs")
    ap.add_argument("--formats", default="1:1")
    ap.add_argument("--variants", type=int, default=2)
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--runner", default="local", help="local, celery or local,celery")
    ap.add_argument("--serve", nargs=2, metavar=("DATA_DIR", "PORT"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.serve:
        serve(args.serve[0], int(args.serve[1]), args.workers)
        return
    runners = args.runner.split(",")
    if not set(runners) <= {"local", "celery"}:
        ap.error(f"--runner: {args.runner!r} is not local, celery or local,celery")
    backends = Backends(runners)
    try:
        rows = [row for runner in runners for row in _runner(runner, backends, args)]
    finally:
        backends.close()
    _table(rows, args)
    if len(runners) == 2:
        _ratios(rows)


def _runner(runner: str, backends: Backends, args: argparse.Namespace) -> list[dict[str, Any]]:
    """Every user level against a fresh server of one runner."""
    levels = [int(u) for u in args.users.split(",")]
    data = tempfile.mkdtemp(prefix=f"adcraft-load-{runner}-")
    env = {**os.environ, **backends.env(runner, data)}
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    # One key per simulated user (rate limits are per key, as for real clients).
    keys = _keys(env, max(levels))
    procs = [
        subprocess.Popen(
            [sys.executable, __file__, "--serve", data, str(port), "--workers", str(args.workers)],
            env=env,
        )
    ]
    if runner == "celery":  # one worker process with as many children as the local pool
        worker = ["-m", "adcraft.tasks.celery_app", "--queues", "render,generate"]
        procs.append(
            subprocess.Popen(
                [sys.executable, *worker, "--concurrency", str(args.workers)],
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        )
    try:
        for _ in range(300):
            try:
                if httpx.get(base + "/readyz").status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            time.sleep(0.1)
        req = {"formats": args.formats.split(","), "variants": args.variants}
        rows = []
        for n in levels:
            pids = [p.pid for p in procs]
            rows.append({"runner": runner, **_level(base, keys[:n], n, args, req, pids)})
            print(json.dumps(rows[-1]), flush=True)
        return rows
    finally:
        for p in procs:
            p.terminate()
        for p in procs:
            p.wait(timeout=30)


def _keys(env: dict[str, str], n: int) -> list[str]:
    """A tenant with ``n`` keys in the runner's database."""
    from adcraft.config import load_settings
    from adcraft.container import build
    from adcraft.db.engine import unit_of_work
    from adcraft.db.tenants import add_key, create_tenant

    saved = dict(os.environ)
    os.environ.update(env)
    try:
        c = build(load_settings(), with_runner=False)
    finally:
        os.environ.clear()
        os.environ.update(saved)
    with unit_of_work(c.sessions) as s:
        tenant, first = create_tenant(s, "load", c.secret)
        keys = [first] + [add_key(s, tenant.id, c.secret) for _ in range(n - 1)]
    c.engine.dispose()
    return keys


def _level(
    base: str,
    keys: list[str],
    n: int,
    args: argparse.Namespace,
    req: dict[str, Any],
    pids: list[int],
) -> dict[str, Any]:
    stop_at = time.monotonic() + args.duration
    users = [User(base, keys[i], stop_at, args.interval, req) for i in range(n)]
    rss: list[int] = [sum(_rss_tree_kb(p) for p in pids)]
    t0 = time.monotonic()
    for u in users:
        u.start()
    while any(u.is_alive() for u in users):
        time.sleep(1.0)
        rss.append(sum(_rss_tree_kb(p) for p in pids))
    elapsed = time.monotonic() - t0
    e2e = [x for u in users for x in u.e2e]
    waits = [x for u in users for x in u.waits]
    ok = sum(u.ok for u in users)
    total = ok + sum(u.failed for u in users)
    return {
        "users": n,
        "briefs": total,
        "requests_per_s": round(sum(u.requests for u in users) / elapsed, 1),
        "briefs_per_s": round(ok / elapsed, 2),
        "queue_wait_p50_s": round(statistics.median(waits), 2) if waits else None,
        "queue_wait_p95_s": round(_pct(waits, 95), 2) if waits else None,
        "e2e_p50_s": round(_pct(e2e, 50), 2),
        "e2e_p95_s": round(_pct(e2e, 95), 2),
        "e2e_p99_s": round(_pct(e2e, 99), 2),
        "success": round(ok / total, 4) if total else None,
        "rss_start_mb": round(rss[0] / 1024),
        "rss_end_mb": round(rss[-1] / 1024),
        "rss_max_mb": round(max(rss) / 1024),
    }


def _table(rows: list[dict[str, Any]], args: argparse.Namespace) -> None:
    print(
        f"\nformats={args.formats} variants={args.variants} interval={args.interval}s "
        f"duration={args.duration}s per level, workers={args.workers}"
    )
    cols = [
        "runner",
        "users",
        "briefs",
        "requests_per_s",
        "briefs_per_s",
        "queue_wait_p50_s",
        "queue_wait_p95_s",
        "e2e_p50_s",
        "e2e_p95_s",
        "e2e_p99_s",
        "success",
        "rss_start_mb",
        "rss_end_mb",
        "rss_max_mb",
    ]
    print("| " + " | ".join(cols) + " |")
    print("|" + "---|" * len(cols))
    for r in rows:
        print("| " + " | ".join(str(r[c]) for c in cols) + " |")


def _ratios(rows: list[dict[str, Any]]) -> None:
    """Celery's figures over the local pool's, per user level (same machine, same run)."""
    local = {r["users"]: r for r in rows if r["runner"] == "local"}
    print("\ncelery / local, same run:")
    for r in rows:
        base = local.get(r["users"])
        if r["runner"] != "celery" or base is None:
            continue
        parts = []
        for col in ("briefs_per_s", "queue_wait_p50_s", "e2e_p50_s", "e2e_p95_s", "e2e_p99_s"):
            a, b = r[col], base[col]
            parts.append(f"{col} {a / b:.2f}x" if a is not None and b else f"{col} n/a")
        print(f"  {r['users']} users: " + ", ".join(parts))


if __name__ == "__main__":
    main()
