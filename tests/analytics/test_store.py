"""The embedded store: idempotent inserts, exact hourly aggregates, privacy deletes."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from adcraft.analytics.columnar import ARROW_ERRORS, json_table, rows_table
from adcraft.analytics.errors import StoreError
from adcraft.analytics.events import Event, StoredEvent, uuid7
from adcraft.analytics.schema import migrations
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
    assert store.query("SELECT count() AS n FROM analytics_migrations") == [
        {"n": len(migrations(400))}
    ]


def _stored(store: ChdbStore, creative_id: str) -> dict[str, object]:
    rows = store.query(
        "SELECT * EXCEPT (event_id, creative_id) FROM events WHERE creative_id = {c:String}",
        {"c": creative_id},
    )
    assert len(rows) == 1, rows
    return rows[0]


def test_events_rows_and_lax_rows_store_the_same_values(store: ChdbStore) -> None:
    """The three ways into the store (events, consumer rows, rows Arrow cannot take) agree."""
    at = datetime(2026, 3, 1, 10, 15, 7, 123987, tzinfo=UTC)

    def full(creative_id: str) -> StoredEvent:
        return Event(
            event_id=uuid7(),
            type="conversion",
            ts=at,
            tenant_id="t1",
            campaign_id="k1",
            creative_id=creative_id,
            version=3,
            variant=2,
            format_id="meta_feed_square",
            style="bold",
            experiment_id="x1",
            arm_id="a2",
            placement="feed",
            user_hash="u9",
            session_id="s1",
            value="12.345678",
            currency="EUR",
            props={"b": 1, "a": "x y"},
        ).received(at + timedelta(seconds=2), ["ts_past"])

    assert store.insert([full("by-event")]) == 1
    assert store.insert_rows([full("by-row").to_row()]) == 1
    lax = full("by-lax-row").to_row()
    lax["version"] = "3"  # a string where Arrow wants a number: JSONEachRow still takes it
    with pytest.raises(ARROW_ERRORS):
        rows_table([lax])
    assert store.insert_rows([lax]) == 1
    expected = _stored(store, "by-event")
    assert expected["ts"] == "2026-03-01 10:15:07.123"
    assert expected["received_at"] == "2026-03-01 10:15:09.123"
    assert expected["props"] == '{"a":"x y","b":1}' and expected["flags"] == ["ts_past"]
    assert float(str(expected["value"])) == 12.345678 and expected["version"] == 3
    assert _stored(store, "by-row") == expected
    assert _stored(store, "by-lax-row") == expected
    message = json.dumps(full("by-message").to_row()).encode()
    assert store.insert_table(json_table([message])) == 1
    assert _stored(store, "by-message") == expected


def test_consumer_rows_missing_columns_store_defaults(store: ChdbStore) -> None:
    row = make_event(creative_id="sparse").to_row()
    for key in ("version", "value", "props", "flags", "campaign_id"):
        del row[key]
    row["variant"] = None
    assert store.insert_rows([row]) == 1
    stored = _stored(store, "sparse")
    assert (stored["version"], stored["variant"], stored["campaign_id"]) == (0, 0, "")
    assert (stored["props"], stored["flags"]) == ("{}", [])


def test_an_id_is_checked_within_its_tenant(store: ChdbStore) -> None:
    first = make_event(tenant_id="t1", creative_id="x")
    twin = make_event(tenant_id="t2", creative_id="x").model_copy(
        update={"event_id": first.event_id}
    )
    assert store.insert([first]) == 1
    assert store.insert([twin]) == 1, "the same id in another tenant is another event"
    assert store.insert([first, twin]) == 0
    assert store.query("SELECT count() AS n FROM events") == [{"n": 2}]
    assert store.query("SELECT count() AS n FROM events_staging") == [{"n": 0}]


def _message(row: dict[str, Any]) -> bytes:
    return json.dumps(row, separators=(",", ":")).encode()


def test_kafka_messages_parse_in_one_call_to_the_same_rows(store: ChdbStore) -> None:
    """A batch of producer messages becomes the table ``rows_table`` builds from them one by
    one; a batch with any message of another shape is left to the message-by-message path."""
    rows = [make_event(creative_id=f"c{i}", props={"n": i, "s": "a\nb"}).to_row() for i in range(4)]
    del rows[1]["props"], rows[1]["version"]  # missing keys store the column defaults
    rows[2]["variant"] = None
    rows[3]["not_a_column"] = 1  # ignored, as ``rows_table`` ignores it
    messages = [_message(r) for r in rows]
    table = json_table(messages)
    assert table is not None
    assert table.equals(rows_table([json.loads(m) for m in messages]))
    assert store.insert_table(table) == 4
    assert store.insert_table(json_table(messages)) == 0, "ids already stored are skipped"
    assert _aggregates(store) == _recount(store)

    no_id = {k: v for k, v in rows[0].items() if k != "event_id"}
    bad_id = {**rows[0], "event_id": "not-a-uuid"}
    two_in_one = messages[0] + messages[1]
    for bad in (
        b"",
        b"not json",
        b"[1]",
        _message(no_id),
        _message(bad_id),
        two_in_one,
        messages[0][:-1],
        messages[0] + b"\n" + messages[1],
    ):
        assert json_table([*messages, bad]) is None, bad


def test_a_new_batch_adds_its_counts_without_recounting_its_hours(
    store: ChdbStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ingestion cost does not grow with the events already stored in an hour: a batch of new
    events adds its own counts to the rollup. A replayed batch recounts its hours."""
    first = [make_event(ts=T0, creative_id=f"c{i % 3}") for i in range(300)]
    assert store.insert_rows([e.to_row() for e in first]) == 300
    statements: list[str] = []
    execute, select = store._execute, store._select

    def spy_execute(sql: str, params: dict[str, Any] | None = None) -> None:
        statements.append(sql)
        execute(sql, params)

    def spy_select(sql: str, params: dict[str, Any] | None) -> list[dict[str, Any]]:
        statements.append(sql)
        return select(sql, params)

    monkeypatch.setattr(store, "_execute", spy_execute)
    monkeypatch.setattr(store, "_select", spy_select)

    more = [make_event(ts=T0 + timedelta(minutes=5), creative_id=f"c{i % 4}") for i in range(50)]
    assert store.insert_rows([e.to_row() for e in more]) == 50
    assert not [s for s in statements if "FROM events FINAL" in s], statements
    assert _aggregates(store) == _recount(store)

    replay = [e.to_row() for e in more[:10]] + [make_event(ts=T0, creative_id="c9").to_row()]
    assert store.insert_rows(replay) == 1
    assert [s for s in statements if "FROM events FINAL" in s], "a replay recounts its hours"
    assert _aggregates(store) == _recount(store)
