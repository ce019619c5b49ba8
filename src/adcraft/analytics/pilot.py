"""The pilot metrics and delivery figures as SQL over the event store, scoped to one tenant.

Every query takes ``{tenant:String}``, ``{campaign:String}`` (empty: all campaigns) and a time
range ``{since:DateTime64(3)}``..``{until:DateTime64(3)}``, counted in whole hours (from the hour
that holds ``since``); the time series also takes ``{format:String}`` (empty: all formats). All
of them read the hourly rollups (``schema``), never the raw table. Definitions (see
docs/analytics.md):

* adoption rate: distinct creatives downloaded, exported or approved ÷ creatives generated
  (``generate_finished.props.creatives``);
* edit distance: per accepted creative, the largest normalised edit distance of its edits;
  share below 0.2;
* regenerations per accepted creative; share with at most 3;
* time-to-asset: a task's first ``generate_started`` → its first export or download;
* task success rate: finished ÷ (finished + failed);
* generation latency p50/p95/p99 from ``generate_finished.props.duration_ms``.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from adcraft.analytics.events import EventStore

HOURLY_SCOPE = (
    "tenant_id = {tenant:String} AND ({campaign:String} = '' OR campaign_id = {campaign:String})"
    " AND hour >= toStartOfHour({since:DateTime64(3)}) AND hour < {until:DateTime64(3)}"
)

DELIVERY_SQL = f"""
SELECT sum(impressions) AS impressions, sum(clicks) AS clicks,
    if(impressions = 0, 0, clicks / impressions) AS ctr,
    sum(conversions) AS conversions, toFloat64(sum(conversion_value)) AS conversion_value,
    sum(downloads) AS downloads, sum(exports) AS exports, sum(approvals) AS approvals,
    sum(edits) AS edits, sum(regenerations) AS regenerations
FROM events_hourly WHERE {HOURLY_SCOPE}"""

CREATIVES_SQL = f"""
SELECT campaign_id, creative_id, version, format_id, style,
    sum(impressions) AS impressions, sum(clicks) AS clicks,
    if(impressions = 0, 0, clicks / impressions) AS ctr, sum(conversions) AS conversions
FROM events_hourly WHERE {HOURLY_SCOPE}
GROUP BY campaign_id, creative_id, version, format_id, style
ORDER BY impressions DESC, creative_id, version LIMIT 500"""

TIMESERIES_SQL = f"""
SELECT toStartOfInterval(hour, INTERVAL {{bucket_s:UInt32}} SECOND) AS t,
    sum(impressions) AS impressions, sum(clicks) AS clicks,
    if(impressions = 0, 0, clicks / impressions) AS ctr
FROM events_hourly WHERE {HOURLY_SCOPE}
    AND ({{format:String}} = '' OR format_id = {{format:String}})
GROUP BY t ORDER BY t"""

BREAKDOWN_SQL = {
    dim: f"""
SELECT {dim} AS key, sum(impressions) AS impressions, sum(clicks) AS clicks,
    if(impressions = 0, 0, clicks / impressions) AS ctr
FROM events_hourly WHERE {HOURLY_SCOPE}
GROUP BY key ORDER BY impressions DESC LIMIT 100"""
    for dim in ("format_id", "style", "creative_id")
}

EXPERIMENT_SQL = f"""
SELECT arm_id, creative_id, version, sum(impressions) AS impressions, sum(clicks) AS clicks,
    if(impressions = 0, 0, clicks / impressions) AS ctr, sum(conversions) AS conversions
FROM events_hourly
WHERE {HOURLY_SCOPE} AND experiment_id = {{experiment:String}}
GROUP BY arm_id, creative_id, version ORDER BY arm_id, creative_id, version"""

PILOT = f"pilot_hourly FINAL WHERE {HOURLY_SCOPE}"
PILOT_SQL = f"""
WITH
  per_creative AS (
    SELECT creative_id, maxIf(max_edit_distance, edits > 0) AS edit_distance,
        sum(regenerations) AS regenerations_n
    FROM {PILOT} AND creative_id != ''
    GROUP BY creative_id HAVING sum(accepts) > 0),
  tasks AS (
    SELECT task_id,
        minIf(started_at, starts > 0) AS started,
        minIf(first_asset_at, assets > 0) AS first_asset,
        sum(starts) > 0 AND sum(assets) > 0 AS complete
    FROM {PILOT} AND task_id != '' GROUP BY task_id),
  gen AS (
    SELECT sum(generated) AS generated_n, sum(finished) AS finished_n, sum(failed) AS failed_n,
        quantilesExactArray(0.5, 0.95, 0.99)(durations_ms) AS latency
    FROM {PILOT})
SELECT
  (SELECT count() FROM per_creative) AS accepted_creatives,
  gen.generated_n AS generated_creatives,
  if(gen.generated_n = 0, NULL, least(1.0, accepted_creatives / gen.generated_n))
      AS adoption_rate,
  (SELECT if(count() = 0, NULL, countIf(edit_distance < 0.2) / count()) FROM per_creative)
      AS edit_distance_below_20_share,
  (SELECT if(count() = 0, NULL, countIf(regenerations_n <= 3) / count()) FROM per_creative)
      AS regenerations_at_most_3_share,
  (SELECT if(countIf(complete) = 0, NULL,
      quantileExactIf(0.5)(dateDiff('millisecond', started, first_asset) / 1000.0, complete))
   FROM tasks) AS time_to_asset_p50_s,
  gen.finished_n AS tasks_finished,
  gen.failed_n AS tasks_failed,
  if(gen.finished_n + gen.failed_n = 0, NULL, gen.finished_n / (gen.finished_n + gen.failed_n))
      AS task_success_rate,
  if(gen.finished_n = 0, NULL, gen.latency[1]) AS latency_p50_ms,
  if(gen.finished_n = 0, NULL, gen.latency[2]) AS latency_p95_ms,
  if(gen.finished_n = 0, NULL, gen.latency[3]) AS latency_p99_ms
FROM gen"""

LATENCY_SQL = f"""
SELECT hour AS t,
    quantileExactArray(0.5)(durations_ms) AS p50_ms,
    quantileExactArray(0.95)(durations_ms) AS p95_ms,
    quantileExactArray(0.99)(durations_ms) AS p99_ms
FROM {PILOT} GROUP BY t HAVING sum(finished) > 0 ORDER BY t"""


def scope_params(
    tenant_id: str, campaign_id: str, since: datetime, until: datetime, **extra: Any
) -> dict[str, Any]:
    """Bind values for the ``HOURLY_SCOPE`` placeholders."""
    return {
        "tenant": tenant_id,
        "campaign": campaign_id,
        "since": since.strftime("%Y-%m-%d %H:%M:%S.%f")[:-3],
        "until": until.strftime("%Y-%m-%d %H:%M:%S.%f")[:-3],
        "format": "",
        **extra,
    }


def pilot_metrics(store: EventStore, params: dict[str, Any]) -> dict[str, Any]:
    """The pilot metrics for one tenant (and campaign) over a time range."""
    rows = store.query(PILOT_SQL, params)
    return rows[0] if rows else {}


def delivery(store: EventStore, params: dict[str, Any]) -> dict[str, Any]:
    """Totals for the scope."""
    rows = store.query(DELIVERY_SQL, params)
    return rows[0] if rows else {}
