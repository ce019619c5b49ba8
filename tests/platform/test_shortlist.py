"""The team's shortlist: a creative marked by one person is marked for everyone in the tenant,
survives any reload, can be taken off again, is out of other tenants' reach, cannot be changed by
a viewer, and limits the set's ZIP to the shortlisted creatives when asked."""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx
import pytest

from adcraft.accounts import service
from adcraft.db.engine import unit_of_work
from adcraft.db.tenants import find_tenant
from tests.platform.conftest import DoneSet, Stack, make_done_set

PASSWORD = "correct horse battery"


@pytest.fixture(scope="module")
def done(local_stack: Stack) -> DoneSet:
    return make_done_set(local_stack)


@pytest.fixture(scope="module")
def people(local_stack: Stack) -> dict[str, str]:
    """A viewer and a reviewer of tenant A, by role: their e-mail."""
    out = {}
    with unit_of_work(local_stack.container.sessions) as s:
        a_id = find_tenant(s, "tenant-a").id
        for role in ("viewer", "reviewer"):
            email = f"shortlist-{role}@a.test"
            service.create_user(s, a_id, email, role, PASSWORD, name=role.title())
            out[role] = email
    return out


@contextmanager
def _session(stack: Stack, email: str) -> Iterator[httpx.Client]:
    """A person's session, sending the CSRF token like the web app."""
    with httpx.Client(base_url=stack.url + "/api/v1", timeout=60) as client:
        r = client.post("/auth/signin", json={"email": email, "password": PASSWORD})
        assert r.status_code == 200, r.text
        client.headers["X-CSRF-Token"] = client.cookies["adcraft_csrf"]
        yield client


@pytest.fixture()
def clean(local_stack: Stack, done: DoneSet) -> Iterator[None]:
    """Every creative of the set off the shortlist before and after each test."""
    for c in done.creatives:
        local_stack.a.put(f"/creatives/{c['id']}/shortlist", json={"shortlisted": False})
    yield
    for c in done.creatives:
        local_stack.a.put(f"/creatives/{c['id']}/shortlist", json={"shortlisted": False})


def _marked(client: httpx.Client, task_id: str) -> set[str]:
    items = client.get("/creatives", params={"task": task_id, "limit": 100}).json()["items"]
    return {c["id"] for c in items if c["shortlisted"]}


def test_shortlist_is_set_unset_and_seen_by_the_whole_team(
    local_stack: Stack, done: DoneSet, people: dict[str, str], clean: None
) -> None:
    a = local_stack.a
    first, second = done.creatives[0]["id"], done.creatives[1]["id"]
    assert _marked(a, done.task["id"]) == set()
    r = a.put(f"/creatives/{first}/shortlist", json={"shortlisted": True})
    assert r.status_code == 200, r.text
    assert r.json() == {"creative_id": first, "shortlisted": True}
    # Marked twice is marked once: nothing more is recorded.
    a.put(f"/creatives/{first}/shortlist", json={"shortlisted": True})
    with _session(local_stack, people["reviewer"]) as reviewer:
        # A reviewer shortlists too, and sees what the key marked.
        r = reviewer.put(f"/creatives/{second}/shortlist", json={"shortlisted": True})
        assert r.status_code == 200, r.text
        assert _marked(reviewer, done.task["id"]) == {first, second}
        assert reviewer.get(f"/creatives/{first}").json()["shortlisted"] is True
    assert a.get(f"/creatives/{second}/shortlist").json()["shortlisted"] is True
    # The search path of the list says it too.
    found = a.get("/creatives", params={"task": done.task["id"], "q": "Trail"}).json()["items"]
    assert {c["id"] for c in found if c["shortlisted"]} == {first, second}

    r = a.put(f"/creatives/{first}/shortlist", json={"shortlisted": False})
    assert r.status_code == 200 and r.json()["shortlisted"] is False
    assert _marked(a, done.task["id"]) == {second}
    # The activity names who marked it, once per change.
    activity = a.get(f"/creatives/{second}/review").json()["activity"]
    assert [(x["kind"], x["by"]) for x in activity if x["kind"] == "shortlist"] == [
        ("shortlist", "Reviewer")
    ]
    marks = a.get(f"/creatives/{first}/review").json()["activity"]
    assert [x["kind"] for x in marks].count("shortlist") == 2


def test_viewer_cannot_change_the_shortlist(
    local_stack: Stack, done: DoneSet, people: dict[str, str], clean: None
) -> None:
    first = done.creatives[0]["id"]
    with _session(local_stack, people["viewer"]) as viewer:
        r = viewer.put(f"/creatives/{first}/shortlist", json={"shortlisted": True})
        assert r.status_code == 403, r.text
        problem: dict[str, Any] = r.json()
        assert problem["role"] == "viewer" and problem["permission"] == "comment"
        # ... but reads it.
        assert viewer.get(f"/creatives/{first}/shortlist").json()["shortlisted"] is False
    assert _marked(local_stack.a, done.task["id"]) == set()


def test_other_tenants_and_unknown_ids_get_not_found(
    local_stack: Stack, done: DoneSet, clean: None
) -> None:
    first = done.creatives[0]["id"]
    local_stack.a.put(f"/creatives/{first}/shortlist", json={"shortlisted": True})
    b = local_stack.b
    for method, body in (("PUT", {"shortlisted": False}), ("GET", None)):
        r = b.request(method, f"/creatives/{first}/shortlist", json=body)
        assert r.status_code == 404, r.text
    assert b.get("/creatives", params={"task": done.task["id"]}).json()["items"] == []
    assert _marked(local_stack.a, done.task["id"]) == {first}
    r = local_stack.a.put("/creatives/no-such-creative/shortlist", json={"shortlisted": True})
    assert r.status_code == 404
    assert r.headers["content-type"].startswith("application/problem+json")
    r = local_stack.a.put(f"/creatives/{first}/shortlist", json={"shortlisted": "maybe"})
    assert r.status_code == 422


def test_zip_of_the_shortlist_holds_only_the_shortlisted(
    local_stack: Stack, done: DoneSet, clean: None
) -> None:
    a = local_stack.a
    task_id = done.task["id"]
    r = a.get(f"/tasks/{task_id}/download.zip", params={"shortlisted_only": "true"})
    assert r.status_code == 404, "an empty shortlist has nothing to download"
    picked = [done.creatives[0]["id"], done.creatives[-1]["id"]]
    for cid in picked:
        a.put(f"/creatives/{cid}/shortlist", json={"shortlisted": True})
    r = a.get(f"/tasks/{task_id}/download.zip", params={"shortlisted_only": "true"})
    assert r.status_code == 200, r.text
    assert "-shortlist.zip" in r.headers["content-disposition"]
    with zipfile.ZipFile(io.BytesIO(r.content)) as zf:
        manifest = json.loads(zf.read("manifest.json"))
        rows = zf.read("copy.csv").decode("utf-8-sig").splitlines()
    assert sorted(c["creative_id"] for c in manifest["creatives"]) == sorted(picked)
    assert len(rows) == 1 + len(picked)
    # Without the filter, the whole set as before.
    whole = a.get(f"/tasks/{task_id}/download.zip")
    with zipfile.ZipFile(io.BytesIO(whole.content)) as zf:
        assert len(json.loads(zf.read("manifest.json"))["creatives"]) == len(done.creatives)
