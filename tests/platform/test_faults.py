"""Faults on the production setup (PostgreSQL + Redis + Celery workers + the API): every task
ends completed, or failed with a reason, 0 stuck, 0 duplicated creatives, 0 orphan files, and
/readyz says 503 while a dependency is down.

* PostgreSQL stopped for 20 s while twelve tasks of two tenants run on two workers, then started
  again: every task ends within two minutes, and no file is left that no row names;
* the Celery worker SIGKILLed mid-task (the broker's visibility timeout left at an hour): the
  heartbeat shows it dead within seconds and the task completes on a new worker, once;
* a task runs past its soft time limit (2 s), and one past its hard limit;
* the asset store's disk fills up: a real tmpfs mount of 4 MiB as the store folder, filled up to
  its last ~100 KiB, so the worker's writes meet a real ENOSPC part-way through a set.
"""

from __future__ import annotations

import os
import re
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select

from adcraft.api import create_app
from adcraft.config import Settings
from adcraft.db.models import CreativeRow, Task
from adcraft.db.references import key_in_use
from adcraft.store.base import KEY_RE
from tests.platform.conftest import (
    SECRET,
    Stack,
    make_stack,
    settings_env,
    start_worker,
    wait_worker_ready,
)
from tests.platform.servers import PostgresServer, RedisServer, ServerThread
from tests.platform.stubborn_writer import SLOW_PRODUCT, STUCK_PRODUCT

SMALL = {"formats": ["300x250"], "variants": 1}


def _settings(tmp: Path, db_url: str, broker: str, store: Path | None, **tasks: Any) -> Settings:
    return Settings(
        environment="test",
        data_dir=tmp / "data",
        database={"url": db_url, "connect_timeout_s": 2},
        store={"url": f"file://{store}"} if store else {},
        tasks={
            "runner": "celery",
            "broker_url": broker,
            "heartbeat_s": 1,
            "stale_after_s": 4,
            "sweep_interval_s": 1,
            "requeue_pending_after_s": 5,
            "retry_backoff_s": 1,
            "retry_backoff_max_s": 4,
            "max_attempts": 3,
            "restore_interval_s": 1,
            **tasks,
        },
        server={"min_free_disk_mb": 1, "ready_timeout_s": 3},
        events={"enabled": False},
        security={"secret_key": SECRET},
    )


# Workers whose copywriter runs past any time limit for the products of stubborn_writer.py.
STUBBORN = {
    "ADCRAFT_PROVIDER_MODULES": "tests.platform.stubborn_writer",
    "ADCRAFT_LLM_PROVIDER": "stubborn",
}


@contextmanager
def _production(
    settings: Settings, log: Path, worker_env: dict[str, str] | None = None
) -> Iterator[Stack]:
    container, key_a, key_b = make_stack("faults", settings)
    env = {**settings_env(settings), **(worker_env or {})}
    worker = start_worker(env, log)
    try:
        wait_worker_ready(log)
        with ServerThread(create_app(container)) as srv:
            yield Stack(
                "faults", srv.url, key_a, key_b, container, settings, env, {"worker": worker}
            )
    finally:
        if worker.poll() is None:  # a test may have killed it already
            os.killpg(worker.pid, 9)
        worker.wait()
        container.engine.dispose()


@contextmanager
def _stubborn(
    tmp: Path,
    pg: PostgresServer,
    redis: RedisServer,
    database: str,
    redis_db: int,
    limits: tuple[int, int],
) -> Iterator[Stack]:
    """The production setup with time limits (soft, hard) and the stubborn test copywriter."""
    soft, hard = limits
    settings = _settings(
        tmp,
        pg.new_database(database),
        redis.url.rsplit("/", 1)[0] + f"/{redis_db}",
        None,
        soft_time_limit_s=soft,
        hard_time_limit_s=hard,
        visibility_timeout_s=hard + 1,
    )
    with _production(settings, tmp / "worker.log", STUBBORN) as stack:
        yield stack


def _ready(stack: Stack) -> httpx.Response:
    return httpx.get(stack.url + "/readyz", timeout=30)


def _wait(pred: Any, timeout: float, what: str) -> Any:
    end = time.monotonic() + timeout
    while True:
        value = pred()
        if value:
            return value
        if time.monotonic() > end:
            raise TimeoutError(f"{what} not reached in {timeout:g} s")
        time.sleep(0.2)


def _statuses(stack: Stack, ids: list[str]) -> dict[str, str]:
    with stack.container.sessions() as s:
        rows = s.execute(select(Task.id, Task.status).where(Task.id.in_(ids))).all()
        return {str(i): str(st) for i, st in rows}


def _all_finished(stack: Stack, ids: list[str]) -> bool:
    try:
        st = _statuses(stack, ids)
    except Exception:  # the database is still coming back
        return False
    return len(st) == len(ids) and all(v in ("completed", "failed") for v in st.values())


def test_postgres_stopped_under_load_leaves_no_task_stuck(
    tmp_path: Path, postgres_server: PostgresServer, redis_server: RedisServer
) -> None:
    settings = _settings(
        tmp_path,
        postgres_server.new_database("faults_pg"),
        redis_server.url.rsplit("/", 1)[0] + "/4",
        None,
    )
    two = {"formats": ["1:1", "300x250"], "variants": 1}
    with _production(settings, tmp_path / "worker.log") as stack:
        second = start_worker(stack.env, tmp_path / "worker2.log")
        try:
            wait_worker_ready(tmp_path / "worker2.log")
            # Two tenants, twelve sets of one or two creatives, two workers.
            made: dict[str, int] = {}
            for i in range(12):
                client, shape = (stack.a, SMALL) if i % 2 else (stack.b, two)
                body = {"brief": {"product_name": f"Outage {i}"}, **shape}
                r = client.post("/generate", json=body)
                assert r.status_code == 202, r.text
                made[r.json()["id"]] = len(shape["formats"])
            ids = list(made)
            _wait(lambda: "running" in _statuses(stack, ids).values(), 60, "a task running")
            postgres_server.stop()
            try:
                # The outage lasts 20 s; readiness says so the whole time.
                end = time.monotonic() + 20
                while time.monotonic() < end:
                    r = _ready(stack)
                    assert r.status_code == 503, r.text
                    assert r.json()["checks"]["database"] is False
                    # Unknowable without the database.
                    assert r.json()["checks"]["workers"] is False
                    time.sleep(1)
            finally:
                postgres_server.start()

            # Every task ends within two minutes of the database's return, none twice.
            _wait(lambda: _all_finished(stack, ids), 120, "every task completed or failed")
        finally:
            os.killpg(second.pid, 9)
            second.wait()
        with stack.container.sessions() as s:
            tasks = s.scalars(select(Task).where(Task.id.in_(ids))).all()
            per_task = dict(
                s.execute(
                    select(CreativeRow.task_id, func.count())
                    .where(CreativeRow.task_id.in_(ids))
                    .group_by(CreativeRow.task_id)
                ).all()
            )
        for t in tasks:
            if t.status == "completed":
                assert per_task.get(t.id) == made[t.id], f"task {t.id}: {per_task.get(t.id)}"
            else:
                assert t.error and t.error.get("detail"), f"task {t.id} failed without a reason"
                assert per_task.get(t.id, 0) == 0
        assert sum(t.status == "completed" for t in tasks) >= 1
        # No orphan: every file left in the store is named by a row (failed tasks' files are
        # removed by the sweeper), and no temp file is left.
        assets = settings.data_dir / "assets"
        _wait(lambda: _orphans(stack, assets) == [], 30, "no orphan files in the store")
        assert _wait(lambda: _ready(stack).status_code == 200, 30, "ready again")


def _orphans(stack: Stack, assets: Path) -> list[str]:
    """Store files no row names (temp files included)."""
    left = []
    with stack.container.sessions() as s:
        for key in _store_files(assets):
            if not KEY_RE.match(key) or not key_in_use(s, key.split("/")[1], key):
                left.append(key)
    return left


def test_killed_worker_is_seen_by_heartbeat_and_its_task_completes_once(
    tmp_path: Path, postgres_server: PostgresServer, redis_server: RedisServer
) -> None:
    settings = _settings(
        tmp_path,
        postgres_server.new_database("faults_kill"),
        redis_server.url.rsplit("/", 1)[0] + "/8",
        None,
        visibility_timeout_s=3600,
    )
    with _production(settings, tmp_path / "worker.log") as stack:
        body = {
            "brief": {"product_name": "Killed Tent", "offer": "20% off"},
            "formats": ["1:1", "9:16", "300x250", "728x90"],
            "variants": 2,
        }
        task_id = stack.a.post("/generate", json=body).json()["id"]

        def started() -> bool:
            t = stack.a.get(f"/tasks/{task_id}").json()
            return t["status"] == "running" and t["progress"]["done"] >= 1

        _wait(started, 60, "the task running")
        w1 = stack.extra["worker"]
        os.killpg(w1.pid, 9)  # the whole worker: no ack, no clean-up, no goodbye
        w1.wait()
        r = _wait(lambda: (x := _ready(stack)).status_code == 503 and x, 30, "no live worker seen")
        assert r.json()["checks"]["workers"] is False

        w2 = start_worker(stack.env, tmp_path / "worker2.log")
        try:
            wait_worker_ready(tmp_path / "worker2.log")
            _wait(lambda: _all_finished(stack, [task_id]), 90, "the task finished")
            task = stack.a.get(f"/tasks/{task_id}").json()
            assert task["status"] == "completed", task.get("error")
            assert task["attempts"] == 2
            items = stack.a.get("/creatives", params={"task": task_id, "limit": 100}).json()
            pairs = [(c["format"], c["variant"]) for c in items["items"]]
            assert len(pairs) == len(set(pairs)) == 8, pairs
            assert _ready(stack).status_code == 200
        finally:
            os.killpg(w2.pid, 9)
            w2.wait()


def test_time_limit_fails_the_task_naming_the_limit_and_removes_its_files(
    tmp_path: Path, postgres_server: PostgresServer, redis_server: RedisServer
) -> None:
    # The worker's copywriter never returns for this product (tests/platform/stubborn_writer.py):
    # the task runs past its limit on any machine, however fast.
    with _stubborn(tmp_path, postgres_server, redis_server, "faults_limit", 2, (2, 3)) as stack:
        settings = stack.settings
        body = {
            "brief": {"product_name": SLOW_PRODUCT, "offer": "20% off"},
            "formats": ["meta", "iab"],
            "variants": 2,
        }
        task_id = stack.a.post("/generate", json=body).json()["id"]
        _wait(lambda: _all_finished(stack, [task_id]), 60, "the task finished")
        task = stack.a.get(f"/tasks/{task_id}").json()
        assert task["status"] == "failed", task
        assert task["error"]["type"] == "TimeLimitExceeded"
        # The soft limit stops it; the hard one only when the soft one could not.
        assert re.search(r"ran past its (soft|hard) time limit of [23] s", task["error"]["detail"])
        assert "ADCRAFT_TASKS__" in task["error"]["detail"]
        assets = settings.data_dir / "assets"
        _wait(lambda: _store_files(assets) == [], 30, "the task's partial files removed")
        assert stack.a.get("/creatives", params={"task": task_id}).json()["items"] == []


def test_the_hard_limit_ends_a_task_the_soft_one_cannot_and_the_worker_goes_on(
    tmp_path: Path, postgres_server: PostgresServer, redis_server: RedisServer
) -> None:
    # The worker's copywriter ignores the soft limit for one product (tests/platform/
    # stubborn_writer.py): only the hard limit, which kills the worker's child, can end it.
    # Both limits are generous: the limits are the worker's, so the next task, the first in a
    # fresh child, must finish under the soft one too on a loaded machine (a 1 s soft limit
    # failed it there once).
    with _stubborn(tmp_path, postgres_server, redis_server, "faults_hard", 3, (15, 30)) as stack:
        body = {"brief": {"product_name": STUCK_PRODUCT}, "formats": ["1:1"], "variants": 1}
        stuck = stack.a.post("/generate", json=body).json()["id"]
        _wait(lambda: _all_finished(stack, [stuck]), 90, "the stuck task finished")
        task = stack.a.get(f"/tasks/{stuck}").json()
        assert task["status"] == "failed", task
        assert task["error"]["type"] == "TimeLimitExceeded"
        assert "ran past its hard time limit of 30 s" in task["error"]["detail"], task["error"]
        assert "ADCRAFT_TASKS__HARD_TIME_LIMIT_S" in task["error"]["detail"]
        # The worker replaced its killed child and serves the next task.
        body["brief"] = {"product_name": "Trail 3 Tent", "offer": "20% off"}
        after = stack.a.post("/generate", json=body).json()["id"]
        _wait(lambda: _all_finished(stack, [after]), 90, "the next task finished")
        assert stack.a.get(f"/tasks/{after}").json()["status"] == "completed"
        assert stack.a.get("/creatives", params={"task": stuck}).json()["items"] == []


def _mount_tmpfs(path: Path, size: str) -> None:
    path.mkdir(parents=True)
    if os.geteuid() != 0:
        pytest.skip("mounting a tmpfs for a full disk needs root")
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(path)],
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.strip()}")


def _fill(path: Path, leave: int) -> Path:
    """Fill the file system of ``path`` up to ``leave`` bytes free."""
    filler = path / "filler.bin"
    free = os.statvfs(path).f_bavail * os.statvfs(path).f_frsize
    with filler.open("wb") as fh:
        fh.write(b"\0" * max(0, free - leave))
    return filler


def _store_files(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


def test_store_disk_full_fails_the_task_with_a_reason_and_leaves_no_files(
    tmp_path: Path, postgres_server: PostgresServer, redis_server: RedisServer
) -> None:
    store = tmp_path / "store"
    _mount_tmpfs(store, "4m")
    try:
        settings = _settings(
            tmp_path,
            postgres_server.new_database("faults_disk"),
            redis_server.url.rsplit("/", 1)[0] + "/3",
            store,
        )
        with _production(settings, tmp_path / "worker.log") as stack:
            assert _ready(stack).status_code == 200
            filler = _fill(store, 100 * 1024)
            r = _ready(stack)
            assert r.status_code == 503 and r.json()["checks"]["disk"] is False
            assert str(store) in r.json()["details"]["disk"]["detail"]

            body = {
                "brief": {"product_name": "Full Disk Tent", "offer": "20% off"},
                "formats": ["1:1", "9:16", "300x250", "728x90"],
                "variants": 2,
            }
            r = stack.a.post("/generate", json=body)
            assert r.status_code == 202, r.text
            task_id = r.json()["id"]
            _wait(lambda: _all_finished(stack, [task_id]), 100, "the task finished")
            task = stack.a.get(f"/tasks/{task_id}").json()
            assert task["status"] == "failed", task
            assert "No space left on device" in task["error"]["detail"], task["error"]
            # No orphan: the set's partial outputs and temp files are gone, only the filler stays.
            _wait(
                lambda: _store_files(store) == ["filler.bin"],
                30,
                f"store emptied of the task's files (left: {_store_files(store)})",
            )
            listed = stack.a.get("/creatives", params={"task": task_id}).json()["items"]
            assert listed == []

            # Space back: ready again, and the same task completes on retry.
            filler.unlink()
            assert _wait(lambda: _ready(stack).status_code == 200, 30, "ready again")
            again = stack.a.post(f"/tasks/{task_id}/retry")
            assert again.status_code == 202, again.text
            new_id = again.json()["id"]
            _wait(lambda: _all_finished(stack, [new_id]), 100, "the retry finished")
            assert stack.a.get(f"/tasks/{new_id}").json()["status"] == "completed"
    finally:
        subprocess.run(["umount", "-l", str(store)], check=False)
