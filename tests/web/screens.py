"""Screenshots of the main screens with real generated creatives, for the README.

    python -m tests.web.screens docs/images

Imports the example catalogue through the page, generates a set for a catalogue product, and
saves web-new-creative.png, web-progress.png, web-gallery.png and web-edit.png (each < 300 KB).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from PIL import Image

from tests.web.harness import ROOT, WebServer, browser_missing, launch, sign_in

EXAMPLES = ROOT / "src/adcraft/data/examples"
MAX_BYTES = 300_000


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


def capture(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    from playwright.sync_api import sync_playwright

    with WebServer(max_upload_bytes=25 * 2**20) as srv, sync_playwright() as p:
        browser = launch(p)
        ctx = browser.new_context(viewport={"width": 1280, "height": 800}, accept_downloads=True)
        page = ctx.new_page()
        page.set_default_timeout(60_000)
        sign_in(page, srv.url, srv.key)
        import_catalogue(page)
        page.get_by_label("Catalogue product").select_option(
            label="Trail 3 Camping Tent (tent-trail3)"
        )
        page.get_by_label("Offer", exact=True).fill("20% off all tents this weekend only")
        page.get_by_role("button", name="Clear").click()
        page.locator(".presets button", has_text="Meta").click()
        page.get_by_label("Variants").fill("3")
        page.locator(".chosen img").wait_for()
        page.locator("legend", has_text="Formats").scroll_into_view_if_needed()
        save_small(page, out / "web-new-creative.png")
        page.get_by_role("button", name="Generate").click()
        page.locator(".progress").wait_for()
        page.locator(".badge.running").wait_for()
        save_small(page, out / "web-progress.png")
        page.locator(".badge.completed").wait_for(timeout=120_000)
        page.wait_for_function(
            "() => [...document.querySelectorAll('article.creative img')].every(i => i.complete)"
        )
        page.locator("#results-h").scroll_into_view_if_needed()
        save_small(page, out / "web-gallery.png")
        page.locator("article.creative").first.get_by_role("button", name="Open and edit").click()
        dialog = page.locator("dialog.detail")
        dialog.locator("#copy-headline").fill("Pitch it in 4 minutes")
        dialog.get_by_role("button", name="Save as new version").click()
        dialog.get_by_text("Version 2 is ready.").wait_for()
        dialog.locator(".version-list li").nth(1).wait_for()
        dialog.evaluate("d => d.scrollTo(0, 0)")
        save_small(page, out / "web-edit.png")
        browser.close()


if __name__ == "__main__":
    reason = browser_missing()
    if reason:
        sys.exit(f"cannot run: {reason}")
    capture(Path(sys.argv[1] if len(sys.argv) > 1 else "docs/images"))
    print("saved")
