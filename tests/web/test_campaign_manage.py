"""Campaign management in the browser: rename, archive (gone from the list until "Show archived
campaigns"), bring back, merge another campaign in, find creatives across campaigns, delete."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from tests.web.harness import WebServer, sign_in
from tests.web.test_accessibility import _audit


def _set(api: httpx.Client, product: str, campaign: str, fmt: str) -> dict[str, Any]:
    r = api.post(
        "/generate",
        json={
            "brief": {"product_name": product, "offer": "Two for one this week"},
            "formats": [fmt],
            "variants": 1,
            "campaign_name": campaign,
        },
    )
    assert r.status_code == 202, r.text
    deadline = time.monotonic() + 120
    while (task := api.get(f"/tasks/{r.json()['id']}").json())["status"] not in (
        "completed",
        "failed",
    ):
        assert time.monotonic() < deadline, "the task did not finish"
        time.sleep(0.2)
    assert task["status"] == "completed", task
    return dict(task)


@pytest.fixture()
def page(browser: Any) -> Iterator[Any]:
    """A tab that may inject axe despite the app's Content-Security-Policy; fails on any
    JavaScript error of the page."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, bypass_csp=True)
    tab = context.new_page()
    tab.set_default_timeout(20_000)
    errors: list[str] = []
    tab.on("pageerror", lambda e: errors.append(str(e)))
    yield tab
    context.close()
    assert not errors, f"JavaScript errors in the page: {errors}"


def test_rename_archive_merge_find_and_delete(
    page: Any, server: WebServer, api: httpx.Client
) -> None:
    alpha = _set(api, "Quartz Lamp", "Lamp launch", "iab_medium_rectangle")
    beta = _set(api, "Quartz Lamp Mini", "Lamp extras", "meta_feed_square")
    sign_in(page, server.url, server.key)
    page.goto(f"{server.url}/#/campaigns/{alpha['campaign_id']}")
    panel = page.get_by_role("region", name="Manage campaign")

    # Rename: the heading follows.
    name = panel.get_by_label("Name")
    name.fill("Lamp launch Q3")
    panel.get_by_role("button", name="Rename").click()
    page.get_by_role("heading", name="Lamp launch Q3", exact=True).wait_for()

    # Archive: gone from the list until archived ones are shown; then brought back.
    panel.get_by_role("button", name="Archive").click()
    panel.get_by_text("Archived: hidden from the campaign list").wait_for()
    page.goto(f"{server.url}/#/campaigns")
    page.get_by_role("link", name="Lamp extras").wait_for()
    assert page.get_by_role("link", name="Lamp launch Q3").count() == 0
    page.get_by_label("Show archived campaigns").check()
    page.get_by_role("link", name="Lamp launch Q3").click()
    page.get_by_role("heading", name="Lamp launch Q3", exact=True).wait_for()
    panel.get_by_role("button", name="Bring back from archive").click()
    panel.get_by_text("Back in the campaign list").wait_for()
    assert api.get(f"/campaigns/{alpha['campaign_id']}").json()["archived_at"] is None

    # Merge "Lamp extras" in: asked once, then both sets are here and the other is gone.
    panel.get_by_label("Merge into this campaign").select_option(label="Lamp extras")
    panel.get_by_role("button", name="Merge", exact=True).click()
    question = panel.get_by_role("alertdialog")
    assert "Lamp extras" in question.inner_text()
    question.get_by_role("button", name="Merge them").click()
    page.get_by_text("2 images, 2 tasks").wait_for()
    assert api.get(f"/campaigns/{beta['campaign_id']}").status_code == 404
    assert api.get(f"/tasks/{beta['id']}").json()["campaign_id"] == alpha["campaign_id"]
    problems = _audit(page, "campaign page with its management panel")

    # Find creatives across campaigns by words and product.
    page.goto(f"{server.url}/#/campaigns")
    find = page.get_by_role("search", name="Find creatives")
    find.get_by_label("Product").fill("quartz lamp mini")
    find.get_by_role("button", name="Find").click()
    page.get_by_role("status").get_by_text("1 found").wait_for()
    assert page.locator("a.found-creative").count() == 1
    find.get_by_label("Product").fill("")
    find.get_by_label("Words").fill("QUARTZ two")
    find.get_by_role("button", name="Find").click()
    page.get_by_role("status").get_by_text("2 found").wait_for()
    find.get_by_label("State").select_option(label="Approved")
    find.get_by_role("button", name="Find").click()
    page.get_by_role("status").get_by_text("0 found").wait_for()
    problems += _audit(page, "campaign list with the creative search")

    # Delete: asked once with what goes, then back on the list without it.
    page.goto(f"{server.url}/#/campaigns/{alpha['campaign_id']}")
    panel.get_by_role("button", name="Delete campaign…").click()
    ask = panel.get_by_role("alertdialog")
    assert "2 creatives" in ask.inner_text()
    ask.get_by_role("button", name="Cancel").click()
    assert panel.get_by_role("alertdialog").count() == 0
    panel.get_by_role("button", name="Delete campaign…").click()
    panel.get_by_role("button", name="Delete for good").click()
    page.wait_for_url(f"{server.url}/#/campaigns")
    page.locator("ul.campaigns, #main p.hint").first.wait_for()
    assert page.get_by_role("link", name="Lamp launch Q3").count() == 0
    assert api.get(f"/campaigns/{alpha['campaign_id']}").status_code == 404
    assert not problems, problems
