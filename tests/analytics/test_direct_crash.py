"""Direct path: the API is SIGKILLed while batches are in flight; every event it answered 202
for is stored after the restart (the write-ahead file is fsync'd before the 202), once."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from datetime import UTC, datetime
from pathlib import Path

import httpx

from adcraft.analytics.events import uuid7
from adcraft.analytics.store_chdb import ChdbStore
from tests.platform.servers import free_port, wait_port

ROOT = Path(__file__).resolve().parents[2]


def _start(data: Path, port: int, flush_interval: str) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "PYTHONPATH": f"{ROOT / 'src'}:{ROOT}",
        "ADCRAFT_DATA_DIR": str(data),
        "ADCRAFT_ENVIRONMENT": "test",
        "ADCRAFT_SECURITY__SECRET_KEY": "crash-test-secret-" + "z" * 40,
        "ADCRAFT_EVENTS__FLUSH_INTERVAL_S": flush_interval,
    }
    proc = subprocess.Popen(
        [sys.executable, "-m", "tests.analytics.api_proc", str(port)],
        env=env,
        cwd=ROOT,
        stdout=(data.parent / "api.log").open("ab"),
        stderr=subprocess.STDOUT,
    )
    wait_port(port, timeout=60)
    return proc


def _sender(url: str, key: str, tenant: str, acked: list[str], stop: threading.Event) -> None:
    with httpx.Client(base_url=url, headers={"Authorization": f"Bearer {key}"}) as client:
        while not stop.is_set():
            ids = [str(uuid7()) for _ in range(500)]
            now = datetime.now(UTC).isoformat()
            batch = [
                {
                    "event_id": i,
                    "type": "impression",
                    "ts": now,
                    "tenant_id": tenant,
                    "creative_id": f"c{n % 5}",
                    "campaign_id": "k",
                }
                for n, i in enumerate(ids)
            ]
            try:
                r = client.post("/api/v1/events", json={"events": batch}, timeout=30)
            except httpx.HTTPError:
                return  # the API died with this request in flight: not acknowledged
            if r.status_code == 202:
                acked.extend(ids)


def test_acknowledged_events_survive_a_killed_api(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    port = free_port()
    # The writer flushes once an hour: everything acknowledged sits only in the write-ahead file.
    api = _start(data, port, flush_interval="3600")
    key, tenant = (data / "key.txt").read_text().split()
    acked: list[str] = []
    stop = threading.Event()
    senders = [
        threading.Thread(
            target=_sender, args=(f"http://127.0.0.1:{port}", key, tenant, acked, stop)
        )
        for _ in range(2)
    ]
    for t in senders:
        t.start()
    while len(acked) < 5000:
        assert api.poll() is None
        threading.Event().wait(0.01)
    api.send_signal(signal.SIGKILL)  # requests are in flight
    api.wait(10)
    stop.set()
    for t in senders:
        t.join(30)
    assert list((data / "analytics" / "wal").glob("*.wal")), "nothing was left to replay"
    # Restart: the write-ahead file is replayed into the store; then stop cleanly.
    api = _start(data, port, flush_interval="0.2")
    api.send_signal(signal.SIGTERM)
    assert api.wait(60) in (0, -signal.SIGTERM)  # uvicorn re-raises the signal after shutdown
    store = ChdbStore(data / "analytics" / "chdb")
    try:
        stored = {r["id"] for r in store.query("SELECT toString(event_id) AS id FROM events")}
        assert set(acked) <= stored, f"{len(set(acked) - stored)} acknowledged events lost"
        counts = store.query("SELECT count() AS n, uniqExact(event_id) AS u FROM events")
        assert counts[0]["n"] == counts[0]["u"] == len(stored)
        totals = store.query("SELECT sum(impressions) AS i FROM events_hourly FINAL")
        assert int(totals[0]["i"]) == len(stored)
    finally:
        store.close()
