"""Grafana dashboards: the committed JSON is what the code generates, and every ClickHouse
panel's SQL runs on chdb over seeded events and returns the columns the panel expects."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import yaml

from adcraft.analytics.dashboards import DASHBOARDS, dashboard_json
from adcraft.analytics.store_chdb import ChdbStore
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
    return sql.replace("${tenant}", "t1").replace("${campaign}", "").replace("${experiment}", "x")


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
