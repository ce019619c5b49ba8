"""Hebrew, a right-to-left UI language: the whole app is mirrored, data keeps its own order.

A marketer switches the language menu to עברית: <html> says dir="rtl" lang="he", the navigation
and titles are Hebrew, the brand sits at the right edge with the navigation running leftwards, a
form's labels are right-aligned over their fields, a catalogue price in a Hebrew sentence still
reads "179 EUR", and axe finds no serious or critical violation on the main pages.
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.web.harness import WebServer, generate_set, sale_product, sign_in
from tests.web.test_accessibility import _audit

# Boxes of the text itself (not of a full-width block): where a line's words really are.
TEXT_BOX = """(el) => {
  const range = document.createRange();
  range.selectNodeContents(el);
  const r = range.getBoundingClientRect();
  return {left: r.left, right: r.right, top: r.top, bottom: r.bottom};
}"""

# Where each of `words` starts on screen inside `el`'s text (its first occurrence, left edge).
WORD_LEFTS = """(el, words) => {
  const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
  const out = {};
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    for (const w of words) {
      const at = node.data.indexOf(w);
      if (at < 0 || w in out) continue;
      const range = document.createRange();
      range.setStart(node, at);
      range.setEnd(node, at + w.length);
      out[w] = range.getBoundingClientRect().left;
    }
  }
  return out;
}"""


def _box(locator: Any) -> dict[str, float]:
    box = locator.bounding_box()
    assert box is not None
    return {
        "left": box["x"],
        "right": box["x"] + box["width"],
        "top": box["y"],
        "bottom": box["y"] + box["height"],
    }


def _to_hebrew(page: Any) -> None:
    page.locator("#lang").select_option("he")
    page.locator("html[dir=rtl][lang=he]").wait_for(state="attached")


def test_hebrew_mirrors_the_whole_app(page: Any, server: WebServer) -> None:
    sign_in(page, server.url, server.key)
    assert page.evaluate("() => document.documentElement.dir") == "ltr"
    _to_hebrew(page)

    # Navigation, heading and the tab's title are Hebrew.
    page.get_by_role("heading", name="קריאייטיב חדש").wait_for()
    nav = page.locator("#nav a[data-route]:visible")
    assert nav.first.inner_text() == "קריאייטיב חדש"
    assert nav.nth(1).inner_text() == "קמפיינים"
    assert page.title() == "קריאייטיב חדש · adcraft"
    assert page.locator("#signout").inner_text() == "התנתקות"

    # Mirrored header: the brand at the right edge, the navigation running leftwards from it,
    # the language menu and sign-out at the left.
    width = page.viewport_size["width"]
    brand = _box(page.locator(".brand"))
    first, last = _box(nav.first), _box(nav.last)
    assert brand["right"] > width - 40
    assert first["right"] < brand["left"]
    assert first["top"] == pytest.approx(last["top"], abs=2)  # one row, so left/right compare
    assert last["right"] < first["left"]
    assert _box(page.locator("#lang"))["right"] < width / 2

    # A form: the label's words at the field's right edge, the field below it; a radio button
    # to the right of its own label.
    page.get_by_label("הקלדת מוצר חדש").check()
    name = page.get_by_label("שם המוצר", exact=True)
    label = page.locator(f"label[for='{name.get_attribute('id')}']")
    words = label.evaluate(TEXT_BOX)
    field = _box(name)
    assert words["right"] == pytest.approx(field["right"], abs=2)
    assert words["left"] > (field["left"] + field["right"]) / 2
    assert words["bottom"] <= field["top"] + 1
    radio = page.get_by_label("הקלדת מוצר חדש")
    radio_label = page.locator(f"label[for='{radio.get_attribute('id')}']")
    assert _box(radio)["left"] > radio_label.evaluate(TEXT_BOX)["right"]
    # The step that pins it at the bottom lines Generate up at the left, the end of the line.
    generate = _box(page.get_by_role("button", name="יצירה", exact=True))
    assert generate["left"] < width / 2

    # The choice is kept: a reload opens mirrored before anything is clicked.
    page.reload()
    page.get_by_role("heading", name="קריאייטיב חדש").wait_for()
    assert page.evaluate("() => [document.documentElement.dir, document.documentElement.lang]") == [
        "rtl",
        "he",
    ]

    # Back to English: the same page runs left to right again.
    page.locator("#lang").select_option("en")
    page.locator("html[dir=ltr][lang=en]").wait_for(state="attached")
    page.get_by_role("heading", name="New creative").wait_for()
    assert _box(nav.first)["right"] < _box(nav.last)["left"]
    assert _box(page.locator(".brand"))["left"] < 40


def test_a_price_keeps_its_order_in_a_hebrew_sentence(
    page: Any, server: WebServer, api: httpx.Client
) -> None:
    product = sale_product(api)
    sign_in(page, server.url, server.key)
    _to_hebrew(page)
    page.get_by_label("מהקטלוג", exact=True).check()
    page.get_by_label("מוצר מהקטלוג").select_option(value=product["id"])
    note = page.get_by_role("status").filter(has_text="מולא לפי")
    note.wait_for()
    text = note.inner_text()
    assert "Barista Mini" in text and "179 EUR" in text and "239 EUR" in text
    # Read on screen: each amount left of its currency, as a price is written, while the
    # Hebrew around it runs right to left ("מחיר", price, is right of the amount it names).
    at = note.evaluate(WORD_LEFTS, ["179", "239", "EUR", "מחיר", "Barista"])
    assert at["179"] < at["EUR"]
    assert at["מחיר"] > at["179"]
    # "(regular 239 EUR)" follows the price in reading order: to its left.
    assert at["239"] < at["179"]
    # The fields show the catalogue's amounts as typed digits.
    assert page.get_by_label("מחיר (לא חובה)", exact=True).input_value() == "179"
    assert page.get_by_label("מטבע", exact=True).input_value() == "EUR"


def test_a_hebrew_browser_opens_the_app_in_hebrew(browser: Any, server: WebServer) -> None:
    # No language chosen yet: the browser's own language decides, and the first paint is mirrored.
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="he-IL")
    try:
        page = context.new_page()
        page.goto(server.url + "/")
        page.get_by_role("heading", name="התחברות ל-adcraft").wait_for()
        assert page.evaluate("() => document.documentElement.dir") == "rtl"
        assert page.locator("#lang").input_value() == "he"
        # The sign-in card's heading starts at the card's right edge.
        heading = page.get_by_role("heading", name="התחברות ל-adcraft").evaluate(TEXT_BOX)
        card = _box(page.locator("form.card").first)
        assert heading["right"] == pytest.approx(card["right"], abs=40)
        assert heading["left"] > (card["left"] + card["right"]) / 2
    finally:
        context.close()


def test_main_pages_in_hebrew_pass_axe(audited: Any, server: WebServer, api: httpx.Client) -> None:
    page = audited
    task_id = generate_set(api, ["iab_medium_rectangle", "meta_feed_square"])[0]
    problems: list[str] = []
    page.goto(server.url + "/")
    page.get_by_label("Email").wait_for()
    _to_hebrew(page)
    page.get_by_role("heading", name="התחברות ל-adcraft").wait_for()
    problems += _audit(page, "sign-in")
    page.get_by_text("מגדירים את adcraft? התחברות עם מפתח API").click()
    page.get_by_label("מפתח API").fill(server.key)
    page.get_by_role("button", name="שימוש במפתח API").click()
    page.get_by_role("heading", name="קריאייטיב חדש").wait_for()
    routes = page.locator("#nav a[data-route]").evaluate_all(
        "els => els.map(e => e.getAttribute('href'))"
    )
    assert len(routes) >= 4
    for href in routes:
        page.goto(f"{server.url}/{href}")
        page.locator("#main h1").first.wait_for()
        page.wait_for_load_state("networkidle")
        assert page.evaluate("() => document.documentElement.dir") == "rtl"
        problems += _audit(page, href)
    page.goto(f"{server.url}/#/task/{task_id}")
    page.locator("article.creative:not(.pending)").first.wait_for()
    problems += _audit(page, "gallery")
    page.locator("article.creative:not(.pending) .thumb").first.click()
    page.locator("dialog.detail section.review h3").wait_for()
    problems += _audit(page, "creative dialog")
    assert not problems, "\n".join(problems)
