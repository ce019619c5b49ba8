"""Generated pictures and scenes from the brief form in Chromium: the tiny diffusion pipelines
on CPU (allowed explicitly in this server's settings), then a new look that differs."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.imagery_diffusion.conftest import tiny_models
from tests.service_generate.conftest import diffusion
from tests.web.harness import WebServer, shoot, sign_in

pytest.importorskip("diffusers", reason="needs the 'diffusion' extra")
__all__ = ["tiny_models"]


@pytest.fixture(scope="module")
def gen_server(tiny_models: dict[str, Path]) -> Iterator[WebServer]:
    with WebServer(workers=1, extra={"diffusion": diffusion(tiny_models)}) as srv:
        yield srv


def test_generate_a_picture_with_a_scene_and_a_new_look_that_differs(
    page: Any, gen_server: WebServer, artifacts: Path
) -> None:
    sign_in(page, gen_server.url, gen_server.key)
    page.get_by_label("Type a new product").check()
    page.get_by_label("Product name").fill("Trail 3 Tent")
    page.get_by_label("Offer", exact=True).fill("20% off all tents this weekend")
    page.get_by_label("Variants").fill("1")
    generate = page.get_by_role("radio", name="Generate")
    assert generate.is_enabled()  # /capabilities says the server can paint
    generate.check()
    page.get_by_label("Image description (optional)").fill("a green tent")
    page.get_by_label("Paint a scene around the product").check()
    page.get_by_label("Scene (optional)").fill("a forest clearing")
    shoot(page, artifacts / "generate", "01-brief")
    page.get_by_role("button", name="Generate", exact=True).click()
    page.locator(".badge.completed").wait_for(timeout=300_000)
    card = page.locator("article.creative:not(.pending)").first
    card.locator("img").wait_for()
    creative_id = card.get_attribute("data-id")
    card.get_by_role("button", name="Open and edit").click()
    dialog = page.locator("dialog.detail")
    dialog.get_by_role("button", name="New look only").click()
    dialog.get_by_text("Version 2 is ready.").wait_for(timeout=300_000)
    dialog.locator(".version-list li").nth(1).wait_for()
    shoot(page, artifacts / "generate", "02-new-look")

    headers = {"Authorization": f"Bearer {gen_server.key}"}
    with httpx.Client(base_url=gen_server.url + "/api/v1", headers=headers) as api:
        old, new = api.get(f"/creatives/{creative_id}/versions").json()
        assert old["look"]["picture_source"] == "generated:sd"
        assert old["look"]["scene_groups"] == ["square"]
        assert new["look"]["picture_seed"] != old["look"]["picture_seed"]
        assert new["look"]["scene_seed"] != old["look"]["scene_seed"]
        assert api.get(new["image_url"]).content != api.get(old["image_url"]).content
    # The dialog shows the new version's picture, not the old one.
    shown = dialog.locator(".detail-image img").get_attribute("src") or ""
    assert shown.split("?")[0] != old["image_url"].split("?")[0]


def test_generate_and_scene_are_off_with_the_servers_reason(page: Any, server: WebServer) -> None:
    sign_in(page, server.url, server.key)  # the shared server has no model configured
    assert page.get_by_role("radio", name="Generate").is_disabled()
    assert page.get_by_label("Paint a scene around the product").is_disabled()
    page.get_by_text("ADCRAFT_DIFFUSION__MODEL").first.wait_for()
