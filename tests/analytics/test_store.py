"""The embedded store: idempotent inserts, exact hourly aggregates, privacy deletes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from adcraft.analytics.errors import StoreError
from adcraft.analytics.store_chdb import ChdbStore
from tests.analytics.conftest import make_event

T0 = datetime(2026, 3, 1, 10, 15, tzinfo=UTC)


def _recount(store: ChdbStore) -> list[dict[str, object]]:
    return store.query(
        "SELECT creative_id, toStartOfHour(ts) AS hour, countIf(type='impression') AS i, "
        "countIf(type='click') AS c FROM events FINAL GROUP BY creative_id, hour "
        "ORDER BY creative_id, hour"
    )


def _aggregates(store: ChdbStore) -> list[dict[str, object]]:
    return store.query(
        "SELECT creative_id, hour, sum(impressions) AS i, sum(clicks) AS c FROM events_hourly "
        "FINAL GROUP BY creative_id, hour ORDER BY creative_id, hour"
    )


def test_insert_is_idempotent_and_aggregates_match_raw(store: ChdbStore) -> None:
    events = [
        make_event(
            "click" if i % 7 == 0 else "impression",
            ts=T0 + timedelta(minutes=37 * i),
            creative_id=f"cr{i % 3}",
            campaign_id="c1",
        )
        for i in range(300)
    ]
    assert store.insert(events[:200]) == 200
    assert store.insert(events[100:]) == 100, "ids already stored are skipped"
    assert store.insert(events + events[:5]) == 0
    rows = store.query("SELECT count() AS n, uniqExact(event_id) AS u FROM events")
    assert rows == [{"n": 300, "u": 300}]
    assert _aggregates(store) == _recount(store)
    totals = store.query("SELECT sum(impressions) AS i, sum(clicks) AS c FROM events_hourly FINAL")
    assert totals == [{"i": "257", "c": "43"}] or totals == [{"i": 257, "c": 43}]


def test_delete_user_and_tenant(store: ChdbStore) -> None:
    a = [make_event(ts=T0, user_hash="u1", creative_id="x") for _ in range(5)]
    b = [make_event(ts=T0, user_hash="u2", creative_id="x") for _ in range(3)]
    other = [make_event(ts=T0, tenant_id="t2", user_hash="u1") for _ in range(2)]
    store.insert(a + b + other)
    store.delete_user("t1", "u1")
    assert store.query(
        "SELECT user_hash, count() AS n FROM events GROUP BY user_hash ORDER BY 1"
    ) == [
        {"user_hash": "u1", "n": 2},
        {"user_hash": "u2", "n": 3},
    ]
    assert _aggregates(store) == _recount(store)
    store.delete_tenant("t2")
    assert store.query("SELECT tenant_id, count() AS n FROM events GROUP BY 1") == [
        {"tenant_id": "t1", "n": 3}
    ]
    with pytest.raises(StoreError, match="user_hash is empty"):
        store.delete_user("t1", "")


def test_retention_per_tenant(store: ChdbStore) -> None:
    old = make_event(ts=datetime.now(UTC) - timedelta(days=40))
    new = make_event(ts=datetime.now(UTC) - timedelta(days=1))
    store.insert([old, new])
    store.apply_retention("t1", 30)
    assert store.query("SELECT toString(event_id) AS id FROM events") == [{"id": str(new.event_id)}]


def test_two_stores_in_one_process_take_turns_and_keep_their_own_data(
    store: ChdbStore, tmp_path: Path
) -> None:
    """chdb opens one folder per process at a time: a second store takes the engine in turns,
    and each statement still reaches its own folder."""
    other = ChdbStore(tmp_path / "other")
    try:
        other.migrate()
        store.insert([make_event(creative_id="mine")])
        other.insert([make_event(creative_id="theirs"), make_event(creative_id="theirs")])
        store.insert([make_event(creative_id="mine")])
        count = "SELECT creative_id, count() AS n FROM events FINAL GROUP BY creative_id"
        assert store.query(count) == [{"creative_id": "mine", "n": 2}]
        assert other.query(count) == [{"creative_id": "theirs", "n": 2}]
    finally:
        other.close()
    with pytest.raises(StoreError, match="closed"):
        other.query("SELECT 1")
    assert store.query("SELECT count() AS n FROM events FINAL") == [{"n": 2}]


def test_migrate_is_repeatable(store: ChdbStore) -> None:
    store.migrate()
    assert store.query("SELECT count() AS n FROM analytics_migrations") == [{"n": 1}]
