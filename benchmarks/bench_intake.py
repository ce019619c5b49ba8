"""/healthz latency while clients without a key send 1/5/10/26 MiB JSON bodies.

    PYTHONPATH=src:. python benchmarks/bench_intake.py [--no-throttle]

Starts the API (thread workers, SQLite in a temp folder) on loopback, runs three flooding clients
and polls /healthz 300 times; prints p50/p99/max and what the flood got back. ``--no-throttle``
lifts the per-client limit so every flood request is answered from its headers (413).
"""

from __future__ import annotations

import collections
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx
from tests.platform.conftest import SECRET, make_stack
from tests.platform.servers import ServerThread
from tests.platform.test_security import MiB, _many_keys, _raw_post

from adcraft.api import create_app
from adcraft.config import Settings


def main() -> None:
    settings = Settings(
        environment="test",
        data_dir=Path(tempfile.mkdtemp()),
        tasks={"local_workers": 1, "local_mode": "thread"},
        limits={"anonymous_rate_limit_per_minute": 10**6 if "--no-throttle" in sys.argv else 120},
        security={"secret_key": SECRET},
    )
    container, _, _ = make_stack("bench", settings)
    bodies = [_many_keys(m * MiB) for m in (1, 5, 10, 26)]
    got: collections.Counter[int] = collections.Counter()
    stop = threading.Event()
    with ServerThread(create_app(container)) as srv:

        def flood() -> None:
            while not stop.is_set():
                for b in bodies:
                    h = {"Content-Type": "application/json", "Content-Length": str(len(b))}
                    got[_raw_post(srv.url, "/api/v1/generate", h, b)[0]] += 1

        threads = [threading.Thread(target=flood, daemon=True) for _ in range(3)]
        for t in threads:
            t.start()
        waits = []
        with httpx.Client(base_url=srv.url) as c:
            for _ in range(300):
                t0 = time.perf_counter()
                c.get("/healthz").raise_for_status()
                waits.append(time.perf_counter() - t0)
                time.sleep(0.01)
        stop.set()
        for t in threads:
            t.join()
    waits.sort()
    ms = [round(1000 * waits[int(len(waits) * q) - 1], 1) for q in (0.5, 0.99, 1.0)]
    print(f"/healthz p50 {ms[0]} ms, p99 {ms[1]} ms, max {ms[2]} ms; flood answers {dict(got)}")


if __name__ == "__main__":
    main()
