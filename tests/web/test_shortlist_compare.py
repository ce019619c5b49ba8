"""Shortlist and compare in the gallery: stars a marketer sets are the team's (they survive a
reload and show in another browser), "Shortlisted only" shows exactly them, and two creatives
picked with "Compare" open side by side at one scale with their copy, focus going in and back."""

from __future__ import annotations

import re
from typing import Any

import httpx

from tests.web.harness import WebServer, generate_set, sign_in

FORMATS = ["iab_medium_rectangle", "meta_feed_square"]


def _card(page: Any, creative_id: str) -> Any:
    return page.locator(f"article.creative[data-id='{creative_id}']")


def _shown(page: Any) -> list[str]:
    ids: list[str] = page.locator("article.creative:not(.pending)").evaluate_all(
        "els => els.map(e => e.dataset.id)"
    )
    return ids


def test_starred_creatives_survive_a_reload_and_another_browser(
    page: Any, browser: Any, server: WebServer, api: httpx.Client
) -> None:
    task_id, items = generate_set(api, FORMATS, variants=2)
    assert len(items) == 4
    sign_in(page, server.url, server.key)
    page.goto(f"{server.url}/#/task/{task_id}")
    title = page.locator("section.group[data-group='rank'] h3")
    title.filter(has_text="Best first: 4 of 4").wait_for()
    starred = [items[1]["id"], items[3]["id"]]
    for cid in starred:
        star = _card(page, cid).get_by_role("button", name="Shortlist")
        assert star.get_attribute("aria-pressed") == "false"
        star.click()
        # The card is drawn again once the server has it: wait for that state.
        _card(page, cid).locator("button.star[aria-pressed='true']").wait_for()
        # Focus stays on the star of the card as drawn again (keyboard users keep their place).
        assert page.evaluate(
            "(id) => document.activeElement.closest('article.creative')?.dataset.id === id"
            " && document.activeElement.classList.contains('star')",
            cid,
        )
    # The team's state on the server, not the page's.
    marked = api.get("/creatives", params={"task": task_id}).json()["items"]
    assert sorted(c["id"] for c in marked if c["shortlisted"]) == sorted(starred)

    page.reload()
    title.filter(has_text="Best first: 4 of 4").wait_for()
    page.get_by_label("Shortlisted only").check()
    title.filter(has_text="Best first: 2 of 2").wait_for()
    assert sorted(_shown(page)) == sorted(starred)
    assert page.locator("article.creative button.star[aria-pressed='true']").count() == 2

    # Another browser (no shared storage) sees the same shortlist.
    other = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        tab = other.new_page()
        tab.set_default_timeout(20_000)
        sign_in(tab, server.url, server.key)
        tab.goto(f"{server.url}/#/task/{task_id}")
        other_title = tab.locator("section.group[data-group='rank'] h3")
        other_title.filter(has_text="Best first: 4 of 4").wait_for()
        tab.get_by_label("Shortlisted only").check()
        other_title.filter(has_text="Best first: 2 of 2").wait_for()
        assert sorted(_shown(tab)) == sorted(starred)
        # Taken off here, with the keyboard: the card leaves the filtered view and focus goes
        # to the star of the card now in its place, not nowhere.
        shown = _shown(tab)
        _card(tab, shown[0]).get_by_role("button", name="Shortlist").focus()
        tab.keyboard.press("Enter")
        other_title.filter(has_text="Best first: 1 of 1").wait_for()
        assert (
            tab.evaluate(
                "() => document.activeElement.classList.contains('star')"
                " && document.activeElement.closest('article.creative').dataset.id"
            )
            == shown[1]
        )
    finally:
        other.close()
    # ... and off for the first browser after a reload too.
    page.reload()
    title.filter(has_text="Best first: 1 of 1").wait_for()
    assert _shown(page) == [shown[1]]


def test_a_star_on_an_image_shown_once_marks_every_format_it_serves(
    page: Any, server: WebServer, api: httpx.Client
) -> None:
    # Feed square and carousel square are the same 1080x1080 picture: shown once, and starred
    # once, the shortlist (and its ZIP) must still hold both formats.
    task_id, items = generate_set(api, ["meta_feed_square", "meta_carousel_square"], variants=1)
    assert len({c["image_sha256"] for c in items}) == 1 < len(items)
    sign_in(page, server.url, server.key)
    page.goto(f"{server.url}/#/task/{task_id}")
    title = page.locator("section.group[data-group='rank'] h3")
    title.filter(has_text="Best first: 1 of 1").wait_for()
    shown = _shown(page)[0]
    _card(page, shown).get_by_role("button", name="Shortlist").click()
    _card(page, shown).locator("button.star[aria-pressed='true']").wait_for()
    marked = api.get("/creatives", params={"task": task_id}).json()["items"]
    assert all(c["shortlisted"] for c in marked), marked

    # Each format on its own card: both starred.
    page.get_by_label("Show identical images once").uncheck()
    title.filter(has_text="Best first: 2 of 2").wait_for()
    assert page.locator("article.creative button.star[aria-pressed='true']").count() == 2

    # The best-ranked one taken off, the image shown once again: still starred (the other
    # format is), and taking it off there takes off every format.
    _card(page, shown).get_by_role("button", name="Shortlist").click()
    _card(page, shown).locator("button.star[aria-pressed='false']").wait_for()
    page.get_by_label("Show identical images once").check()
    title.filter(has_text="Best first: 1 of 1").wait_for()
    star = _card(page, shown).locator("button.star")
    assert star.get_attribute("aria-pressed") == "true"
    star.click()
    _card(page, shown).locator("button.star[aria-pressed='false']").wait_for()
    marked = api.get("/creatives", params={"task": task_id}).json()["items"]
    assert not any(c["shortlisted"] for c in marked), marked


def test_two_creatives_compared_side_by_side_and_focus_returns(
    page: Any, server: WebServer, api: httpx.Client
) -> None:
    task_id, items = generate_set(api, FORMATS)
    by_format = {c["format"]: c for c in items}
    small, big = by_format["iab_medium_rectangle"], by_format["meta_feed_square"]
    sign_in(page, server.url, server.key)
    page.goto(f"{server.url}/#/task/{task_id}")
    page.locator("section.group[data-group='rank'] h3").filter(has_text="of 2").wait_for()
    open_button = page.locator("button[data-opener='compare']")
    assert open_button.is_disabled()
    for c in (big, small):
        _card(page, c["id"]).get_by_label("Compare").check()
    page.locator("button[data-opener='compare']:not([disabled])").wait_for()
    open_button.click()
    dialog = page.locator("dialog.compare")
    dialog.wait_for()
    # Focus went into the dialog.
    assert page.evaluate("() => Boolean(document.activeElement.closest('dialog.compare'))")
    cols = dialog.locator("section.compare-col")
    assert cols.evaluate_all("els => els.map(e => e.dataset.id)") == [big["id"], small["id"]]
    for c in (big, small):
        col = dialog.locator(f"section.compare-col[data-id='{c['id']}']")
        shown = col.locator(".compare-copy dd").all_inner_texts()
        for text in (v for v in c["copy"].values() if v):
            assert text in shown, (c["format"], text, shown)
        facts = col.locator(".compare-facts").inner_text()
        assert f"{c['width']}×{c['height']}" in facts
        assert f"score {round(c['score'])}" in facts
        assert re.search(r"#\d of 2", facts)
    # One scale for both: the 300x250 is drawn 300/1080 as wide as the 1080x1080.
    widths = [
        dialog.locator(f"section.compare-col[data-id='{c['id']}'] .aspect").bounding_box()["width"]
        for c in (small, big)
    ]
    assert abs(widths[0] / widths[1] - 300 / 1080) < 0.01, widths

    page.keyboard.press("Escape")
    dialog.wait_for(state="detached")
    assert page.evaluate("() => document.activeElement.dataset.opener") == "compare"

    # In Hebrew the view is mirrored: the first creative stands on the right.
    page.locator("#lang").select_option("he")
    page.locator("html[dir=rtl]").wait_for(state="attached")
    page.locator("button[data-opener='compare']:not([disabled])").click()
    dialog.locator("h2").filter(has_text="זה לצד זה").wait_for()
    first, second = (
        dialog.locator(f"section.compare-col[data-id='{c['id']}']").bounding_box()
        for c in (big, small)
    )
    assert first["x"] > second["x"]
    dialog.get_by_role("button", name="סגירה").click()
    dialog.wait_for(state="detached")
    assert page.evaluate("() => document.activeElement.dataset.opener") == "compare"
