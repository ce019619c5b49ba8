"""Quality gates through the API: every creative record carries its gate results; the gallery
never lists a creative that failed a gate above one that passed; re-renders are gated too."""

from __future__ import annotations

from sqlalchemy import select

from adcraft.db.engine import unit_of_work
from adcraft.db.models import CreativeRow, Version
from tests.platform.conftest import Stack, make_done_set, wait_task


def test_creatives_carry_gates_and_failures_rank_last(local_stack: Stack) -> None:
    done = make_done_set(local_stack)
    a = local_stack.a
    items = done.creatives
    assert len(items) >= 2
    for c in items:
        names = {g["gate"] for g in c["gates"]}
        assert {"blur", "exposure", "text", "duplicate"} <= names, c["gates"]
        assert c["passed_gates"] is True
        blur = next(g for g in c["gates"] if g["gate"] == "blur" and g["subject"] == "creative")
        assert blur["value"] > 0 and blur["threshold"].startswith(">=") and blur["reason"]
    best = items[0]
    # The best-scored creative fails a gate (as a blurred or unsafe picture would): the gallery
    # now lists it after every creative that passed.
    with unit_of_work(local_stack.container.sessions) as s:
        row = s.get(CreativeRow, best["id"])
        assert row is not None
        v = s.scalar(
            select(Version).where(
                Version.creative_id == row.id, Version.number == row.current_version
            )
        )
        assert v is not None
        v.gates_passed = False
        v.score = 100.0
    listed = a.get("/creatives", params={"task": done.task["id"], "limit": 100}).json()["items"]
    assert listed[-1]["id"] == best["id"] and listed[-1]["passed_gates"] is False
    assert all(c["passed_gates"] for c in listed[:-1])
    top = a.get("/creatives", params={"task": done.task["id"], "top": 1}).json()["items"]
    assert top[0]["id"] != best["id"]


def test_a_re_render_is_gated(local_stack: Stack) -> None:
    done = make_done_set(local_stack)
    a = local_stack.a
    target = done.creatives[0]
    r = a.post(f"/creatives/{target['id']}/versions", json={"action": "regenerate_text"})
    assert r.status_code == 202, r.text
    assert wait_task(a, r.json()["id"])["status"] == "completed"
    got = a.get(f"/creatives/{target['id']}").json()
    assert got["version"] == 2
    names = {g["gate"] for g in got["gates"]}
    assert {"blur", "exposure", "text"} <= names and "duplicate" not in names
    assert got["passed_gates"] is True
