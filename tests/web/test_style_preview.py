"""A marketer previews the brief in the styles they ticked before generating: one image per
style, named; a preview of an older brief is never shown for the brief in the form (the
request of a brief changed while it was made is cancelled, and images on screen go when the
brief changes); the chosen styles, image format and seed go with the Generate request too."""

from __future__ import annotations

import contextlib
import json
from pathlib import Path
from typing import Any

from tests.web.harness import TENT, WebServer, fill_brief, sign_in
from tests.web.test_accessibility import _audit

PREVIEW = "**/api/v1/generate/preview"
STALE = "The brief changed since this preview"


def _is_preview(r: Any) -> bool:
    """A request (or the response to one) for a style preview."""
    r = getattr(r, "request", r)
    return bool(r.method == "POST" and r.url.endswith("/api/v1/generate/preview"))


def _look(page: Any) -> None:
    """Tick two styles (not the first two a set would take anyway), PNG files, seed 7."""
    page.get_by_label("Bold", exact=True).check()
    page.get_by_label("Elegant", exact=True).check()
    page.get_by_label("Image file format").select_option("png")
    page.get_by_label("Seed (optional)").fill("7")


def _wait_for_previews(page: Any, n: int) -> Any:
    """The preview images once all ``n`` are in the page and loaded."""
    items = page.locator(".style-preview")
    page.wait_for_function(
        "n => { const im = [...document.querySelectorAll('.style-preview img')];"
        " return im.length === n && im.every(i => i.complete && i.naturalWidth > 0); }",
        arg=n,
    )
    return items


def test_preview_shows_each_chosen_style_and_never_an_older_brief(
    page: Any, server: WebServer, artifacts: Path
) -> None:
    sign_in(page, server.url, server.key)
    fill_brief(page, TENT, variants=2)
    _look(page)
    button = page.get_by_role("button", name="Preview styles")
    same_button = page.locator("button.preview-styles")  # its text says it is busy meanwhile
    offer = page.get_by_label("Offer", exact=True)

    # 1. The brief changes while its preview is being made: that preview is of the old brief,
    # so it is given up at once (the request is cancelled, the button is free again) and never
    # shown. The server's answer is held the whole time, so nothing depends on timing.
    held: list[Any] = []
    page.route(PREVIEW, lambda route: held.append(route))
    with page.expect_request(_is_preview) as first:
        button.click()
    assert same_button.is_disabled()  # one preview at a time
    assert same_button.get_attribute("aria-busy") == "true"
    assert same_button.inner_text() == "Making previews…"
    while not held:  # the held request reaches the route handler
        page.wait_for_function("() => true")
    with page.expect_event("requestfailed", _is_preview):  # cancelled, not waited for
        offer.fill("30% off all tents this weekend")
    page.get_by_role("status").filter(has_text=STALE).wait_for()
    page.locator("button:not([disabled])", has_text="Preview styles").wait_for()
    assert same_button.get_attribute("aria-busy") is None
    page.unroute(PREVIEW)
    with contextlib.suppress(Exception):  # the page no longer listens for this answer
        held[0].continue_()
    assert page.locator(".style-preview img").count() == 0
    assert json.loads(first.value.post_data)["brief"]["offer"] == "20% off all tents this weekend"

    # 2. Preview the brief as it is now: one image per ticked style, named, in the chosen look.
    with page.expect_request(_is_preview) as sent, page.expect_response(_is_preview) as answer:
        button.click()
    body = json.loads(sent.value.post_data)
    assert body["styles"] == ["bold", "elegant"]
    assert (body["image_format"], body["seed"]) == ("png", 7)
    assert body["brief"]["offer"] == "30% off all tents this weekend"
    items = _wait_for_previews(page, 2)
    assert items.locator("figcaption").all_inner_texts() == ["Bold", "Elegant"]
    alts = items.locator("img").evaluate_all("els => els.map(e => e.alt)")
    assert alts == ["The brief in the Bold style", "The brief in the Elegant style"]
    made = answer.value.json()
    assert [i["image_format"] for i in made["images"]] == ["png", "png"]
    assert page.get_by_role("status").filter(has_text=STALE).count() == 0
    page.screenshot(path=str(artifacts / "style-preview.png"), full_page=True)

    # 3. The brief changes after the preview is shown: the images go and the form says why.
    offer.fill("40% off all tents today")
    page.get_by_role("status").filter(has_text=STALE).wait_for()
    assert page.locator(".style-preview img").count() == 0

    # 4. Generate sends the same look.
    with page.expect_request(
        lambda r: r.method == "POST" and r.url.endswith("/api/v1/generate")
    ) as gen:
        page.get_by_role("button", name="Generate").click()
    page.wait_for_url("**/#/task/*")
    sent_gen = json.loads(gen.value.post_data)
    assert sent_gen["styles"] == ["bold", "elegant"]
    assert (sent_gen["image_format"], sent_gen["seed"]) == ("png", 7)


def test_a_refused_preview_is_said_and_a_bad_seed_is_not_sent(page: Any, server: WebServer) -> None:
    sign_in(page, server.url, server.key)
    fill_brief(page, TENT, variants=1)
    button = page.get_by_role("button", name="Preview styles")
    seed = page.get_by_label("Seed (optional)")
    sent: list[Any] = []
    page.on("request", lambda r: sent.append(r) if _is_preview(r) else None)

    seed.fill("twelve")
    button.click()
    page.get_by_role("alert").filter(has_text="The preview cannot be made yet").wait_for()
    assert seed.get_attribute("aria-invalid") == "true"
    assert "whole number" in page.locator(f"#{seed.get_attribute('id')}-err").inner_text()
    assert not sent  # nothing was sent

    seed.fill("")
    page.route(
        PREVIEW,
        lambda route: route.fulfill(
            status=503,
            content_type="application/problem+json",
            body=json.dumps({"title": "Unavailable", "detail": "the store is down; retry"}),
        ),
    )
    button.click()
    page.get_by_role("alert").filter(has_text="the store is down; retry").wait_for()
    page.locator("button:not([disabled])", has_text="Preview styles").wait_for()
    assert page.locator(".style-preview img").count() == 0


def test_previews_pass_axe(audited: Any, server: WebServer) -> None:
    page = audited
    sign_in(page, server.url, server.key)
    fill_brief(page, TENT, variants=1)
    _look(page)
    page.get_by_role("button", name="Preview styles").click()
    _wait_for_previews(page, 2)
    problems = _audit(page, "new creative with style previews")
    page.get_by_label("Offer", exact=True).fill("Another offer")
    page.get_by_role("status").filter(has_text=STALE).wait_for()
    problems += _audit(page, "new creative with a stale preview")
    assert not problems, "\n".join(problems)
