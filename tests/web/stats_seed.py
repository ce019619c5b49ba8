"""Events for the Analytics and Experiments pages, sent through ``POST /events`` and stored.

Shared by the browser tests and ``tests.web.stats_screens`` so the screenshots show the tested
state.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import httpx

from adcraft.analytics.events import uuid7
from tests.web.harness import WebServer

FORMATS = ("meta_feed_square", "iab_medium_rectangle")


def event(type: str, at: datetime, **fields: Any) -> dict[str, Any]:
    """One event of the contract (the tenant is the caller's)."""
    return {"event_id": str(uuid7()), "type": type, "ts": at.isoformat(), **fields}


def send(api: httpx.Client, server: WebServer, events: list[dict[str, Any]]) -> None:
    """Send in batches of 1 000, all accepted, then store them (flush) before returning."""
    for i in range(0, len(events), 1000):
        r = api.post("/events", json={"events": events[i : i + 1000]})
        assert r.status_code == 202, r.text
        assert r.json()["rejected"] == 0, r.text
    server.flush_events()


def seed_delivery(api: httpx.Client, server: WebServer, campaign_id: str) -> None:
    """Three days of delivery in two formats, and one set's life (generate → edit → download).

    Per day d (0 = today) and format f: 40 + 10 d + 15 f impressions and 3 + d + 2 f clicks, so
    345 impressions and 30 clicks in all. The set made 3 creatives in 12 s; a1 (edited by 10 %)
    was downloaded 45 s after the start, a2 (edited by 50 %) approved.
    """
    now = datetime.now(UTC).replace(minute=0, second=0, microsecond=0) - timedelta(hours=1)
    events = []
    for day in range(3):
        at = now - timedelta(days=day)
        for f, fmt in enumerate(FORMATS):
            common = {"campaign_id": campaign_id, "format_id": fmt, "creative_id": f"cr-{f}"}
            events += [event("impression", at, **common) for _ in range(40 + 10 * day + 15 * f)]
            events += [event("click", at, **common) for _ in range(3 + day + 2 * f)]
    start = now - timedelta(hours=3)
    task = {"campaign_id": campaign_id, "task_id": f"task-{campaign_id}"}

    def later(s: int) -> datetime:
        return start + timedelta(seconds=s)

    events += [
        event("generate_started", start, **task),
        event("generate_finished", later(12), **task, props={"creatives": 3, "duration_ms": 12000}),
        event("edit", later(40), **task, creative_id="a1", props={"edit_distance": 0.1}),
        event("edit", later(50), **task, creative_id="a2", props={"edit_distance": 0.5}),
        event("download", later(45), **task, creative_id="a1"),
        event("approve", later(55), **task, creative_id="a2"),
    ]
    send(api, server, events)


def arm_traffic(
    api: httpx.Client,
    server: WebServer,
    experiment_id: str,
    arm: dict[str, Any],
    shown: int,
    clicked: int,
) -> None:
    """``shown`` impressions and ``clicked`` clicks of one experiment arm, today."""
    now = datetime.now(UTC)
    common = {
        "experiment_id": experiment_id,
        "arm_id": arm["id"],
        "creative_id": arm["creative_id"],
    }
    events = [
        event(kind, now, **common)
        for kind, n in (("impression", shown), ("click", clicked))
        for _ in range(n)
    ]
    send(api, server, events)
