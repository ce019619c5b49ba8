"""Campaign management on SQLite and PostgreSQL: rename, archive and unarchive (archived ones
leave the default list), delete with the creatives' files (refused while a task of it runs or a
creative is in an experiment; a file another campaign uses stays), merge two campaigns (review
links follow their set; a link to the merged-away campaign stops), and search across creatives by
words, product, language, format and review state."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from adcraft.accounts import service
from adcraft.api import create_app
from adcraft.config import Settings
from adcraft.db.engine import unit_of_work
from adcraft.db.models import Task, Version, utcnow
from adcraft.db.tenants import find_tenant
from tests.platform.conftest import (
    SECRET,
    Stack,
    data_and_database,
    make_stack,
    settings_env,
    wait_task,
)
from tests.platform.servers import ServerThread

PASSWORD = "correct horse battery"
TENT = {"product_name": "Trail 3 Tent", "offer": "20% off this weekend"}
RU = {"product_name": "Палатка Трейл 3", "offer": "Скидка 20% в выходные", "language": "ru"}


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def stack(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Stack]:
    """Tenant A (with a viewer) and tenant B, nothing generated yet."""
    tmp, database = data_and_database(request, tmp_path_factory, "campaigns")
    settings = Settings(
        environment="test",
        data_dir=tmp,
        database=database,
        tasks={"local_workers": 1, "local_mode": "thread"},
        security={"secret_key": SECRET},
        events={"enabled": False},
        # Many quick requests per test: the limits have their own tests.
        limits={"anonymous_rate_limit_per_minute": 100_000, "rate_limit_per_minute": 100_000},
    )
    container, ka, kb = make_stack("campaigns", settings)
    with unit_of_work(container.sessions) as s:
        a_id = find_tenant(s, "tenant-a").id
        service.create_user(s, a_id, "viewer@a.test", "viewer", PASSWORD, name="Vi")
    with ServerThread(create_app(container)) as srv:
        yield Stack("campaigns", srv.url, ka, kb, container, settings, settings_env(settings))
    container.engine.dispose()


def generate(
    stack: Stack, brief: dict[str, Any], formats: list[str], **where: str
) -> dict[str, Any]:
    """A completed set in a new (``campaign_name``) or existing (``campaign_id``) campaign."""
    r = stack.a.post("/generate", json={"brief": brief, "formats": formats, "variants": 1, **where})
    assert r.status_code == 202, r.text
    task = wait_task(stack.a, r.json()["id"])
    assert task["status"] == "completed", task
    return task


def creatives(stack: Stack, **params: Any) -> list[dict[str, Any]]:
    r = stack.a.get("/creatives", params={"limit": 200, **params})
    assert r.status_code == 200, r.text
    items: list[dict[str, Any]] = r.json()["items"]
    assert r.json()["total"] == len(items)
    return items


def listed(stack: Stack, **params: Any) -> set[str]:
    r = stack.a.get("/campaigns", params={"limit": 200, **params})
    assert r.status_code == 200, r.text
    return {c["id"] for c in r.json()["items"]}


@contextmanager
def running(stack: Stack, task_id: str) -> Iterator[None]:
    """The task looks as if a worker were running it now (fresh heartbeat), then is restored."""
    with unit_of_work(stack.container.sessions) as s:
        task = s.get(Task, task_id)
        assert task is not None
        task.status, task.heartbeat_at, task.attempt_started_at = "running", utcnow(), utcnow()
    try:
        yield
    finally:
        with unit_of_work(stack.container.sessions) as s:
            task = s.get(Task, task_id)
            assert task is not None
            task.status = "completed"


def test_rename_archive_and_unarchive(stack: Stack) -> None:
    task = generate(stack, TENT, ["1:1"], campaign_name="Sprng")
    cid = task["campaign_id"]
    a = stack.a
    renamed = a.patch(f"/campaigns/{cid}", json={"name": "  Spring sale  "})
    assert renamed.status_code == 200 and renamed.json()["name"] == "Spring sale"
    assert a.patch(f"/campaigns/{cid}", json={"name": "   "}).status_code == 422
    assert cid in listed(stack) and cid not in listed(stack, archived=True)

    archived = a.patch(f"/campaigns/{cid}", json={"archived": True}).json()
    assert archived["archived_at"] is not None and archived["creatives"] == 1
    assert cid not in listed(stack) and cid in listed(stack, archived=True)
    assert cid not in listed(stack, q="spring")
    # Its creatives and sets are untouched and still found.
    assert len(creatives(stack, campaign=cid)) == 1
    again = a.patch(f"/campaigns/{cid}", json={"archived": True}).json()
    assert again["archived_at"] == archived["archived_at"]

    with httpx.Client(base_url=stack.url + "/api/v1", timeout=60) as viewer:
        viewer.post("/auth/signin", json={"email": "viewer@a.test", "password": PASSWORD})
        viewer.headers["X-CSRF-Token"] = viewer.cookies["adcraft_csrf"]
        r = viewer.patch(f"/campaigns/{cid}", json={"archived": False})
        assert r.status_code == 403 and r.json()["permission"] == "edit"
        assert viewer.delete(f"/campaigns/{cid}").status_code == 403

    back = a.patch(f"/campaigns/{cid}", json={"archived": False}).json()
    assert back["archived_at"] is None and cid in listed(stack)


def _image_keys(stack: Stack, campaign_id: str) -> set[str]:
    ids = [c["id"] for c in creatives(stack, campaign=campaign_id)]
    with unit_of_work(stack.container.sessions) as s:
        return set(s.scalars(select(Version.image_key).where(Version.creative_id.in_(ids))))


def test_delete_removes_creatives_and_files_not_used_elsewhere(stack: Stack) -> None:
    a = stack.a
    doomed = generate(stack, TENT, ["1:1", "300x250"], campaign_name="Doomed")
    twin = generate(stack, TENT, ["1:1"], campaign_name="Twin")
    gone_id, twin_id = doomed["campaign_id"], twin["campaign_id"]
    keys, twin_keys = _image_keys(stack, gone_id), _image_keys(stack, twin_id)
    # Rendering is deterministic, so the twin's square image is the very same file.
    assert twin_keys and twin_keys < keys
    link = a.post("/shares", json={"campaign_id": gone_id}).json()
    ids = [c["id"] for c in creatives(stack, campaign=gone_id)]

    # Not while a task of it runs, nor while a creative is an experiment's arm.
    with running(stack, doomed["id"]):
        busy = a.delete(f"/campaigns/{gone_id}")
        assert busy.status_code == 409 and doomed["id"] in busy.json()["detail"]
    kayak = {"product_name": "Lake Kayak", "offer": "Free paddle with every kayak"}
    tested = generate(stack, kayak, ["1:1", "300x250"], campaign_name="Tested")
    arms = [c["id"] for c in creatives(stack, campaign=tested["campaign_id"])]
    exp = a.post(
        "/experiments",
        json={
            "name": "Square vs banner",
            "placement": "home",
            "arms": [{"creative_id": arms[0], "control": True}, {"creative_id": arms[1]}],
        },
    )
    assert exp.status_code == 201, exp.text
    used = a.delete(f"/campaigns/{tested['campaign_id']}")
    assert used.status_code == 409 and "Square vs banner" in used.json()["detail"]
    assert "archive" in used.json()["detail"]

    r = a.delete(f"/campaigns/{gone_id}")
    assert r.status_code == 200, r.text
    body = r.json()
    assert (body["id"], body["creatives"], body["tasks"]) == (gone_id, 2, 1)
    assert body["files"] >= len(keys - twin_keys) > 0  # images, and the set's contact sheet
    store = stack.container.store
    assert not any(store.exists(k) for k in keys - twin_keys)
    assert all(store.exists(k) for k in twin_keys)  # the twin still shows its image
    assert a.get(f"/campaigns/{gone_id}").status_code == 404
    assert all(a.get(f"/creatives/{cid}").status_code == 404 for cid in ids)
    assert a.get(f"/tasks/{doomed['id']}").status_code == 404
    assert creatives(stack, campaign=gone_id) == []
    with httpx.Client(base_url=stack.url + "/api/v1", timeout=60) as v:
        assert v.post("/shared/open", json={"token": link["token"]}).status_code == 404
    twin_img = a.get(f"/creatives/{creatives(stack, campaign=twin_id)[0]['id']}/image")
    assert twin_img.status_code == 200
    assert stack.b.delete(f"/campaigns/{twin_id}").status_code == 404


def test_merge_moves_sets_creatives_and_set_links(stack: Stack) -> None:
    a = stack.a
    keep = generate(stack, TENT, ["1:1"], campaign_name="Keep")
    other = generate(stack, TENT, ["300x250"], campaign_name="Other")
    keep_id, other_id = keep["campaign_id"], other["campaign_id"]
    set_link = a.post("/shares", json={"task_id": other["id"]}).json()
    whole_link = a.post("/shares", json={"campaign_id": other_id}).json()
    moving = {c["id"] for c in creatives(stack, campaign=other_id)}

    assert a.post(f"/campaigns/{keep_id}/merge", json={"source_id": keep_id}).status_code == 422
    assert (
        stack.b.post(f"/campaigns/{keep_id}/merge", json={"source_id": other_id}).status_code == 404
    )
    with running(stack, other["id"]):
        busy = a.post(f"/campaigns/{keep_id}/merge", json={"source_id": other_id})
        assert busy.status_code == 409, busy.text

    r = a.post(f"/campaigns/{keep_id}/merge", json={"source_id": other_id})
    assert r.status_code == 200, r.text
    assert r.json()["name"] == "Keep" and r.json()["creatives"] == 2 and r.json()["tasks"] == 2
    assert a.get(f"/campaigns/{other_id}").status_code == 404
    assert moving < {c["id"] for c in creatives(stack, campaign=keep_id)}
    assert a.get(f"/tasks/{other['id']}").json()["campaign_id"] == keep_id
    with httpx.Client(base_url=stack.url + "/api/v1", timeout=60) as v:
        page = v.post("/shared/open", json={"token": set_link["token"]})
        assert page.status_code == 200 and {c["id"] for c in page.json()["creatives"]} == moving
        assert v.post("/shared/open", json={"token": whole_link["token"]}).status_code == 404


def test_search_across_creatives(stack: Stack) -> None:
    a = stack.a
    en = generate(stack, TENT, ["1:1", "300x250"], campaign_name="Search EN")
    ru = generate(stack, RU, ["1:1"], campaign_name="Поиск RU")
    ru_ids = {c["id"] for c in creatives(stack, task=ru["id"])}
    en_ids = {c["id"] for c in creatives(stack, task=en["id"])}

    def found(**params: Any) -> set[str]:
        return {c["id"] for c in creatives(stack, **params)} & (ru_ids | en_ids)

    # Words of the copy in any case, in any script; every word must appear.
    assert found(q="скидка") == ru_ids == found(q="СКИДКА выходные")
    assert found(q="weekend 20%") == en_ids
    assert found(q="weekend скидка") == set()
    assert found(product="палатка") == ru_ids and found(product="TRAIL 3") == en_ids
    assert found(language="ru") == ru_ids and found(language="en") == en_ids
    assert found(q="weekend", format="1:1") == {
        c["id"] for c in creatives(stack, task=en["id"], format="1:1")
    }
    one = sorted(en_ids)[0]
    a.post(f"/creatives/{one}/review", json={"state": "in_review"}).raise_for_status()
    a.post(f"/creatives/{one}/review", json={"state": "approved"}).raise_for_status()
    assert found(state="approved") == {one}
    assert found(state="draft", q="weekend") == en_ids - {one}
    page = a.get("/creatives", params={"q": "weekend", "task": en["id"], "limit": 1}).json()
    assert page["total"] == 2 and len(page["items"]) == 1
    bad = a.get("/creatives", params={"state": "published"})
    assert bad.status_code == 422 and "state" in bad.text
    # Another tenant's words find nothing of A's.
    assert stack.b.get("/creatives", params={"q": "скидка"}).json()["items"] == []
