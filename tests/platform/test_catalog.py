"""What the web app builds on: catalogue import, brand kits with logo and fonts, capabilities."""

from __future__ import annotations

import json
from pathlib import Path

from adcraft.db.engine import unit_of_work
from adcraft.db.models import BrandKitRow, BriefRow, Task
from adcraft.tasks.inputs import brand_kit
from tests.platform.conftest import IMAGES, Stack, wait_task

FONTS = Path(__file__).resolve().parents[2] / "src/adcraft/render/fonts"
CATALOGUE = IMAGES.parent / "products.json"


def test_import_products_with_images_then_generate_from_one(local_stack: Stack) -> None:
    a = local_stack.a
    records = json.loads(CATALOGUE.read_text("utf-8"))[:3]
    # A sale: the regular price is kept with the product and drawn struck through.
    records[0]["regular_price"] = {"amount": 239.0, "currency": records[0]["price"]["currency"]}
    files = [("file", ("products.json", json.dumps(records).encode(), "application/json"))]
    for r in records:
        name = Path(r["image"]).name
        files.append(("images", (name, (IMAGES / name).read_bytes(), "image/jpeg")))
    res = a.post("/products/import", files=files)
    assert res.status_code == 200, res.text
    body = res.json()
    assert body["created"] == 3 and body["warnings"] == []
    assert all(p["image_url"] for p in body["products"])
    sale = next(p for p in body["products"] if p["name"] == records[0]["name"])
    # The API names the billing period of every price (none: a one-off price), and its
    # minimum term (none: no commitment).
    assert sale["regular_price"] == {
        **records[0]["regular_price"],
        "period": None,
        "min_term": None,
    }
    again = a.post("/products/import", files=files).json()
    assert again["created"] == 0 and again["updated"] == 3
    found = a.get("/products", params={"q": records[0]["name"][:6]}).json()
    assert found["total"] >= 1

    logo = a.post(
        "/assets",
        files={"file": ("logo.png", (IMAGES / "smartwatch.png").read_bytes())},
        data={"kind": "logo"},
    ).json()
    font = a.post(
        "/assets",
        files={"file": ("Inter-Bold.ttf", (FONTS / "Inter-Bold.ttf").read_bytes())},
        data={"kind": "font"},
    )
    assert font.status_code == 201, font.text
    kit = a.post(
        "/brand-kits",
        json={
            "name": "Outdoor",
            "colors": ["#1b4332", "#f4a261"],
            "banned_words": ["cheap"],
            "logo_asset_id": logo["id"],
            "heading_font_asset_id": font.json()["id"],
        },
    )
    assert kit.status_code == 201, kit.text
    assert kit.json()["logo_url"]
    pid = sale["id"]
    r = a.post(
        "/generate",
        json={
            "product_id": pid,
            "brand_kit_id": kit.json()["id"],
            "brief": {"offer": "Members save 15%"},
            "formats": ["1:1"],
            "variants": 1,
        },
    )
    assert r.status_code == 202, r.text
    task = wait_task(a, r.json()["id"])
    assert task["status"] == "completed", task
    assert task["contact_sheet_url"]

    # An explicit null drops the catalogue's regular price for one brief (no sale drawn);
    # the catalogue keeps it.
    r = a.post(
        "/generate",
        json={
            "product_id": pid,
            "brief": {"regular_price": None},
            "formats": ["1:1"],
            "variants": 1,
        },
    )
    assert r.status_code == 202, r.text
    assert wait_task(a, r.json()["id"])["status"] == "completed"
    with unit_of_work(local_stack.container.sessions) as s:
        task_row = s.get(Task, r.json()["id"])
        assert task_row is not None
        stored = s.get(BriefRow, task_row.brief_id)
        assert stored is not None
        assert "regular_price" not in stored.data and stored.data["price"] == records[0]["price"]
    assert a.get(f"/products/{pid}").json()["regular_price"] == {
        **records[0]["regular_price"],
        "period": None,
        "min_term": None,
    }


def test_font_and_kit_validation(local_stack: Stack) -> None:
    a = local_stack.a
    bad = a.post("/assets", files={"file": ("x.ttf", b"not a font")}, data={"kind": "font"})
    assert bad.status_code == 422
    img = a.post("/assets", files={"file": ("p.png", (IMAGES / "smartwatch.png").read_bytes())})
    r = a.post("/brand-kits", json={"name": "k", "heading_font_asset_id": img.json()["id"]})
    assert r.status_code == 422 and "font" in r.json()["detail"]

    # A brand colour in any CSS notation is stored and answered as #rrggbb.
    typed = ["#1A5FD0", "1a5fd0", "#abc", "abc", "rgb(26, 95, 208)", "rgba(26 95 208 / 1)"]
    typed += ["rgb(10%, 20%, 30%)", "hsl(210, 80%, 50%)", "navy", "RebeccaPurple", "#aabbccff"]
    r = a.post("/brand-kits", json={"name": "any notation", "colors": typed})
    assert r.status_code == 201, r.text
    want = ["#1a5fd0", "#1a5fd0", "#aabbcc", "#aabbcc", "#1a5fd0", "#1a5fd0"]
    want += ["#1a334d", "#1980e6", "#000080", "#663399", "#aabbcc"]
    assert r.json()["colors"] == want
    assert a.get(f"/brand-kits/{r.json()['id']}").json()["colors"] == want
    r = a.put(f"/brand-kits/{r.json()['id']}", json={"name": "any notation", "colors": ["red"]})
    assert r.status_code == 200 and r.json()["colors"] == ["#ff0000"]

    # A bad or transparent colour: 422 naming the field and the value as typed.
    for bad, why in (
        ("bluish", "is not a colour"),
        ("#12345", "is not a colour"),
        ("rgb(300, 0, 0)", "outside 0–255"),
        ("rgba(26, 95, 208, 0.5)", "must be opaque"),
        ("#1a5fd080", "must be opaque"),
        ("transparent", "must be opaque"),
    ):
        r = a.post("/brand-kits", json={"name": "k", "colors": ["#000000", bad]})
        assert r.status_code == 422, (bad, r.text)
        detail = r.json()["detail"]
        assert detail.startswith("colors.1: ") and repr(bad) in detail and why in detail, detail


def test_capabilities_say_why_generation_is_unavailable(local_stack: Stack) -> None:
    caps = local_stack.a.get("/capabilities").json()
    assert caps["image_generation"]["available"] is False
    assert "upload" in caps["image_generation"]["reason"]
    # The bank searches by meaning with the configured encoder (multilingual by default).
    assert caps["image_bank"]["search"].startswith("semantic: 'use'")
    formats = local_stack.a.get("/formats").json()
    presets = {f["preset"] for f in formats}
    assert {"meta", "tiktok", "google", "iab"} <= presets
    assert all(f["width"] for f in formats if f["kind"] == "creative")


def test_a_brand_kit_keeps_whether_deals_need_their_deadline(
    local_stack: Stack, tmp_path: Path
) -> None:
    # Stored with the kit, answered back, and handed to the pipeline's brief.
    a = local_stack.a
    r = a.post("/brand-kits", json={"name": "Legal EU", "deadline_required": True})
    assert r.status_code == 201, r.text
    kit_id = r.json()["id"]
    assert r.json()["deadline_required"] is True
    assert a.get(f"/brand-kits/{kit_id}").json()["deadline_required"] is True
    c = local_stack.container
    with unit_of_work(c.sessions) as s:
        row = s.get(BrandKitRow, kit_id)
        assert row is not None
        assert brand_kit(s, c.store, row.tenant_id, kit_id, tmp_path).deadline_required is True
    r = a.put(f"/brand-kits/{kit_id}", json={"name": "Legal EU"})
    assert r.status_code == 200 and r.json()["deadline_required"] is False
    r = a.post("/brand-kits", json={"name": "k", "deadline_required": "sometimes"})
    assert r.status_code == 422 and "deadline_required" in r.text
