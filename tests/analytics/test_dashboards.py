"""Grafana dashboards: the committed JSON is what the code generates, and every ClickHouse
panel's SQL runs on chdb over seeded events and returns the columns the panel expects."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import yaml

from adcraft.analytics.dashboards import DASHBOARDS, dashboard_json
from adcraft.analytics.store_chdb import ChdbStore
from adcraft.experiments.results import CREDITED_COUNTS_SQL, ArmInfo, DayCount, analyse
from adcraft.experiments.sequential import SequentialDesign
from tests.analytics.conftest import make_event

ROOT = Path(__file__).resolve().parents[2]
FOLDER = ROOT / "deploy" / "grafana" / "dashboards"
NOW = datetime.now(UTC).replace(minute=30, second=0, microsecond=0)


def _seed(store: ChdbStore) -> None:
    events = []
    for i in range(400):
        at = NOW - timedelta(hours=i % 48)
        common = {
            "campaign_id": "k",
            "creative_id": f"c{i % 5}",
            "format_id": f"f{i % 3}",
            "style": ("bold", "minimal")[i % 2],
            "experiment_id": "x",
            "arm_id": f"a{i % 3}",
        }
        events.append(make_event("impression", ts=at, **common))
        if i % 9 == 0:
            events.append(make_event("click", ts=at, **common))
        if i % 20 == 0:
            events += [
                make_event("generate_started", ts=at, task_id=f"t{i}", campaign_id="k"),
                make_event(
                    "generate_finished",
                    ts=at + timedelta(seconds=30),
                    task_id=f"t{i}",
                    campaign_id="k",
                    props={"creatives": 6, "duration_ms": 20000 + i},
                ),
                make_event("edit", ts=at, props={"edit_distance": 0.1}, **common),
                make_event("export", ts=at + timedelta(minutes=2), task_id=f"t{i}", **common),
            ]
    store.insert(events)


def _expand(sql: str) -> str:
    """Grafana's macros and variables as the ClickHouse plugin would expand them."""
    since = (NOW - timedelta(days=7)).strftime("%Y-%m-%d %H:%M:%S")
    until = (NOW + timedelta(hours=1)).strftime("%Y-%m-%d %H:%M:%S")
    sql = re.sub(
        r"\$__timeFilter\((\w+)\)",
        lambda m: (
            f"{m[1]} >= toDateTime('{since}', 'UTC') AND {m[1]} <= toDateTime('{until}', 'UTC')"
        ),
        sql,
    )
    return (
        sql.replace("${tenant}", "t1")
        .replace("${campaign}", "")
        .replace("${experiment}", "x")
        .replace("${control}", "a0")
        .replace("${margin}", "0.9")
    )


def test_committed_dashboards_match_the_code() -> None:
    for uid in DASHBOARDS:
        committed = json.loads((FOLDER / f"{uid}.json").read_text())
        assert committed == dashboard_json(uid), (
            f"{uid}.json is stale: run adcraft events dashboards --out deploy/grafana/dashboards"
        )


def test_provisioning_points_at_the_dashboards() -> None:
    prov = ROOT / "deploy" / "grafana" / "provisioning"
    sources = yaml.safe_load((prov / "datasources" / "adcraft.yaml").read_text())
    uids = {d["uid"] for d in sources["datasources"]}
    assert uids == {"adcraft-clickhouse", "adcraft-prometheus"}
    for uid in DASHBOARDS:
        for panel in dashboard_json(uid)["panels"]:
            assert panel["datasource"]["uid"] in uids
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    mounts = compose["services"]["grafana"]["volumes"]
    assert "./deploy/grafana/dashboards:/var/lib/grafana/dashboards/adcraft:ro" in mounts


@pytest.mark.parametrize("uid", [u for u in DASHBOARDS if u != "adcraft-system"])
def test_every_clickhouse_panel_returns_its_columns(store: ChdbStore, uid: str) -> None:
    _seed(store)
    for variable in dashboard_json(uid)["templating"]["list"]:
        if variable["type"] == "query":
            assert store.query(_expand(variable["query"])), variable["name"]
    _title, panels = DASHBOARDS[uid]
    for panel in panels:
        rows = store.query(_expand(panel.query))
        assert rows, f"{panel.title}: no rows"
        assert tuple(rows[0]) == panel.columns, panel.title
        if panel.kind == "stat":
            assert len(rows) == 1
        if panel.kind == "timeseries":
            times = [datetime.fromisoformat(str(r["t"])) for r in rows]
            assert times == sorted(times), panel.title
        for row in rows:
            for name, value in row.items():
                if name not in (
                    "t",
                    "key",
                    "arm_id",
                    "campaign_id",
                    "creative_id",
                    "format_id",
                    "style",
                ):
                    assert value is None or float(value) >= 0, (panel.title, name, value)


def _panel(uid: str, title_start: str) -> Any:
    return next(p for p in DASHBOARDS[uid][1] if p.title.startswith(title_start))


def test_experiment_dashboard_shows_the_ratio_to_the_control_the_api_reports(
    store: ChdbStore,
) -> None:
    """The non-inferiority panels show, per arm, the CTR ratio to the control that
    GET /experiments/{id}/results reports (clicks credited per viewer, whole experiment), the
    margin and the bound; the daily panel ends at the same ratio."""
    events = []
    truth = {"a0": 10, "a1": 9, "a2": 6}  # clicks per 100 viewers
    for day in (2, 1):
        at = NOW - timedelta(days=day)
        for arm, clicks in truth.items():
            for v in range(100):
                viewer = f"{arm}-{day}-{v}"
                common = {"experiment_id": "x", "arm_id": arm, "user_hash": viewer}
                events.append(make_event("impression", ts=at, creative_id=arm, **common))
                if v < clicks * day:  # more clicks on the earlier day
                    events.append(make_event("click", ts=at, creative_id=arm, **common))
        # Clicks from viewers never shown the arm: left out by the API, so by the panels too.
        events += [
            make_event("click", ts=at, experiment_id="x", arm_id="a2", user_hash=f"s{day}-{i}")
            for i in range(30)
        ]
    store.insert(events)
    rows = store.query(CREDITED_COUNTS_SQL, {"tenant": "t1", "experiment": "x"})
    days = [DayCount(r["arm_id"], r["day"], int(r["impressions"]), int(r["clicks"])) for r in rows]
    api = analyse(
        [ArmInfo(a, a, a, a == "a0") for a in truth],
        days,
        SequentialDesign(margin=0.9, alpha=0.05, tau=0.01),
    )
    want = {c["arm_id"]: c["ctr_ratio_to_control"] for c in api["comparisons"]}
    assert want["a2"] == pytest.approx(0.6) and want["a1"] == pytest.approx(0.9)

    table = store.query(_expand(_panel("adcraft-experiments", "Non-inferiority").query))
    assert {r["arm_id"]: r["ctr_ratio_to_control"] for r in table} == pytest.approx(want)
    by_arm = {r["arm_id"]: r for r in table}
    api_arms = {a["arm_id"]: a for a in api["arms"]}
    for arm, row in by_arm.items():
        assert (row["impressions"], row["clicks"]) == (
            api_arms[arm]["impressions"],
            api_arms[arm]["clicks"],
        )
        assert row["margin"] == pytest.approx(0.9)
        assert row["noninferiority_bound"] == pytest.approx(0.9 * api_arms["a0"]["ctr"])

    daily = store.query(_expand(_panel("adcraft-experiments", "CTR ratio to the control").query))
    assert {r["arm_id"] for r in daily} == {"a1", "a2"}
    last = {r["arm_id"]: r["ctr_ratio_to_control"] for r in daily}  # rows in time order
    assert last == pytest.approx(want)
    first_day = min(r["t"] for r in daily)
    first = {r["arm_id"]: r["ctr_ratio_to_control"] for r in daily if r["t"] == first_day}
    assert first == pytest.approx({"a1": 18 / 20, "a2": 12 / 20})  # the look after day one
    assert all(r["margin"] == pytest.approx(0.9) for r in daily)
