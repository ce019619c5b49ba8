"""The brief is what you see: a catalogue product brings its own offer, language and photo, and
nothing of the previous product's brief is ever sent with it."""

from __future__ import annotations

import json
from typing import Any

import httpx

from tests.web.harness import ROOT, WebServer, sign_in

EXAMPLES = ROOT / "src/adcraft/data/examples"
WANTED = ("tent-trail3", "food-delivery")


def _import(api: httpx.Client) -> dict[str, dict[str, Any]]:
    """Two catalogue products in two languages, with their photos, through the public API."""
    records = [r for r in json.loads((EXAMPLES / "products.json").read_text("utf-8"))]
    records = [r for r in records if r["id"] in WANTED]
    files = [("file", ("products.json", json.dumps(records).encode(), "application/json"))]
    for r in records:
        path = EXAMPLES / r["image"]
        files.append(("images", (path.name, path.read_bytes(), "image/*")))
    res = api.post("/products/import", files=files)
    assert res.status_code == 200, res.text
    return {p["sku"]: p for p in res.json()["products"]}


def _choose(page: Any, product: dict[str, Any], note: str) -> None:
    """Pick a catalogue product and wait until the page says what it filled in."""
    page.get_by_label("Catalogue product").select_option(
        label=f"{product['name']} ({product['sku']})"
    )
    page.get_by_role("status").filter(has_text=f"{note} “{product['name']}”").wait_for()


def test_switching_products_never_carries_a_brief_over(
    page: Any, server: WebServer, api: httpx.Client
) -> None:
    products = _import(api)
    tent, food = products["tent-trail3"], products["food-delivery"]
    sign_in(page, server.url, server.key)
    # Something typed for a product of one's own first: it must not leak into the catalogue one.
    page.get_by_label("Offer", exact=True).fill("Spanish insurance: 10% off")
    page.get_by_label("Language of the ad").select_option("es")
    page.get_by_label("From the catalogue").check()

    _choose(page, tent, "Filled in from")
    # The product's description is shown in whole words ("… Two d" was cut mid-word).
    shown = page.get_by_text(tent["description"][:30]).inner_text()
    assert shown.endswith("…") and len(tent["description"]) > len(shown)
    assert f" {shown[:-1].split()[-1]} " in f" {tent['description']} "
    offer = page.get_by_label("Offer", exact=True)
    assert offer.input_value() == tent["offers"][0]
    assert page.get_by_label("Language of the ad").input_value() == "en"
    assert page.get_by_label("Catalogue photo").is_checked()
    # The catalogue's further offers are shown, since the server uses them too.
    page.get_by_text(tent["offers"][1], exact=False).wait_for()
    offer.fill("Tent weekend: 25% off")

    _choose(page, food, "Filled in from")
    assert page.get_by_label("Offer", exact=True).input_value() == food["offers"][0]
    assert page.get_by_label("Language of the ad").input_value() == "ru"
    assert page.get_by_label("Catalogue photo").is_checked()

    # Back to the tent: what was typed for it is still there, and said so.
    _choose(page, tent, "Back to what you typed for")
    assert page.get_by_label("Offer", exact=True).input_value() == "Tent weekend: 25% off"
    assert page.get_by_label("Language of the ad").input_value() == "en"

    # What is sent for the Russian product is the Russian product's brief, nothing else.
    _choose(page, food, "Back to what you typed for")
    page.get_by_label("Feed single image (FB Feed", exact=False).check()
    page.get_by_label("Variants").fill("1")
    with page.expect_request(
        lambda r: r.method == "POST" and r.url.endswith("/api/v1/generate")
    ) as sent:
        page.get_by_role("button", name="Generate").click()
    payload = sent.value.post_data_json
    assert payload["product_id"] == food["id"]
    assert payload["brief"]["offer"] == food["offers"][0]
    assert payload["brief"]["language"] == "ru"
    assert "image_asset_id" not in payload and "brand_kit_id" not in payload
    page.locator(".progress, .badge").first.wait_for()


def test_start_over_clears_everything(page: Any, server: WebServer, api: httpx.Client) -> None:
    products = _import(api)
    sign_in(page, server.url, server.key)
    page.get_by_label("From the catalogue").check()
    _choose(page, products["food-delivery"], "Filled in from")
    page.get_by_role("button", name="Start over").click()
    page.get_by_role("status").filter(has_text="The form is empty again").wait_for()
    assert page.get_by_label("Offer", exact=True).input_value() == ""
    assert page.get_by_label("Language of the ad").input_value() == "en"
    assert page.get_by_label("Type a new product").is_checked()
