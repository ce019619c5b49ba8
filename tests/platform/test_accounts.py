"""Team accounts on SQLite and PostgreSQL: invitations, password sign-in, the session cookie and
its CSRF token, what each role may and may not do, and access ending at once for a person who
is removed or demoted while signed in. API keys keep working as before."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx
import pytest

from adcraft.accounts import service
from adcraft.admin import audit_log
from adcraft.api import create_app
from adcraft.config import Settings
from adcraft.db.engine import unit_of_work
from adcraft.db.tenants import add_key, find_key, find_tenant, revoke_key
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
ROLES = ("admin", "editor", "reviewer", "viewer")


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def team(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Stack]:
    """Tenant A with one person per role (``<role>@a.test``) and one generated creative."""
    tmp, database = data_and_database(request, tmp_path_factory, "accounts")
    settings = Settings(
        environment="test",
        data_dir=tmp,
        database=database,
        tasks={"local_workers": 1, "local_mode": "thread"},
        security={"secret_key": SECRET},
        events={"enabled": False},
        # Sign-ins are anonymous requests: the per-address limit would make the module's pace
        # (faster on a quiet machine) decide the outcome. The limit has its own tests.
        limits={"anonymous_rate_limit_per_minute": 100_000},
    )
    container, ka, kb = make_stack("accounts", settings)
    with unit_of_work(container.sessions) as s:
        a_id = find_tenant(s, "tenant-a").id
        for role in ROLES:
            service.create_user(s, a_id, f"{role}@a.test", role, PASSWORD, name=role.title())
    with ServerThread(create_app(container)) as srv:
        stack = Stack("accounts", srv.url, ka, kb, container, settings, settings_env(settings))
        r = stack.a.post(
            "/generate",
            json={
                "brief": {"product_name": "Trail 3 Tent", "offer": "20% off this weekend"},
                "formats": ["1:1"],
                "variants": 1,
                "campaign_name": "Team",
            },
        )
        assert r.status_code == 202, r.text
        task = wait_task(stack.a, r.json()["id"])
        assert task["status"] == "completed", task
        items = stack.a.get("/creatives", params={"task": task["id"]}).json()["items"]
        stack.extra["creative"] = items[0]["id"]
        stack.extra["campaign"] = task["campaign_id"]
        yield stack
    container.engine.dispose()


@contextmanager
def sign_in(stack: Stack, email: str, password: str = PASSWORD) -> Iterator[httpx.Client]:
    """A client holding the session cookie and sending the CSRF token, like the web app."""
    with httpx.Client(base_url=stack.url + "/api/v1", timeout=60) as client:
        r = client.post("/auth/signin", json={"email": email, "password": password})
        assert r.status_code == 200, r.text
        client.headers["X-CSRF-Token"] = client.cookies["adcraft_csrf"]
        yield client


def _problem(r: httpx.Response, status: int) -> dict[str, Any]:
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    body: dict[str, Any] = r.json()
    return body


def test_invited_person_sets_a_password_and_signs_in(team: Stack) -> None:
    made = team.a.post("/invitations", json={"email": "New.Person@A.test", "role": "editor"})
    assert made.status_code == 201, made.text
    inv = made.json()
    assert inv["email"] == "new.person@a.test" and inv["link"] == f"/#/join/{inv['token']}"
    with httpx.Client(base_url=team.url + "/api/v1", timeout=60) as anon:
        info = anon.post("/auth/invitation", json={"token": inv["token"]})
        assert info.json() == {
            "email": "new.person@a.test",
            "role": "editor",
            "tenant_name": "tenant-a",
        }
        short = anon.post("/auth/accept", json={"token": inv["token"], "password": "short"})
        assert "at least 10 characters" in _problem(short, 422)["detail"]
        ok = anon.post(
            "/auth/accept", json={"token": inv["token"], "name": "Nia", "password": PASSWORD}
        )
        assert ok.status_code == 200, ok.text
        assert ok.json()["role"] == "editor" and ok.json()["user_name"] == "Nia"
        cookie = ok.headers.get_list("set-cookie")
        session = next(c for c in cookie if c.startswith("adcraft_session="))
        assert "HttpOnly" in session and "SameSite=lax" in session and "Secure" not in session
        assert anon.get("/me").json()["role"] == "editor"
        # The link works once.
        again = anon.post("/auth/accept", json={"token": inv["token"], "password": PASSWORD})
        assert "used or expired" in _problem(again, 404)["detail"]
    with sign_in(team, "new.person@a.test") as nia:
        assert nia.get("/me").json()["permissions"] == ["comment", "edit", "read", "submit"]


def test_wrong_password_and_unknown_email_get_the_same_answer(team: Stack) -> None:
    with httpx.Client(base_url=team.url + "/api/v1", timeout=60) as anon:
        wrong = anon.post("/auth/signin", json={"email": "editor@a.test", "password": "x" * 12})
        unknown = anon.post("/auth/signin", json={"email": "who@a.test", "password": "x" * 12})
        assert _problem(wrong, 401)["detail"] == _problem(unknown, 401)["detail"]
        assert "adcraft_session" not in anon.cookies
        assert anon.get("/me").status_code == 401


# (role, method, path, body, allowed roles); paths use {creative} / {campaign}.
ACTIONS: list[tuple[str, str, str, dict[str, Any] | None, set[str]]] = [
    ("read campaigns", "GET", "/campaigns", None, set(ROLES)),
    ("read a creative", "GET", "/creatives/{creative}", None, set(ROLES)),
    ("create a campaign", "POST", "/campaigns", {"name": "x"}, {"admin", "editor"}),
    (
        "generate",
        "POST",
        "/generate",
        {
            "brief": {"product_name": "Tent"},
            "formats": ["1:1"],
            "variants": 1,
            "campaign_name": "R",
        },
        {"admin", "editor"},
    ),
    (
        "comment",
        "POST",
        "/creatives/{creative}/comments",
        {"text": "nice"},
        {"admin", "editor", "reviewer"},
    ),
    (
        "shortlist",
        "PUT",
        "/creatives/{creative}/shortlist",
        {"shortlisted": True},
        {"admin", "editor", "reviewer"},
    ),
    ("list people", "GET", "/users", None, {"admin"}),
    ("invite", "POST", "/invitations", {"email": "z{role}@a.test", "role": "viewer"}, {"admin"}),
]


@pytest.mark.parametrize("role", ROLES)
def test_each_role_may_do_only_its_actions(team: Stack, role: str) -> None:
    with sign_in(team, f"{role}@a.test") as c:
        for what, method, path, body, allowed in ACTIONS:
            url = path.format(creative=team.extra["creative"], campaign=team.extra["campaign"])
            if body is not None and "email" in body:
                body = {**body, "email": body["email"].format(role=role)}
            r = c.request(method, url, json=body)
            if role in allowed:
                assert r.status_code < 400, f"{role} may {what}: {r.status_code} {r.text}"
            else:
                p = _problem(r, 403)
                assert p["role"] == role and p["permission"] in p["detail"], (what, p)


def test_review_moves_follow_the_roles(team: Stack) -> None:
    creative = team.extra["creative"]
    with (
        sign_in(team, "editor@a.test") as editor,
        sign_in(team, "reviewer@a.test") as reviewer,
        sign_in(team, "viewer@a.test") as viewer,
    ):
        # A reviewer cannot submit (an editor's move), an editor cannot approve.
        p = _problem(
            reviewer.post(f"/creatives/{creative}/review", json={"state": "in_review"}), 403
        )
        assert p["permission"] == "submit"
        r = editor.post(f"/creatives/{creative}/review", json={"state": "in_review"})
        assert r.status_code == 200 and r.json()["state"] == "in_review", r.text
        p = _problem(editor.post(f"/creatives/{creative}/review", json={"state": "approved"}), 403)
        assert p["permission"] == "approve" and "approve" in p["detail"]
        p = _problem(viewer.post(f"/creatives/{creative}/review", json={"state": "approved"}), 403)
        assert p["role"] == "viewer"
        # A reviewer cannot edit the creative either.
        p = _problem(
            reviewer.post(f"/creatives/{creative}/versions", json={"action": "regenerate_text"}),
            403,
        )
        assert p["permission"] == "edit"
        r = reviewer.post(
            f"/creatives/{creative}/review", json={"state": "approved", "by": "someone else"}
        )
        assert r.status_code == 200 and r.json()["state"] == "approved", r.text
        # The history names the person's account, not a name sent in the body.
        moves = [(a["state"], a["by"]) for a in r.json()["activity"] if a["kind"] == "review"]
        assert moves[-2:] == [("in_review", "Editor"), ("approved", "Reviewer")]


def test_session_changes_need_the_csrf_token(team: Stack) -> None:
    with sign_in(team, "editor@a.test") as c:
        token = c.headers.pop("X-CSRF-Token")
        p = _problem(c.post("/campaigns", json={"name": "no token"}), 403)
        assert "CSRF" in p["detail"]
        p = _problem(
            c.post("/campaigns", json={"name": "bad"}, headers={"X-CSRF-Token": "0" * 64}), 403
        )
        assert "CSRF" in p["detail"]
        assert c.get("/campaigns").status_code == 200  # reads need no token
        ok = c.post("/campaigns", json={"name": "with token"}, headers={"X-CSRF-Token": token})
        assert ok.status_code == 201, ok.text
        # Signing out is a change too.
        assert c.post("/auth/signout").status_code == 403
        assert c.post("/auth/signout", headers={"X-CSRF-Token": token}).status_code == 204
        assert c.get("/me").status_code == 401
    # API keys are for machines and never need the token.
    assert team.a.post("/campaigns", json={"name": "by key"}).status_code == 201


def test_removed_or_demoted_person_loses_access_at_the_next_request(team: Stack) -> None:
    for email in ("gone@a.test", "demoted@a.test"):
        inv = team.a.post("/invitations", json={"email": email, "role": "editor"}).json()
        with httpx.Client(base_url=team.url + "/api/v1", timeout=60) as anon:
            anon.post("/auth/accept", json={"token": inv["token"], "password": PASSWORD})
    people = {u["email"]: u["id"] for u in team.a.get("/users").json()["users"]}
    with (
        sign_in(team, "gone@a.test") as gone,
        sign_in(team, "demoted@a.test") as demoted,
        sign_in(team, "admin@a.test") as admin,
    ):
        assert gone.get("/me").status_code == 200
        assert demoted.post("/campaigns", json={"name": "still editor"}).status_code == 201
        assert admin.delete(f"/users/{people['gone@a.test']}").status_code == 204
        r = admin.patch(f"/users/{people['demoted@a.test']}", json={"role": "viewer"})
        assert r.status_code == 200 and r.json()["role"] == "viewer"
        assert "ended" in _problem(gone.get("/me"), 401)["detail"]
        assert _problem(demoted.post("/campaigns", json={"name": "x"}), 403)["role"] == "viewer"
        assert demoted.get("/me").json()["role"] == "viewer"
        # Every change is in the audit log by who made it.
        with team.container.sessions() as s:
            entries = {(e.actor, e.action, e.target) for e in audit_log(s, limit=1000)}
        assert ("user:Admin", "user.remove", "gone@a.test") in entries
        assert ("user:Admin", "user.role", "demoted@a.test") in entries


def test_last_admin_cannot_be_demoted_and_other_tenants_are_out_of_reach(team: Stack) -> None:
    users = team.a.get("/users").json()["users"]
    admin_id = next(u["id"] for u in users if u["email"] == "admin@a.test")
    p = _problem(team.a.patch(f"/users/{admin_id}", json={"role": "viewer"}), 409)
    assert "last admin" in p["detail"]
    _problem(team.b.patch(f"/users/{admin_id}", json={"role": "viewer"}), 404)
    _problem(team.b.delete(f"/users/{admin_id}"), 404)
    assert admin_id not in {u["id"] for u in team.b.get("/users").json()["users"]}
    p = _problem(team.a.patch(f"/users/{admin_id}", json={"role": "owner"}), 422)
    assert "role" in p["detail"]


def test_a_key_exchanged_for_a_session_ends_with_the_key(team: Stack) -> None:
    with unit_of_work(team.container.sessions) as s:
        key = add_key(s, find_tenant(s, "tenant-a").id, team.container.secret, "browser")
    with httpx.Client(base_url=team.url + "/api/v1", timeout=60) as c:
        r = c.post("/auth/key-session", headers={"Authorization": f"Bearer {key}"})
        assert r.status_code == 200 and r.json()["role"] == "admin", r.text
        c.headers["X-CSRF-Token"] = c.cookies["adcraft_csrf"]
        assert c.get("/me").json()["key_prefix"] == key.split("_")[1]
        assert c.post("/campaigns", json={"name": "via cookie"}).status_code == 201
        with unit_of_work(team.container.sessions) as s:
            revoke_key(s, find_key(s, key))
        assert c.get("/me").status_code == 401


def test_admins_manage_the_workspace_keys(team: Stack) -> None:
    prefix_a = team.key_a.split("_")[1]
    with sign_in(team, "admin@a.test") as admin, sign_in(team, "editor@a.test") as editor:
        assert prefix_a in {k["prefix"] for k in admin.get("/keys").json()}
        assert _problem(editor.get("/keys"), 403)["permission"] == "manage"
        made = admin.post("/keys", json={"name": "ci"})
        assert made.status_code == 201, made.text
        key = made.json()["key"]
        prefix = made.json()["info"]["prefix"]
        with team.client(key) as machine:
            assert machine.get("/me").status_code == 200
            rotated = admin.post(f"/keys/{prefix}/rotate", json={"overlap_s": 0})
            assert rotated.status_code == 201 and rotated.json()["old"]["state"] == "revoked"
            assert machine.get("/me").status_code == 401
        with team.client(rotated.json()["key"]) as machine:
            assert machine.get("/me").status_code == 200
            new_prefix = rotated.json()["info"]["prefix"]
            assert admin.post(f"/keys/{new_prefix}/revoke").json()["state"] == "revoked"
            assert machine.get("/me").status_code == 401
        # Another workspace's key is out of reach (404, and it keeps working).
        _problem(team.b.post(f"/keys/{prefix_a}/revoke"), 404)
        assert team.a.get("/me").status_code == 200
        with team.container.sessions() as s:
            actions = {(e.actor, e.action) for e in audit_log(s, limit=1000)}
        assert {("user:Admin", "key.create"), ("user:Admin", "key.rotate")} <= actions


def test_any_role_records_a_download_but_only_editors_other_feedback(team: Stack) -> None:
    creative = team.extra["creative"]
    with sign_in(team, "viewer@a.test") as viewer:
        r = viewer.post("/feedback", json={"creative_id": creative, "kind": "download"})
        assert r.status_code == 201, r.text
        p = _problem(
            viewer.post("/feedback", json={"creative_id": creative, "kind": "report"}), 403
        )
        assert p["permission"] == "edit"
