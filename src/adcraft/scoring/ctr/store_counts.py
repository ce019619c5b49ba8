"""A tenant's impressions and clicks in the analytics store, as the CTR model's count rows.

The raw events are read in time order and credited exactly as an events file is
(``experiments.event_log.credit_clicks``): each click to the viewer's latest earlier
impression of the same creative, the exposure recounted per (viewer, creative). Hourly
aggregates cannot do this: they know neither the viewer nor the order.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from adcraft.analytics.events import EventStore
from adcraft.errors import InputError
from adcraft.experiments.event_log import credit_clicks
from adcraft.scoring.ctr.features import CountRow

_WHERE = """tenant_id = {tenant:String} AND type IN ('impression', 'click') AND creative_id != ''
    AND ts >= parseDateTime64BestEffort({since:String}, 3, 'UTC')
    AND ts < parseDateTime64BestEffort({until:String}, 3, 'UTC')"""

SUMMARY_SQL = f"""SELECT count() AS n, toString(min(ts)) AS first, toString(max(ts)) AS last
FROM events FINAL WHERE {_WHERE}"""

# An impression sorts before a click of the same millisecond: the click answers it.
EVENTS_SQL = f"""SELECT creative_id, type, user_hash, props
FROM events FINAL WHERE {_WHERE}
ORDER BY ts, type = 'click', event_id"""

_FAR_PAST = "1970-01-01 00:00:00"
_FAR_FUTURE = "2999-01-01 00:00:00"


def _param(t: datetime | None, default: str) -> str:
    return t.isoformat() if t is not None else default


def _parse(value: object) -> datetime | None:
    if not isinstance(value, str) or not value:
        return None
    return datetime.fromisoformat(value.replace(" ", "T") + "+00:00")


@dataclass
class StoreCounts:
    """ClickCounts over one tenant's events in ``[since, until)`` (open ends when None)."""

    store: EventStore
    tenant_id: str
    since: datetime | None = None
    until: datetime | None = None
    max_events: int = 5_000_000
    orphan_clicks: int = 0
    _window: tuple[datetime | None, datetime | None] = field(default=(None, None), repr=False)

    def _params(self) -> dict[str, str]:
        return {
            "tenant": self.tenant_id,
            "since": _param(self.since, _FAR_PAST),
            "until": _param(self.until, _FAR_FUTURE),
        }

    def count_rows(self) -> list[CountRow]:
        """Impressions and credited clicks by (creative, position, prior exposures)."""
        if self.since is not None and self.until is not None and self.since >= self.until:
            raise InputError(f"the window is empty: since {self.since} is not before {self.until}")
        params = self._params()
        (summary,) = self.store.query(SUMMARY_SQL, params)
        n = int(summary["n"])
        if n > self.max_events:
            raise InputError(
                f"{n} impression and click events in the window, more than the "
                f"{self.max_events} one training run reads: set a later 'since'"
            )
        self._window = (_parse(summary["first"]), _parse(summary["last"])) if n else (None, None)
        tally = credit_clicks(self.store.query(EVENTS_SQL, params))
        self.orphan_clicks = tally.orphan_clicks
        return tally.rows

    def window(self) -> tuple[datetime | None, datetime | None]:
        """First and last event time read by ``count_rows``."""
        return self._window
