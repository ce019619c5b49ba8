"""The sweeper on a real database: dead attempts queued again, overrun and spent ones failed with
a reason, lost pending tasks queued again, failed tasks' unreferenced files removed."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from adcraft.config import Settings
from adcraft.container import Container, build
from adcraft.db.engine import unit_of_work
from adcraft.db.models import BriefRow, Campaign, Task, TaskOutput, Version, new_id, utcnow
from adcraft.db.tenants import create_tenant
from adcraft.store.base import content_key
from adcraft.tasks.journal import JournaledStore
from adcraft.tasks.sweeper import sweep
from tests.platform.conftest import SECRET


@pytest.fixture
def c(tmp_path: Path) -> Container:
    settings = Settings(
        environment="test",
        data_dir=tmp_path,
        tasks={
            "heartbeat_s": 1,
            "stale_after_s": 5,
            "hard_time_limit_s": 60,
            "soft_time_limit_s": 50,
            "requeue_pending_after_s": 30,
            "max_attempts": 3,
        },
        security={"secret_key": SECRET},
    )
    return build(settings, with_runner=False)


def _task(c: Container, **values: object) -> str:
    with unit_of_work(c.sessions) as s:
        tenant, _ = create_tenant(s, f"t-{new_id()}", c.secret)
        camp = Campaign(tenant_id=tenant.id, name="c")
        s.add(camp)
        s.flush()
        brief = BriefRow(tenant_id=tenant.id, campaign_id=camp.id, data={})
        s.add(brief)
        s.flush()
        task = Task(
            tenant_id=tenant.id, campaign_id=camp.id, brief_id=brief.id, kind="generate", request={}
        )
        for k, v in values.items():
            setattr(task, k, v)
        s.add(task)
        s.flush()
        return task.id


def _get(c: Container, task_id: str) -> Task:
    with c.sessions() as s:
        t = s.get(Task, task_id)
        assert t is not None
        return t


def test_dead_attempt_is_queued_again_then_failed_when_attempts_are_spent(c: Container) -> None:
    ago = utcnow() - timedelta(seconds=20)
    dead = _task(c, status="running", attempts=1, attempt_started_at=ago, heartbeat_at=ago)
    spent = _task(c, status="running", attempts=3, attempt_started_at=ago, heartbeat_at=ago)
    alive = _task(c, status="running", attempts=1, attempt_started_at=ago, heartbeat_at=utcnow())
    queued: list[tuple[str, str]] = []
    report = sweep(c.sessions, c.store, c.settings, lambda t, q: queued.append((t, q)))
    assert queued == [(dead, "generate")] and report.requeued == 1
    assert _get(c, dead).status == "pending"
    failed = _get(c, spent)
    assert failed.status == "failed" and failed.error is not None
    assert failed.error["type"] == "WorkerLost" and "no heartbeat" in failed.error["detail"]
    assert _get(c, alive).status == "running"


def test_overrun_fails_naming_the_hard_limit(c: Container) -> None:
    started = utcnow() - timedelta(seconds=70)
    overrun = _task(
        c, status="running", attempts=1, attempt_started_at=started, heartbeat_at=utcnow()
    )
    sweep(c.sessions, c.store, c.settings, lambda t, q: None)
    t = _get(c, overrun)
    assert t.status == "failed" and t.error is not None
    assert "hard time limit of 60 s" in t.error["detail"]


def test_lost_pending_task_is_queued_again_once_per_interval(c: Container) -> None:
    lost = _task(c, created_at=utcnow() - timedelta(seconds=60))
    fresh = _task(c)
    queued: list[str] = []
    sweep(c.sessions, c.store, c.settings, lambda t, q: queued.append(t))
    sweep(c.sessions, c.store, c.settings, lambda t, q: queued.append(t))
    assert queued == [lost], "queued again once, not on every sweep; a fresh task left alone"
    assert fresh not in queued


def test_failed_task_files_removed_unless_referenced(c: Container) -> None:
    task_id = _task(c, status="running", attempts=1)
    tenant = _get(c, task_id).tenant_id
    store = JournaledStore(c.store, c.sessions, task_id)
    own = store.put(tenant, b"only this task", "png", "image/png")
    shared = store.put(tenant, b"also a version", "png", "image/png")
    assert shared == content_key(tenant, b"also a version", "png")
    other = _task(c, status="completed")
    with unit_of_work(c.sessions) as s:
        creative_id = _creative(s, _get(c, other))
        s.add(
            Version(
                tenant_id=_get(c, other).tenant_id,
                creative_id=creative_id,
                number=1,
                task_id=other,
                action="generated",
                image_key=shared,
                image_format="png",
                bytes=1,
                score=0.0,
                metrics={},
                copy_fields={},
                platform_text={},
                copy_limits={},
                warnings=[],
                render={},
            )
        )
        s.get(Task, task_id).status = "failed"  # type: ignore[union-attr]
    report = sweep(c.sessions, c.store, c.settings, lambda t, q: None)
    assert report.files_removed == 1
    assert not c.store.exists(own) and c.store.exists(shared)
    with c.sessions() as s:
        assert s.query(TaskOutput).count() == 0
    leftovers = [p for p in Path(c.settings.data_dir, "assets").rglob(".tmp-*")]
    assert leftovers == []


def _creative(s: object, task: Task) -> str:
    from sqlalchemy.orm import Session

    from adcraft.db.models import CreativeRow

    assert isinstance(s, Session)
    row = CreativeRow(
        tenant_id=task.tenant_id,
        campaign_id=task.campaign_id,
        task_id=task.id,
        pipeline_id="p",
        format="1:1",
        platform="meta",
        width=1,
        height=1,
        variant=1,
        style="s",
        template="t",
        rank=1,
    )
    s.add(row)
    s.flush()
    return row.id
