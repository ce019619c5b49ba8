"""Any task that has not completed can be retried: a stuck pending or running one is superseded
(and stops holding the tenant's quota); a completed one is refused."""

from __future__ import annotations

from datetime import UTC, datetime

from adcraft.db.models import Task
from tests.platform.conftest import DoneSet, Stack, wait_task


def _stuck(stack: Stack, done: DoneSet, status: str) -> str:
    """A task row that no worker will ever pick up (as after a lost queue message)."""
    with stack.container.sessions() as s:
        src = s.get(Task, done.task["id"])
        assert src is not None
        row = Task(
            tenant_id=src.tenant_id,
            campaign_id=src.campaign_id,
            brief_id=src.brief_id,
            kind=src.kind,
            status=status,
            request=dict(src.request),
            started_at=datetime.now(UTC) if status == "running" else None,
        )
        s.add(row)
        s.commit()
        return row.id


def test_stuck_pending_task_is_superseded_by_its_retry(stack: Stack, done_set: DoneSet) -> None:
    a = stack.a
    stuck = _stuck(stack, done_set, "pending")
    r = a.post(f"/tasks/{stuck}/retry")
    assert r.status_code == 202, r.text
    old = a.get(f"/tasks/{stuck}").json()
    assert old["status"] == "failed" and "retried" in str(old["error"])
    assert wait_task(a, r.json()["id"])["status"] == "completed"


def test_running_task_is_superseded_by_its_retry(stack: Stack, done_set: DoneSet) -> None:
    a = stack.a
    stuck = _stuck(stack, done_set, "running")
    r = a.post(f"/tasks/{stuck}/retry")
    assert r.status_code == 202, r.text
    old = a.get(f"/tasks/{stuck}").json()
    assert old["status"] == "failed" and "was running" in old["error"]["detail"]
    assert wait_task(a, r.json()["id"])["status"] == "completed"
    assert a.post(f"/tasks/{done_set.task['id']}/retry").status_code == 409  # completed
