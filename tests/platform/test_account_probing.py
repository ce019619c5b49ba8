"""Guessing passwords and probing for accounts, on SQLite and PostgreSQL, through two API
processes over one database: wrong passwords in a row lock password sign-in for that email
(429 with Retry-After, in every process, audited), an email without an account answers exactly
like one with, a good sign-in resets the count, and an invitation tells an admin nothing about
other teams' accounts. Time moves by the container's clock, never by sleeping."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

import httpx
import pytest

from adcraft.accounts import service
from adcraft.admin import audit_log
from adcraft.api import create_app
from adcraft.config import Settings
from adcraft.container import build
from adcraft.db.engine import unit_of_work
from adcraft.db.models import utcnow
from adcraft.db.tenants import find_tenant
from tests.platform.conftest import SECRET, Stack, data_and_database, make_stack, settings_env
from tests.platform.servers import ServerThread

PASSWORD = "correct horse battery"
WRONG = "not the password"
LIMIT = 3
WINDOW_S = 600
LOCK_S = 900


class Clock:
    """A clock the tests move; both API processes read it."""

    def __init__(self) -> None:
        self.now = utcnow()

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def stack(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Stack]:
    """Tenants A and B, people ``<name>@a.test`` in A, and a second API process (``extra["other"]``,
    its URL) on the same database."""
    tmp, database = data_and_database(request, tmp_path_factory, "probing")
    settings = Settings(
        environment="test",
        data_dir=tmp,
        database=database,
        tasks={"local_workers": 1, "local_mode": "thread"},
        events={"enabled": False},
        security={
            "secret_key": SECRET,
            "signin_max_failures": LIMIT,
            "signin_failure_window_s": WINDOW_S,
            "signin_lockout_s": LOCK_S,
        },
        # The per-address limit is not what this module tests.
        limits={"anonymous_rate_limit_per_minute": 100_000},
    )
    container, ka, kb = make_stack("probing", settings)
    other = build(settings, with_runner=False)
    clock = Clock()
    container.clock = other.clock = clock
    with unit_of_work(container.sessions) as s:
        a_id = find_tenant(s, "tenant-a").id
        for name in ("ada", "bo", "cy", "dee", "eve", "fay"):
            service.create_user(s, a_id, f"{name}@a.test", "editor", PASSWORD, name=name.title())
    with ServerThread(create_app(container)) as srv, ServerThread(create_app(other)) as srv2:
        st = Stack("probing", srv.url, ka, kb, container, settings, settings_env(settings))
        st.extra.update(clock=clock, other=srv2.url)
        yield st
    other.engine.dispose()
    container.engine.dispose()


def _sign_in(url: str, email: str, password: str) -> httpx.Response:
    with httpx.Client(base_url=url + "/api/v1", timeout=60) as client:
        return client.post("/auth/signin", json={"email": email, "password": password})


def _locked(r: httpx.Response) -> dict[str, Any]:
    assert r.status_code == 429, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    assert "adcraft_session" not in r.headers.get("set-cookie", "")
    body: dict[str, Any] = r.json()
    assert body["type"].endswith("/sign-in-locked")
    assert "too many wrong passwords" in body["detail"]
    return body


def _seen(r: httpx.Response) -> tuple[int, str | None, str | None, str, str]:
    """What a caller can tell apart: status, Retry-After, cookie, problem type and detail."""
    body = r.json()
    return (
        r.status_code,
        r.headers.get("retry-after"),
        r.headers.get("set-cookie"),
        body.get("type", ""),
        body.get("detail", ""),
    )


def test_wrong_passwords_in_a_row_lock_the_email_until_the_time_is_up(stack: Stack) -> None:
    clock: Clock = stack.extra["clock"]
    for _ in range(LIMIT):
        assert _sign_in(stack.url, "ada@a.test", WRONG).status_code == 401
    # Now even the right password is refused, and the answer says for how long.
    r = _sign_in(stack.url, "ada@a.test", PASSWORD)
    _locked(r)
    assert r.headers["retry-after"] == str(LOCK_S)
    assert "15 min" in r.json()["detail"]
    assert (r.json()["code"], r.json()["params"]) == ("sign_in_locked_minutes", {"minutes": 15})
    # Only that email: a colleague signs in as usual.
    assert _sign_in(stack.url, "bo@a.test", PASSWORD).status_code == 200
    clock.advance(LOCK_S - 1)
    r = _sign_in(stack.url, "ada@a.test", PASSWORD)
    assert _locked(r) and r.headers["retry-after"] == "1"
    assert (r.json()["code"], r.json()["params"]) == ("sign_in_locked_seconds", {"seconds": 1})
    clock.advance(1)
    assert _sign_in(stack.url, "ada@a.test", PASSWORD).status_code == 200
    # The lock is in the audit log, under the account's team and the client's address.
    with stack.container.sessions() as s:
        a_id = find_tenant(s, "tenant-a").id
        locks = [e for e in audit_log(s, limit=1000) if e.action == "user.lockout"]
    ada = [e for e in locks if e.target == "ada@a.test"]
    assert len(ada) == 1 and ada[0].tenant_id == a_id
    assert ada[0].actor == "client:127.0.0.1" and ada[0].detail["failures"] == LIMIT


def test_a_good_sign_in_resets_the_count_and_old_failures_expire(stack: Stack) -> None:
    clock: Clock = stack.extra["clock"]
    for _ in range(LIMIT - 1):
        assert _sign_in(stack.url, "cy@a.test", WRONG).status_code == 401
    assert _sign_in(stack.url, "cy@a.test", PASSWORD).status_code == 200
    for _ in range(LIMIT - 1):
        assert _sign_in(stack.url, "cy@a.test", WRONG).status_code == 401
    # Failures further apart than the window do not add up either.
    clock.advance(WINDOW_S)
    for _ in range(LIMIT - 1):
        assert _sign_in(stack.url, "cy@a.test", WRONG).status_code == 401
    assert _sign_in(stack.url, "cy@a.test", PASSWORD).status_code == 200
    # Counted from zero again: the limit still holds after a reset.
    for _ in range(LIMIT):
        assert _sign_in(stack.url, "cy@a.test", WRONG).status_code == 401
    _locked(_sign_in(stack.url, "cy@a.test", PASSWORD))


def test_an_email_without_an_account_answers_exactly_like_one_with(stack: Stack) -> None:
    clock: Clock = stack.extra["clock"]
    answers: dict[str, list[tuple[int, str | None, str | None, str, str]]] = {}
    for email in ("dee@a.test", "nobody@a.test"):
        steps = [_sign_in(stack.url, email, WRONG) for _ in range(LIMIT + 1)]
        steps.append(_sign_in(stack.url, email, PASSWORD))
        answers[email] = [_seen(r) for r in steps]
        assert [r.status_code for r in steps] == [401] * LIMIT + [429, 429]
        assert set(steps[-1].json()) == set(steps[0].json())  # same members, 429 or 401
    assert answers["dee@a.test"] == answers["nobody@a.test"]
    clock.advance(LOCK_S)
    assert _seen(_sign_in(stack.url, "dee@a.test", WRONG)) == _seen(
        _sign_in(stack.url, "nobody@a.test", WRONG)
    )


def test_every_api_process_counts_the_same_failures(stack: Stack) -> None:
    urls = [stack.url, stack.extra["other"]]
    for i in range(LIMIT):
        assert _sign_in(urls[i % 2], "fay@a.test", WRONG).status_code == 401
    for url in urls:
        _locked(_sign_in(url, "fay@a.test", PASSWORD))


def test_inviting_another_teams_member_answers_like_a_new_email(stack: Stack) -> None:
    # Tenant B's admin tries an address that has an account in tenant A, and a new one.
    taken = stack.b.post("/invitations", json={"email": "Eve@A.test", "role": "viewer"})
    new = stack.b.post("/invitations", json={"email": "gil@b.test", "role": "viewer"})
    assert taken.status_code == new.status_code == 201, taken.text
    assert set(taken.json()) == set(new.json())
    assert taken.json()["email"] == "eve@a.test" and taken.json()["role"] == "viewer"
    pending = {i["email"] for i in stack.b.get("/users").json()["invitations"]}
    assert {"eve@a.test", "gil@b.test"} <= pending
    # Inviting someone already in the caller's own team is still refused: its admins see them.
    mine = stack.a.post("/invitations", json={"email": "eve@a.test", "role": "viewer"})
    assert mine.status_code == 409 and "member of this team" in mine.json()["detail"]
    # The invitation waits: Eve cannot hold two accounts, so it works once her account in A is
    # removed.
    token = taken.json()["token"]
    with httpx.Client(base_url=stack.url + "/api/v1", timeout=60) as eve:
        early = eve.post("/auth/accept", json={"token": token, "password": PASSWORD})
        assert early.status_code == 409 and "sign in" in early.json()["detail"]
        users = stack.a.get("/users").json()["users"]
        eve_id = next(u["id"] for u in users if u["email"] == "eve@a.test")
        assert stack.a.delete(f"/users/{eve_id}").status_code == 204
        joined = eve.post("/auth/accept", json={"token": token, "password": PASSWORD})
        assert joined.status_code == 200, joined.text
        assert joined.json()["tenant_name"] == "tenant-b" and joined.json()["role"] == "viewer"
