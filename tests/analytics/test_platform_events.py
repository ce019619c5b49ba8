"""The platform records its own events: task start/finish/fail, downloads, edits, exports."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from adcraft.analytics.task_events import TaskEventPoller
from adcraft.db.engine import unit_of_work
from adcraft.db.models import CreativeRow, Task
from tests.analytics.app_fixtures import App, add_creative, start_app


@pytest.fixture
def app(tmp_path: Path) -> Iterator[App]:
    yield from start_app(tmp_path)


def _events(app: App) -> list[dict[str, object]]:
    analytics = app.client.app.state.analytics  # type: ignore[attr-defined]
    analytics.sink.flush()
    rows: list[dict[str, object]] = analytics.store.query(
        "SELECT type, task_id, creative_id, props FROM events ORDER BY ts, type"
    )
    return rows


def test_task_events_are_recorded_once(app: App) -> None:
    creative = add_creative(app.container, app.tenant_a)
    start = datetime.now(UTC) - timedelta(minutes=5)
    with unit_of_work(app.container.sessions) as s:
        row = s.get(CreativeRow, creative)
        assert row is not None
        task = s.get(Task, row.task_id)
        assert task is not None
        task.created_at = start
        task.status, task.finished_at = "completed", start + timedelta(seconds=42)
        failed = Task(
            tenant_id=app.tenant_a,
            campaign_id=row.campaign_id,
            brief_id=task.brief_id,
            kind="generate",
            request={},
            status="failed",
            created_at=start,
            finished_at=start + timedelta(seconds=3),
            error={"type": "CopyTooLong"},
        )
        s.add(failed)
    analytics = app.client.app.state.analytics  # type: ignore[attr-defined]
    poller = TaskEventPoller(app.container.sessions, analytics.sink)
    assert poller.poll_once() == 4
    poller.poll_once()  # the same tasks again: same ids, stored once
    types = sorted(str(e["type"]) for e in _events(app))
    assert types == ["generate_failed", "generate_finished", "generate_started", "generate_started"]
    finished = next(e for e in _events(app) if e["type"] == "generate_finished")
    assert '"creatives":1' in str(finished["props"]) and '"duration_ms":42000' in str(
        finished["props"]
    )


def test_api_actions_record_events(app: App) -> None:
    creative = add_creative(app.container, app.tenant_a)
    with unit_of_work(app.container.sessions) as s:
        row = s.scalars(select(CreativeRow).where(CreativeRow.id == creative)).one()
        task_id = row.task_id
    # Endpoints that need rendered versions answer 404 here; the feedback route needs a
    # version too, so this checks the event path through a direct helper call instead.
    from adcraft.analytics.events import EventType
    from adcraft.api.analytics_deps import creative_fields, record
    from adcraft.db.tenants import Principal

    analytics = app.client.app.state.analytics  # type: ignore[attr-defined]
    with unit_of_work(app.container.sessions) as s:
        row = s.get(CreativeRow, creative)
        assert row is not None
        who = Principal(tenant_id=app.tenant_a, tenant_name="a", key_id="k", key_prefix="p")
        record(analytics, who, EventType.DOWNLOAD, props={"via": "image"}, **creative_fields(row))
    events = _events(app)
    assert [(e["type"], e["task_id"], e["creative_id"]) for e in events] == [
        ("download", task_id, creative)
    ]
