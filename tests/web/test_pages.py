"""The other pages: catalogue import, brand kits, image bank, campaign history."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx

from tests.web.harness import TENT, WebServer, sign_in
from tests.web.screens import import_catalogue


def test_catalogue_import_and_generate_from_catalogue(
    page: Any, server: WebServer, api: httpx.Client
) -> None:
    sign_in(page, server.url, server.key)
    import_catalogue(page)
    select = page.get_by_label("Catalogue product")
    select.select_option(label="Trail 3 Camping Tent (tent-trail3)")
    # The product's own photo becomes the image source.
    assert page.get_by_label("Catalogue photo").is_checked()
    page.locator(".chosen img").wait_for()
    page.get_by_role("button", name="Clear").click()
    page.get_by_label("Feed single image (FB Feed", exact=False).check()
    page.get_by_label("Variants").fill("1")
    page.get_by_role("button", name="Generate").click()
    page.locator(".badge.completed").wait_for(timeout=60_000)
    # The cards render after the badge: wait for them (and for no pending one) before counting.
    card = page.locator("article.creative:not(.pending)")
    card.first.wait_for(timeout=60_000)
    page.locator("article.creative.pending").first.wait_for(state="detached", timeout=60_000)
    assert card.count() == 1
    # The campaign is named after the catalogue product.
    page.get_by_role("link", name="Trail 3 Camping Tent").wait_for()
    assert api.get("/products").json()["total"] >= 12


def test_brand_kit_create_edit_delete(page: Any, server: WebServer, api: httpx.Client) -> None:
    sign_in(page, server.url, server.key)
    page.locator("#nav").get_by_role("link", name="Brand kits").click()
    page.get_by_label("Name", exact=True).fill("Acme Trail")
    page.get_by_label("Color 1 as code or name").fill("#2e7d32")
    page.get_by_role("button", name="Add a color").click()
    page.get_by_label("Color 2 as code or name").fill("#ffb300")
    page.get_by_label("Tone words").fill("outdoorsy, friendly")
    page.get_by_label("Banned words").fill("cheap")
    page.get_by_label("Show every time-limited deal with its deadline").check()
    page.get_by_label("Logo").set_input_files(str(TENT))
    page.locator("form img.logo").wait_for()
    page.get_by_role("button", name="Create brand kit").click()
    page.get_by_text("Brand kit “Acme Trail” saved.").wait_for()
    kits = api.get("/brand-kits").json()
    kit = next(k for k in kits if k["name"] == "Acme Trail")
    assert kit["colors"] == ["#2e7d32", "#ffb300"]
    assert kit["tone_words"] == ["outdoorsy", "friendly"] and kit["banned_words"] == ["cheap"]
    assert kit["logo_asset_id"] and kit["deadline_required"] is True
    # A bad color is caught in the page.
    page.locator("li.kit", has_text="Acme Trail").get_by_role("button", name="Edit").click()
    page.get_by_label("Color 1 as code or name").fill("greenish")
    page.get_by_role("button", name="Save changes").click()
    page.get_by_role("alert").filter(has_text="“greenish” is not a color").first.wait_for()
    page.get_by_label("Color 1 as code or name").fill("#1b5e20")
    page.get_by_role("button", name="Save changes").click()
    page.get_by_text("Brand kit “Acme Trail” saved.").wait_for()
    saved = api.get(f"/brand-kits/{kit['id']}").json()
    assert saved["colors"][0] == "#1b5e20" and saved["deadline_required"] is True
    # The new-creative form offers it.
    page.locator("#nav").get_by_role("link", name="New creative").click()
    page.get_by_label("Brand kit", exact=True).select_option(label="Acme Trail")
    # Logo formats unlock once the chosen kit has a logo.
    assert page.locator("input[value=google_rda_logo_square]").is_enabled()
    page.locator("#nav").get_by_role("link", name="Brand kits").click()
    page.once("dialog", lambda d: d.accept())
    page.locator("li.kit", has_text="Acme Trail").get_by_role("button", name="Delete").click()
    page.locator("li.kit", has_text="Acme Trail").wait_for(state="detached")
    page.get_by_text("Brand kit “Acme Trail” deleted.").wait_for(state="attached")
    assert all(k["name"] != "Acme Trail" for k in api.get("/brand-kits").json())


def test_brand_kit_colours_in_css_notation(page: Any, server: WebServer, api: httpx.Client) -> None:
    """A colour typed as rgb() or a CSS name is shown and saved as #rrggbb; alpha < 1 is refused."""
    sign_in(page, server.url, server.key)
    page.locator("#nav").get_by_role("link", name="Brand kits").click()
    page.get_by_label("Name", exact=True).fill("Harbour")
    first = page.get_by_label("Color 1 as code or name")
    first.fill("rgb(26, 95, 208)")
    first.press("Tab")
    # Once typed, the field and the colour picker show the colour as it will be saved.
    page.wait_for_function(
        "() => document.querySelector('ul.colors input[type=text]').value === '#1a5fd0'"
    )
    assert page.get_by_label("Color 1", exact=True).input_value() == "#1a5fd0"
    page.get_by_role("button", name="Add a color").click()
    second = page.get_by_label("Color 2 as code or name")
    second.fill("navy")
    second.press("Tab")
    page.wait_for_function(
        "() => document.querySelectorAll('ul.colors input[type=text]')[1].value === '#000080'"
    )
    assert page.get_by_label("Color 2", exact=True).input_value() == "#000080"
    # A partly transparent colour is said beside its field, and nothing is sent.
    page.get_by_role("button", name="Add a color").click()
    page.get_by_label("Color 3 as code or name").fill("rgba(0, 0, 0, 0.5)")
    page.get_by_role("button", name="Create brand kit").click()
    said = "“rgba(0, 0, 0, 0.5)” is partly transparent: a brand color must be opaque"
    page.locator(".field-error", has_text=said).wait_for()
    assert page.get_by_label("Color 3 as code or name").get_attribute("aria-invalid") == "true"
    assert all(k["name"] != "Harbour" for k in api.get("/brand-kits").json())
    page.get_by_role("button", name="Remove color 3").click()
    page.get_by_role("button", name="Create brand kit").click()
    page.get_by_text("Brand kit “Harbour” saved.").wait_for()
    kit = next(k for k in api.get("/brand-kits").json() if k["name"] == "Harbour")
    assert kit["colors"] == ["#1a5fd0", "#000080"]
    card = page.locator("li.kit", has_text="Harbour")
    card.get_by_role("img", name="#000080").wait_for()
    assert card.get_by_role("img", name="#1a5fd0").count() == 1
    # The server is shared by the session: a workspace's only kit is preselected in every brief.
    assert api.delete(f"/brand-kits/{kit['id']}").status_code == 204


def test_image_bank_add_search_and_use(page: Any, server: WebServer, tmp_path: Path) -> None:
    # A server without a demo bank: the page shows the workspace's own pictures alone.
    sign_in(page, server.url, server.key)
    page.locator("#nav").get_by_role("link", name="Image bank").click()
    form = page.locator("form.bank-add")
    form.get_by_label("Picture file").set_input_files(str(TENT))
    form.get_by_label("Caption").fill("green dome tent on grass")
    form.get_by_role("button", name="Add to the bank").click()
    form.get_by_text("Added “green dome tent on grass”.").wait_for()
    page.locator("li.bank-card", has_text="green dome tent on grass").first.wait_for()
    assert page.locator("li.bank-card[data-bank=demo]").count() == 0
    # The bank is an image source in the new-creative form, searched by meaning.
    page.locator("#nav").get_by_role("link", name="New creative").click()
    page.get_by_label("Image bank").check()
    page.get_by_placeholder("What the picture should show, in any language").fill("a tent")
    page.get_by_role("button", name="Search", exact=True).click()
    item = page.locator("button.bank-item", has_text="green dome tent on grass").first
    item.click()
    assert item.get_attribute("aria-pressed") == "true"
    page.locator(".chosen img").wait_for()


def test_campaign_history_search_and_reopen(page: Any, server: WebServer) -> None:
    sign_in(page, server.url, server.key)
    page.get_by_label("Type a new product").check()
    page.get_by_label("Product name").fill("Quiet One Headphones")
    page.get_by_label("No photo (text-led design)").check()
    page.get_by_role("button", name="Clear").click()
    page.get_by_label("Feed single image (FB Feed", exact=False).check()
    page.get_by_label("Variants").fill("1")
    page.get_by_label("New campaign name (optional)").fill("Autumn audio push")
    page.get_by_role("button", name="Generate").click()
    page.locator(".badge.completed").wait_for(timeout=60_000)
    page.locator("#nav").get_by_role("link", name="Campaigns").click()
    page.get_by_label("Search").fill("autumn audio")
    link = page.get_by_role("link", name="Autumn audio push")
    link.wait_for()
    link.click()
    page.get_by_role("heading", name="Autumn audio push").wait_for()
    page.locator(".strip-item img").first.wait_for()
    page.locator("ul.list a").first.click()
    page.locator("article.creative:not(.pending)").first.wait_for()


def test_a_corrected_color_saves_with_one_click(
    page: Any, server: WebServer, api: httpx.Client
) -> None:
    """The error under a bad colour goes while the marketer types the fix, not when the field is
    left: gone on pressing Save, it would move the button from under the pointer and lose the click.
    The window is tall enough for the whole form, so the page cannot scroll to make up for it."""
    page.set_viewport_size({"width": 1280, "height": 1600})
    sign_in(page, server.url, server.key)
    page.locator("#nav").get_by_role("link", name="Brand kits").click()
    page.get_by_label("Name", exact=True).fill("One Click")
    page.get_by_label("Color 1 as code or name").fill("greenish")
    page.get_by_label("Name", exact=True).focus()
    page.get_by_role("alert").filter(has_text="“greenish” is not a color").first.wait_for()
    page.get_by_label("Color 1 as code or name").fill("#1b5e20")
    page.get_by_role("button", name="Create brand kit").click()
    page.get_by_text("Brand kit “One Click” saved.").wait_for()
    kits = api.get("/brand-kits").json()
    assert [k["colors"] for k in kits if k["name"] == "One Click"] == [["#1b5e20"]]
