"""The app draws every script it shows with a face of its own: a Chinese product's description is
rendered with the bundled CJK face, served by the app, not left to whatever the machine has (a
bare system showed boxes)."""

from __future__ import annotations

import json
from typing import Any

import httpx

from tests.web.harness import ROOT, WebServer, sign_in

EXAMPLES = ROOT / "src/adcraft/data/examples"


def _import_tea(api: httpx.Client) -> dict[str, Any]:
    records = [r for r in json.loads((EXAMPLES / "products.json").read_text("utf-8"))]
    tea = next(r for r in records if r["id"] == "tea-gift")
    tea = {k: v for k, v in tea.items() if k != "image"}
    files = [("file", ("products.json", json.dumps([tea]).encode(), "application/json"))]
    res = api.post("/products/import", files=files)
    assert res.status_code == 200, res.text
    return dict(res.json()["products"][0])


def _fonts_for(page: Any, locator: Any) -> list[dict[str, Any]]:
    """The fonts Chromium drew a node's text with (DevTools: CSS.getPlatformFontsForNode)."""
    locator.evaluate("el => el.setAttribute('data-font-probe', '1')")
    cdp = page.context.new_cdp_session(page)
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    root = cdp.send("DOM.getDocument", {"depth": -1})["root"]["nodeId"]
    node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": "[data-font-probe]"})
    fonts: list[dict[str, Any]] = cdp.send(
        "CSS.getPlatformFontsForNode", {"nodeId": node["nodeId"]}
    )["fonts"]
    return fonts


def test_chinese_text_is_drawn_with_the_apps_own_face(
    page: Any, server: WebServer, api: httpx.Client
) -> None:
    tea = _import_tea(api)
    sign_in(page, server.url, server.key)
    page.get_by_label("From the catalogue").check()
    page.get_by_label("Catalogue product").select_option(label=f"{tea['name']} ({tea['sku']})")
    hint = page.get_by_text(tea["description"][:20])
    hint.wait_for()
    # Wait for the face the text needs (font-display: swap draws a fallback until then).
    page.evaluate("async (t) => { await document.fonts.load('15px \"adcraft UI\"', t); }", "春茶")
    page.wait_for_function("document.fonts.status === 'loaded'")
    fonts = _fonts_for(page, hint)
    han = [f for f in fonts if f["isCustomFont"]]
    assert han, fonts
    assert "Noto Sans CJK SC" in {f["familyName"] for f in han}, fonts
    # Every glyph of the description came from a real face: none drawn as a missing-glyph box
    # by a face that lacks it (the web font covers all of it).
    assert sum(f["glyphCount"] for f in han) >= len(tea["description"]) - 5, fonts


def test_only_the_apps_faces_are_served(server: WebServer) -> None:
    with httpx.Client(base_url=server.url) as client:
        res = client.get("/fonts/NotoSansSC-Regular.otf")
        assert res.status_code == 200 and res.headers["content-type"] == "font/otf"
        assert "max-age" in res.headers["cache-control"]
        for name in ("NotoColorEmoji.ttf", "FONTS.md", "..%2F..%2Fconfig.py"):
            assert client.get(f"/fonts/{name}").status_code == 404, name
