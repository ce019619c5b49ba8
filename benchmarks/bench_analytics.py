"""Analytics benchmarks: store inserts, HTTP batch ingestion, dashboard queries over N events.

    PYTHONPATH=src python benchmarks/bench_analytics.py --http 50000 --insert 200000 \
        --dashboard-events 10000000 [--lifecycle-every 100]

Prints events/s and, per dashboard panel, p50/p95 over 20 runs on chdb.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.analytics.test_dashboards import _expand

from adcraft.analytics.dashboards import DASHBOARDS
from adcraft.analytics.events import Event, now_utc, uuid7
from adcraft.analytics.store_chdb import ChdbStore


def bench_insert(store: ChdbStore, total: int, batch: int = 5000) -> float:
    """Store rows per second (the consumer's path: rows in, dedup check, insert, recompute)."""
    at = now_utc()
    rows = [
        Event(
            event_id=uuid7(),
            type="impression",
            ts=at,
            tenant_id="bench",
            creative_id=f"c{i % 50}",
            campaign_id="k",
        )
        .received(at)
        .to_row()
        for i in range(total)
    ]
    start = time.perf_counter()
    for n in range(0, total, batch):
        store.insert_rows(rows[n : n + batch])
    return total / (time.perf_counter() - start)


def bench_http(total: int, tmp: Path) -> float:
    """Events per second through POST /events (1000 per request, one client)."""
    from tests.analytics.app_fixtures import start_app

    for app in start_app(tmp, flush_interval_s=0.5):
        ts = datetime.now(UTC).isoformat()
        bodies = [
            {
                "events": [
                    {
                        "event_id": str(uuid7()),
                        "type": "impression",
                        "ts": ts,
                        "tenant_id": app.tenant_a,
                        "creative_id": "c",
                    }
                    for _ in range(1000)
                ]
            }
            for _ in range(total // 1000)
        ]
        start = time.perf_counter()
        for body in bodies:
            assert app.post("/events", app.key_a, json=body).status_code == 202
        app.client.app.state.analytics.sink.flush(600)  # type: ignore[attr-defined]
        return total / (time.perf_counter() - start)
    raise AssertionError


LIFECYCLE = "['generate_started', 'edit', 'regenerate', 'export', 'download', 'approve']"


def seed(store: ChdbStore, n: int, lifecycle_every: int = 0) -> None:
    """n synthetic events over 30 days in one INSERT … SELECT, then the hourly aggregates.

    ``lifecycle_every`` > 0 makes every such event a lifecycle event (start, edit, regenerate,
    export, download, approve in turn): the pilot rollup's worst case grows with them."""
    every = max(lifecycle_every, 0)
    lifecycle = (
        f"number % {every} = 1, {LIFECYCLE}[intDiv(number, {every}) % 6 + 1], " if every else ""
    )
    store.command(f"""INSERT INTO events (event_id, type, ts, received_at, tenant_id, campaign_id,
        task_id, creative_id, version, variant, format_id, style, experiment_id, arm_id, props)
    SELECT generateUUIDv7(), multiIf({lifecycle}number % 40 = 0, 'click', number % 997 = 0,
        'generate_finished', 'impression'),
        now64(3) - toIntervalSecond(number % 2592000), now64(3), 't1',
        concat('k', toString(number % 20)),
        concat('t', toString(number % 5000)), concat('c', toString(number % 2000)), 1, number % 6,
        concat('f', toString(number % 30)), ['bold','minimal','lifestyle'][number % 3 + 1],
        'x', concat('a', toString(number % 3)),
        concat('{{"duration_ms":', toString(number % 60000), ',"creatives":6',
            ',"edit_distance":', toString((number % 10) / 10), '}}')
    FROM numbers({n})""")
    store.recompute_tenant("t1")


def bench_dashboards(store: ChdbStore, runs: int = 20) -> list[tuple[str, float, float]]:
    out = []
    for uid, (_title, panels) in DASHBOARDS.items():
        if uid == "adcraft-system":
            continue
        for panel in panels:
            sql = _expand(panel.query)
            times = []
            for _ in range(runs):
                start = time.perf_counter()
                store.query(sql)
                times.append((time.perf_counter() - start) * 1000)
            times.sort()
            out.append(
                (f"{uid}: {panel.title}", statistics.median(times), times[int(0.95 * (runs - 1))])
            )
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--insert", type=int, default=100_000)
    ap.add_argument("--http", type=int, default=20_000)
    ap.add_argument("--dashboard-events", type=int, default=1_000_000)
    ap.add_argument(
        "--lifecycle-every",
        type=int,
        default=0,
        help="make every Nth seeded event a lifecycle event (0: only generate_finished)",
    )
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="bench-analytics-"))
    if args.http:
        print(f"HTTP batches: {bench_http(args.http, tmp / 'http'):,.0f} events/s")
    store = ChdbStore(tmp / "store")
    store.migrate()
    if args.insert:
        print(f"store insert (consumer path): {bench_insert(store, args.insert):,.0f} events/s")
    store.delete_tenant("bench")
    start = time.perf_counter()
    seed(store, args.dashboard_events, args.lifecycle_every)
    print(f"seeded {args.dashboard_events:,} events in {time.perf_counter() - start:.1f} s")
    for name, p50, p95 in bench_dashboards(store):
        print(f"{p50:8.1f} ms p50 {p95:8.1f} ms p95  {name}")
    store.close()


if __name__ == "__main__":
    main()
