"""The brief is what you see: a catalogue product brings its own offer, language and photo, and
nothing of the previous product's brief is ever sent with it."""

from __future__ import annotations

import json
import uuid
from typing import Any

import httpx

from tests.web.harness import ROOT, TENT, WebServer, sign_in

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


def _generate_one(page: Any) -> Any:
    """Press Generate for one variant of the feed square; the request body the app sent."""
    page.get_by_label("Feed single image (FB Feed", exact=False).check()
    page.get_by_label("Variants").fill("1")
    with page.expect_request(
        lambda r: r.method == "POST" and r.url.endswith("/api/v1/generate")
    ) as sent:
        page.get_by_role("button", name="Generate").click()
    return sent.value.post_data_json


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
    payload = _generate_one(page)
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


def test_a_product_without_photo_or_offer_starts_empty(
    page: Any, server: WebServer, api: httpx.Client
) -> None:
    """A bare catalogue product (no photo, no offer, no price) after a full one: the form shows
    No photo and an empty offer, and Generate sends nothing of the first product's brief."""
    tent = _import(api)["tent-trail3"]
    res = api.post(
        "/products",
        json={"sku": f"bare-mug-{uuid.uuid4().hex[:8]}", "name": "Plain Mug", "language": "de"},
    )
    assert res.status_code == 201, res.text
    bare = res.json()
    assert bare["image_url"] is None and bare["offers"] == [] and bare["price"] is None
    sign_in(page, server.url, server.key)
    page.get_by_label("From the catalogue").check()
    _choose(page, tent, "Filled in from")
    assert page.get_by_label("Catalogue photo").is_checked()
    assert page.get_by_label("Price (optional)", exact=True).input_value() != ""
    # Typed for the tent: its own offer, call to action and an uploaded photo.
    page.get_by_label("Offer", exact=True).fill("Tent weekend: 25% off")
    page.get_by_label("Call to action (optional)").fill("Shop the tent")
    page.get_by_label("Upload a photo").check()
    page.get_by_label("Photo file").set_input_files(str(TENT))
    page.locator(".chosen img").wait_for()

    _choose(page, bare, "Filled in from")
    assert page.get_by_label("No photo (text-led design)").is_checked()
    # The product has no photo to offer, so the choice is not there at all.
    assert page.get_by_label("Catalogue photo").count() == 0
    assert page.locator(".chosen img").count() == 0
    assert page.get_by_label("Offer", exact=True).input_value() == ""
    assert page.get_by_label("Call to action (optional)").input_value() == ""
    assert page.get_by_label("Language of the ad").input_value() == "de"
    assert page.get_by_label("Price (optional)", exact=True).input_value() == ""
    assert page.get_by_label("Regular price (optional)").input_value() == ""
    # Choosing to upload for it starts with no picture: the tent's upload is not offered again.
    page.get_by_label("Upload a photo").check()
    page.locator(".chosen.empty").wait_for()
    assert page.locator(".chosen img").count() == 0
    page.get_by_label("No photo (text-led design)").check()

    payload = _generate_one(page)
    assert payload["product_id"] == bare["id"]
    assert payload["brief"] == {"offer": "", "language": "de"}
    for stale in ("image_asset_id", "image_source", "bank_image", "background", "brand_kit_id"):
        assert stale not in payload, stale
    # The server makes the set text-led from the bare product, with no offer of the tent's.
    page.locator(".badge.completed").wait_for(timeout=60_000)
    task_id = page.url.rsplit("/", 1)[-1]
    made = api.get("/creatives", params={"task": task_id}).json()["items"]
    assert made and all("25%" not in json.dumps(c["copy"]) for c in made)
    assert all("tent" not in json.dumps(c["copy"]).lower() for c in made)
