"""Team accounts in the browser: password sign-in (no key in the page's storage), the approval
flow between people of different roles, invitations and removal from the Team page, single
sign-on against a local OpenID Connect provider, and an axe audit of the new pages."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx
import pytest

from adcraft.accounts import service
from adcraft.db.engine import unit_of_work
from adcraft.db.tenants import find_tenant
from tests.oidc_idp import LocalIdP, Person
from tests.web.harness import TENANT, WebServer, generate_set, sign_in
from tests.web.test_accessibility import _audit

PASSWORD = "correct horse battery"


@pytest.fixture(scope="module")
def people(server: WebServer) -> dict[str, str]:
    """One person per role in the test tenant: role -> email."""
    assert server.container is not None
    emails = {role: f"{role}.web@acme.test" for role in ("admin", "editor", "reviewer", "viewer")}
    with unit_of_work(server.container.sessions) as s:
        tenant = find_tenant(s, TENANT)
        for role, email in emails.items():
            service.create_user(s, tenant.id, email, role, PASSWORD, name=role.title())
    return emails


@contextmanager
def person(browser: Any, server: WebServer, email: str) -> Iterator[Any]:
    """A separate browser (own cookies) signed in as ``email`` with the password form."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    tab.set_default_timeout(20_000)
    errors: list[str] = []
    tab.on("pageerror", lambda e: errors.append(str(e)))
    try:
        tab.goto(server.url + "/")
        tab.get_by_label("Email").fill(email)
        tab.get_by_label("Password").fill(PASSWORD)
        tab.get_by_role("button", name="Sign in", exact=True).click()
        tab.get_by_role("heading", name="New creative").wait_for()
        yield tab
    finally:
        context.close()
    assert not errors, f"JavaScript errors in the page: {errors}"


def _open(tab: Any, server: WebServer, task_id: str) -> Any:
    tab.goto(f"{server.url}/#/task/{task_id}")
    tab.locator("article.creative:not(.pending)").get_by_role(
        "button", name="Open and edit"
    ).click()
    dialog = tab.locator("dialog.detail")
    dialog.locator("section.review .review-state").wait_for()
    return dialog


def test_approval_flow_between_roles(
    browser: Any, server: WebServer, api: httpx.Client, people: dict[str, str]
) -> None:
    task_id, items = generate_set(api, ["iab_medium_rectangle"])
    cid = items[0]["id"]
    with person(browser, server, people["editor"]) as editor:
        # The session lives in an HttpOnly cookie: nothing the page's scripts can read or keep.
        assert "adcraft_session" not in editor.evaluate("() => document.cookie")
        assert (
            editor.evaluate("() => Object.keys(sessionStorage).filter(k => k.includes('key'))")
            == []
        )
        editor.locator("#who", has_text="Editor · Editor").wait_for()
        assert editor.locator("#nav a[data-route=team]").is_hidden()
        dialog = _open(editor, server, task_id)
        review = dialog.locator("section.review")
        assert dialog.get_by_role("button", name="Save as new version").is_visible()
        assert review.get_by_role("button", name="Approve").count() == 0  # editors do not approve
        review.get_by_role("button", name="Send for review").click()
        review.get_by_text("Now: In review.").wait_for()

    with person(browser, server, people["reviewer"]) as reviewer:
        dialog = _open(reviewer, server, task_id)
        review = dialog.locator("section.review")
        # A reviewer reads the copy but cannot change it: no save, no new text or look.
        dialog.get_by_text("Your role (Reviewer) can look but not change this.").wait_for()
        assert (
            dialog.locator(".copy-form input, .copy-form textarea").first.get_attribute("readonly")
            is not None
        )
        for name in ("Save as new version", "New text only"):
            assert dialog.get_by_role("button", name=name).count() == 0
        # …and the server agrees when the page is bypassed.
        refused = reviewer.evaluate(
            """async (cid) => {
                const csrf = document.cookie.split('; ')
                  .find(c => c.startsWith('adcraft_csrf=')).split('=')[1];
                const r = await fetch(`/api/v1/creatives/${cid}/versions`, {method: 'POST',
                  headers: {'Content-Type': 'application/json', 'X-CSRF-Token': csrf},
                  body: JSON.stringify({action: 'regenerate_text'})});
                return [r.status, (await r.json()).permission];
            }""",
            cid,
        )
        assert refused == [403, "edit"]
        review.get_by_label("Comment").fill("Logo looks right")
        review.get_by_role("button", name="Add comment").click()
        review.get_by_text("Comment added.").wait_for()
        review.get_by_role("button", name="Approve").click()
        review.get_by_text("Now: Approved.").wait_for()
        # A reviewer shortlists it for the team.
        reviewer.keyboard.press("Escape")
        reviewer.locator(f"article.creative[data-id='{cid}'] button.star").click()
        reviewer.locator(
            f"article.creative[data-id='{cid}'] button.star[aria-pressed='true']"
        ).wait_for()

    with person(browser, server, people["viewer"]) as viewer:
        # A viewer cannot generate nor approve nor comment.
        assert viewer.get_by_role("button", name="Generate").is_disabled()
        dialog = _open(viewer, server, task_id)
        review = dialog.locator("section.review")
        review.locator(".review-state", has_text="Approved").wait_for()
        for name in ("Approve", "Send for review", "Request changes", "Add comment"):
            assert review.get_by_role("button", name=name).count() == 0
        viewer.keyboard.press("Escape")
        # The viewer sees the team's shortlist but cannot change it.
        star = viewer.locator(f"article.creative[data-id='{cid}'] button.star")
        assert star.get_attribute("aria-pressed") == "true" and star.is_disabled()
        viewer.get_by_role("button", name="Sign out").click()
        viewer.get_by_role("button", name="Sign in", exact=True).wait_for()
        # Signed out means the server forgets the session, not only the page.
        assert viewer.evaluate("async () => (await fetch('/api/v1/me')).status") == 401

    activity = api.get(f"/creatives/{cid}/review").json()["activity"]
    assert [(a["kind"], a.get("state"), a["by"]) for a in activity] == [
        ("review", "in_review", "Editor"),
        ("comment", None, "Reviewer"),
        ("review", "approved", "Reviewer"),
        ("shortlist", None, "Reviewer"),
    ]


def test_admin_invites_changes_a_role_and_removes_a_signed_in_person(
    browser: Any, server: WebServer, people: dict[str, str]
) -> None:
    with person(browser, server, people["admin"]) as admin:
        admin.get_by_role("link", name="Team").click()
        admin.get_by_role("heading", name="Team", exact=True).wait_for()
        admin.get_by_label("Email").fill("dana@acme.test")
        admin.get_by_label("Role", exact=True).select_option("reviewer")
        admin.get_by_role("button", name="Create invitation link").click()
        link = admin.locator("input.invite-link").input_value()
        assert "/#/join/" in link
        admin.get_by_text("dana@acme.test as Reviewer").wait_for()

        context = browser.new_context()
        dana = context.new_page()
        dana.set_default_timeout(20_000)
        try:
            dana.goto(link)
            dana.get_by_role("heading", name=f"Join {TENANT}").wait_for()
            dana.get_by_label("Your name").fill("Dana")
            dana.get_by_label("Password").fill("short")
            dana.get_by_role("button", name="Create account").click()
            dana.get_by_text("Use at least 10 characters.").wait_for()
            dana.get_by_label("Password").fill(PASSWORD)
            dana.get_by_role("button", name="Create account").click()
            dana.locator("#who", has_text="Dana · Reviewer").wait_for()

            # The admin makes Dana a viewer: her next page load shows it.
            admin.reload()
            row = admin.locator("tr[data-email='dana@acme.test']")
            row.get_by_label("Role of dana@acme.test").select_option("viewer")
            admin.get_by_text("dana@acme.test is now Viewer.").wait_for()
            dana.reload()
            dana.locator("#who", has_text="Dana · Viewer").wait_for()

            # Removed while signed in: the next request ends the session.
            admin.once("dialog", lambda d: d.accept())
            row.get_by_role("button", name="Remove dana@acme.test").click()
            admin.get_by_text("dana@acme.test was removed.").wait_for()
            dana.get_by_role("link", name="Campaigns").click()
            dana.get_by_text("Your session ended.").wait_for()
            assert "#/signin" in dana.url
        finally:
            context.close()


def test_admin_issues_and_revokes_a_machine_key(
    browser: Any, server: WebServer, people: dict[str, str]
) -> None:
    with person(browser, server, people["admin"]) as admin:
        admin.goto(f"{server.url}/#/team")
        admin.get_by_label("Name", exact=True).fill("nightly export")
        admin.get_by_role("button", name="Issue key").click()
        key = admin.locator("input.new-key").input_value()
        assert key.startswith("adc_")
        prefix = key.split("_")[1]
        row = admin.locator(f"tr[data-prefix='{prefix}']")
        row.get_by_text("Active").wait_for()
        me = httpx.get(server.url + "/api/v1/me", headers={"Authorization": f"Bearer {key}"})
        assert me.status_code == 200
        admin.once("dialog", lambda d: d.accept())
        row.get_by_role("button", name=f"Revoke key {prefix}").click()
        row.get_by_text("Revoked").wait_for()
        me = httpx.get(server.url + "/api/v1/me", headers={"Authorization": f"Bearer {key}"})
        assert me.status_code == 401


def test_new_pages_pass_axe(
    browser: Any, server: WebServer, api: httpx.Client, people: dict[str, str]
) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(20_000)
    try:
        problems: list[str] = []
        page.goto(server.url + "/")
        page.get_by_label("Email").wait_for()
        problems += _audit(page, "sign-in")
        token = api.post("/invitations", json={"email": "axe@acme.test", "role": "editor"}).json()[
            "token"
        ]
        page.goto(f"{server.url}/#/join/{token}")
        page.get_by_label("Your name").wait_for()
        problems += _audit(page, "join")
        sign_in(page, server.url, server.key)
        for lang in ("en", "ru"):
            page.locator("#lang").select_option(lang)
            page.goto(f"{server.url}/#/team")
            page.locator("table.team").first.wait_for()
            page.locator("table.keys").wait_for()
            problems += _audit(page, f"team ({lang})")
        page.locator("#lang").select_option("en")
        assert not problems, "\n".join(problems)
    finally:
        context.close()


def test_single_sign_on_with_the_test_provider(browser: Any) -> None:
    with LocalIdP() as idp:
        server = WebServer(
            security={
                "oidc_issuer": idp.issuer,
                "oidc_client_id": idp.client_id,
                "oidc_client_secret": idp.client_secret,
                "oidc_name": "Test IdP",
                "oidc_allow_http": True,
            }
        )
        idp.redirect_uris.add(f"{server.url}/api/v1/auth/sso/callback")
        idp.people.update({"sso.reviewer@acme.test": Person("Rita"), "x@acme.test": Person("X")})
        with server:
            assert server.container is not None
            with unit_of_work(server.container.sessions) as s:
                tenant = find_tenant(s, TENANT)
                service.invite(
                    s,
                    tenant.id,
                    "sso.reviewer@acme.test",
                    "reviewer",
                    "test",
                    server.container.secret,
                    600,
                )
            context = browser.new_context(viewport={"width": 1280, "height": 900})
            tab = context.new_page()
            tab.set_default_timeout(20_000)
            try:
                # Someone the provider knows but adcraft does not is told why, on the sign-in page.
                tab.goto(server.url + "/")
                tab.get_by_role("link", name="Sign in with Test IdP").click()
                tab.get_by_label("Email").fill("x@acme.test")
                tab.get_by_role("button", name="Continue").click()
                tab.get_by_text("this email has no adcraft account").wait_for()
                # The invitee signs in through the provider and lands signed in with the role.
                tab.get_by_role("link", name="Sign in with Test IdP").click()
                tab.get_by_label("Email").fill("sso.reviewer@acme.test")
                tab.get_by_role("button", name="Continue").click()
                tab.locator("#who", has_text="Rita · Reviewer").wait_for()
                tab.get_by_role("heading", name="New creative").wait_for()
                assert tab.get_by_role("button", name="Generate").is_disabled()
            finally:
                context.close()
