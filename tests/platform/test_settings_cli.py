"""Settings, migrations, the composition root and the platform CLI commands."""

from __future__ import annotations

from pathlib import Path

import pytest
import typer
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import func, select
from typer.testing import CliRunner

from adcraft.cli.platform import register
from adcraft.cli.tenants import register as register_tenants
from adcraft.config import Settings, load_settings
from adcraft.container import build
from adcraft.db.engine import make_engine, migrate
from adcraft.db.models import Base, BriefRow, Campaign, Task, Tenant
from adcraft.db.tenants import authenticate, create_tenant, digest
from adcraft.errors import ConfigError
from tests.platform.conftest import SECRET, wait_task


def test_env_nested_and_toml(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    toml = tmp_path / "adcraft.toml"
    toml.write_text(
        'environment = "production"\n[security]\nsecret_key = "' + "s" * 40 + '"\n'
        "[limits]\nmax_pixels = 1234\n[tasks]\nlocal_workers = 3\n"
    )
    monkeypatch.setenv("ADCRAFT_TASKS__LOCAL_WORKERS", "5")
    s = load_settings(toml)
    assert s.environment == "production" and s.limits.max_pixels == 1234
    assert s.tasks.local_workers == 5, "environment beats the file"


def test_placeholder_secret_refused_outside_development(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ADCRAFT_CONFIG", raising=False)
    with pytest.raises(ConfigError, match="secret_key"):
        load_settings(environment="production")
    with pytest.raises(ConfigError, match="32 characters"):
        load_settings(environment="production", security={"secret_key": "short-but-real"})
    assert load_settings(environment="development").uses_placeholder_secret


def test_visibility_timeout_must_exceed_hard_limit() -> None:
    with pytest.raises(ConfigError, match="visibility_timeout"):
        load_settings(tasks={"hard_time_limit_s": 100, "visibility_timeout_s": 50})


def test_cors_star_refused() -> None:
    with pytest.raises(ConfigError, match="cors"):
        load_settings(server={"cors_origins": ["*"]})


def test_development_secret_is_generated_once(tmp_path: Path) -> None:
    s = Settings(data_dir=tmp_path)
    c1, c2 = build(s, with_runner=False), build(s, with_runner=False)
    assert c1.secret == c2.secret and len(c1.secret) > 40
    assert (tmp_path / "secret.key").stat().st_mode & 0o077 == 0


def test_migrations_match_models(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'm.db'}")
    migrate(engine)
    migrate(engine)  # idempotent
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert diff == [], diff


def test_keys_are_hashed_and_checked(tmp_path: Path) -> None:
    c = build(Settings(data_dir=tmp_path, security={"secret_key": SECRET}), with_runner=False)
    with c.sessions() as s:
        tenant, key = create_tenant(s, "acme", c.secret)
        s.commit()
        from adcraft.db.models import ApiKey

        stored = s.scalar(select(ApiKey).where(ApiKey.tenant_id == tenant.id))
        assert stored is not None and key not in stored.digest
        assert stored.digest == digest(c.secret, key)
        assert authenticate(s, key, c.secret) is not None
        assert authenticate(s, key[:-1] + ("x" if key[-1] != "x" else "y"), c.secret) is None
        assert authenticate(s, key, "another-pepper") is None


def _app() -> typer.Typer:
    app = typer.Typer()
    register(app)
    register_tenants(app)
    return app


def test_tenant_create_prints_a_working_key(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ADCRAFT_DATA_DIR", str(tmp_path))
    r = CliRunner().invoke(_app(), ["tenant", "create", "shop"])
    assert r.exit_code == 0, r.output
    key = r.output.strip().splitlines()[-1]
    c = build(Settings(data_dir=tmp_path), with_runner=False)
    with c.sessions() as s:
        p = authenticate(s, key, c.secret)
        assert p is not None and p.tenant_name == "shop"
    dup = CliRunner().invoke(_app(), ["tenant", "create", "shop"])
    assert dup.exit_code == 2 and "already exists" in dup.output


def test_serve_refuses_placeholder_secret_in_production(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ADCRAFT_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("ADCRAFT_ENVIRONMENT", "production")
    r = CliRunner().invoke(_app(), ["serve"])
    assert r.exit_code == 2 and "secret_key" in r.output


def test_interrupted_tasks_resume_at_start(tmp_path: Path) -> None:
    """A task left 'running' by a crashed server is finished at the next start."""
    import httpx

    from adcraft.api import create_app
    from tests.platform.servers import ServerThread

    settings = Settings(
        environment="test",
        data_dir=tmp_path,
        tasks={"local_mode": "thread"},
        security={"secret_key": SECRET},
    )
    c = build(settings)
    with c.sessions() as s:
        tenant, key = create_tenant(s, "t", c.secret)
        camp = Campaign(tenant_id=tenant.id, name="c")
        s.add(camp)
        s.flush()
        brief = BriefRow(tenant_id=tenant.id, campaign_id=camp.id, data={"product_name": "Resumed"})
        s.add(brief)
        s.flush()
        task = Task(
            tenant_id=tenant.id,
            campaign_id=camp.id,
            brief_id=brief.id,
            kind="generate",
            status="running",
            attempts=1,
            request={
                "formats": ["300x250"],
                "variants": 1,
                "seed": 0,
                "image_format": "jpeg",
                "styles": None,
            },
        )
        s.add(task)
        s.commit()
        task_id = task.id
    with ServerThread(create_app(c)) as srv:
        client = httpx.Client(
            base_url=srv.url + "/api/v1", headers={"Authorization": f"Bearer {key}"}
        )
        done = wait_task(client, task_id)
    assert done["status"] == "completed" and done["attempts"] == 2
    with c.sessions() as s:
        assert s.scalar(select(func.count()).select_from(Tenant)) == 1


def test_local_worker_killed_mid_task_completes_once(tmp_path: Path) -> None:
    """SIGKILL the in-process pool's worker mid-task: a new pool finishes it, once."""
    import multiprocessing
    import os
    import signal
    import time

    import httpx

    from adcraft.api import create_app
    from adcraft.db.models import CreativeRow
    from tests.platform.servers import ServerThread

    settings = Settings(
        environment="test",
        data_dir=tmp_path,
        # A dead worker's task is seen by its stale heartbeat: short periods keep the test short.
        tasks={
            "local_workers": 1,
            "local_mode": "process",
            "heartbeat_s": 2.0,
            "stale_after_s": 8.0,
            "sweep_interval_s": 1.0,
        },
        security={"secret_key": SECRET},
    )
    c = build(settings)
    with c.sessions() as s:
        _, key = create_tenant(s, "t", c.secret)
        s.commit()
    before = {p.pid for p in multiprocessing.active_children()}
    with ServerThread(create_app(c)) as srv:
        a = httpx.Client(base_url=srv.url + "/api/v1", headers={"Authorization": f"Bearer {key}"})
        body = {"brief": {"product_name": "Kill"}, "formats": ["iab"], "variants": 2}
        task_id = a.post("/generate", json=body).json()["id"]
        end = time.monotonic() + 60
        while time.monotonic() < end:
            t = a.get(f"/tasks/{task_id}").json()
            if t["status"] == "running" and t["progress"]["done"] >= 2:
                break
            time.sleep(0.05)
        workers = [p for p in multiprocessing.active_children() if p.pid not in before]
        assert workers and t["status"] == "running"
        for p in workers:
            os.kill(p.pid, signal.SIGKILL)
        done = wait_task(a, task_id, timeout=90)
    assert done["status"] == "completed" and done["attempts"] == 2
    with c.sessions() as s:
        rows = s.scalars(select(CreativeRow).where(CreativeRow.task_id == task_id)).all()
    assert len(rows) == 22 and len({(r.format, r.variant) for r in rows}) == 22
