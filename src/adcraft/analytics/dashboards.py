"""Grafana dashboards as code: panel specs → provisioning JSON in ``deploy/grafana/dashboards``.

ClickHouse panels reuse the API's SQL (``pilot``) with Grafana's macros in place of bound
parameters, so the dashboards and the API cannot drift apart; a test runs every panel's SQL
against chdb with seeded events and checks the columns listed here. Regenerate the files with
``adcraft events dashboards --out deploy/grafana/dashboards``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from adcraft.analytics import pilot
from adcraft.experiments.results import CREDITED_COUNTS_SQL

CLICKHOUSE = {"type": "grafana-clickhouse-datasource", "uid": "adcraft-clickhouse"}
PROMETHEUS = {"type": "prometheus", "uid": "adcraft-prometheus"}


def to_grafana(sql: str) -> str:
    """The API's parameterised SQL with the Grafana variables and time macros."""
    return (
        sql.replace("{tenant:String}", "'${tenant}'")
        .replace("{campaign:String}", "'${campaign}'")
        .replace("{experiment:String}", "'${experiment}'")
        .replace(
            "hour >= toStartOfHour({since:DateTime64(3)}) AND hour < {until:DateTime64(3)}",
            "$__timeFilter(hour)",
        )
        .strip()
    )


HOURLY = to_grafana(pilot.HOURLY_SCOPE)

# The experiment results' counts (clicks credited per viewer), the whole experiment whatever
# the dashboard's time range, exactly as GET /experiments/{id}/results reads them.
CREDITED = to_grafana(CREDITED_COUNTS_SQL)
# ClickHouse does not know which arm is the control or the experiment's margin (they live in
# the metadata database): the dashboard's "control" and "margin" variables name them.
MARGIN = "toFloat64OrZero('${margin}')"


@dataclass(frozen=True)
class Panel:
    """One panel: what it shows and, for ClickHouse, the columns its SQL must return."""

    title: str
    kind: str  # stat | timeseries | table | barchart
    query: str
    columns: tuple[str, ...] = ()
    source: str = "clickhouse"
    unit: str = ""
    width: int = 8


def _wilson(clicks: str, n: str, sign: str) -> str:
    # Wilson score interval, 95 %: honest error bars for small arms.
    z = 1.96
    bound = (
        f"(({clicks} / {n}) + {z * z}/(2*{n}) {sign} {z}*sqrt(({clicks}/{n})*"
        f"(1-{clicks}/{n})/{n} + {z * z}/(4*{n}*{n}))) / (1 + {z * z}/{n})"
    )
    return f"if({n} = 0, 0, least(1, greatest(0, {bound})))"  # clip rounding just below 0


DASHBOARDS: dict[str, tuple[str, list[Panel]]] = {
    "adcraft-delivery": (
        "adcraft · Delivery and CTR",
        [
            Panel(
                "Impressions",
                "stat",
                f"SELECT sum(impressions) AS impressions FROM events_hourly WHERE {HOURLY}",
                ("impressions",),
            ),
            Panel(
                "Clicks",
                "stat",
                f"SELECT sum(clicks) AS clicks FROM events_hourly WHERE {HOURLY}",
                ("clicks",),
            ),
            Panel(
                "CTR",
                "stat",
                "SELECT if(sum(impressions) = 0, 0, sum(clicks) / sum(impressions)) AS ctr "
                f"FROM events_hourly WHERE {HOURLY}",
                ("ctr",),
                unit="percentunit",
            ),
            Panel(
                "Impressions and clicks per hour",
                "timeseries",
                "SELECT hour AS t, sum(impressions) AS impressions, sum(clicks) AS clicks "
                f"FROM events_hourly WHERE {HOURLY} GROUP BY t ORDER BY t",
                ("t", "impressions", "clicks"),
                width=24,
            ),
            Panel(
                "CTR per creative version",
                "table",
                to_grafana(pilot.CREATIVES_SQL),
                (
                    "campaign_id",
                    "creative_id",
                    "version",
                    "format_id",
                    "style",
                    "impressions",
                    "clicks",
                    "ctr",
                    "conversions",
                ),
                width=24,
            ),
            Panel(
                "CTR by format",
                "barchart",
                to_grafana(pilot.BREAKDOWN_SQL["format_id"]),
                ("key", "impressions", "clicks", "ctr"),
                width=12,
            ),
            Panel(
                "CTR by style",
                "barchart",
                to_grafana(pilot.BREAKDOWN_SQL["style"]),
                ("key", "impressions", "clicks", "ctr"),
                width=12,
            ),
        ],
    ),
    "adcraft-experiments": (
        "adcraft · Experiments",
        [
            Panel(
                "Arms (CTR with 95 % Wilson interval)",
                "table",
                "SELECT arm_id, sum(impressions) AS impressions, sum(clicks) AS clicks, "
                "if(impressions = 0, 0, clicks / impressions) AS ctr, "
                f"{_wilson('clicks', 'impressions', '-')} AS ctr_low, "
                f"{_wilson('clicks', 'impressions', '+')} AS ctr_high "
                f"FROM events_hourly WHERE {HOURLY} AND experiment_id = '${{experiment}}' "
                "GROUP BY arm_id ORDER BY arm_id",
                ("arm_id", "impressions", "clicks", "ctr", "ctr_low", "ctr_high"),
                width=24,
            ),
            Panel(
                "Daily CTR per arm",
                "timeseries",
                "SELECT toStartOfDay(hour) AS t, arm_id, "
                "if(sum(impressions) = 0, 0, sum(clicks) / sum(impressions)) AS ctr "
                f"FROM events_hourly WHERE {HOURLY} AND experiment_id = '${{experiment}}' "
                "GROUP BY t, arm_id ORDER BY t, arm_id",
                ("t", "arm_id", "ctr"),
                unit="percentunit",
                width=24,
            ),
            Panel(
                "Non-inferiority: each arm's CTR ratio to the control (whole experiment)",
                "table",
                "SELECT arm_id, arm_impressions AS impressions, arm_clicks AS clicks, "
                "if(arm_impressions = 0, NULL, arm_clicks / arm_impressions) AS ctr, "
                "if(control_impressions = 0, NULL, control_clicks / control_impressions) "
                "AS control_ctr, "
                "if(arm_impressions = 0 OR control_clicks = 0, NULL, "
                "(arm_clicks / arm_impressions) / (control_clicks / control_impressions)) "
                f"AS ctr_ratio_to_control, {MARGIN} AS margin, "
                f"{MARGIN} * control_ctr AS noninferiority_bound "
                "FROM (SELECT arm_id, sum(impressions) AS arm_impressions, "
                "sum(clicks) AS arm_clicks, "
                "sum(sum(if(arm_id = '${control}', impressions, 0))) OVER () "
                "AS control_impressions, "
                "sum(sum(if(arm_id = '${control}', clicks, 0))) OVER () AS control_clicks "
                f"FROM ({CREDITED}) GROUP BY arm_id) "
                "WHERE arm_id != '${control}' ORDER BY arm_id",
                (
                    "arm_id",
                    "impressions",
                    "clicks",
                    "ctr",
                    "control_ctr",
                    "ctr_ratio_to_control",
                    "margin",
                    "noninferiority_bound",
                ),
                width=24,
            ),
            Panel(
                "CTR ratio to the control at each daily look, and the margin",
                "timeseries",
                "SELECT toDateTime(toDate(day), 'UTC') AS t, arm_id, "
                "if(n = 0 OR control_k = 0, NULL, (k / n) / (control_k / control_n)) "
                f"AS ctr_ratio_to_control, {MARGIN} AS margin "
                "FROM (SELECT day, arm_id, "
                "sum(impressions) OVER (PARTITION BY arm_id ORDER BY day) AS n, "
                "sum(clicks) OVER (PARTITION BY arm_id ORDER BY day) AS k, "
                "sum(if(arm_id = '${control}', impressions, 0)) OVER (ORDER BY day) "
                "AS control_n, "
                "sum(if(arm_id = '${control}', clicks, 0)) OVER (ORDER BY day) AS control_k "
                f"FROM ({CREDITED})) "
                "WHERE arm_id != '${control}' ORDER BY t, arm_id",
                ("t", "arm_id", "ctr_ratio_to_control", "margin"),
                width=24,
            ),
        ],
    ),
    "adcraft-pilot": (
        "adcraft · Pilot metrics",
        [
            Panel(
                "Pilot metrics",
                "table",
                to_grafana(pilot.PILOT_SQL),
                (
                    "accepted_creatives",
                    "generated_creatives",
                    "adoption_rate",
                    "edit_distance_below_20_share",
                    "regenerations_at_most_3_share",
                    "time_to_asset_p50_s",
                    "tasks_finished",
                    "tasks_failed",
                    "task_success_rate",
                    "latency_p50_ms",
                    "latency_p95_ms",
                    "latency_p99_ms",
                ),
                width=24,
            ),
            Panel(
                "Generation latency per hour (p50, p95, p99)",
                "timeseries",
                to_grafana(pilot.LATENCY_SQL),
                ("t", "p50_ms", "p95_ms", "p99_ms"),
                unit="ms",
                width=12,
            ),
            Panel(
                "Platform actions per day",
                "timeseries",
                "SELECT toStartOfDay(hour) AS t, sum(downloads) AS downloads, "
                "sum(exports) AS exports, sum(approvals) AS approvals, sum(edits) AS edits, "
                "sum(regenerations) AS regenerations "
                f"FROM events_hourly WHERE {HOURLY} GROUP BY t ORDER BY t",
                ("t", "downloads", "exports", "approvals", "edits", "regenerations"),
                width=12,
            ),
        ],
    ),
    "adcraft-system": (
        "adcraft · System health",
        [
            Panel(
                "Requests per second by status",
                "timeseries",
                "sum by (status) (rate(adcraft_http_requests_total[5m]))",
                source="prometheus",
                unit="reqps",
                width=12,
            ),
            Panel(
                "Request latency p95",
                "timeseries",
                "histogram_quantile(0.95, sum by (le) "
                "(rate(adcraft_http_request_seconds_bucket[5m])))",
                source="prometheus",
                unit="s",
                width=12,
            ),
            Panel(
                "Tasks submitted per minute",
                "timeseries",
                "sum by (kind) (rate(adcraft_tasks_submitted_total[5m])) * 60",
                source="prometheus",
                width=12,
            ),
            # Task and worker series are read from the database by every API replica: max,
            # never sum, across replicas.
            Panel(
                "Live workers",
                "stat",
                "max by (runner) (adcraft_workers_live)",
                source="prometheus",
                width=6,
            ),
            Panel(
                "Queue depth (pending tasks)",
                "timeseries",
                "max by (queue) (adcraft_queue_depth)",
                source="prometheus",
                width=6,
            ),
            Panel(
                "Oldest pending task age",
                "timeseries",
                "max by (queue) (adcraft_queue_oldest_pending_seconds)",
                source="prometheus",
                unit="s",
                width=12,
            ),
            Panel(
                "Queue wait p95",
                "timeseries",
                "histogram_quantile(0.95, max by (le, queue) "
                "(rate(adcraft_task_queue_wait_seconds_bucket[15m])))",
                source="prometheus",
                unit="s",
                width=12,
            ),
            Panel(
                "Task run time p95",
                "timeseries",
                "histogram_quantile(0.95, max by (le, queue) "
                "(rate(adcraft_task_run_seconds_bucket[15m])))",
                source="prometheus",
                unit="s",
                width=12,
            ),
            Panel(
                "Failed tasks per tenant (15 min)",
                "timeseries",
                "max by (tenant, reason) (increase(adcraft_task_failures_total[15m]))",
                source="prometheus",
                width=24,
            ),
        ],
    ),
}


def _variables(uid: str) -> list[dict[str, Any]]:
    tenant: dict[str, Any] = {
        "name": "tenant",
        "label": "Tenant",
        "type": "query",
        "datasource": CLICKHOUSE,
        "query": "SELECT DISTINCT tenant_id FROM events_hourly ORDER BY tenant_id",
        "refresh": 1,
    }
    campaign: dict[str, Any] = {
        "name": "campaign",
        "label": "Campaign id (empty: all)",
        "type": "textbox",
        "query": "",
    }
    out: list[dict[str, Any]] = [tenant, campaign]
    if uid == "adcraft-experiments":
        out.append(
            {
                "name": "experiment",
                "label": "Experiment",
                "type": "query",
                "datasource": CLICKHOUSE,
                "refresh": 1,
                "query": "SELECT DISTINCT experiment_id FROM events_hourly "
                "WHERE tenant_id = '${tenant}' AND experiment_id != '' ORDER BY 1",
            }
        )
        out.append(
            {
                "name": "control",
                "label": "Control arm (the arm with control: true in GET /experiments/{id})",
                "type": "query",
                "datasource": CLICKHOUSE,
                "refresh": 1,
                "query": "SELECT DISTINCT arm_id FROM events_hourly "
                "WHERE tenant_id = '${tenant}' AND experiment_id = '${experiment}' "
                "AND arm_id != '' ORDER BY 1",
            }
        )
        out.append(
            {
                "name": "margin",
                "label": "Non-inferiority margin m (the experiment's margin)",
                "type": "textbox",
                "query": "0.9",
            }
        )
    return out if uid != "adcraft-system" else []


def _panel_json(panel: Panel, index: int, x: int, y: int) -> dict[str, Any]:
    height = 5 if panel.kind == "stat" else 9
    if panel.source == "prometheus":
        target: dict[str, Any] = {"refId": "A", "datasource": PROMETHEUS, "expr": panel.query}
    else:
        target = {
            "refId": "A",
            "datasource": CLICKHOUSE,
            "editorType": "sql",
            "format": 0 if panel.kind == "timeseries" else 1,
            "queryType": "timeseries" if panel.kind == "timeseries" else "table",
            "rawSql": panel.query,
        }
    return {
        "id": index,
        "type": panel.kind,
        "title": panel.title,
        "datasource": PROMETHEUS if panel.source == "prometheus" else CLICKHOUSE,
        "gridPos": {"x": x, "y": y, "w": panel.width, "h": height},
        "fieldConfig": {"defaults": {"unit": panel.unit} if panel.unit else {}, "overrides": []},
        "targets": [target],
    }


def dashboard_json(uid: str) -> dict[str, Any]:
    """The provisioning JSON of one dashboard."""
    title, panels = DASHBOARDS[uid]
    out, x, y, row_h = [], 0, 0, 0
    for i, panel in enumerate(panels, start=1):
        if x + panel.width > 24:
            x, y, row_h = 0, y + row_h, 0
        out.append(_panel_json(panel, i, x, y))
        row_h = max(row_h, out[-1]["gridPos"]["h"])
        x += panel.width
    return {
        "uid": uid,
        "title": title,
        "schemaVersion": 39,
        "version": 1,
        "editable": False,
        "time": {"from": "now-7d", "to": "now"},
        "refresh": "1m",
        "tags": ["adcraft"],
        "templating": {"list": _variables(uid)},
        "panels": out,
    }


def write_dashboards(folder: Path) -> list[Path]:
    """Write every dashboard's JSON into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for uid in DASHBOARDS:
        path = folder / f"{uid}.json"
        path.write_text(json.dumps(dashboard_json(uid), indent=2, ensure_ascii=False) + "\n")
        paths.append(path)
    return paths
