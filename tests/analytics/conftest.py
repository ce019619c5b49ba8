"""Analytics fixtures: an embedded store in a temp folder, and event factories."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from adcraft.analytics.events import Event, StoredEvent, now_utc, uuid7
from adcraft.analytics.store_chdb import ChdbStore


@pytest.fixture
def store(tmp_path: Path) -> Iterator[ChdbStore]:
    """A migrated chdb store; closed after the test so the next one can open its own path."""
    s = ChdbStore(tmp_path / "events")
    s.migrate()
    try:
        yield s
    finally:
        s.close()


def make_event(
    type: str = "impression", *, ts: datetime | None = None, **fields: Any
) -> StoredEvent:
    """A valid stored event with defaults for everything not given."""
    at = ts or now_utc()
    fields.setdefault("tenant_id", "t1")
    return Event(event_id=uuid7(), type=type, ts=at, **fields).received(at + timedelta(seconds=1))
