"""Screenshots of review links and campaign management, for docs/web.md.

    python -m tests.web.share_screens docs/images

Saves web-share-panel.png (a set's page with a fresh review link), web-shared-review.png (the
page a visitor without an account opens, with a comment), web-campaign-manage.png (a campaign's
page asking before a merge) and web-find-creatives.png (the campaign list with a creative
search), each < 300 KB.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import httpx

from tests.web.harness import WebServer, browser_missing, generate_set, launch, sign_in
from tests.web.screens import save_small


def main(out: Path) -> None:
    reason = browser_missing()
    if reason:
        raise SystemExit(reason)
    from playwright.sync_api import sync_playwright

    out.mkdir(parents=True, exist_ok=True)
    with WebServer() as server, sync_playwright() as p:
        api = httpx.Client(
            base_url=server.url + "/api/v1",
            headers={"Authorization": f"Bearer {server.key}"},
            timeout=60,
        )
        task_id, _ = generate_set(api, ["iab_medium_rectangle", "meta_feed_square"])
        browser = launch(p)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        sign_in(page, server.url, server.key)
        page.goto(f"{server.url}/#/task/{task_id}")
        panel = page.get_by_role("region", name="Share for review")
        panel.get_by_role("button", name="Create review link").click()
        url = panel.get_by_role("textbox", name="Review link")
        url.wait_for()
        link = url.input_value()
        panel.scroll_into_view_if_needed()
        save_small(page, out / "web-share-panel.png")

        visitor = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
        visitor.goto(link)
        visitor.get_by_label("Your name").fill("Dana (client)")
        card = visitor.locator("article.shared-creative").first
        card.get_by_label("Comment").fill("Love it. Could the price be bigger?")
        card.get_by_role("button", name="Send comment").click()
        card.get_by_text("Comment sent").wait_for()
        visitor.wait_for_function(
            "() => [...document.querySelectorAll('article.shared-creative img')]"
            ".every((i) => i.complete && i.naturalWidth > 0)"
        )
        save_small(visitor, out / "web-shared-review.png", full_page=True)

        for product, campaign in (("Quartz Lamp", "Lamp launch"), ("Quartz Lamp Mini", "Extras")):
            r = api.post(
                "/generate",
                json={
                    "brief": {"product_name": product, "offer": "Two for one this week"},
                    "formats": ["iab_medium_rectangle"],
                    "variants": 1,
                    "campaign_name": campaign,
                },
            )
            wait_done(api, r.json()["id"])
        camp = api.get("/campaigns", params={"q": "Lamp launch"}).json()["items"][0]
        page.goto(f"{server.url}/#/campaigns/{camp['id']}")
        manage = page.get_by_role("region", name="Manage campaign")
        manage.get_by_label("Merge into this campaign").select_option(label="Extras")
        manage.get_by_role("button", name="Merge", exact=True).click()
        manage.get_by_role("alertdialog").wait_for()
        manage.scroll_into_view_if_needed()
        save_small(page, out / "web-campaign-manage.png")

        page.goto(f"{server.url}/#/campaigns")
        find = page.get_by_role("search", name="Find creatives")
        find.get_by_label("Words").fill("quartz")
        find.get_by_role("button", name="Find").click()
        page.get_by_role("status").get_by_text("2 found").wait_for()
        page.wait_for_function(
            "() => [...document.querySelectorAll('a.found-creative img')]"
            ".every((i) => i.complete && i.naturalWidth > 0)"
        )
        save_small(page, out / "web-find-creatives.png", full_page=True)
        browser.close()


def wait_done(api: httpx.Client, task_id: str) -> None:
    """Poll until the task is finished (the screenshots need its images)."""
    deadline = time.monotonic() + 120
    while api.get(f"/tasks/{task_id}").json()["status"] not in ("completed", "failed"):
        if time.monotonic() > deadline:
            raise TimeoutError(f"task {task_id} did not finish")
        time.sleep(0.2)


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "docs/images"))
