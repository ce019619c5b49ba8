"""Single sign-on against a local OpenID Connect provider (tests/oidc_idp.py), on SQLite and
PostgreSQL: an existing person signs in, an invitee's account is made with the invited role, and
an unknown, unverified, cancelled or replayed sign-in is refused with its reason."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import closing

import httpx
import pytest

from adcraft.accounts import service
from adcraft.api import create_app
from adcraft.config import Settings
from adcraft.db.engine import unit_of_work
from adcraft.db.tenants import find_tenant
from tests.oidc_idp import LocalIdP, Person
from tests.platform.conftest import SECRET, Stack, data_and_database, make_stack, settings_env
from tests.platform.servers import ServerThread


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def sso(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Stack, LocalIdP]]:
    tmp, database = data_and_database(request, tmp_path_factory, "sso")
    with LocalIdP() as idp:
        settings = Settings(
            environment="test",
            data_dir=tmp,
            database=database,
            tasks={"local_workers": 1, "local_mode": "thread"},
            events={"enabled": False},
            # Sign-ins are anonymous: the per-address limit is not what this module tests.
            limits={"anonymous_rate_limit_per_minute": 100_000},
            security={
                "secret_key": SECRET,
                "oidc_issuer": idp.issuer,
                "oidc_client_id": idp.client_id,
                "oidc_client_secret": idp.client_secret,
                "oidc_name": "Test IdP",
                "oidc_allow_http": True,
            },
        )
        container, ka, kb = make_stack("sso", settings)
        with unit_of_work(container.sessions) as s:
            tenant = find_tenant(s, "tenant-a").id
            service.create_user(s, tenant, "eva@a.test", "reviewer", "a long passphrase")
        with ServerThread(create_app(container)) as srv:
            idp.redirect_uris.add(f"{srv.url}/api/v1/auth/sso/callback")
            idp.people.update(
                {
                    "eva@a.test": Person("Eva"),
                    "new@a.test": Person("Nils"),
                    "stranger@a.test": Person("Stranger"),
                    "unverified@a.test": Person("Una", verified=False),
                }
            )
            yield Stack("sso", srv.url, ka, kb, container, settings, settings_env(settings)), idp
        container.engine.dispose()


def _through_idp(client: httpx.Client, email: str) -> httpx.Response:
    """Start at adcraft, fill the provider's form, and return the provider's redirect back."""
    start = client.get("/api/v1/auth/sso/start")
    assert start.status_code == 303, start.text
    form = client.get(start.headers["location"])
    assert form.status_code == 200, form.text
    fields = dict(re.findall(r'name="(\w+)" value="([^"]*)"', form.text))
    back = client.post(start.headers["location"].split("?")[0], data={**fields, "email": email})
    assert back.status_code == 303
    return back


def _sign_in(stack: Stack, email: str) -> tuple[httpx.Client, str]:
    """(the client after the flow, where adcraft sent the browser at the end)."""
    client = httpx.Client(base_url=stack.url, timeout=30)
    back = _through_idp(client, email)
    done = client.get(back.headers["location"])
    assert done.status_code == 303, done.text
    return client, done.headers["location"]


def test_sso_is_announced(sso: tuple[Stack, LocalIdP]) -> None:
    stack, _ = sso
    r = httpx.get(stack.url + "/api/v1/auth/sso")
    assert r.json() == {"enabled": True, "name": "Test IdP"}


def test_an_existing_person_signs_in_with_the_provider(sso: tuple[Stack, LocalIdP]) -> None:
    stack, _ = sso
    client, where = _sign_in(stack, "eva@a.test")
    with closing(client):
        assert where == "/#/new"
        me = client.get("/api/v1/me").json()
        assert (me["user_name"], me["role"], me["tenant_name"]) == (
            "eva@a.test",
            "reviewer",
            "tenant-a",
        )
        # The session is the usual one: changes need the CSRF token.
        assert client.post("/api/v1/creatives/x/comments", json={"text": "hi"}).status_code == 403


def test_an_invitee_gets_the_invited_role_and_no_password(sso: tuple[Stack, LocalIdP]) -> None:
    stack, _ = sso
    assert (
        stack.a.post("/invitations", json={"email": "new@a.test", "role": "editor"}).status_code
        == 201
    )
    client, where = _sign_in(stack, "new@a.test")
    with closing(client):
        assert where == "/#/new"
        me = client.get("/api/v1/me").json()
        assert (me["user_name"], me["role"]) == ("Nils", "editor")
    team = stack.a.get("/users").json()
    assert "new@a.test" not in {i["email"] for i in team["invitations"]}
    with stack.container.sessions() as s:
        # An account made by single sign-on has no password that could ever match.
        assert service.sign_in(s, "new@a.test", "!sso-only") is None


@pytest.mark.parametrize(
    ("email", "reason"),
    [
        ("stranger@a.test", "no-account"),  # the provider knows them, adcraft does not
        ("unverified@a.test", "unverified"),
        ("nobody@a.test", "cancelled"),  # the provider refuses (access_denied)
    ],
)
def test_refused_sign_ins_say_why(sso: tuple[Stack, LocalIdP], email: str, reason: str) -> None:
    stack, _ = sso
    client, where = _sign_in(stack, email)
    with closing(client):
        assert where == f"/#/signin?sso={reason}"
        assert "adcraft_session" not in client.cookies
        assert client.get("/api/v1/me").status_code == 401


def test_an_answer_for_another_browser_or_a_replayed_code_is_refused(
    sso: tuple[Stack, LocalIdP],
) -> None:
    stack, _ = sso
    with httpx.Client(base_url=stack.url, timeout=30) as victim:
        back = _through_idp(victim, "eva@a.test")
        # An attacker who got the callback URL but not the victim's flow cookie.
        with httpx.Client(base_url=stack.url, timeout=30) as attacker:
            r = attacker.get(back.headers["location"])
            assert r.headers["location"] == "/#/signin?sso=failed"
            assert attacker.get("/api/v1/me").status_code == 401
        # The victim's own browser finishes the sign-in…
        flow = victim.cookies["adcraft_sso"]
        assert victim.get(back.headers["location"]).headers["location"] == "/#/new"
        # …and the same answer again, even with the flow cookie put back, is refused: the
        # provider lets a code be exchanged once.
        victim.cookies.set("adcraft_sso", flow, path="/api/v1/auth/sso")
        r = victim.get(back.headers["location"])
        assert r.headers["location"] == "/#/signin?sso=failed"
