"""Screenshots of the Analytics and Experiments pages with seeded events, for docs/web.md.

    python -m tests.web.stats_screens docs/images

Seeds the same events as the browser tests (tests/web/stats_seed.py) and saves
web-analytics.png and web-experiment.png (each < 300 KB).
"""

from __future__ import annotations

from pathlib import Path

import httpx

from tests.web.harness import WebServer, generate_set, launch, sign_in
from tests.web.screens import run_capture, save_small
from tests.web.stats_seed import arm_traffic, seed_delivery


def capture(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    from playwright.sync_api import sync_playwright

    with WebServer() as srv, sync_playwright() as p:
        api = httpx.Client(
            base_url=srv.url + "/api/v1",
            headers={"Authorization": f"Bearer {srv.key}"},
            timeout=60,
        )
        campaign = api.post("/campaigns", json={"name": "Spring tents"}).json()
        seed_delivery(api, srv, campaign["id"])
        items = generate_set(api, ["iab_medium_rectangle", "meta_feed_square", "9:16"])[1]
        exp = api.post(
            "/experiments",
            json={
                "name": "Tent headline: team vs generated",
                "placement": "homepage",
                "policy": "thompson",
                "expected_control_ctr": 0.05,
                "arms": [
                    {"creative_id": items[0]["id"], "control": True, "name": "Team-made"},
                    {"creative_id": items[1]["id"], "name": "Generated A"},
                    {"creative_id": items[2]["id"], "name": "Generated B"},
                ],
            },
        ).json()
        for arm, (shown, clicked) in zip(
            exp["arms"], ((2000, 100), (2000, 190), (1200, 50)), strict=True
        ):
            arm_traffic(api, srv, exp["id"], arm, shown, clicked)
        browser = launch(p)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.set_default_timeout(60_000)
        sign_in(page, srv.url, srv.key)
        page.goto(f"{srv.url}/#/analytics")
        page.wait_for_selector("#main .view[data-loaded]")
        page.locator("#main select").first.select_option(value=campaign["id"])
        page.wait_for_selector('#main .view[data-loaded="2"]')
        save_small(page, out / "web-analytics.png", full_page=True)
        page.goto(f"{srv.url}/#/experiments/{exp['id']}")
        page.wait_for_selector('#main .view[data-loaded="true"]')
        save_small(page, out / "web-experiment.png", full_page=True)
        browser.close()


if __name__ == "__main__":
    run_capture(capture)
