"""The analytics schema as ordered migrations (ClickHouse SQL, the same on chdb and a server).

``events`` holds one row per event: ReplacingMergeTree keyed by tenant, hour and ``event_id``, so
a duplicate that slips past the writer's id check still collapses on merge; partitioned by month
so retention drops whole parts. ``events_hourly`` holds exact hourly counts per tenant × campaign ×
creative × version × format × style × experiment × arm; the writer recomputes the hours a batch
touched from the raw table (instead of a materialized view, which would count a redelivered
event twice), and readers take the newest computation with ``FINAL``.
"""

from __future__ import annotations

EVENT_COLUMNS = """
    event_id UUID,
    type LowCardinality(String),
    ts DateTime64(3, 'UTC'),
    received_at DateTime64(3, 'UTC'),
    tenant_id LowCardinality(String),
    campaign_id String,
    task_id String,
    creative_id String,
    version UInt32,
    variant UInt16,
    format_id LowCardinality(String),
    style LowCardinality(String),
    experiment_id String,
    arm_id String,
    placement LowCardinality(String),
    user_hash String,
    session_id String,
    value Decimal(18, 6),
    currency LowCardinality(String),
    props String,
    flags Array(LowCardinality(String))
"""

GROUP_COLUMNS = (
    "tenant_id",
    "hour",
    "campaign_id",
    "creative_id",
    "version",
    "format_id",
    "style",
    "experiment_id",
    "arm_id",
)

COUNTED_TYPES = {
    "impressions": "impression",
    "clicks": "click",
    "conversions": "conversion",
    "downloads": "download",
    "edits": "edit",
    "regenerations": "regenerate",
    "approvals": "approve",
    "exports": "export",
    "generated": "generate_finished",
    "failed": "generate_failed",
}


def migrations(ttl_days: int) -> list[tuple[int, list[str]]]:
    """(version, statements) in order; each version is applied once and recorded."""
    counts = ",\n    ".join(f"{name} UInt64" for name in COUNTED_TYPES)
    return [
        (
            1,
            [
                f"""CREATE TABLE IF NOT EXISTS events ({EVENT_COLUMNS},
    INDEX idx_event_id event_id TYPE bloom_filter(0.001) GRANULARITY 1
) ENGINE = ReplacingMergeTree(received_at)
PARTITION BY toYYYYMM(ts)
ORDER BY (tenant_id, toStartOfHour(ts), event_id)
TTL toDateTime(ts) + INTERVAL {int(ttl_days)} DAY""",
                f"""CREATE TABLE IF NOT EXISTS events_hourly (
    tenant_id LowCardinality(String),
    hour DateTime('UTC'),
    campaign_id String,
    creative_id String,
    version UInt32,
    format_id LowCardinality(String),
    style LowCardinality(String),
    experiment_id String,
    arm_id String,
    {counts},
    conversion_value Decimal(38, 6),
    computed_at DateTime64(6, 'UTC')
) ENGINE = ReplacingMergeTree(computed_at)
PARTITION BY toYYYYMM(hour)
ORDER BY ({", ".join(GROUP_COLUMNS)})""",
            ],
        ),
    ]


def ttl_statement(ttl_days: int) -> str:
    """Re-apply the configured retention (settings may change between starts)."""
    return f"ALTER TABLE events MODIFY TTL toDateTime(ts) + INTERVAL {int(ttl_days)} DAY"


def recompute_hours_sql(where: str) -> str:
    """INSERT … SELECT recomputing ``events_hourly`` for the raw rows matching ``where``."""
    sums = ",\n    ".join(
        f"countIf(type = '{kind}') AS {name}" for name, kind in COUNTED_TYPES.items()
    )
    group = ", ".join(GROUP_COLUMNS)
    return f"""INSERT INTO events_hourly
SELECT tenant_id, toStartOfHour(ts) AS hour, campaign_id, creative_id, version, format_id, style,
    experiment_id, arm_id,
    {sums},
    sumIf(value, type = 'conversion') AS conversion_value,
    now64(6) AS computed_at
FROM events FINAL
WHERE {where}
GROUP BY {group}"""
