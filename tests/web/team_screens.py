"""Screenshots of the team-account screens, for docs/web.md.

    python -m tests.web.team_screens docs/images

Saves web-signin.png, web-team.png, web-join.png and web-review-reviewer.png (each < 300 KB):
the sign-in page, the Team page with four people and a fresh invitation link, the page an
invitee opens, and a creative's dialog as a reviewer sees it (copy read-only, Approve offered).
"""

from __future__ import annotations

import sys
from pathlib import Path

import httpx

from adcraft.accounts import service
from adcraft.db.engine import unit_of_work
from adcraft.db.tenants import find_tenant
from tests.web.harness import TENANT, WebServer, browser_missing, generate_set, launch
from tests.web.screens import save_small

PASSWORD = "correct horse battery"
PEOPLE = {
    "ana@acme.test": ("Ana Lima", "admin"),
    "ben@acme.test": ("Ben Okafor", "editor"),
    "chen@acme.test": ("Chen Wei", "reviewer"),
    "dora@acme.test": ("Dora Novak", "viewer"),
}


def main(out: Path) -> None:
    reason = browser_missing()
    if reason:
        raise SystemExit(reason)
    from playwright.sync_api import sync_playwright

    out.mkdir(parents=True, exist_ok=True)
    with WebServer() as server, sync_playwright() as p:
        assert server.container is not None
        with unit_of_work(server.container.sessions) as s:
            tenant = find_tenant(s, TENANT)
            for email, (name, role) in PEOPLE.items():
                service.create_user(s, tenant.id, email, role, PASSWORD, name=name)
        api = httpx.Client(
            base_url=server.url + "/api/v1",
            headers={"Authorization": f"Bearer {server.key}"},
            timeout=60,
        )
        task_id, _ = generate_set(api, ["iab_medium_rectangle"])
        api.post("/invitations", json={"email": "eve@acme.test", "role": "reviewer"})
        browser = launch(p)
        page = browser.new_page(viewport={"width": 1280, "height": 800})
        page.goto(server.url + "/")
        page.get_by_label("Email").wait_for()
        save_small(page, out / "web-signin.png")

        page.get_by_label("Email").fill("ana@acme.test")
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in", exact=True).click()
        page.get_by_role("link", name="Team").click()
        page.locator("table.team").first.wait_for()
        page.locator("table.keys").wait_for()
        page.get_by_label("Email").fill("finn@acme.test")
        page.get_by_role("button", name="Create invitation link").click()
        link = page.locator("input.invite-link").input_value()
        save_small(page, out / "web-team.png")

        invitee = browser.new_context(viewport={"width": 1280, "height": 700}).new_page()
        invitee.goto(link)
        invitee.get_by_label("Your name").fill("Finn")
        save_small(invitee, out / "web-join.png")

        reviewer = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
        reviewer.goto(server.url + "/")
        reviewer.get_by_label("Email").fill("chen@acme.test")
        reviewer.get_by_label("Password").fill(PASSWORD)
        reviewer.get_by_role("button", name="Sign in", exact=True).click()
        reviewer.get_by_role("heading", name="New creative").wait_for()
        api.post(f"/creatives/{_first(api, task_id)}/review", json={"state": "in_review"})
        reviewer.goto(f"{server.url}/#/task/{task_id}")
        reviewer.locator("article.creative:not(.pending)").get_by_role(
            "button", name="Open and edit"
        ).click()
        reviewer.locator("dialog.detail section.review").get_by_role(
            "button", name="Approve"
        ).wait_for()
        save_small(reviewer, out / "web-review-reviewer.png")
        browser.close()


def _first(api: httpx.Client, task_id: str) -> str:
    items = api.get("/creatives", params={"task": task_id}).json()["items"]
    return str(items[0]["id"])


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "docs/images"))
