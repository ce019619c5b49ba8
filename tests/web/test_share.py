"""Share for review in the browser: the team makes a link on a set's page; someone with no
account opens it in a fresh browser, sees the images, and comments (HTML stays text); revoked
and expired links show a page that says so."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import httpx

from adcraft import review_links
from adcraft.db.engine import unit_of_work
from adcraft.db.models import utcnow
from adcraft.db.tenants import find_tenant
from tests.web.harness import TENANT, WebServer, generate_set, sign_in
from tests.web.test_accessibility import _audit

HOSTILE = "<img src=x onerror=\"document.title='pwned'\"> Make the logo bigger"


def _visitor(browser: Any) -> tuple[Any, Any, list[str]]:
    """A fresh browser context: no cookies, no storage, nothing of the team's session. (It may
    inject axe despite the app's Content-Security-Policy, which makes the HTML check stricter.)"""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, bypass_csp=True)
    tab = context.new_page()
    tab.set_default_timeout(20_000)
    errors: list[str] = []
    tab.on("pageerror", lambda e: errors.append(str(e)))
    return context, tab, errors


def test_a_visitor_opens_a_review_link_and_comments(
    page: Any, browser: Any, server: WebServer, api: httpx.Client
) -> None:
    task_id, items = generate_set(api, ["iab_medium_rectangle", "meta_feed_square"])
    sign_in(page, server.url, server.key)
    page.goto(f"{server.url}/#/task/{task_id}")
    panel = page.get_by_role("region", name="Share for review")
    panel.get_by_role("button", name="Create review link").click()
    url_box = panel.get_by_role("textbox", name="Review link")
    url_box.wait_for()
    link = url_box.input_value()
    assert link.startswith(f"{server.url}/#/shared/")
    panel.get_by_text("By ").first.wait_for()  # listed among the links that work

    context, tab, errors = _visitor(browser)
    try:
        tab.goto(link)
        tab.get_by_role("heading", name="Review: ").wait_for()
        cards = tab.locator("article.shared-creative")
        assert cards.count() == len(items) == 2
        # Every image arrives (signed links: the visitor has no key and no cookie).
        tab.wait_for_function(
            "() => [...document.querySelectorAll('article.shared-creative img')]"
            ".every((i) => i.complete && i.naturalWidth > 0)"
        )
        assert tab.get_by_role("button", name="Create review link").count() == 0
        first = cards.first
        # A name is needed; the form says so on the field.
        first.get_by_label("Comment").fill(HOSTILE)
        first.get_by_role("button", name="Send comment").click()
        name = tab.get_by_label("Your name")
        tab.get_by_text("Enter your name").wait_for()
        assert name.get_attribute("aria-invalid") == "true"
        name.fill("Dana from the client")
        first.get_by_role("button", name="Send comment").click()
        first.get_by_role("status").get_by_text("Comment sent").wait_for()
        shown = first.locator(".comment-text")
        assert shown.inner_text() == HOSTILE  # shown as text, not markup
        assert first.locator("ul.comments img").count() == 0
        assert tab.title() != "pwned"
        # It is there after a reload, and the team sees it in the creative's activity.
        tab.reload()
        tab.locator(".comment-text").first.wait_for()
        assert tab.locator(".comment-text").all_inner_texts() == [HOSTILE]
        commented = [
            c["id"]
            for c in items
            if any(
                a["kind"] == "comment" and a["by"] == "Dana from the client (review link)"
                for a in api.get(f"/creatives/{c['id']}/review").json()["activity"]
            )
        ]
        assert len(commented) == 1
        problems = _audit(tab, "review link (en)")
        tab.evaluate("() => localStorage.setItem('adcraft.lang', 'ru')")
        tab.reload()
        tab.get_by_role("heading", name="На согласование: ").wait_for()
        tab.get_by_role("button", name="Отправить комментарий").first.wait_for()
        problems += _audit(tab, "review link (ru)")
        assert not problems, problems
        tab.evaluate("() => localStorage.setItem('adcraft.lang', 'en')")

        # The team revokes it: the visitor's next visit says the link does not work.
        panel.get_by_role("button", name="Revoke").click()
        panel.get_by_text("The link was revoked").wait_for()
        tab.reload()
        tab.get_by_role("heading", name="This review link does not work").wait_for()
        assert tab.locator("article.shared-creative").count() == 0
    finally:
        context.close()
    assert not errors, errors


def test_an_expired_review_link_says_so(browser: Any, server: WebServer, api: httpx.Client) -> None:
    task_id, _ = generate_set(api, ["iab_medium_rectangle"])
    made = api.post("/shares", json={"task_id": task_id})
    assert made.status_code == 201, made.text
    assert server.container is not None
    with unit_of_work(server.container.sessions) as s:
        tenant_id = find_tenant(s, TENANT).id
        review_links.set_expiry(s, tenant_id, made.json()["id"], utcnow() - timedelta(seconds=1))
    context, tab, errors = _visitor(browser)
    try:
        tab.goto(made.json()["url"])
        tab.get_by_role("heading", name="This review link has expired").wait_for()
        assert tab.get_by_text("Ask the person who sent it for a new one").is_visible()
        assert not _audit(tab, "expired review link")
    finally:
        context.close()
    assert not errors, errors
