"""POST /events and GET /analytics through the real app and the embedded store."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from adcraft.analytics.events import uuid7
from tests.analytics.app_fixtures import App, start_app
from tests.platform.servers import free_port


@pytest.fixture
def app(tmp_path: Path) -> Iterator[App]:
    yield from start_app(tmp_path)


def ev(tenant: str, type: str = "impression", **fields: Any) -> dict[str, Any]:
    return {
        "event_id": str(uuid7()),
        "type": type,
        "ts": datetime.now(UTC).isoformat(),
        "tenant_id": tenant,
        **fields,
    }


def _flush(app: App) -> None:
    app.client.app.state.analytics.sink.flush()  # type: ignore[attr-defined]


def test_batch_with_bad_items_reports_each_by_index(app: App) -> None:
    good = ev(app.tenant_a, creative_id="c1", campaign_id="k1")
    batch = [
        good,
        {**ev(app.tenant_a), "type": "hover"},
        {k: v for k, v in ev(app.tenant_a).items() if k != "tenant_id"},  # the caller's
        dict(good),  # duplicate within the batch
        {**ev(app.tenant_a), "surprise": 1},
        "not an object",
        ev(
            app.tenant_a,
            "click",
            creative_id="c1",
            campaign_id="k1",
            ts=(datetime.now(UTC) + timedelta(days=2)).isoformat(),
        ),
    ]
    r = app.post("/events", app.key_a, json={"events": batch})
    assert r.status_code == 202, r.text
    body = r.json()
    statuses = [x["status"] for x in body["results"]]
    assert statuses == [
        "accepted",
        "rejected",
        "accepted",
        "duplicate",
        "rejected",
        "rejected",
        "accepted",
    ]
    assert "type" in body["results"][1]["error"]
    assert "surprise" in body["results"][4]["error"]
    assert body["results"][6]["flags"] == ["ts_future"]
    assert (body["accepted"], body["rejected"], body["duplicates"]) == (3, 3, 1)
    # An event naming another tenant refuses the whole batch.
    r = app.post("/events", app.key_a, json={"events": [ev(app.tenant_a), ev(app.tenant_b)]})
    assert r.status_code == 403 and "[1]" in r.json()["detail"]
    # Sending the same events again stores nothing new.
    assert app.post("/events", app.key_a, json={"events": [good]}).status_code == 202
    _flush(app)
    summary = app.get("/analytics/summary", app.key_a, params={"campaign_id": "k1"}).json()
    assert (summary["impressions"], summary["clicks"]) == (1, 1)
    assert summary["ctr"] == 1.0
    # Tenant B sees none of it.
    other = app.get("/analytics/summary", app.key_b).json()
    assert other["impressions"] == 0


def test_oversized_batches_are_refused_before_parsing(app: App) -> None:
    big = b"{" + b" " * (50 * 2**20) + b"}"
    r = app.client.post(
        "/api/v1/events",
        content=big,
        headers={**app.headers(app.key_a), "content-type": "application/json"},
    )
    assert r.status_code == 413
    many = {"events": [ev(app.tenant_a) for _ in range(1001)]}
    r = app.post("/events", app.key_a, json=many)
    assert r.status_code == 413 and "1000" in r.json()["detail"]
    r = app.post(
        "/events", app.key_a, content=b"{nope", headers={"content-type": "application/json"}
    )
    assert r.status_code == 422 and "JSON" in r.json()["detail"]
    assert app.client.post("/api/v1/events", json={"events": []}).status_code == 401


def test_pilot_metrics_from_platform_events(app: App) -> None:
    t = app.tenant_a
    now = datetime.now(UTC)

    def at(s: float) -> str:
        return (now - timedelta(hours=1) + timedelta(seconds=s)).isoformat()

    batch = [
        ev(t, "generate_started", task_id="task1", campaign_id="k", ts=at(0)),
        ev(
            t,
            "generate_finished",
            task_id="task1",
            campaign_id="k",
            ts=at(10),
            props={"creatives": 4, "duration_ms": 10000},
        ),
        ev(t, "generate_started", task_id="task2", campaign_id="k", ts=at(20)),
        ev(
            t,
            "generate_failed",
            task_id="task2",
            campaign_id="k",
            ts=at(25),
            props={"duration_ms": 5000, "error": "LayoutError"},
        ),
        ev(t, "edit", creative_id="a", campaign_id="k", ts=at(30), props={"edit_distance": 0.1}),
        ev(t, "edit", creative_id="b", campaign_id="k", ts=at(31), props={"edit_distance": 0.5}),
        *[ev(t, "regenerate", creative_id="b", campaign_id="k", ts=at(32)) for _ in range(4)],
        ev(t, "download", creative_id="a", task_id="task1", campaign_id="k", ts=at(70)),
        ev(t, "export", creative_id="b", task_id="task1", campaign_id="k", ts=at(100)),
    ]
    assert app.post("/events", app.key_a, json={"events": batch}).json()["accepted"] == len(batch)
    _flush(app)
    m = app.get("/analytics/pilot", app.key_a, params={"campaign_id": "k"}).json()
    assert m["generated_creatives"] == 4 and m["accepted_creatives"] == 2
    assert m["adoption_rate"] == pytest.approx(0.5)
    assert m["edit_distance_below_20_share"] == pytest.approx(0.5)
    assert m["regenerations_at_most_3_share"] == pytest.approx(0.5)
    assert m["time_to_asset_p50_s"] == pytest.approx(70.0)
    assert m["task_success_rate"] == pytest.approx(0.5)
    assert m["latency_p50_ms"] == pytest.approx(10000)
    empty = app.get("/analytics/pilot", app.key_b).json()
    assert empty["adoption_rate"] is None and empty["task_success_rate"] is None


def test_breakdowns_timeseries_and_experiment(app: App) -> None:
    t = app.tenant_a
    batch = [
        ev(
            t,
            "impression",
            creative_id=f"c{i % 2}",
            format_id=f"f{i % 3}",
            style="bold",
            experiment_id="x1",
            arm_id=f"arm{i % 2}",
            campaign_id="k",
        )
        for i in range(12)
    ] + [
        ev(
            t,
            "click",
            creative_id="c0",
            format_id="f0",
            experiment_id="x1",
            arm_id="arm0",
            campaign_id="k",
        )
    ]
    app.post("/events", app.key_a, json={"events": batch})
    _flush(app)
    rows = app.get("/analytics/breakdown", app.key_a, params={"by": "format_id"}).json()
    assert sorted((r["key"], r["impressions"]) for r in rows) == [("f0", 4), ("f1", 4), ("f2", 4)]
    arms = app.get("/analytics/experiment", app.key_a, params={"experiment_id": "x1"}).json()
    assert [(r["arm_id"], r["impressions"], r["clicks"]) for r in arms] == [
        ("arm0", 6, 1),
        ("arm1", 6, 0),
    ]
    series = app.get("/analytics/timeseries", app.key_a, params={"bucket": "day"}).json()
    assert sum(r["impressions"] for r in series) == 12
    # One format's series: f0 got impressions 0, 3, 6, 9 and the one click.
    f0 = app.get(
        "/analytics/timeseries", app.key_a, params={"bucket": "day", "format_id": "f0"}
    ).json()
    assert (sum(r["impressions"] for r in f0), sum(r["clicks"] for r in f0)) == (4, 1)
    bad = app.get("/analytics/timeseries", app.key_a, params={"format_id": "f0' OR 1"})
    assert bad.status_code == 422
    creatives = app.get("/analytics/creatives", app.key_a).json()
    assert {r["creative_id"] for r in creatives} == {"c0", "c1"}
    assert app.get("/analytics/breakdown", app.key_a, params={"by": "tenant_id"}).status_code == 422


def test_delete_by_user_hash_and_tenant(app: App) -> None:
    t = app.tenant_a
    batch = [ev(t, user_hash="u1"), ev(t, user_hash="u1"), ev(t, user_hash="u2")]
    app.post("/events", app.key_a, json={"events": batch})
    _flush(app)
    r = app.client.delete(
        "/api/v1/analytics/events", headers=app.headers(app.key_a), params={"user_hash": "u1"}
    )
    assert r.status_code == 200
    assert app.get("/analytics/summary", app.key_a).json()["impressions"] == 1
    r = app.client.delete("/api/v1/analytics/events", headers=app.headers(app.key_a))
    assert r.status_code == 422
    app.client.delete(
        "/api/v1/analytics/events", headers=app.headers(app.key_a), params={"all": "true"}
    )
    assert app.get("/analytics/summary", app.key_a).json()["impressions"] == 0


def test_store_down_answers_503_with_retry_after(tmp_path: Path) -> None:
    for app in start_app(tmp_path, max_pending_events=1000):
        writer = app.client.app.state.analytics.sink  # type: ignore[attr-defined]

        class Broken:
            def insert(self, events: object) -> int:
                from adcraft.analytics.errors import StoreError

                raise StoreError("disk full")

        real, writer.store = writer.store, Broken()
        try:
            batch = {"events": [ev(app.tenant_a) for _ in range(600)]}
            assert app.post("/events", app.key_a, json=batch).status_code == 202
            r = app.post("/events", app.key_a, json=batch)
            assert r.status_code == 503 and r.headers["retry-after"]
            assert "limit 1000" in r.json()["detail"]
        finally:
            writer.store = real
        writer.flush()
        assert app.get("/analytics/summary", app.key_a).json()["impressions"] == 600
        assert json.loads("[]") == []


def test_app_lifetime_objects_are_frozen_and_released_at_shutdown(tmp_path: Path) -> None:
    """Startup objects stay out of full collections while the app runs, and become
    collectable again when it stops (a process that starts many apps must not keep them)."""
    import gc

    gc.unfreeze()
    apps = start_app(tmp_path)
    app = next(apps)
    assert gc.get_freeze_count() > 0
    assert app.post("/events", app.key_a, json={"events": [ev(app.tenant_a)]}).status_code == 202
    with pytest.raises(StopIteration):
        next(apps)
    assert gc.get_freeze_count() == 0


def test_kafka_down_answers_503_with_retry_after_and_bounded_memory(tmp_path: Path) -> None:
    """Kafka transport with nobody listening on the broker's port: each batch is refused with
    503 + Retry-After after ``kafka_timeout_s``, and the events it could not deliver do not pile
    up in the producer: at most ``max_pending_events`` are ever held."""
    port = free_port()  # a loopback port nobody listens on
    settings = {"kafka_bootstrap": f"127.0.0.1:{port}", "kafka_timeout_s": 1.0}
    for app in start_app(tmp_path, max_pending_events=1000, **settings):
        sink = app.client.app.state.analytics.sink  # type: ignore[attr-defined]
        for _ in range(4):
            batch = {"events": [ev(app.tenant_a) for _ in range(1000)]}
            r = app.post("/events", app.key_a, json=batch)
            assert r.status_code == 503, r.text
            assert int(r.headers["retry-after"]) >= 1
            assert "Kafka" in r.json()["detail"]
            # At most max_pending_events messages, plus the few protocol requests (metadata,
            # producer id) that librdkafka counts in the same queue length.
            assert sink.queued() <= 1000 + 10, "undelivered events must not accumulate"


def test_far_past_event_is_flagged_and_stored_at_the_receive_time(app: App) -> None:
    """An event older than ``max_age_days`` (30) is accepted, flagged ``ts_past`` and stored
    with its ts clamped to the receive time (so it lands in the current hour, not in a bucket
    long closed); one inside the window keeps its ts and has no flag."""
    old_ts = datetime.now(UTC) - timedelta(days=60)
    recent_ts = datetime.now(UTC) - timedelta(days=29)
    old = ev(app.tenant_a, campaign_id="kp", ts=old_ts.isoformat())
    recent = ev(app.tenant_a, campaign_id="kp", ts=recent_ts.isoformat())
    before = datetime.now(UTC)
    r = app.post("/events", app.key_a, json={"events": [old, recent]})
    after = datetime.now(UTC)
    assert r.status_code == 202, r.text
    assert [x["flags"] for x in r.json()["results"]] == [["ts_past"], []]
    _flush(app)
    store = app.client.app.state.analytics.store  # type: ignore[attr-defined]
    rows = {
        str(row["event_id"]): row
        for row in store.query(
            "SELECT event_id, ts, received_at, flags FROM events WHERE campaign_id = 'kp'"
        )
    }

    def utc(value: object) -> datetime:
        at = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
        return at.replace(tzinfo=UTC) if at.tzinfo is None else at.astimezone(UTC)

    stored_old, stored_recent = rows[old["event_id"]], rows[recent["event_id"]]
    assert list(stored_old["flags"]) == ["ts_past"]
    assert utc(stored_old["ts"]) == utc(stored_old["received_at"])
    assert before - timedelta(seconds=1) <= utc(stored_old["ts"]) <= after + timedelta(seconds=1)
    assert list(stored_recent["flags"]) == []
    assert abs(utc(stored_recent["ts"]) - recent_ts) < timedelta(milliseconds=2)
