"""Load test of the platform on loopback: N users each submitting a brief every few seconds.

Starts `adcraft serve`'s app (in-process worker pool, SQLite, local store) in a subprocess on
127.0.0.1, then for each user count runs a bounded window and prints requests/s, queue wait,
p50/p95/p99 end-to-end time-to-first-ranked-set (submit -> task completed -> ranked list
fetched), success rate and the server's RSS (process tree) over the run.

    python benchmarks/load_test.py --users 1,5,10,20 --duration 60 --interval 5
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
    """Child mode: run the API with its in-process pool."""
    import uvicorn

    from adcraft.api import create_app
    from adcraft.config import Settings
    from adcraft.container import build

    settings = Settings(
        data_dir=Path(data_dir),
        tasks={"local_workers": workers, "max_active_per_tenant": 1000},
    )
    uvicorn.run(create_app(build(settings)), host="127.0.0.1", port=port, log_level="warning")


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
    ap.add_argument("--serve", nargs=2, metavar=("DATA_DIR", "PORT"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.serve:
        serve(args.serve[0], int(args.serve[1]), args.workers)
        return
    levels = [int(u) for u in args.users.split(",")]
    data = tempfile.mkdtemp(prefix="adcraft-load-")
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    # One key per simulated user (rate limits are per key, as for real clients).
    from adcraft.config import Settings
    from adcraft.container import build
    from adcraft.db.engine import unit_of_work
    from adcraft.db.tenants import add_key, create_tenant

    c = build(Settings(data_dir=Path(data)), with_runner=False)
    with unit_of_work(c.sessions) as s:
        tenant, first = create_tenant(s, "load", c.secret)
        keys = [first] + [add_key(s, tenant.id, c.secret) for _ in range(max(levels) - 1)]
    c.engine.dispose()
    server = subprocess.Popen(
        [sys.executable, __file__, "--serve", data, str(port), "--workers", str(args.workers)]
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
            rows.append(_level(base, keys[:n], n, args, req, server.pid))
            print(json.dumps(rows[-1]), flush=True)
        _table(rows, args)
    finally:
        server.terminate()
        server.wait(timeout=20)


def _level(
    base: str, keys: list[str], n: int, args: argparse.Namespace, req: dict[str, Any], pid: int
) -> dict[str, Any]:
    stop_at = time.monotonic() + args.duration
    users = [User(base, keys[i], stop_at, args.interval, req) for i in range(n)]
    rss: list[int] = [_rss_tree_kb(pid)]
    t0 = time.monotonic()
    for u in users:
        u.start()
    while any(u.is_alive() for u in users):
        time.sleep(1.0)
        rss.append(_rss_tree_kb(pid))
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


if __name__ == "__main__":
    main()
