"""/readyz on real dependencies: 200 when all answer, 503 naming the check that failed for a dead
database, no live worker, a full disk, and a hanging store (bounded by ready_timeout_s)."""

from __future__ import annotations

import shutil
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest

from adcraft.api import create_app
from adcraft.config import Settings
from adcraft.container import build
from adcraft.store.base import AssetStore
from tests.platform.conftest import SECRET
from tests.platform.servers import PostgresServer, RedisServer, ServerThread


def _settings(tmp: Path, **over: Any) -> Settings:
    base: dict[str, Any] = {
        "environment": "test",
        "data_dir": tmp,
        "tasks": {"local_workers": 1, "local_mode": "thread"},
        "security": {"secret_key": SECRET},
        "events": {"enabled": False},
    }
    for k, v in over.items():
        base[k] = {**base[k], **v} if isinstance(base.get(k), dict) else v
    return Settings(**base)


@contextmanager
def _serving(settings: Settings, store: AssetStore | None = None) -> Iterator[str]:
    container = build(settings)
    if store is not None:
        container.store = store
    try:
        with ServerThread(create_app(container)) as srv:
            yield srv.url
    finally:
        container.engine.dispose()


def _ready(url: str) -> httpx.Response:
    return httpx.get(url + "/readyz", timeout=30)


def _wait_ready(url: str, timeout: float = 30) -> httpx.Response:
    end = time.monotonic() + timeout
    while True:
        r = _ready(url)
        if r.status_code == 200 or time.monotonic() > end:
            return r
        time.sleep(0.1)


def test_healthy_local_setup_is_ready_and_names_every_check(tmp_path: Path) -> None:
    settings = _settings(tmp_path, events={"enabled": True}, server={"min_free_disk_mb": 1})
    with _serving(settings) as url:
        r = _wait_ready(url)
        assert r.status_code == 200, r.text
        body = r.json()
        assert body["status"] == "ok"
        names = {"database", "queue", "workers", "disk", "store", "analytics"}
        assert set(body["checks"]) == names and all(body["checks"].values())
        assert {k: v["state"] for k, v in body["details"].items()} == dict.fromkeys(names, "ok")
        assert "1 live" in body["details"]["workers"]["detail"]
        assert "MB free under" in body["details"]["disk"]["detail"]


def test_full_disk_by_threshold_gives_503_naming_disk(tmp_path: Path) -> None:
    free_mb = shutil.disk_usage(tmp_path).free // 2**20
    with _serving(_settings(tmp_path, server={"min_free_disk_mb": free_mb + 10_000})) as url:
        r = _ready(url)
        assert r.status_code == 503
        assert r.headers["content-type"].startswith("application/problem+json")
        body = r.json()
        assert body["checks"]["disk"] is False and body["details"]["disk"]["state"] == "down"
        assert "min_free_disk_mb" in body["detail"] and body["detail"].startswith("not ready: disk")
        assert body["checks"]["database"] is True


def test_full_disk_as_the_os_reports_it_gives_503(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = shutil.disk_usage

    def nearly_full(path: Any) -> Any:
        usage = real(path)
        return type(usage)(usage.total, usage.total - 3 * 2**20, 3 * 2**20)

    with _serving(_settings(tmp_path, server={"min_free_disk_mb": 100})) as url:
        assert _wait_ready(url).status_code == 200
        monkeypatch.setattr(shutil, "disk_usage", nearly_full)
        r = _ready(url)
        assert r.status_code == 503
        assert r.json()["details"]["disk"]["detail"].startswith("3 MB free under")
        monkeypatch.undo()
        assert _ready(url).status_code == 200


def test_dead_database_gives_503_then_recovers(
    tmp_path: Path, postgres_server: PostgresServer
) -> None:
    url_db = postgres_server.new_database("ready")
    settings = _settings(tmp_path, database={"url": url_db, "connect_timeout_s": 1})
    with _serving(settings) as url:
        assert _wait_ready(url).status_code == 200
        postgres_server.stop()
        try:
            r = _ready(url)
            assert r.status_code == 503
            body = r.json()
            assert body["checks"]["database"] is False
            assert body["details"]["database"]["state"] in ("down", "timeout")
            assert "database" in body["detail"]
        finally:
            postgres_server.start()
        assert _wait_ready(url).status_code == 200


def test_celery_mode_without_a_live_worker_gives_503(
    tmp_path: Path, postgres_server: PostgresServer, redis_server: RedisServer
) -> None:
    settings = _settings(
        tmp_path,
        database={"url": postgres_server.new_database("ready_nowork")},
        tasks={"runner": "celery", "broker_url": redis_server.url},
    )
    with _serving(settings) as url:
        r = _ready(url)
        assert r.status_code == 503
        body = r.json()
        assert body["checks"]["queue"] is True, "Redis answers"
        assert body["checks"]["workers"] is False
        assert "no worker has sent a heartbeat" in body["details"]["workers"]["detail"]
        assert "adcraft worker" in body["detail"]


class _HangingStore:
    """A store whose endpoint accepts the connection and never answers (as S3 did for 18 s)."""

    def __init__(self, inner: AssetStore) -> None:
        self.inner = inner
        self.name = inner.name
        self.release = threading.Event()
        self.pings = 0

    def ping(self) -> bool:
        self.pings += 1
        self.release.wait(60)
        return True

    def __getattr__(self, attr: str) -> Any:
        return getattr(self.inner, attr)


def test_hanging_store_is_cut_at_ready_timeout(tmp_path: Path) -> None:
    settings = _settings(tmp_path, server={"ready_timeout_s": 0.5, "min_free_disk_mb": 1})
    hanging = _HangingStore(build(settings, with_runner=False).store)
    with _serving(settings, store=hanging) as url:  # type: ignore[arg-type]
        try:
            t0 = time.monotonic()
            r = _ready(url)
            took = time.monotonic() - t0
            assert r.status_code == 503 and took < 5, took
            assert r.json()["details"]["store"]["state"] == "timeout"
            assert "ready_timeout_s=0.5" in r.json()["details"]["store"]["detail"]
            # A second probe does not pile another thread on the hung one.
            r = _ready(url)
            again = r.json()["details"]["store"]
            assert again["detail"] == "the previous check has not answered yet"
            assert hanging.pings == 1
        finally:
            hanging.release.set()
        assert _wait_ready(url).status_code == 200
