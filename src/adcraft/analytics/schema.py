"""The analytics schema as ordered migrations (ClickHouse SQL, the same on chdb and a server).

``events`` holds one row per event: ReplacingMergeTree keyed by tenant, hour and ``event_id``, so
a duplicate that slips past the writer's id check still collapses on merge; partitioned by month
so retention drops whole parts.

Two rollups are recomputed by the writer from the raw table for the hours a batch touched
(instead of a materialized view, which would count a redelivered event twice):

* ``events_hourly``: exact hourly counts per tenant × campaign × creative × version × format ×
  style × experiment × arm. A SummingMergeTree of *corrections*: the writer inserts, per group,
  the recount minus what the table already sums to, so ``sum()`` over the rows is exact whatever
  the merge state and readers need no ``FINAL`` (which, with nearly one group per event, merged
  millions of rows per query). It relies on one writer per store, as the id check does.
* ``pilot_hourly``: the task and creative lifecycle (generation, edits, regenerations, accepts)
  per tenant × hour × campaign × task × creative, the inputs of the pilot metrics. A few rows per
  task, so it keeps the simpler snapshot form: a ReplacingMergeTree read with ``FINAL``.
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
    """(version, statements) in order; each version is applied once and recorded.

    A version's statements are safe to run again: a start that dies half-way through one
    repeats it whole on the next start.
    """
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
        (
            2,
            # Rebuilt from the raw table rather than converted: the raw table is the truth, and
            # dropping first makes a repeated run start from nothing.
            [
                "DROP TABLE IF EXISTS events_hourly",
                HOURLY_TABLE,
                f"INSERT INTO events_hourly {hourly_recount_sql('1')}",
                "DROP TABLE IF EXISTS pilot_hourly",
                PILOT_TABLE,
                f"INSERT INTO pilot_hourly {pilot_recount_sql('1')}",
            ],
        ),
    ]


# Signed: a correction row may take counts back (a recompute after raw rows went away).
SUMMED_COLUMNS = ("event_count", *COUNTED_TYPES, "conversion_value")
_SIGNED_COUNTS = ",\n    ".join(f"{name} Int64" for name in COUNTED_TYPES)
HOURLY_TABLE = f"""CREATE TABLE events_hourly (
    tenant_id LowCardinality(String),
    hour DateTime('UTC'),
    campaign_id String,
    creative_id String,
    version UInt32,
    format_id LowCardinality(String),
    style LowCardinality(String),
    experiment_id String,
    arm_id String,
    event_count Int64,
    {_SIGNED_COUNTS},
    conversion_value Decimal(38, 6)
) ENGINE = SummingMergeTree
PARTITION BY toYYYYMM(hour)
ORDER BY ({", ".join(GROUP_COLUMNS)})"""

PILOT_GROUP = ("tenant_id", "hour", "campaign_id", "task_id", "creative_id")
PILOT_TYPES = (
    "generate_started",
    "generate_finished",
    "generate_failed",
    "download",
    "export",
    "approve",
    "edit",
    "regenerate",
)
PILOT_TABLE = f"""CREATE TABLE pilot_hourly (
    tenant_id LowCardinality(String),
    hour DateTime('UTC'),
    campaign_id String,
    task_id String,
    creative_id String,
    starts UInt64,
    started_at DateTime64(3, 'UTC'),
    assets UInt64,
    first_asset_at DateTime64(3, 'UTC'),
    accepts UInt64,
    edits UInt64,
    max_edit_distance Float64,
    regenerations UInt64,
    generated UInt64,
    finished UInt64,
    failed UInt64,
    durations_ms Array(Float64),
    computed_at DateTime64(6, 'UTC')
) ENGINE = ReplacingMergeTree(computed_at)
PARTITION BY toYYYYMM(hour)
ORDER BY ({", ".join(PILOT_GROUP)})"""


def ttl_statement(ttl_days: int) -> str:
    """Re-apply the configured retention (settings may change between starts)."""
    return f"ALTER TABLE events MODIFY TTL toDateTime(ts) + INTERVAL {int(ttl_days)} DAY"


def hourly_recount_sql(where: str, source: str = "events FINAL") -> str:
    """SELECT of the exact ``events_hourly`` rows for the raw events matching ``where`` (of
    ``source``: a table shaped like ``events``)."""
    sums = ",\n    ".join(
        f"countIf(type = '{kind}') AS {name}" for name, kind in COUNTED_TYPES.items()
    )
    return f"""SELECT tenant_id, toDateTime(toStartOfHour(ts), 'UTC') AS hour, campaign_id,
    creative_id, version, format_id, style, experiment_id, arm_id,
    toInt64(count()) AS event_count,
    {sums},
    toDecimal128(sumIf(value, type = 'conversion'), 6) AS conversion_value
FROM {source}
WHERE {where}
GROUP BY {", ".join(GROUP_COLUMNS)}"""


def hourly_correction_sql(raw_where: str, hourly_where: str) -> str:
    """INSERT of the corrections that bring ``events_hourly`` to the recount of some hours.

    ``raw_where`` selects the hours' raw events and ``hourly_where`` the same hours' rollup rows.
    Groups whose sums already match insert nothing, so replaying a batch adds no rows.
    """
    keys = ", ".join(GROUP_COLUMNS)
    stored = ", ".join(f"sum({c}) AS {c}" for c in SUMMED_COLUMNS)
    deltas = ", ".join(f"fresh.{c} - stored.{c} AS d_{c}" for c in SUMMED_COLUMNS)
    changed = " OR ".join(f"d_{c} != 0" for c in SUMMED_COLUMNS)
    # join_use_nulls = 0: a group missing on one side reads as zeros, never NULL.
    return f"""INSERT INTO events_hourly
SELECT {keys}, {deltas}
FROM ({hourly_recount_sql(raw_where)}) AS fresh
FULL OUTER JOIN (
    SELECT {keys}, {stored} FROM events_hourly WHERE {hourly_where} GROUP BY {keys}
) AS stored USING ({keys})
WHERE {changed}
SETTINGS join_use_nulls = 0"""


def pilot_recount_sql(where: str) -> str:
    """SELECT of the ``pilot_hourly`` rows for the raw events matching ``where``."""
    types = ", ".join(f"'{t}'" for t in PILOT_TYPES)
    return f"""SELECT tenant_id, toDateTime(toStartOfHour(ts), 'UTC') AS hour, campaign_id,
    task_id, creative_id,
    countIf(type = 'generate_started') AS starts,
    minIf(ts, type = 'generate_started') AS started_at,
    countIf(type IN ('export', 'download')) AS assets,
    minIf(ts, type IN ('export', 'download')) AS first_asset_at,
    countIf(type IN ('download', 'export', 'approve')) AS accepts,
    countIf(type = 'edit') AS edits,
    maxIf(JSONExtractFloat(props, 'edit_distance'), type = 'edit') AS max_edit_distance,
    countIf(type = 'regenerate') AS regenerations,
    sumIf(JSONExtractUInt(props, 'creatives'), type = 'generate_finished') AS generated,
    countIf(type = 'generate_finished') AS finished,
    countIf(type = 'generate_failed') AS failed,
    groupArrayIf(JSONExtractFloat(props, 'duration_ms'), type = 'generate_finished')
        AS durations_ms,
    now64(6) AS computed_at
FROM events FINAL
WHERE ({where}) AND type IN ({types})
GROUP BY {", ".join(PILOT_GROUP)}"""
