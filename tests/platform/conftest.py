"""Platform fixtures: the real app over HTTP, on two setups.

* ``local``: in-process worker pool (processes), SQLite file, local asset folder.
* ``celery``: Celery worker subprocess on a real Redis, metadata on a real PostgreSQL.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest

from adcraft.api import create_app
from adcraft.config import Settings
from adcraft.container import Container, build
from adcraft.db.engine import unit_of_work
from adcraft.db.tenants import create_tenant
from tests.platform.servers import PostgresServer, RedisServer, ServerThread, pg_tool

IMAGES = Path(__file__).resolve().parents[2] / "src/adcraft/data/examples/images"
SECRET = "test-secret-" + "x" * 40
SMALL = {"formats": ["1:1", "300x250"], "variants": 2}


def have_redis() -> bool:
    return shutil.which("redis-server") is not None


def have_postgres() -> bool:
    return pg_tool("initdb") is not None and pg_tool("pg_ctl") is not None


def data_and_database(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, name: str
) -> tuple[Path, dict[str, Any]]:
    """A data folder and the ``database`` settings for a module fixture parametrised over
    ``sqlite`` and ``postgresql`` (a fresh database ``name`` on the session's PostgreSQL
    server; skipped where PostgreSQL is not installed)."""
    tmp: Path = tmp_path_factory.mktemp(f"{name}-{request.param}")
    if request.param != "postgresql":
        return tmp, {}
    if not have_postgres():
        pytest.skip("PostgreSQL server binaries not installed")
    return tmp, {"url": request.getfixturevalue("postgres_server").new_database(name)}


@dataclass
class Stack:
    """A running API with two tenants' keys."""

    name: str
    url: str
    key_a: str
    key_b: str
    container: Container
    settings: Settings
    env: dict[str, str]
    extra: dict[str, Any] = field(default_factory=dict)

    def client(self, key: str | None = None, **kw: Any) -> httpx.Client:
        headers = {"Authorization": f"Bearer {key}"} if key else {}
        return httpx.Client(base_url=self.url + "/api/v1", headers=headers, timeout=60, **kw)

    @property
    def a(self) -> httpx.Client:
        if "a" not in self.extra:
            self.extra["a"] = self.client(self.key_a)
        client: httpx.Client = self.extra["a"]
        return client

    @property
    def b(self) -> httpx.Client:
        if "b" not in self.extra:
            self.extra["b"] = self.client(self.key_b)
        client: httpx.Client = self.extra["b"]
        return client


def settings_env(s: Settings) -> dict[str, str]:
    """The environment that rebuilds these settings in a subprocess."""
    t = s.tasks
    return {
        "ADCRAFT_ENVIRONMENT": s.environment,
        "ADCRAFT_DATA_DIR": str(s.data_dir),
        "ADCRAFT_DATABASE__URL": s.database_url,
        "ADCRAFT_STORE__URL": s.store_url,
        "ADCRAFT_STORE__S3_ENDPOINT_URL": s.store.s3_endpoint_url,
        "ADCRAFT_TASKS__RUNNER": t.runner,
        "ADCRAFT_TASKS__BROKER_URL": t.broker_url,
        "ADCRAFT_TASKS__HARD_TIME_LIMIT_S": str(t.hard_time_limit_s),
        "ADCRAFT_TASKS__SOFT_TIME_LIMIT_S": str(t.soft_time_limit_s),
        "ADCRAFT_TASKS__VISIBILITY_TIMEOUT_S": str(t.visibility_timeout_s),
        "ADCRAFT_TASKS__RESTORE_INTERVAL_S": str(t.restore_interval_s),
        "ADCRAFT_TASKS__HEARTBEAT_S": str(t.heartbeat_s),
        "ADCRAFT_TASKS__STALE_AFTER_S": str(t.stale_after_s),
        "ADCRAFT_TASKS__MAX_ATTEMPTS": str(t.max_attempts),
        "ADCRAFT_TASKS__RETRY_BACKOFF_S": str(t.retry_backoff_s),
        "ADCRAFT_TASKS__RETRY_BACKOFF_MAX_S": str(t.retry_backoff_max_s),
        "ADCRAFT_DATABASE__CONNECT_TIMEOUT_S": str(s.database.connect_timeout_s),
        "ADCRAFT_SECURITY__SECRET_KEY": s.security.secret_key,
    }


def start_worker(
    env: dict[str, str], log: Path, queues: str = "render,generate"
) -> subprocess.Popen[bytes]:
    """A Celery worker subprocess in its own process group (so a test can SIGKILL it whole)."""
    fh = log.open("ab")
    proc = subprocess.Popen(
        [sys.executable, "-m", "adcraft.tasks.celery_app", "--queues", queues],
        env={**os.environ, **env},
        stdout=fh,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    return proc


def wait_worker_ready(log: Path, timeout: float = 30) -> None:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if log.exists() and b"ready." in log.read_bytes():
            return
        time.sleep(0.1)
    raise TimeoutError(f"celery worker not ready: {log.read_text(errors='replace')[-2000:]}")


def make_stack(name: str, settings: Settings) -> tuple[Container, str, str]:
    container = build(settings)
    with unit_of_work(container.sessions) as s:
        _, key_a = create_tenant(s, "tenant-a", container.secret)
        _, key_b = create_tenant(s, "tenant-b", container.secret)
    return container, key_a, key_b


@pytest.fixture(scope="session")
def redis_server() -> Iterator[RedisServer]:
    if not have_redis():
        pytest.skip("redis-server not installed (apt-get install redis-server)")
    r = RedisServer()
    r.start()
    yield r
    r.stop()


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    if not have_postgres():
        pytest.skip("PostgreSQL server binaries not installed (apt-get install postgresql)")
    pg = PostgresServer()
    pg.init()
    yield pg
    pg.destroy()


def _local(tmp: Path) -> Iterator[Stack]:
    settings = Settings(
        environment="test",
        data_dir=tmp,
        tasks={"local_workers": 2, "local_mode": "process"},
        security={"secret_key": SECRET},
    )
    container, ka, kb = make_stack("local", settings)
    with ServerThread(create_app(container)) as srv:
        yield Stack("local", srv.url, ka, kb, container, settings, settings_env(settings))
    container.engine.dispose()


def _celery(tmp: Path, request: pytest.FixtureRequest) -> Iterator[Stack]:
    redis = request.getfixturevalue("redis_server")
    pg = request.getfixturevalue("postgres_server")
    settings = Settings(
        environment="test",
        data_dir=tmp,
        database={"url": pg.new_database("stack")},
        tasks={"runner": "celery", "broker_url": redis.url},
        security={"secret_key": SECRET},
    )
    container, ka, kb = make_stack("celery", settings)
    env = settings_env(settings)
    log = tmp / "worker.log"
    worker = start_worker(env, log)
    try:
        wait_worker_ready(log)
        with ServerThread(create_app(container)) as srv:
            yield Stack(
                "celery",
                srv.url,
                ka,
                kb,
                container,
                settings,
                env,
                extra={"redis": redis, "postgres": pg, "worker": worker, "log": log},
            )
    finally:
        os.killpg(worker.pid, 9)
        worker.wait()
        container.engine.dispose()


@pytest.fixture(scope="session", params=["local", "celery"])
def stack(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Stack]:
    """The API on each setup (celery skipped when Redis/PostgreSQL are not installed)."""
    tmp = tmp_path_factory.mktemp(f"stack-{request.param}")
    if request.param == "local":
        yield from _local(tmp)
    else:
        yield from _celery(tmp, request)


@pytest.fixture(scope="session")
def local_stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    """Just the default setup (for tests that need not run twice)."""
    yield from _local(tmp_path_factory.mktemp("stack-local-only"))


def wait_task(client: httpx.Client, task_id: str, timeout: float = 90) -> dict[str, Any]:
    """Poll a task until it is completed or failed."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        body: dict[str, Any] = client.get(f"/tasks/{task_id}").json()
        if body["status"] in ("completed", "failed"):
            return body
        time.sleep(0.1)
    raise TimeoutError(f"task {task_id} did not finish in {timeout}s: {body}")


def tent_bytes() -> bytes:
    return (IMAGES / "tent-trail3.jpg").read_bytes()


@dataclass
class DoneSet:
    """A completed generate task of tenant A and ids of everything around it."""

    task: dict[str, Any]
    campaign_id: str
    creatives: list[dict[str, Any]]
    asset_id: str


def make_done_set(stack: Stack) -> DoneSet:
    a = stack.a
    up = a.post(
        "/assets",
        files={"file": ("tent.jpg", tent_bytes(), "image/jpeg")},
        data={"kind": "image", "caption": "green tent"},
    )
    assert up.status_code == 201, up.text
    r = a.post(
        "/generate",
        json={
            "brief": {"product_name": "Trail 3 Tent", "offer": "20% off this weekend"},
            "image_asset_id": up.json()["id"],
            "campaign_name": "Summer",
            **SMALL,
        },
    )
    assert r.status_code == 202, r.text
    task = wait_task(a, r.json()["id"])
    assert task["status"] == "completed", task
    items = a.get("/creatives", params={"task": task["id"], "limit": 100}).json()["items"]
    return DoneSet(task, task["campaign_id"], items, up.json()["id"])


@pytest.fixture(scope="session")
def done_set(stack: Stack) -> DoneSet:
    return make_done_set(stack)
