"""One campaign's week of events for ``adcraft report``: shared by the CLI test and
``tests.web.report_screens`` so the docs screenshot shows the tested report.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from adcraft.analytics.events import EventStore, StoredEvent
from tests.analytics.conftest import make_event

TENANT = "acme-outdoor"
CAMPAIGN = "spring-tents"
# (creative, format, style, impressions on day 0, clicks on day 0): each day back adds 10 % more
# impressions and one click less, so CTR by format and by style differ visibly.
CREATIVES = (
    ("tent-trail-a", "meta_feed_square", "bold", 400, 14),
    ("tent-trail-b", "meta_feed_square", "minimal", 380, 9),
    ("tent-trail-a", "iab_medium_rectangle", "bold", 300, 6),
    ("tent-trail-b", "instagram_story", "minimal", 250, 11),
)
DAYS = 7


def campaign_events(now: datetime | None = None) -> list[StoredEvent]:
    """Seven days of delivery for four creatives in three formats and two styles, and two
    generation runs (one edited and downloaded, one approved, one failed run)."""
    end = (now or datetime.now(UTC)).replace(minute=0, second=0, microsecond=0)
    end -= timedelta(hours=1)
    common = {"tenant_id": TENANT, "campaign_id": CAMPAIGN}
    events: list[StoredEvent] = []
    for day in range(DAYS):
        at = end - timedelta(days=day)
        for creative, fmt, style, shown, clicked in CREATIVES:
            fields = {**common, "creative_id": creative, "format_id": fmt, "style": style}
            events += [
                make_event("impression", ts=at, **fields) for _ in range(shown * (10 + day) // 10)
            ]
            events += [make_event("click", ts=at, **fields) for _ in range(max(1, clicked - day))]
    start = end - timedelta(days=DAYS - 1, hours=2)
    task = {**common, "task_id": "task-1"}

    def later(s: int) -> datetime:
        return start + timedelta(seconds=s)

    events += [
        make_event("generate_started", ts=start, **task),
        make_event(
            "generate_finished", ts=later(14), **task, props={"creatives": 2, "duration_ms": 14000}
        ),
        make_event(
            "edit", ts=later(60), **task, creative_id="tent-trail-a", props={"edit_distance": 0.08}
        ),
        make_event("download", ts=later(75), **task, creative_id="tent-trail-a"),
        make_event("approve", ts=later(90), **task, creative_id="tent-trail-b"),
        make_event("generate_started", ts=later(600), **common, task_id="task-2"),
        make_event(
            "generate_failed", ts=later(640), **common, task_id="task-2", props={"error": "timeout"}
        ),
    ]
    return events


def seed_campaign(store: EventStore, now: datetime | None = None) -> int:
    """Store the campaign's events; return how many."""
    events = campaign_events(now)
    store.insert(events)
    return len(events)
