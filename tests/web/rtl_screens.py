"""Screenshot of the New creative page in Hebrew (mirrored, right to left), for docs/web.md.

    python -m tests.web.rtl_screens docs/images

Imports the example catalogue, switches the app to עברית, picks a catalogue product and types a
Hebrew offer for a Hebrew ad, and saves web-new-creative-he.png (< 300 KB).
"""

from __future__ import annotations

from pathlib import Path

from tests.web.harness import WebServer, launch, sign_in
from tests.web.screens import import_catalogue, run_capture, save_small


def capture(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    from playwright.sync_api import sync_playwright

    with WebServer(max_upload_bytes=25 * 2**20) as srv, sync_playwright() as p:
        browser = launch(p)
        ctx = browser.new_context(viewport={"width": 1280, "height": 900})
        page = ctx.new_page()
        page.set_default_timeout(60_000)
        sign_in(page, srv.url, srv.key)
        import_catalogue(page)
        page.locator("#lang").select_option("he")
        page.locator("html[dir=rtl]").wait_for(state="attached")
        page.get_by_label("מוצר מהקטלוג").select_option(label="Trail 3 Camping Tent (tent-trail3)")
        page.get_by_role("status").filter(has_text="מולא לפי").wait_for()
        page.get_by_label("שפת המודעה").select_option("he")
        page.get_by_label("מבצע", exact=True).fill("20% הנחה על כל האוהלים בסוף השבוע")
        page.locator(".chosen img").wait_for()
        page.evaluate("() => { document.activeElement.blur(); window.scrollTo(0, 0); }")
        save_small(page, out / "web-new-creative-he.png")
        browser.close()


if __name__ == "__main__":
    run_capture(capture)
