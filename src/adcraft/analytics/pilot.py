"""The pilot metrics and delivery figures as SQL over the event store, scoped to one tenant.

Every query takes ``{tenant:String}``, ``{campaign:String}`` (empty: all campaigns) and a time
range ``{since:DateTime64(3)}``..``{until:DateTime64(3)}``; the time series also takes
``{format:String}`` (empty: all formats). Definitions (see docs/analytics.md):

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

SCOPE = (
    "tenant_id = {tenant:String} AND ({campaign:String} = '' OR campaign_id = {campaign:String})"
    " AND ts >= {since:DateTime64(3)} AND ts < {until:DateTime64(3)}"
)
HOURLY_SCOPE = (
    "tenant_id = {tenant:String} AND ({campaign:String} = '' OR campaign_id = {campaign:String})"
    " AND hour >= toStartOfHour({since:DateTime64(3)}) AND hour < {until:DateTime64(3)}"
)
ACCEPTED = "type IN ('download', 'export', 'approve')"

DELIVERY_SQL = f"""
SELECT sum(impressions) AS impressions, sum(clicks) AS clicks,
    if(impressions = 0, 0, clicks / impressions) AS ctr,
    sum(conversions) AS conversions, toFloat64(sum(conversion_value)) AS conversion_value,
    sum(downloads) AS downloads, sum(exports) AS exports, sum(approvals) AS approvals,
    sum(edits) AS edits, sum(regenerations) AS regenerations
FROM events_hourly FINAL WHERE {HOURLY_SCOPE}"""

CREATIVES_SQL = f"""
SELECT campaign_id, creative_id, version, format_id, style,
    sum(impressions) AS impressions, sum(clicks) AS clicks,
    if(impressions = 0, 0, clicks / impressions) AS ctr, sum(conversions) AS conversions
FROM events_hourly FINAL WHERE {HOURLY_SCOPE}
GROUP BY campaign_id, creative_id, version, format_id, style
ORDER BY impressions DESC, creative_id, version LIMIT 500"""

TIMESERIES_SQL = f"""
SELECT toStartOfInterval(hour, INTERVAL {{bucket_s:UInt32}} SECOND) AS t,
    sum(impressions) AS impressions, sum(clicks) AS clicks,
    if(impressions = 0, 0, clicks / impressions) AS ctr
FROM events_hourly FINAL WHERE {HOURLY_SCOPE}
    AND ({{format:String}} = '' OR format_id = {{format:String}})
GROUP BY t ORDER BY t"""

BREAKDOWN_SQL = {
    dim: f"""
SELECT {dim} AS key, sum(impressions) AS impressions, sum(clicks) AS clicks,
    if(impressions = 0, 0, clicks / impressions) AS ctr
FROM events_hourly FINAL WHERE {HOURLY_SCOPE}
GROUP BY key ORDER BY impressions DESC LIMIT 100"""
    for dim in ("format_id", "style", "creative_id")
}

EXPERIMENT_SQL = f"""
SELECT arm_id, creative_id, version, sum(impressions) AS impressions, sum(clicks) AS clicks,
    if(impressions = 0, 0, clicks / impressions) AS ctr, sum(conversions) AS conversions
FROM events_hourly FINAL
WHERE {HOURLY_SCOPE} AND experiment_id = {{experiment:String}}
GROUP BY arm_id, creative_id, version ORDER BY arm_id, creative_id, version"""

PILOT_SQL = f"""
WITH
  accepted AS (
    SELECT creative_id FROM events WHERE {SCOPE} AND {ACCEPTED} AND creative_id != ''
    GROUP BY creative_id),
  per_creative AS (
    SELECT creative_id,
        maxIf(JSONExtractFloat(props, 'edit_distance'), type = 'edit') AS edit_distance,
        countIf(type = 'regenerate') AS regenerations
    FROM events WHERE {SCOPE} AND creative_id IN (SELECT creative_id FROM accepted)
    GROUP BY creative_id),
  tasks AS (
    SELECT task_id,
        minIf(ts, type = 'generate_started') AS started,
        minIf(ts, type IN ('export', 'download')) AS first_asset,
        countIf(type = 'generate_started') > 0 AND countIf(type IN ('export', 'download')) > 0
            AS complete
    FROM events WHERE {SCOPE} AND task_id != '' GROUP BY task_id),
  gen AS (
    SELECT sumIf(JSONExtractUInt(props, 'creatives'), type = 'generate_finished') AS generated,
        countIf(type = 'generate_finished') AS finished,
        countIf(type = 'generate_failed') AS failed,
        quantilesExactIf(0.5, 0.95, 0.99)(JSONExtractFloat(props, 'duration_ms'),
            type = 'generate_finished') AS latency
    FROM events WHERE {SCOPE})
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


def scope_params(
    tenant_id: str, campaign_id: str, since: datetime, until: datetime, **extra: Any
) -> dict[str, Any]:
    """Bind values for the ``SCOPE`` placeholders."""
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
