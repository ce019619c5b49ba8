"""Fair scheduling in the local pool: tenant A's small task starts while tenant B's large tasks
fill the pool (round-robin over tenants, a slot kept for small tasks)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from adcraft.api import create_app
from adcraft.config import Settings
from adcraft.tasks.fair import FairQueue
from tests.platform.conftest import SECRET, Stack, make_stack, settings_env, wait_task
from tests.platform.servers import ServerThread

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
