"""Screenshots of the main screens with real generated creatives, for the README.

    python -m tests.web.screens docs/images

Imports the example catalogue through the page, chooses a catalogue product (the form says what
it filled in), generates a set, edits a headline that some sizes would shorten, and opens a set
that may not be published in the Russian UI. Saves web-new-creative.png, web-progress.png,
web-gallery.png, web-edit.png (the size-by-size check before saving), web-edit-saved.png (the
new version with its history) and web-not-publishable-ru.png (each < 300 KB).
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
from PIL import Image

from tests.web.harness import ROOT, WebServer, browser_missing, generate_set, launch, sign_in

EXAMPLES = ROOT / "src/adcraft/data/examples"
MAX_BYTES = 300_000


@contextmanager
def screen_session() -> Iterator[tuple[WebServer, httpx.Client, Any]]:
    """A fresh server, an API client signed in to it and a browser, for a screenshot script."""
    from playwright.sync_api import sync_playwright

    with WebServer() as srv, sync_playwright() as p:
        api = httpx.Client(
            base_url=srv.url + "/api/v1",
            headers={"Authorization": f"Bearer {srv.key}"},
            timeout=60,
        )
        browser = launch(p)
        try:
            yield srv, api, browser
        finally:
            browser.close()


def run_capture(capture: Callable[[Path], None]) -> None:
    """A screenshot script's command line: ``python -m tests.web.X [OUT_DIR]``."""
    reason = browser_missing()
    if reason:
        sys.exit(f"cannot run: {reason}")
    capture(Path(sys.argv[1] if len(sys.argv) > 1 else "docs/images"))
    print("saved")


def save_small(page: Any, path: Path, **kw: Any) -> None:
    """A screenshot squeezed under 300 KB (palette PNG; fewer colors if still too big)."""
    page.screenshot(path=str(path), **kw)
    for colors in (256, 128, 64):
        img = (
            Image.open(path).convert("RGB").quantize(colors=colors, method=Image.Quantize.MEDIANCUT)
        )
        img.save(path, optimize=True)
        if path.stat().st_size < MAX_BYTES:
            return
    raise RuntimeError(f"{path} is still {path.stat().st_size} bytes")


def import_catalogue(page: Any) -> None:
    """Import products.json with its images through the form."""
    page.get_by_label("From the catalogue").check()
    files = [EXAMPLES / "products.json", *sorted((EXAMPLES / "images").glob("*.*g"))]
    page.get_by_label("Import products.json (and its images)").set_input_files(
        [str(f) for f in files]
    )
    page.locator(".msg-ok", has_text="Imported:").wait_for(timeout=60_000)


# A sale whose prices give 25 % off while the offer promises 30 %: not publishable.
SALE_BRIEF = {
    "product_name": "Trail 3 Tent",
    "offer": "30% off all tents",
    "price": {"amount": 179, "currency": "EUR"},
    "regular_price": {"amount": 239, "currency": "EUR"},
    "language": "en",
}
EDITED = "Pitch it in four minutes flat"  # 29 characters: fits 300x250, not Meta's 27


def to_top(page: Any, selector: str, margin: int = 16) -> None:
    """Scroll the page so that ``selector`` starts near the top of the window."""
    page.evaluate(
        "([sel, m]) => window.scrollTo(0, document.querySelector(sel).getBoundingClientRect().top"
        " + window.scrollY - m)",
        [selector, margin],
    )


def all_images_loaded(page: Any) -> None:
    page.wait_for_function(
        "() => [...document.querySelectorAll('article.creative img')].every(i => i.complete)"
    )


def capture(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    from playwright.sync_api import sync_playwright

    with WebServer(max_upload_bytes=25 * 2**20) as srv, sync_playwright() as p:
        browser = launch(p)
        ctx = browser.new_context(viewport={"width": 1280, "height": 860}, accept_downloads=True)
        page = ctx.new_page()
        page.set_default_timeout(60_000)
        sign_in(page, srv.url, srv.key)
        import_catalogue(page)
        # The brief is what you see: the product fills the form and says what it changed.
        page.get_by_label("Catalogue product").select_option(
            label="Trail 3 Camping Tent (tent-trail3)"
        )
        page.locator(".msg", has_text="Filled in from").wait_for()
        page.get_by_role("button", name="Clear").click()
        page.locator(".presets button", has_text="Meta").click()
        page.get_by_label("Other sizes (optional)").fill("300x250")
        page.get_by_label("Variants").fill("3")
        page.locator(".chosen img").wait_for()
        page.evaluate("window.scrollTo(0, 0)")
        save_small(page, out / "web-new-creative.png")
        page.get_by_role("button", name="Generate").click()
        page.locator(".progress").wait_for()
        page.locator(".badge.running").wait_for()
        save_small(page, out / "web-progress.png")
        page.locator(".badge.completed").wait_for(timeout=120_000)
        page.locator("article.creative:not(.pending)").first.wait_for()
        all_images_loaded(page)
        # Ranked best first, with the controls to triage above the cards.
        to_top(page, "#results-h")
        save_small(page, out / "web-gallery.png")
        # An edit that some sizes would shorten is shown size by size before it is saved.
        card = page.locator("article.creative[data-format='iab_medium_rectangle']")
        card.get_by_role("button", name="Open and edit").click()
        dialog = page.locator("dialog.detail")
        dialog.locator("#copy-headline").fill(EDITED)
        dialog.get_by_role("button", name="Save as new version").click()
        heading = dialog.get_by_role("heading", name="Your edit does not appear as typed")
        heading.wait_for()
        heading.evaluate("el => el.scrollIntoView({block: 'center'})")
        save_small(page, out / "web-edit.png")
        dialog.get_by_role("button", name="Save with these texts").click()
        dialog.get_by_text("Version 2 is ready.").wait_for(timeout=120_000)
        dialog.locator(".version-list li").nth(1).wait_for()
        dialog.evaluate("d => d.scrollTo(0, 0)")
        save_small(page, out / "web-edit-saved.png")
        page.keyboard.press("Escape")
        # A set that may not be published, in Russian: the reason is said in the UI language.
        api = httpx.Client(
            base_url=srv.url + "/api/v1",
            headers={"Authorization": f"Bearer {srv.key}"},
            timeout=60,
        )
        task_id, _ = generate_set(
            api, ["meta_feed_square", "iab_medium_rectangle"], brief=SALE_BRIEF
        )
        page.locator("#lang").select_option("ru")
        page.goto(f"{srv.url}/#/task/{task_id}")
        first = page.locator("article.creative:not(.pending)").first
        first.locator("li.flag").first.wait_for()
        all_images_loaded(page)
        first.get_by_text("Почему такая оценка").click()
        first.locator("ul.reasons.all li.warn").first.wait_for()
        to_top(page, "section.group[data-group='rank'] h3")
        save_small(page, out / "web-not-publishable-ru.png")
        browser.close()


if __name__ == "__main__":
    reason = browser_missing()
    if reason:
        sys.exit(f"cannot run: {reason}")
    capture(Path(sys.argv[1] if len(sys.argv) > 1 else "docs/images"))
    print("saved")
