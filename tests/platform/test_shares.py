"""Review links on SQLite and PostgreSQL: an editor shares a campaign or one generated set; a
visitor without an account opens it read-only, sees the images, and comments under a name;
expired links answer 410, revoked ones 404; roles, scope and the comment rate limit hold."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from adcraft import review_links
from adcraft.accounts import service
from adcraft.api import create_app
from adcraft.config import Settings
from adcraft.db.engine import unit_of_work
from adcraft.db.models import ShareLink, utcnow
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
HOSTILE = "<script>alert(1)</script><b>bold</b> & more"


def _generate(stack: Stack, **where: str) -> dict[str, Any]:
    r = stack.a.post(
        "/generate",
        json={
            "brief": {"product_name": "Trail 3 Tent", "offer": "20% off this weekend"},
            "formats": ["1:1"],
            "variants": 1,
            **where,
        },
    )
    assert r.status_code == 202, r.text
    task = wait_task(stack.a, r.json()["id"])
    assert task["status"] == "completed", task
    return task


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def shared(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Stack]:
    """Tenant A with an editor, a reviewer and a viewer, and one campaign of two generated sets
    (``task1``, ``task2``)."""
    tmp, database = data_and_database(request, tmp_path_factory, "shares")
    settings = Settings(
        environment="test",
        data_dir=tmp,
        database=database,
        tasks={"local_workers": 1, "local_mode": "thread"},
        security={"secret_key": SECRET},
        events={"enabled": False},
        # Visitors are anonymous: the per-address limit is tested elsewhere; the per-link
        # comment limit is what this module checks.
        limits={"anonymous_rate_limit_per_minute": 100_000},
    )
    container, ka, kb = make_stack("shares", settings)
    with unit_of_work(container.sessions) as s:
        a_id = find_tenant(s, "tenant-a").id
        for role in ("editor", "reviewer", "viewer"):
            service.create_user(s, a_id, f"{role}@a.test", role, PASSWORD, name=role.title())
    with ServerThread(create_app(container)) as srv:
        stack = Stack("shares", srv.url, ka, kb, container, settings, settings_env(settings))
        first = _generate(stack, campaign_name="Spring")
        second = _generate(stack, campaign_id=first["campaign_id"])
        stack.extra.update(campaign=first["campaign_id"], task1=first["id"], task2=second["id"])
        yield stack
    container.engine.dispose()


@contextmanager
def signed_in(stack: Stack, email: str) -> Iterator[httpx.Client]:
    """A person's client: session cookie plus its CSRF token, like the web app."""
    with httpx.Client(base_url=stack.url + "/api/v1", timeout=60) as client:
        r = client.post("/auth/signin", json={"email": email, "password": PASSWORD})
        assert r.status_code == 200, r.text
        client.headers["X-CSRF-Token"] = client.cookies["adcraft_csrf"]
        yield client


@contextmanager
def visitor(stack: Stack) -> Iterator[httpx.Client]:
    """Someone with the link and nothing else: no key, no cookie."""
    with httpx.Client(base_url=stack.url + "/api/v1", timeout=60) as client:
        yield client


def _ids(stack: Stack, **params: str) -> set[str]:
    items = stack.a.get("/creatives", params={**params, "limit": 100}).json()["items"]
    return {c["id"] for c in items}


def test_a_set_link_shows_that_set_read_only_with_its_images(shared: Stack) -> None:
    with signed_in(shared, "editor@a.test") as editor:
        made = editor.post("/shares", json={"task_id": shared.extra["task1"]})
    assert made.status_code == 201, made.text
    link = made.json()
    assert link["scope"] == "task" and link["created_by"] == "Editor"
    assert link["url"] == f"{shared.url}/#/shared/{link['token']}"
    # Only the digest is stored.
    with unit_of_work(shared.container.sessions) as s:
        row = s.scalar(select(ShareLink).where(ShareLink.id == link["id"]))
        assert row is not None and link["token"] not in row.digest
    with visitor(shared) as v:
        page = v.post("/shared/open", json={"token": link["token"]})
        assert page.status_code == 200, page.text
        body = page.json()
        assert body["title"] == "Spring" and body["scope"] == "task"
        assert {c["id"] for c in body["creatives"]} == _ids(shared, task=shared.extra["task1"])
        first = body["creatives"][0]
        assert first["copy"]["headline"] and first["comments"] == []
        image = v.get(first["image_url"])  # a signed link: no key, no cookie
        assert image.status_code == 200 and image.headers["content-type"].startswith("image/")
        # Read-only: the team's API stays closed to the visitor.
        assert v.get(f"/creatives/{first['id']}").status_code == 401


def test_a_campaign_link_shows_every_set_of_it(shared: Stack) -> None:
    made = shared.a.post("/shares", json={"campaign_id": shared.extra["campaign"]}).json()
    with visitor(shared) as v:
        shown = {
            c["id"]
            for c in v.post("/shared/open", json={"token": made["token"]}).json()["creatives"]
        }
    both = _ids(shared, task=shared.extra["task1"]) | _ids(shared, task=shared.extra["task2"])
    assert shown == both and len(both) == 2


def test_visitor_comments_are_plain_text_named_and_reach_the_team(shared: Stack) -> None:
    link = shared.a.post("/shares", json={"task_id": shared.extra["task1"]}).json()
    creative = next(iter(_ids(shared, task=shared.extra["task1"])))
    with visitor(shared) as v:
        r = v.post(
            "/shared/comments",
            json={
                "token": link["token"],
                "creative_id": creative,
                "name": " Dana ",
                "text": HOSTILE,
            },
        )
        assert r.status_code == 201, r.text
        assert r.json()["name"] == "Dana" and r.json()["text"] == HOSTILE
        page = v.post("/shared/open", json={"token": link["token"]}).json()
        shown = next(c for c in page["creatives"] if c["id"] == creative)
        assert [(c["name"], c["text"]) for c in shown["comments"]] == [("Dana", HOSTILE)]
        # A creative of the campaign's other set is outside this link.
        other = next(iter(_ids(shared, task=shared.extra["task2"])))
        outside = v.post(
            "/shared/comments",
            json={"token": link["token"], "creative_id": other, "name": "Dana", "text": "hi"},
        )
        assert outside.status_code == 404 and other in outside.json()["detail"]
        for bad in ({"name": "   "}, {"text": " \n "}, {"name": "x" * 81}, {"text": "x" * 1001}):
            sent = {
                "token": link["token"],
                "creative_id": creative,
                "name": "Dana",
                "text": "ok",
                **bad,
            }
            r = v.post("/shared/comments", json=sent)
            assert r.status_code == 422, (bad, r.text)
            assert r.headers["content-type"].startswith("application/problem+json")
    # The team sees it in the creative's activity, marked as coming through the link.
    activity = shared.a.get(f"/creatives/{creative}/review").json()["activity"]
    assert {"kind": "comment", "by": "Dana (review link)", "text": HOSTILE}.items() <= next(
        a for a in activity if a["kind"] == "comment"
    ).items()
    # Comments made inside the team are not shown to visitors.
    shared.a.post(f"/creatives/{creative}/comments", json={"text": "internal: margin?"})
    with visitor(shared) as v:
        page = v.post("/shared/open", json={"token": link["token"]}).json()
    texts = [c["text"] for x in page["creatives"] for c in x["comments"]]
    assert texts == [HOSTILE]


def test_comments_are_rate_limited_per_link(shared: Stack) -> None:
    link = shared.a.post("/shares", json={"task_id": shared.extra["task2"]}).json()
    creative = next(iter(_ids(shared, task=shared.extra["task2"])))
    sent = {"token": link["token"], "creative_id": creative, "name": "Bot", "text": "spam"}
    with visitor(shared) as v:
        codes = [v.post("/shared/comments", json=sent).status_code for _ in range(12)]
        # The default is 10 a minute with a burst of 10; a 429 says when to retry.
        assert codes[:10] == [201] * 10 and codes[-1] == 429, codes
        r = v.post("/shared/comments", json=sent)
        assert r.status_code == 429 and float(r.headers["retry-after"]) > 0
    # Another link to the same creatives has its own budget.
    other = shared.a.post("/shares", json={"task_id": shared.extra["task2"]}).json()
    with visitor(shared) as v:
        ok = v.post("/shared/comments", json={**sent, "token": other["token"]})
        assert ok.status_code == 201, ok.text


def test_expired_links_answer_410_and_revoked_ones_404(shared: Stack) -> None:
    a = shared.a
    expiring = a.post("/shares", json={"task_id": shared.extra["task1"]}).json()
    revoked = a.post("/shares", json={"task_id": shared.extra["task1"], "expires_in_days": 1})
    revoked_link = revoked.json()
    listed = {x["id"] for x in a.get("/shares", params={"task": shared.extra["task1"]}).json()}
    assert {expiring["id"], revoked_link["id"]} <= listed
    with unit_of_work(shared.container.sessions) as s:
        tenant_id = find_tenant(s, "tenant-a").id
        review_links.set_expiry(s, tenant_id, expiring["id"], utcnow() - timedelta(minutes=1))
    assert a.delete(f"/shares/{revoked_link['id']}").status_code == 204
    creative = next(iter(_ids(shared, task=shared.extra["task1"])))
    with visitor(shared) as v:
        gone = v.post("/shared/open", json={"token": expiring["token"]})
        assert gone.status_code == 410 and "expired" in gone.json()["detail"]
        late = v.post(
            "/shared/comments",
            json={"token": expiring["token"], "creative_id": creative, "name": "A", "text": "b"},
        )
        assert late.status_code == 410
        missing = v.post("/shared/open", json={"token": revoked_link["token"]})
        assert missing.status_code == 404 and "revoked" in missing.json()["detail"]
        unknown = v.post("/shared/open", json={"token": "not-a-real-token"})
        assert unknown.status_code == 404
    listed = {x["id"] for x in a.get("/shares", params={"task": shared.extra["task1"]}).json()}
    assert expiring["id"] not in listed and revoked_link["id"] not in listed


def test_only_editors_and_admins_share_and_other_tenants_cannot(shared: Stack) -> None:
    body = {"campaign_id": shared.extra["campaign"]}
    for role in ("reviewer", "viewer"):
        with signed_in(shared, f"{role}@a.test") as c:
            r = c.post("/shares", json=body)
            assert r.status_code == 403 and r.json()["permission"] == "edit", r.text
            assert c.get("/shares").status_code == 200  # they may see which links exist
    link = shared.a.post("/shares", json=body).json()
    b = shared.b
    assert b.post("/shares", json=body).status_code == 404
    assert b.delete(f"/shares/{link['id']}").status_code == 404
    assert link["id"] not in b.get("/shares").text
    with visitor(shared) as v:
        assert v.post("/shared/open", json={"token": link["token"]}).status_code == 200
    for bad in ({}, {**body, "task_id": shared.extra["task1"]}, {**body, "expires_in_days": 91}):
        r = shared.a.post("/shares", json=bad)
        assert r.status_code == 422, (bad, r.text)
