"""The rollups the dashboards read stay exactly equal to a recount of the raw table: after late
events for an hour already rolled up, duplicates, a replayed batch, a batch whose rollup update
was lost, merges at any point, and when an older store is upgraded."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from adcraft.analytics import pilot
from adcraft.analytics.columnar import json_table
from adcraft.analytics.dashboards import DASHBOARDS
from adcraft.analytics.events import StoredEvent
from adcraft.analytics.schema import (
    COUNTED_TYPES,
    GROUP_COLUMNS,
    hourly_recount_sql,
    migrations,
    pilot_recount_sql,
)
from adcraft.analytics.sqlstore import rows_as_json_lines
from adcraft.analytics.store_chdb import ChdbStore
from tests.analytics.conftest import make_event
from tests.analytics.test_dashboards import NOW, _expand

HOUR0 = NOW.replace(minute=0) - timedelta(hours=5)

# The pilot metrics as they were computed from the raw table before the rollup existed, over
# the same whole hours: an independent reference for the rollup-based ``pilot.PILOT_SQL``.
RAW_SCOPE = (
    "tenant_id = {tenant:String} AND ({campaign:String} = '' OR campaign_id = {campaign:String})"
    " AND ts >= toStartOfHour({since:DateTime64(3)}) AND ts < {until:DateTime64(3)}"
)
RAW_PILOT_SQL = f"""
WITH
  accepted AS (
    SELECT creative_id FROM events FINAL WHERE {RAW_SCOPE}
        AND type IN ('download', 'export', 'approve') AND creative_id != ''
    GROUP BY creative_id),
  per_creative AS (
    SELECT creative_id,
        maxIf(JSONExtractFloat(props, 'edit_distance'), type = 'edit') AS edit_distance,
        countIf(type = 'regenerate') AS regenerations
    FROM events FINAL WHERE {RAW_SCOPE} AND creative_id IN (SELECT creative_id FROM accepted)
    GROUP BY creative_id),
  tasks AS (
    SELECT task_id,
        minIf(ts, type = 'generate_started') AS started,
        minIf(ts, type IN ('export', 'download')) AS first_asset,
        countIf(type = 'generate_started') > 0 AND countIf(type IN ('export', 'download')) > 0
            AS complete
    FROM events FINAL WHERE {RAW_SCOPE} AND task_id != '' GROUP BY task_id),
  gen AS (
    SELECT sumIf(JSONExtractUInt(props, 'creatives'), type = 'generate_finished') AS generated,
        countIf(type = 'generate_finished') AS finished,
        countIf(type = 'generate_failed') AS failed,
        quantilesExactIf(0.5, 0.95, 0.99)(JSONExtractFloat(props, 'duration_ms'),
            type = 'generate_finished') AS latency
    FROM events FINAL WHERE {RAW_SCOPE})
SELECT
  (SELECT count() FROM accepted) AS accepted_creatives,
  gen.generated AS generated_creatives,
  if(gen.generated = 0, NULL, least(1.0, accepted_creatives / gen.generated)) AS adoption_rate,
  (SELECT if(count() = 0, NULL, countIf(edit_distance < 0.2) / count()) FROM per_creative)
      AS edit_distance_below_20_share,
  (SELECT if(count() = 0, NULL, countIf(regenerations <= 3) / count()) FROM per_creative)
      AS regenerations_at_most_3_share,
  (SELECT if(countIf(complete) = 0, NULL,
      quantileExactIf(0.5)(dateDiff('millisecond', started, first_asset) / 1000.0, complete))
   FROM tasks) AS time_to_asset_p50_s,
  gen.finished AS tasks_finished,
  gen.failed AS tasks_failed,
  if(gen.finished + gen.failed = 0, NULL, gen.finished / (gen.finished + gen.failed))
      AS task_success_rate,
  if(gen.finished = 0, NULL, gen.latency[1]) AS latency_p50_ms,
  if(gen.finished = 0, NULL, gen.latency[2]) AS latency_p95_ms,
  if(gen.finished = 0, NULL, gen.latency[3]) AS latency_p99_ms
FROM gen"""


def _batch(seed: int, hours: range, n: int = 60) -> list[StoredEvent]:
    """Delivery and lifecycle events spread over ``hours`` (offsets from HOUR0)."""
    events = []
    for i in range(n):
        at = HOUR0 + timedelta(hours=hours[i % len(hours)], minutes=(7 * i + seed) % 60)
        common: dict[str, Any] = {
            "campaign_id": f"k{i % 2}",
            "creative_id": f"c{(i + seed) % 4}",
            "version": 1 + i % 2,
            "format_id": f"f{i % 3}",
            "style": ("bold", "minimal")[i % 2],
            "experiment_id": "x",
            "arm_id": f"a{i % 3}",
        }
        events.append(make_event("impression", ts=at, **common))
        if i % 4 == 0:
            events.append(make_event("click", ts=at, **common))
        if i % 10 == 0:
            events.append(make_event("conversion", ts=at, value=f"{i}.25", **common))
        if i % 6 == 0:
            task = f"t{seed}-{i}"
            events += [
                make_event("generate_started", ts=at, task_id=task, campaign_id="k0"),
                make_event(
                    "generate_finished" if i % 12 else "generate_failed",
                    ts=at + timedelta(seconds=20 + i),
                    task_id=task,
                    campaign_id="k0",
                    props={"creatives": 4, "duration_ms": 1000 * seed + 37 * i},
                ),
                make_event("edit", ts=at, props={"edit_distance": (i % 5) / 10}, **common),
                make_event("regenerate", ts=at, **common),
                make_event(
                    ("export", "download", "approve")[i % 3],
                    ts=at + timedelta(minutes=1, seconds=i),
                    task_id=task,
                    **common,
                ),
            ]
    return events


def _hourly_matches_raw(store: ChdbStore) -> None:
    """Every group's sums, read without FINAL, equal the recount of the deduplicated raw table."""
    keys = ", ".join(GROUP_COLUMNS)
    sums = ["event_count", *COUNTED_TYPES, "conversion_value"]
    stored = store.query(
        f"SELECT {keys}, {', '.join(f'sum({c}) AS {c}' for c in sums)} FROM events_hourly "
        f"GROUP BY {keys} HAVING event_count != 0 ORDER BY {keys}"
    )
    recount = store.query(f"SELECT * FROM ({hourly_recount_sql('1')}) ORDER BY {keys}")
    assert stored == recount
    assert stored, "the test seeded nothing"


def _panels_match_raw(store: ChdbStore) -> None:
    """Each dashboard panel over the rollups returns what it returns over recounts of raw."""
    for uid, (_title, panels) in DASHBOARDS.items():
        if uid == "adcraft-system":
            continue
        for panel in panels:
            sql = _expand(panel.query)
            raw = sql.replace("events_hourly", f"({hourly_recount_sql('1')})").replace(
                "pilot_hourly FINAL", f"({pilot_recount_sql('1')})"
            )
            if raw == sql:
                # Reads the raw table itself (clicks credited per viewer): nothing to recount.
                assert "FROM events FINAL" in sql and "_hourly" not in sql, panel.title
                continue
            got, want = store.query(sql), store.query(raw)
            assert sorted(map(repr, got)) == sorted(map(repr, want)), panel.title
    params = pilot.scope_params("t1", "", NOW - timedelta(days=7), NOW + timedelta(hours=1))
    assert pilot.pilot_metrics(store, params) == store.query(RAW_PILOT_SQL, params)[0]
    for campaign in ("k0", "k1"):
        params["campaign"] = campaign
        assert pilot.pilot_metrics(store, params) == store.query(RAW_PILOT_SQL, params)[0]
        assert (
            pilot.delivery(store, params)
            == store.query(
                pilot.DELIVERY_SQL.replace("events_hourly", f"({hourly_recount_sql('1')})"), params
            )[0]
        )


def _check(store: ChdbStore) -> None:
    _hourly_matches_raw(store)
    _panels_match_raw(store)


def test_rollups_equal_raw_through_late_duplicate_replayed_and_lost_updates(
    store: ChdbStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = _batch(1, range(0, 3))
    assert store.insert(first) == len(first)
    _check(store)
    metrics = pilot.pilot_metrics(
        store, pilot.scope_params("t1", "", NOW - timedelta(days=1), NOW + timedelta(hours=1))
    )
    assert metrics["accepted_creatives"] > 0 and metrics["tasks_failed"] > 0
    assert metrics["time_to_asset_p50_s"] is not None

    # Late events for hours already rolled up, mixed with duplicates of stored ones.
    late = _batch(2, range(0, 2), n=40)
    assert store.insert(late + first[:25]) == len(late)
    _check(store)

    # Merged state: the corrections collapse into one row per group, sums unchanged.
    store.command("OPTIMIZE TABLE events_hourly FINAL")
    store.command("OPTIMIZE TABLE pilot_hourly FINAL")
    _check(store)

    # A replayed batch (a redelivery from Kafka or the write-ahead file) changes nothing.
    before = store.query("SELECT count() AS n FROM events_hourly")
    assert store.insert(first) == 0
    assert store.insert_rows([e.to_row() for e in late]) == 0
    assert store.query("SELECT count() AS n FROM events_hourly") == before, "no-op corrections"
    _check(store)

    # The raw insert lands but the rollup update is lost (a crash in between): replaying the
    # same batch repairs the hours it touched, whatever was merged meanwhile.
    lost = _batch(3, range(1, 4), n=30)
    with monkeypatch.context() as m:
        m.setattr(store, "recompute", lambda *hours: None)
        m.setattr(store, "_add_staged_counts", lambda session: None)
        assert store.insert(lost) == len(lost)
    store.command("OPTIMIZE TABLE events_hourly FINAL")
    with pytest.raises(AssertionError):
        _hourly_matches_raw(store)
    assert store.insert(lost) == 0
    _check(store)

    # Delivery-only batches leave the lifecycle rollup alone, and it stays exact.
    pilot_rows = store.query("SELECT count() AS n FROM pilot_hourly")
    store.insert([make_event("impression", ts=HOUR0, creative_id="c1") for _ in range(5)])
    assert store.query("SELECT count() AS n FROM pilot_hourly") == pilot_rows
    _check(store)

    # Deletes rebuild the tenant's rollups from what is left.
    viewer = [
        make_event(kind, ts=HOUR0, user_hash="u1", creative_id="c0", campaign_id="k0")
        for kind in ("impression", "click", "edit", "export")
    ]
    other_tenant = [make_event(ts=HOUR0, tenant_id="t2", creative_id="c0") for _ in range(3)]
    store.insert(viewer + other_tenant)
    _check(store)
    store.delete_user("t1", "u1")
    _check(store)
    store.delete_tenant("t2")
    _check(store)
    assert store.query("SELECT count() AS n FROM events_hourly WHERE tenant_id = 't2'") == [
        {"n": 0}
    ]


def test_upgrade_from_the_first_schema_rebuilds_the_rollups(tmp_path: Path) -> None:
    """A store made before the rollups changed keeps its events and gets exact rollups."""
    old = ChdbStore(tmp_path / "old")
    try:
        old.command(
            "CREATE TABLE analytics_migrations (version UInt32, applied_at DateTime('UTC') "
            "DEFAULT now()) ENGINE = MergeTree ORDER BY version"
        )
        version, statements = migrations(400)[0]
        for statement in statements:
            old.command(statement)
        old.command(f"INSERT INTO analytics_migrations (version) VALUES ({version})")
        events = _batch(4, range(0, 3))
        old.command(
            "INSERT INTO events FORMAT JSONEachRow\n"
            + rows_as_json_lines([e.to_row() for e in events])
        )
        # The first schema's rollup: newest computation per group, read with FINAL.
        old.command(
            "INSERT INTO events_hourly SELECT * EXCEPT event_count, now64(6) FROM ("
            + hourly_recount_sql("1")
            + ")"
        )

        def engine() -> str:
            return str(
                old.query(
                    "SELECT engine FROM system.tables WHERE name = 'events_hourly' "
                    "AND database = currentDatabase()"
                )[0]["engine"]
            )

        assert engine() == "ReplacingMergeTree"
        old.migrate()
        assert engine() == "SummingMergeTree"
        versions = old.query("SELECT version FROM analytics_migrations ORDER BY version")
        assert [int(r["version"]) for r in versions] == [v for v, _ in migrations(400)]
        assert old.query("SELECT count() AS n FROM events") == [{"n": len(events)}]
        _check(old)
        old.migrate()  # nothing left to apply: the rollups are not rebuilt again
        _check(old)
    finally:
        old.close()


def test_rollups_equal_raw_through_the_kafka_consumers_batches(store: ChdbStore) -> None:
    """The consumer's path (messages parsed into one table, new batches adding their own
    counts) keeps every panel and the pilot metrics equal to the raw recount, replays too."""

    def messages(events: list[StoredEvent]) -> Any:
        table = json_table([json.dumps(e.to_row()).encode() for e in events])
        assert table is not None
        return table

    first, second = _batch(11, range(0, 3)), _batch(12, range(1, 4), n=40)
    assert store.insert_table(messages(first)) == len(first)
    assert store.insert_table(messages(second)) == len(second)
    _check(store)
    assert store.insert_table(messages(second[:30] + first[-5:])) == 0
    _check(store)
    assert pilot.pilot_metrics(
        store, pilot.scope_params("t1", "", NOW - timedelta(days=1), NOW + timedelta(hours=1))
    )["tasks_failed"]
