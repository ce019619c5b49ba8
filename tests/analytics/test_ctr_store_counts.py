"""The CTR model's counts read from the store page by page equal those of the whole window."""

from __future__ import annotations

import random
from collections import Counter
from datetime import UTC, datetime, timedelta

from adcraft.analytics.events import StoredEvent
from adcraft.analytics.store_chdb import ChdbStore
from adcraft.scoring.ctr.features import MAX_EXPOSURE, CountRow
from adcraft.scoring.ctr.store_counts import StoreCounts
from tests.analytics.conftest import make_event


def test_paged_counts_equal_the_whole_windows_counts(store: ChdbStore) -> None:
    rng = random.Random(3)
    t0 = datetime(2026, 3, 1, 9, 59, tzinfo=UTC)
    events = []
    for i in range(400):
        # Spread over five hours, several viewers seeing several creatives repeatedly.
        ts = t0 + timedelta(seconds=45 * i)
        fields = {
            "creative_id": f"c{rng.randrange(6)}",
            "user_hash": f"u{rng.randrange(15)}",
            "props": {"position": rng.randrange(1, 4)},
        }
        events.append(make_event("impression", ts=ts, **fields))
        if rng.random() < 0.3:
            # Some clicks in the same millisecond as their impression: it still answers it.
            later = ts if rng.random() < 0.5 else ts + timedelta(seconds=2)
            events.append(make_event("click", ts=later, **fields))
    events.append(make_event("click", ts=t0, creative_id="c1", user_hash="nobody"))
    store.insert(events)

    ordered = sorted(events, key=lambda e: (e.ts, e.type == "click"))
    expected, orphans = _credited(ordered)
    whole = StoreCounts(store, "t1")
    assert whole.count_rows() == expected
    paged = StoreCounts(store, "t1", batch_events=7)  # pages split hours and cross them
    assert paged.count_rows() == expected
    assert paged.orphan_clicks == orphans == 1
    assert paged.window() == whole.window() == (ordered[0].ts, ordered[-1].ts)
    summary = paged.summary()
    assert summary.events == len(events)
    assert summary.impressions == 400 and summary.creatives == 6


def _credited(ordered: list[StoredEvent]) -> tuple[list[CountRow], int]:
    """The rule spelled out: each viewer's showings of a creative listed in order; a click
    goes to the last one so far (its position, and how many came before it)."""
    shown: dict[tuple[str, str], list[int]] = {}
    imps: Counter[tuple[str, int, int]] = Counter()
    clicks: Counter[tuple[str, int, int]] = Counter()
    orphans = 0
    for e in ordered:
        before = shown.setdefault((e.user_hash, e.creative_id), [])
        if e.type == "impression":
            position = int(e.props.get("position") or 1)
            imps[(e.creative_id, position, min(len(before), MAX_EXPOSURE))] += 1
            before.append(position)
        elif before:
            clicks[(e.creative_id, before[-1], min(len(before) - 1, MAX_EXPOSURE))] += 1
        else:
            orphans += 1
    rows = [CountRow(c, n, clicks[(c, p, x)], p, x) for (c, p, x), n in sorted(imps.items())]
    return rows, orphans
