"""Peak memory of reading a tenant's CTR training counts from the embedded analytics store.

Usage:
    python benchmarks/bench_ctr_store_memory.py build DIR [--impressions 1000000] [--seed 0]
    python benchmarks/bench_ctr_store_memory.py measure DIR [--batch 100000]

``build`` fills a chdb store in DIR with one tenant's simulated impression and click events
(simulator world of 200 creatives, 200 000 viewers, 20 impressions a second: about 14 hours).
``measure`` (run it in a fresh process per figure) opens the store, then reads the count rows
the CTR training reads (``StoreCounts.count_rows``) and prints the process's peak resident
memory and how far it rose above the resident memory just before the read. ``--batch`` sets
the page size of the paged reader (leave it out to run code without one).
"""

from __future__ import annotations

import argparse
import resource
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

TENANT = "bench"


def _rss_mib() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def build(path: Path, impressions: int, seed: int) -> None:
    """Write the simulated events into a new store at ``path``."""
    from adcraft.analytics.events import ch_time
    from adcraft.analytics.store_chdb import ChdbStore
    from adcraft.experiments.event_log import impression_events
    from adcraft.experiments.simulator import make_world, simulate_impressions

    world = make_world(200, seed)
    imps = simulate_impressions(world, impressions, seed, users=200_000)
    store = ChdbStore(path)
    store.migrate()
    start = datetime(2026, 1, 1, tzinfo=UTC)
    batch: list[dict[str, Any]] = []
    n = 0
    t0 = time.perf_counter()
    for ev in impression_events(world, imps, tenant_id=TENANT, start=start, per_second=20):
        ts = ch_time(datetime.fromisoformat(ev["ts"].replace("Z", "+00:00")))
        batch.append(
            {
                "event_id": ev["event_id"],
                "type": ev["type"],
                "ts": ts,
                "received_at": ts,
                "tenant_id": TENANT,
                "campaign_id": ev["campaign_id"],
                "task_id": "",
                "creative_id": ev["creative_id"],
                "version": 1,
                "variant": 0,
                "format_id": ev["format_id"],
                "style": ev["style"],
                "experiment_id": "",
                "arm_id": "",
                "placement": ev["placement"],
                "user_hash": ev["user_hash"],
                "session_id": "",
                "value": "0",
                "currency": "",
                "props": f'{{"position":{ev["props"]["position"]}}}',
                "flags": [],
            }
        )
        if len(batch) == 200_000:
            n += store.insert_rows(batch)
            batch = []
    n += store.insert_rows(batch)
    store.close()
    print(f"stored {n} events in {time.perf_counter() - t0:.0f} s at {path}")


def measure(path: Path, batch: int | None) -> None:
    """Read the count rows once and print time and memory."""
    from adcraft.analytics.store_chdb import ChdbStore
    from adcraft.scoring.ctr.store_counts import StoreCounts

    store = ChdbStore(path)
    store.migrate()
    (row,) = store.query("SELECT count() AS n FROM events", None)  # the engine is up
    before = _rss_mib()
    extra: dict[str, Any] = {} if batch is None else {"batch_events": batch}
    counts = StoreCounts(store, TENANT, max_events=10_000_000, **extra)
    t0 = time.perf_counter()
    rows = counts.count_rows()
    took = time.perf_counter() - t0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    store.close()
    print(
        f"{row['n']} events -> {len(rows)} count rows in {took:.1f} s; resident before the "
        f"read {before:.0f} MiB, peak {peak:.0f} MiB (+{peak - before:.0f} MiB)"
    )


def main() -> None:
    """Parse the command line."""
    ap = argparse.ArgumentParser()
    ap.add_argument("command", choices=["build", "measure"])
    ap.add_argument("path", type=Path)
    ap.add_argument("--impressions", type=int, default=1_000_000)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--batch", type=int, default=None)
    args = ap.parse_args()
    if args.command == "build":
        build(args.path, args.impressions, args.seed)
    else:
        measure(args.path, args.batch)


if __name__ == "__main__":
    main()
