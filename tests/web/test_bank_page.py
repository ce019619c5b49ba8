"""The image bank page in Chromium: semantic search across languages, picking a picture for the
brief (the set is then made from it), adding with the quality gate's reasons, editing a caption,
deleting, and the shared demo bank shown read-only."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import httpx
from PIL import Image

from tests.web.harness import ROOT, TENT, WebServer, sign_in

IMAGES = ROOT / "src/adcraft/data/examples/images"
COFFEE = "an espresso coffee machine on a kitchen counter"


def _add(api: httpx.Client, name: str, caption: str) -> dict[str, Any]:
    r = api.post(
        "/bank/images",
        files={"file": (name, (IMAGES / name).read_bytes())},
        data={"caption": caption},
    )
    assert r.status_code == 201, r.text
    return dict(r.json())


def _open_bank(page: Any, server: WebServer) -> None:
    sign_in(page, server.url, server.key)
    page.locator("#nav").get_by_role("link", name="Image bank").click()
    page.get_by_role("heading", name="Image bank").wait_for()


def _search(page: Any, query: str) -> None:
    page.get_by_label("Search the bank").fill(query)
    page.get_by_label("Search the bank").press("Enter")


def _card(page: Any, caption: str, bank: str = "own") -> Any:
    return page.locator(f"li.bank-card[data-bank={bank}]", has_text=caption)


def test_a_russian_query_finds_an_english_caption_and_the_brief_uses_it(
    page: Any, bank_server: WebServer, bank_api: httpx.Client
) -> None:
    coffee = _add(bank_api, "coffee-maker.jpg", COFFEE)
    _add(bank_api, "runner-x.jpg", "running shoes for the road")
    _open_bank(page, bank_server)
    _search(page, "кофеварка для дома")
    card = _card(page, COFFEE)
    card.wait_for()
    # Ranked by meaning: the coffee machine reaches the threshold, the shoes do not.
    assert "Score 0." in card.locator(".bank-score.ok").inner_text()
    shoes = _card(page, "running shoes for the road")
    if shoes.count():
        assert shoes.locator(".bank-score.ok").count() == 0
    card.get_by_role("button", name="Use for the brief").click()

    page.wait_for_url("**/#/new")
    page.get_by_text(f"The brief’s picture is now “{COFFEE}”").wait_for()
    assert page.get_by_label("Image bank", exact=True).is_checked()
    chosen = page.locator(".chosen")
    chosen.locator("img").wait_for()
    assert COFFEE in chosen.inner_text()
    # The bank panel of the form marks the same picture as picked.
    page.locator(f"button.bank-item[data-id='{coffee['id']}'][aria-pressed=true]").wait_for()

    page.get_by_label("Type a new product").check()
    page.get_by_label("Product name").fill("Barista One")
    page.get_by_role("button", name="Clear").click()
    page.get_by_label("Feed single image (FB Feed", exact=False).check()
    page.get_by_label("Variants").fill("1")
    page.get_by_role("button", name="Generate").click()
    page.wait_for_url("**/#/task/*")
    task_id = page.url.rsplit("/", 1)[-1]
    page.locator(".badge.completed").wait_for(timeout=120_000)
    choice = bank_api.get(f"/tasks/{task_id}").json()["request"]["bank_image"]
    assert choice == {"bank": "own", "id": coffee["id"], "picked": True, "caption": COFFEE}


def _tiny_png(path: Path) -> Path:
    buf = io.BytesIO()
    Image.new("RGB", (60, 40), "red").save(buf, "PNG")
    path.write_bytes(buf.getvalue())
    return path


def test_add_refuse_edit_and_delete(
    page: Any, bank_server: WebServer, bank_api: httpx.Client, tmp_path: Path
) -> None:
    _open_bank(page, bank_server)
    form = page.locator("form.bank-add")
    # The quality gate's reason is shown in words, and nothing is added.
    form.get_by_label("Picture file").set_input_files(str(_tiny_png(tmp_path / "tiny.png")))
    form.get_by_label("Caption").fill("a red square")
    form.get_by_role("button", name="Add to the bank").click()
    refused = form.get_by_role("alert").filter(has_text="Not added to the bank")
    refused.wait_for()
    assert "too small: 60x40 px" in refused.inner_text()

    # Without a caption (and no captioner on this server) the server says what is missing.
    form.get_by_label("Picture file").set_input_files(str(TENT))
    form.get_by_label("Caption").fill("")
    form.get_by_role("button", name="Add to the bank").click()
    form.get_by_role("alert").filter(has_text="needs a caption").wait_for()

    form.get_by_label("Caption").fill("green dome tent on grass")
    form.get_by_role("button", name="Add to the bank").click()
    form.get_by_text("Added “green dome tent on grass”.").wait_for()
    card = _card(page, "green dome tent on grass")
    card.wait_for()
    image_id = card.get_attribute("data-id")
    own = bank_api.get("/bank/images", params={"limit": 200}).json()["items"]
    assert [i["caption"] for i in own if i["id"] == image_id] == ["green dome tent on grass"]

    card.get_by_role("button", name="Edit caption").click()
    card.get_by_label("Caption").fill("orange tent at sunset on a beach")
    card.get_by_role("button", name="Save caption").click()
    card = page.locator(f"li.bank-card[data-id='{image_id}']")
    card.get_by_text("Caption saved").wait_for()
    assert "orange tent at sunset on a beach" in card.locator(".bank-caption").inner_text()
    assert bank_api.get(f"/bank/images/{image_id}").json()["caption"] == (
        "orange tent at sunset on a beach"
    )

    card.get_by_role("button", name="Delete").click()
    card.get_by_role("button", name="Yes, delete").click()
    card.wait_for(state="detached")
    page.get_by_text("Deleted “orange tent at sunset on a beach”.").wait_for()
    assert bank_api.get(f"/bank/images/{image_id}").status_code == 404


def test_demo_pictures_are_read_only(page: Any, bank_server: WebServer) -> None:
    _open_bank(page, bank_server)
    demo = page.locator("li.bank-card[data-bank=demo]")
    demo.first.wait_for()
    # The 64 demo pictures come a page at a time.
    section = page.get_by_role("region", name="Demo pictures (64, read-only)")
    assert demo.count() == 48
    section.get_by_role("button", name="Show more").click()
    demo.nth(63).wait_for()
    assert demo.count() == 64
    assert section.get_by_role("button", name="Show more").is_hidden()
    _search(page, "pizza")
    pizza = demo.filter(has_text="pizza").first
    pizza.wait_for()
    for card in (demo.first, pizza):
        assert "Demo · read-only" in card.inner_text()
        assert card.get_by_role("button", name="Use for the brief").count() == 1
        assert card.get_by_role("button", name="Delete").count() == 0
        assert card.get_by_role("button", name="Edit caption").count() == 0
    # No demo card anywhere on the page carries an edit or delete control.
    assert demo.count() > 0
    assert demo.get_by_role("button", name="Delete").count() == 0
