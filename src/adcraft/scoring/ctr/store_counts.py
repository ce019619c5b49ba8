"""A tenant's impressions and clicks in the analytics store, as the CTR model's count rows.

The raw events are read in time order and credited exactly as an events file is
(``experiments.event_log.credit_clicks``): each click to the viewer's latest earlier
impression of the same creative, the exposure recounted per (viewer, creative). Hourly
aggregates cannot do this: they know neither the viewer nor the order.

The events are read in pages of at most ``batch_events`` (keyset pagination on the sort key,
within spans of whole hours planned from an hourly count), so memory holds one page and the
tally, never the whole window: a window of millions of events held as row dicts took
gigabytes in the process that owns the store.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from adcraft.analytics.events import EventStore
from adcraft.errors import InputError
from adcraft.experiments.event_log import credit_clicks
from adcraft.scoring.ctr.features import CountRow

_WHERE = """tenant_id = {tenant:String} AND type IN ('impression', 'click') AND creative_id != ''
    AND ts >= parseDateTime64BestEffort({since:String}, 3, 'UTC')
    AND ts < parseDateTime64BestEffort({until:String}, 3, 'UTC')"""

SUMMARY_SQL = f"""SELECT count() AS n, toString(min(ts)) AS first, toString(max(ts)) AS last,
    countIf(type = 'impression') AS impressions, countIf(type = 'click') AS clicks,
    uniqExactIf(creative_id, type = 'impression') AS creatives
FROM events FINAL WHERE {_WHERE}"""

HOURS_SQL = f"""SELECT toString(toStartOfHour(ts)) AS hour, count() AS n
FROM events FINAL WHERE {_WHERE}
GROUP BY hour ORDER BY hour"""

# An impression sorts before a click of the same millisecond: the click answers it. A page
# starts after the last row of the one before (``after_*``) and stays inside one span of
# hours, so each statement reads that span only.
PAGE_SQL = f"""SELECT creative_id, type, user_hash, props,
    toString(ts) AS sort_ts, toUInt8(type = 'click') AS sort_click, toString(event_id) AS sort_id
FROM events FINAL WHERE {_WHERE}
    AND ts >= parseDateTime64BestEffort({{span_start:String}}, 3, 'UTC')
    AND ts < parseDateTime64BestEffort({{span_end:String}}, 3, 'UTC')
    AND ts >= parseDateTime64BestEffort({{after_ts:String}}, 3, 'UTC')
    AND (ts, toUInt8(type = 'click'), event_id) > (
        parseDateTime64BestEffort({{after_ts:String}}, 3, 'UTC'), {{after_click:UInt8}},
        toUUID({{after_id:String}}))
ORDER BY ts, type = 'click', event_id
LIMIT {{limit:UInt32}}"""
_NIL_UUID = "00000000-0000-0000-0000-000000000000"

_FAR_PAST = "1970-01-01 00:00:00"
_FAR_FUTURE = "2999-01-01 00:00:00"


def _param(t: datetime | None, default: str) -> str:
    return t.isoformat() if t is not None else default


def _parse(value: object) -> datetime | None:
    if not isinstance(value, str) or not value:
        return None
    return datetime.fromisoformat(value.replace(" ", "T") + "+00:00")


@dataclass(frozen=True)
class Summary:
    """What a window holds, from one aggregate query: enough to refuse training up front."""

    events: int
    impressions: int
    clicks: int
    creatives: int
    first: datetime | None
    last: datetime | None


@dataclass
class StoreCounts:
    """ClickCounts over one tenant's events in ``[since, until)`` (open ends when None)."""

    store: EventStore
    tenant_id: str
    since: datetime | None = None
    until: datetime | None = None
    max_events: int = 5_000_000
    batch_events: int = 20_000
    orphan_clicks: int = 0
    _window: tuple[datetime | None, datetime | None] = field(default=(None, None), repr=False)

    def _params(self) -> dict[str, str]:
        return {
            "tenant": self.tenant_id,
            "since": _param(self.since, _FAR_PAST),
            "until": _param(self.until, _FAR_FUTURE),
        }

    def summary(self) -> Summary:
        """Events, impressions, clicks (before crediting) and creatives shown in the window;
        InputError for an empty window or one over ``max_events``."""
        if self.since is not None and self.until is not None and self.since >= self.until:
            raise InputError(f"the window is empty: since {self.since} is not before {self.until}")
        (row,) = self.store.query(SUMMARY_SQL, self._params())
        n = int(row["n"])
        if n > self.max_events:
            raise InputError(
                f"{n} impression and click events in the window, more than the "
                f"{self.max_events} one training run reads: set a later 'since'"
            )
        first, last = (_parse(row["first"]), _parse(row["last"])) if n else (None, None)
        return Summary(
            n, int(row["impressions"]), int(row["clicks"]), int(row["creatives"]), first, last
        )

    def count_rows(self) -> list[CountRow]:
        """Impressions and credited clicks by (creative, position, prior exposures)."""
        summary = self.summary()
        self._window = (summary.first, summary.last)
        tally = credit_clicks(self._events())
        self.orphan_clicks = tally.orphan_clicks
        return tally.rows

    def _events(self) -> Iterator[dict[str, Any]]:
        """The window's events in crediting order, one page in memory at a time."""
        params = self._params()
        for start, end in self._spans(params):
            after = {"after_ts": start, "after_click": "0", "after_id": _NIL_UUID}
            while True:
                page = self.store.query(
                    PAGE_SQL,
                    {
                        **params,
                        **after,
                        "span_start": start,
                        "span_end": end,
                        "limit": str(self.batch_events),
                    },
                )
                yield from page
                if len(page) < self.batch_events:
                    break
                last = page[-1]
                after = {
                    "after_ts": str(last["sort_ts"]),
                    "after_click": str(int(last["sort_click"])),
                    "after_id": str(last["sort_id"]),
                }
                del page

    def _spans(self, params: dict[str, str]) -> Iterator[tuple[str, str]]:
        """Consecutive whole hours of at most ``batch_events`` events each (an hour with more
        is a span of its own, read in several pages)."""
        start: datetime | None = None
        end: datetime | None = None
        n = 0
        for row in self.store.query(HOURS_SQL, params):
            hour = _parse(row["hour"])
            assert hour is not None
            count = int(row["n"])
            if start is not None and end is not None and n + count > self.batch_events:
                yield _ch(start), _ch(end)
                start, n = None, 0
            if start is None:
                start = hour
            end, n = hour + timedelta(hours=1), n + count
        if start is not None and end is not None:
            yield _ch(start), _ch(end)

    def window(self) -> tuple[datetime | None, datetime | None]:
        """First and last event time read by ``count_rows``."""
        return self._window


def _ch(t: datetime) -> str:
    """A time as the store parses it (UTC, no offset)."""
    return t.strftime("%Y-%m-%d %H:%M:%S")
