"""No silent change: an edit that some sizes would shorten is shown size by size before it is
saved, a size can get a text of its own, and the saved set (gallery, API, ZIP) is exactly what
the preview showed."""

from __future__ import annotations

import csv
import io
import zipfile
from typing import Any

import httpx

from tests.web.harness import WebServer, generate_set, sign_in

FORMATS = ["iab_medium_rectangle", "iab_mobile_leaderboard", "meta_feed_square"]
HEADLINE = "Pitch it in four minutes flat"  # 29 characters: fits 300x250, not the 27 of Meta
SMALL = "Pitch it in 4 minutes"


def _set(api: httpx.Client) -> tuple[str, dict[str, dict[str, Any]]]:
    task_id, items = generate_set(api, FORMATS)
    return task_id, {c["format"]: c for c in items}


def test_the_api_preview_is_what_the_render_makes(api: httpx.Client) -> None:
    _, by_format = _set(api)
    rect = by_format["iab_medium_rectangle"]
    pv = api.post(f"/creatives/{rect['id']}/edit-preview", json={"copy": {"headline": HEADLINE}})
    assert pv.status_code == 200, pv.text
    body = pv.json()
    sizes = {s["format"]: s for s in body["sizes"]}
    assert set(sizes) == set(FORMATS)
    assert all(f["status"] == "fits" for f in sizes["iab_medium_rectangle"]["fields"])
    meta = [f for f in sizes["meta_feed_square"]["fields"] if f["status"] == "shortened"]
    assert meta and all(len(f["text"]) <= f["limit"] for f in meta)
    assert body["changed"] >= 1
    # A per-size text for a size that is not in this variant is refused by name.
    bad = api.post(
        f"/creatives/{rect['id']}/edit-preview",
        json={"copy": {"headline": HEADLINE}, "copy_by_format": {"tiktok_in_feed": {}}},
    )
    assert bad.status_code == 422 and "tiktok_in_feed" in bad.text


def test_edit_preview_per_size_text_and_zip_match(
    page: Any, server: WebServer, api: httpx.Client
) -> None:
    task_id, by_format = _set(api)
    sign_in(page, server.url, server.key)
    page.goto(f"{server.url}/#/task/{task_id}")
    card = page.locator("article.creative[data-format='iab_medium_rectangle']")
    card.get_by_role("button", name="Open and edit").click()
    dialog = page.locator("dialog.detail")
    dialog.locator("#copy-headline").fill(HEADLINE)
    dialog.get_by_role("button", name="Save as new version").click()

    # Nothing is saved yet: the sizes that would not show the edit as typed are listed.
    dialog.get_by_role("heading", name="Your edit does not appear as typed", exact=False).wait_for()
    meta = dialog.locator("li[data-format='meta_feed_square']")
    shown_on_meta = meta.locator("input").first.input_value()
    assert shown_on_meta and shown_on_meta != HEADLINE
    before = api.get(f"/creatives/{by_format['iab_medium_rectangle']['id']}")
    assert before.status_code == 200, before.text
    assert before.json()["version"] == 1

    # Meta feed gets a text of its own; the rest is accepted as previewed.
    meta.locator("input").first.fill(SMALL)
    dialog.get_by_role("button", name="Save with these texts").click()
    dialog.get_by_text("Version 2 is ready.").wait_for(timeout=60_000)

    after = {
        c["format"]: c for c in api.get("/creatives", params={"task": task_id}).json()["items"]
    }
    assert after["iab_medium_rectangle"]["copy"]["headline"] == HEADLINE
    assert after["meta_feed_square"]["copy"]["headline"] == SMALL
    assert after["meta_feed_square"]["platform_text"]["headline"] == SMALL
    # Whatever a size shows other than as typed is on its card, never silent.
    for c in after.values():
        shows = [c["copy"].get("headline"), c["platform_text"].get("headline")]
        typed = SMALL if c["format"] == "meta_feed_square" else HEADLINE
        differs = any(s is not None and s != typed for s in shows) or shows == [None, None]
        assert ("headline" in c["shortened"]) == differs, c["format"]

    # The ZIP holds exactly these texts.
    res = api.get(f"/tasks/{task_id}/download.zip")
    assert res.status_code == 200
    with zipfile.ZipFile(io.BytesIO(res.content)) as zf:
        rows = list(csv.DictReader(io.StringIO(zf.read("copy.csv").decode("utf-8-sig"))))
    zipped = {r["format"]: r for r in rows}
    for fmt, c in after.items():
        assert zipped[fmt]["image_headline"] == c["copy"].get("headline", "")
        assert zipped[fmt].get("headline", "") == c["platform_text"].get("headline", "")


def test_save_is_off_while_the_edit_is_what_is_saved(
    page: Any, server: WebServer, api: httpx.Client
) -> None:
    """After a save nothing is left to save: the button is off until the marketer changes
    something (and off again when the text is typed back); a double press makes one version."""
    from playwright.sync_api import expect

    task_id, by_format = _set(api)
    rect = by_format["iab_medium_rectangle"]
    sign_in(page, server.url, server.key)
    page.goto(f"{server.url}/#/task/{task_id}")
    card = page.locator("article.creative[data-format='iab_medium_rectangle']")
    card.get_by_role("button", name="Open and edit").click()
    dialog = page.locator("dialog.detail")
    save = dialog.get_by_role("button", name="Save as new version")
    expect(save).to_be_disabled()
    dialog.locator("#copy-headline").fill(SMALL)
    expect(save).to_be_enabled()
    save.dblclick()
    dialog.get_by_text("Version 2 is ready.").wait_for(timeout=60_000)
    # The work is over once the other working buttons are back on.
    expect(dialog.get_by_role("button", name="New text only")).to_be_enabled()
    expect(dialog.locator("#copy-headline")).to_have_value(SMALL)
    expect(save).to_be_disabled()
    dialog.locator("#copy-headline").fill(SMALL + "!")
    expect(save).to_be_enabled()
    dialog.locator("#copy-headline").fill(SMALL)
    expect(save).to_be_disabled()
    versions = api.get(f"/creatives/{rect['id']}/versions")
    assert versions.status_code == 200, versions.text
    assert [v["number"] for v in versions.json()] == [1, 2]
