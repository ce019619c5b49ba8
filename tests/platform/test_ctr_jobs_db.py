"""One queued or running CTR training per tenant, enforced by the metadata database itself on
SQLite and PostgreSQL (two API replicas cannot both accept one), and a job whose process
stopped beating no longer counts."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import update

from adcraft.api import ctr_jobs
from adcraft.config import Settings
from adcraft.container import Container, build
from adcraft.db.engine import unit_of_work
from adcraft.db.models import CtrJob, utcnow
from adcraft.db.tenants import create_tenant
from adcraft.errors import Conflict
from tests.platform.conftest import SECRET, data_and_database


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def db(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Container, str, str]]:
    tmp, database = data_and_database(request, tmp_path_factory, "ctrjobs")
    settings = Settings(
        environment="test",
        data_dir=Path(tmp),
        database=database,
        security={"secret_key": SECRET},
        events={"enabled": False},
    )
    container = build(settings, with_runner=False)  # migrated: the index comes from alembic
    with unit_of_work(container.sessions) as s:
        a, _ = create_tenant(s, "tenant-a", container.secret)
        b, _ = create_tenant(s, "tenant-b", container.secret)
        ids = (a.id, b.id)
    yield container, *ids
    container.close()


def _set(container: Container, job_id: str, **values: object) -> None:
    with unit_of_work(container.sessions) as s:
        s.execute(update(CtrJob).where(CtrJob.id == job_id).values(**values))


def test_one_active_job_per_tenant(db: tuple[Container, str, str]) -> None:
    c, tenant_a, tenant_b = db
    first = ctr_jobs.create_job(c.sessions, c.settings, tenant_a, None, None)
    with pytest.raises(Conflict, match=first.id):
        ctr_jobs.create_job(c.sessions, c.settings, tenant_a, None, None)
    _set(c, first.id, status="running")
    with pytest.raises(Conflict, match=f"already running \\(job {first.id}\\)"):
        ctr_jobs.create_job(c.sessions, c.settings, tenant_a, None, None)
    # Another tenant is not held up.
    other = ctr_jobs.create_job(c.sessions, c.settings, tenant_b, None, None)
    _set(c, other.id, status="completed")
    # Finished, the job no longer blocks; nor does one whose heartbeat went stale.
    _set(c, first.id, status="failed")
    second = ctr_jobs.create_job(c.sessions, c.settings, tenant_a, None, None)
    stale = utcnow() - timedelta(seconds=c.settings.tasks.stale_after_s + 60)
    _set(c, second.id, status="running", heartbeat_at=stale)
    third = ctr_jobs.create_job(c.sessions, c.settings, tenant_a, None, None)
    with c.sessions() as s:
        lost = s.get(CtrJob, second.id)
        assert lost is not None and lost.status == "failed"
        assert lost.error == ctr_jobs.LOST
        active = ctr_jobs.active_job(s, tenant_a)
        assert active is not None and active.id == third.id
