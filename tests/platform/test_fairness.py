"""Fair scheduling, in the local pool and on Celery: tenant A's small task starts while tenant
B's large tasks fill the workers (a slot kept for small tasks), and tenants take turns
(round-robin over tenants)."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from adcraft.api import create_app
from adcraft.config import Settings
from adcraft.tasks.fair import FairQueue, Route, celery_route, lanes
from tests.platform.conftest import (
    SECRET,
    Stack,
    make_stack,
    settings_env,
    start_worker,
    wait_task,
    wait_worker_ready,
)
from tests.platform.servers import PostgresServer, RedisServer, ServerThread
from tests.platform.stubborn_writer import GATE_ENV, GATED_PRODUCT

BIG = {"formats": ["1:1", "300x250", "9:16"], "variants": 6}  # 18 creatives each
SMALL = {"formats": ["1:1"], "variants": 1}


def test_fair_queue_serves_tenants_in_turn_and_keeps_a_slot_for_small_tasks() -> None:
    q = FairQueue(3, reserved_small=1, small_max=12)
    for i in range(3):
        q.push(f"b{i}", "B", 200)
    q.push("c0", "C", 200)
    assert [q.next(), q.next(), q.next()] == ["b0", "c0", None]  # third slot kept for small
    q.push("a0", "A", 1)
    assert q.next() == "a0" and q.next() is None  # the pool is full
    q.done("b0")
    assert q.next() == "b1"  # B's turn again: C has nothing waiting


def test_celery_messages_carry_the_lane_and_the_turn() -> None:
    # The n-th unfinished task of a tenant has priority n-1: Redis serves 0 first.
    assert celery_route("generate", 200, 0, 12) == Route("generate", 0)
    assert celery_route("generate", 200, 2, 12) == Route("generate", 2)
    assert celery_route("generate", 1, 0, 12) == Route("generate.small", 0)
    assert celery_route("render", 12, 40, 12) == Route("render.small", 9)
    # Every worker reads the small lanes too; a worker given only lanes is kept for them.
    assert lanes(["render", "generate"]) == [
        "render",
        "render.small",
        "generate",
        "generate.small",
    ]
    assert lanes(["render.small", "generate.small"]) == ["render.small", "generate.small"]


@pytest.fixture(scope="module")
def pool_of_two(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    tmp: Path = tmp_path_factory.mktemp("fair")
    settings = Settings(
        environment="test",
        data_dir=tmp,
        tasks={"local_workers": 2, "local_mode": "thread"},
        security={"secret_key": SECRET},
        events={"enabled": False},
    )
    container, ka, kb = make_stack("fair", settings)
    with ServerThread(create_app(container)) as srv:
        yield Stack("fair", srv.url, ka, kb, container, settings, settings_env(settings))
    container.engine.dispose()


def _brief(name: str) -> dict[str, Any]:
    return {"brief": {"product_name": name, "offer": "20% off this weekend"}}


def test_small_task_of_a_starts_while_b_large_tasks_run(pool_of_two: Stack) -> None:
    a, b = pool_of_two.a, pool_of_two.b
    b_ids = []
    for i in range(3):
        r = b.post("/generate", json={**_brief(f"Tent {i}"), **BIG})
        assert r.status_code == 202, r.text
        b_ids.append(r.json()["id"])
    r = a.post("/generate", json={**_brief("Mug"), **SMALL})
    assert r.status_code == 202, r.text
    a_id = r.json()["id"]

    # Wait for A's task to leave the queue, then look at where B's tasks are at that moment.
    end = time.monotonic() + 60
    while (task := a.get(f"/tasks/{a_id}").json())["status"] == "pending":
        assert time.monotonic() < end, "tenant A's task never started"
        time.sleep(0.05)
    b_states = [b.get(f"/tasks/{i}").json()["status"] for i in b_ids]
    assert b_states.count("completed") == 0, b_states  # B's large tasks still hold the pool
    assert "pending" in b_states, b_states  # and B still has work queued behind
    started = datetime.fromisoformat(task["started_at"])
    created = datetime.fromisoformat(task["created_at"])
    assert (started - created).total_seconds() < 5
    assert wait_task(a, a_id)["status"] == "completed"
    for i in b_ids:
        assert wait_task(b, i, timeout=600)["status"] == "completed"


@pytest.fixture
def celery_two_workers(
    tmp_path: Path, redis_server: RedisServer, postgres_server: PostgresServer
) -> Iterator[tuple[Stack, Path]]:
    """Celery on Redis and PostgreSQL with a worker for every queue and one kept for small
    tasks (each runs one task at a time), and a gate that holds every "Gated Tent" task."""
    settings = Settings(
        environment="test",
        data_dir=tmp_path / "data",
        database={"url": postgres_server.new_database("fair_celery")},
        # Two creatives make a large task here, so the large ones stay quick once let go.
        tasks={
            "runner": "celery",
            "broker_url": redis_server.url.rsplit("/", 1)[0] + "/9",
            "small_task_creatives": 1,
        },
        events={"enabled": False},
        security={"secret_key": SECRET},
    )
    gate = tmp_path / "gate"
    gate.touch()
    container, ka, kb = make_stack("fair_celery", settings)
    env = {
        **settings_env(settings),
        "ADCRAFT_PROVIDER_MODULES": "tests.platform.stubborn_writer",
        "ADCRAFT_LLM_PROVIDER": "stubborn",
        GATE_ENV: str(gate),
    }
    workers = [
        (start_worker(env, tmp_path / "all.log"), tmp_path / "all.log"),
        (
            start_worker(env, tmp_path / "small.log", "render.small,generate.small"),
            tmp_path / "small.log",
        ),
    ]
    try:
        for _, log in workers:
            wait_worker_ready(log)
        with ServerThread(create_app(container)) as srv:
            yield Stack("fair_celery", srv.url, ka, kb, container, settings, env), gate
    finally:
        for proc, _ in workers:
            os.killpg(proc.pid, 9)
            proc.wait()
        container.engine.dispose()


LARGE = {"formats": ["1:1", "300x250"], "variants": 1}


def _post(client: Any, name: str, shape: dict[str, Any]) -> str:
    r = client.post("/generate", json={**_brief(name), **shape})
    assert r.status_code == 202, r.text
    return str(r.json()["id"])


def _until(client: Any, task_id: str, status: str, timeout: float = 90) -> dict[str, Any]:
    end = time.monotonic() + timeout
    while (task := client.get(f"/tasks/{task_id}").json())["status"] != status:
        assert time.monotonic() < end, f"task {task_id} never {status}: {task}"
        time.sleep(0.1)
    return dict(task)


def test_on_celery_a_small_task_passes_large_ones_and_tenants_take_turns(
    celery_two_workers: tuple[Stack, Path],
) -> None:
    stack, gate = celery_two_workers
    a, b = stack.a, stack.b
    # B's three large tasks: the first holds the general worker (at the gate), two wait.
    b_ids = [_post(b, GATED_PRODUCT, LARGE) for _ in range(3)]
    _until(b, b_ids[0], "running")

    # A's small task is not queued behind them: the worker kept for small tasks runs it.
    small = _post(a, "Mug", SMALL)
    _until(a, small, "completed")
    assert [b.get(f"/tasks/{i}").json()["status"] for i in b_ids] == [
        "running",
        "pending",
        "pending",
    ]

    # A's large task, queued after all of B's, is A's first unfinished one: it runs before
    # B's second and third once the general worker is free.
    a_large = _post(a, GATED_PRODUCT, LARGE)
    gate.unlink()
    done = {i: wait_task(b, i, timeout=180) for i in b_ids}
    done[a_large] = wait_task(a, a_large, timeout=180)
    assert all(t["status"] == "completed" for t in done.values()), done
    order = sorted(done, key=lambda i: datetime.fromisoformat(done[i]["started_at"]))
    assert order == [b_ids[0], a_large, b_ids[1], b_ids[2]]
