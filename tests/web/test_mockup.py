"""Where it runs: a story is shown under the platform's own UI, the shaded bands exactly the
format's safe zone and no text of the creative under them; a feed post between its header and
its button; a leaderboard in a page."""

from __future__ import annotations

from typing import Any

import httpx

from tests.web.harness import WebServer, generate_set, sign_in

FORMATS = ["meta_stories", "meta_feed_square", "iab_leaderboard"]
TEXT = {"headline", "body", "cta", "price", "badge", "disclaimer"}


def _open(page: Any, fmt: str) -> Any:
    page.locator(f"article.creative[data-format='{fmt}']").get_by_role(
        "button", name="Open and edit"
    ).click()
    dialog = page.locator("dialog.detail")
    dialog.get_by_role("button", name="Preview where it runs").click()
    return dialog


def test_each_place_is_shown_with_what_the_platform_covers(
    page: Any, server: WebServer, api: httpx.Client
) -> None:
    task_id, items = generate_set(api, FORMATS)
    by_format = {c["format"]: c for c in items}
    zone = next(f for f in api.get("/formats").json() if f["id"] == "meta_stories")["safe_zone"]
    assert zone["top"] > 0 and zone["bottom"] > 0
    sign_in(page, server.url, server.key)
    page.goto(f"{server.url}/#/task/{task_id}")

    dialog = _open(page, "meta_stories")
    stage = dialog.locator("figure.mock.screen .mock-stage")
    stage.scroll_into_view_if_needed()
    frame = stage.bounding_box()
    top = dialog.locator(".mock-band[data-side='top']").bounding_box()
    bottom = dialog.locator(".mock-band[data-side='bottom']").bounding_box()
    assert abs(top["height"] / frame["height"] - zone["top"]) < 0.005
    assert abs(bottom["height"] / frame["height"] - zone["bottom"]) < 0.005
    # The engine kept every text of the story out of what the platform covers.
    story = by_format["meta_stories"]
    for b in story["layout"]:
        if b["kind"] in TEXT:
            _, y, _, hgt = b["box"]
            assert y >= zone["top"] * story["height"] - 1, b
            assert y + hgt <= (1 - zone["bottom"]) * story["height"] + 1, b
    dialog.get_by_role("button", name="Close").click()
    dialog.wait_for(state="detached")  # the next creative opens a dialog of its own

    dialog = _open(page, "meta_feed_square")
    feed = dialog.locator("figure.mock.feed")
    feed.wait_for()
    assert feed.locator(".mock-band").count() == 0  # a feed covers nothing of the image
    img = feed.locator(".mock-stage").bounding_box()
    head, foot = (
        feed.locator(".mock-post-head").bounding_box(),
        feed.locator(".mock-post-foot").bounding_box(),
    )
    assert head["y"] + head["height"] <= img["y"] + 1 and foot["y"] >= img["y"] + img["height"] - 1
    dialog.get_by_role("button", name="Close").click()
    dialog.wait_for(state="detached")  # the next creative opens a dialog of its own

    dialog = _open(page, "iab_leaderboard")
    dialog.locator("figure.mock.page .mock-lines").first.wait_for()
