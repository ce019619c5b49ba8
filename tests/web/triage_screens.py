"""Screenshots of the gallery's shortlist and of two creatives compared, for docs/web.md.

    python -m tests.web.triage_screens docs/images

Generates a set of two sizes in two variants, stars two creatives, shows "Shortlisted only"
(web-shortlist.png), then ticks Compare on a banner and a square and opens them side by side
(web-compare.png; each < 300 KB).
"""

from __future__ import annotations

from pathlib import Path

from tests.web.harness import generate_set, sign_in
from tests.web.screens import all_images_loaded, run_capture, save_small, screen_session, to_top


def capture(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    with screen_session() as (srv, api, browser):
        task_id, items = generate_set(api, ["iab_medium_rectangle", "meta_feed_square"], variants=2)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.set_default_timeout(60_000)
        sign_in(page, srv.url, srv.key)
        page.goto(f"{srv.url}/#/task/{task_id}")
        title = page.locator("section.group[data-group='rank'] h3")
        title.filter(has_text="of 4").wait_for()
        by_format = {c["format"]: c for c in items if c["variant"] == 1}
        starred = [by_format["meta_feed_square"]["id"], by_format["iab_medium_rectangle"]["id"]]
        for cid in starred:
            card = page.locator(f"article.creative[data-id='{cid}']")
            card.get_by_role("button", name="Shortlist").click()
            card.locator("button.star[aria-pressed='true']").wait_for()
        page.get_by_label("Shortlisted only").check()
        title.filter(has_text="2 of 2").wait_for()
        for cid in starred:
            page.locator(f"article.creative[data-id='{cid}']").get_by_label("Compare").check()
        all_images_loaded(page)
        page.evaluate("() => document.activeElement.blur()")
        to_top(page, ".row.triage")
        save_small(page, out / "web-shortlist.png")
        page.locator("button[data-opener='compare']").click()
        dialog = page.locator("dialog.compare")
        dialog.locator("section.compare-col img").last.wait_for()
        page.wait_for_function(
            "() => [...document.querySelectorAll('dialog.compare img')]"
            ".every(i => i.complete && i.naturalWidth > 0)"
        )
        page.evaluate("() => document.activeElement.blur()")
        save_small(page, out / "web-compare.png")


if __name__ == "__main__":
    run_capture(capture)
