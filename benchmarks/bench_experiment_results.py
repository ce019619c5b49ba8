"""Time of an experiment's results counts: credited per viewer (raw events) vs the hourly table.

Usage:
    python benchmarks/bench_experiment_results.py [--events 1000000] [--viewers 200000]

Fills a temporary chdb store with one experiment's impression and click events (3 arms, 14
days, about 3 % clicks, viewers drawn uniformly, seed 0), then times, best of two,
``results.CREDITED_COUNTS_SQL`` (what ``GET /experiments/{id}/results`` reads) and the hourly
per-arm counts serving's adaptive shares read, and prints both with their total clicks.
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from datetime import timedelta
from pathlib import Path

from adcraft.analytics.events import Event, now_utc, uuid7
from adcraft.analytics.store_chdb import ChdbStore
from adcraft.api.routes.experiments import ARM_COUNTS_SQL
from adcraft.experiments.results import CREDITED_COUNTS_SQL


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--events", type=int, default=1_000_000)
    ap.add_argument("--viewers", type=int, default=200_000)
    args = ap.parse_args()
    store = ChdbStore(Path(tempfile.mkdtemp()) / "events")
    store.migrate()
    rnd, now, batch = random.Random(0), now_utc(), []
    for _ in range(args.events):
        viewer = rnd.randrange(args.viewers)
        at = now - timedelta(days=rnd.randrange(14), minutes=rnd.randrange(600))
        batch.append(
            Event(
                event_id=uuid7(),
                type="click" if rnd.random() < 0.03 else "impression",
                ts=at,
                tenant_id="t1",
                creative_id="c",
                experiment_id="x",
                arm_id=f"a{viewer % 3}",
                user_hash=f"{viewer:032x}",
            ).received(at)
        )
        if len(batch) == 100_000:
            store.insert(batch)
            batch = []
    store.insert(batch)
    params = {"tenant": "t1", "experiment": "x"}
    for name, sql in (("credited per viewer", CREDITED_COUNTS_SQL), ("hourly", ARM_COUNTS_SQL)):
        best = float("inf")
        for _ in range(2):
            t = time.perf_counter()
            rows = store.query(sql, params)
            best = min(best, time.perf_counter() - t)
        clicks = sum(int(r["clicks"]) for r in rows)
        print(f"{name}: {best * 1000:.0f} ms, {clicks} clicks")
    store.close()


if __name__ == "__main__":
    main()
