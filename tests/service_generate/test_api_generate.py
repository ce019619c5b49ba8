"""Generated pictures through the API: capabilities, image_source=generate, refusal when the
server cannot paint, a new look that paints a new picture (never the same bytes)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select

from adcraft.db.engine import unit_of_work
from adcraft.db.models import Version
from tests.platform.conftest import Stack, wait_task
from tests.service_generate.conftest import start_stack

pytest.importorskip("diffusers", reason="needs the 'diffusion' extra")

BRIEF = {"product_name": "Trail 3 Tent", "offer": "20% off all tents this weekend"}


def _image(stack: Stack, url: str) -> bytes:
    r = httpx.get(url if url.startswith("http") else stack.url + url, timeout=30)
    assert r.status_code == 200, r.text
    return r.content


def test_capabilities_say_generation_runs_on_cpu_because_it_is_allowed(gen_stack: Stack) -> None:
    caps = gen_stack.a.get("/capabilities").json()
    assert caps["image_generation"] == {"available": True, "device": "cpu"}
    assert caps["scene_generation"]["available"] is True


def test_generated_picture_and_a_new_look_that_differs(gen_stack: Stack) -> None:
    a = gen_stack.a
    r = a.post(
        "/generate",
        json={
            "brief": BRIEF,
            "image_source": "generate",
            "image_description": "a green tent",
            "formats": ["1:1", "9:16"],
            "variants": 1,
            "seed": 3,
        },
    )
    assert r.status_code == 202, r.text
    task = wait_task(a, r.json()["id"], timeout=300)
    assert task["status"] == "completed", task
    items = a.get("/creatives", params={"task": task["id"]}).json()["items"]
    assert len(items) == 2
    first = a.get(f"/creatives/{items[0]['id']}/versions").json()
    look = first[0]["look"]
    assert look["picture_source"] == "generated:sd" and look["picture_seed"] == 3

    r = a.post(f"/creatives/{items[0]['id']}/versions", json={"action": "regenerate_image"})
    assert r.status_code == 202, r.text
    done = wait_task(a, r.json()["id"], timeout=300)
    assert done["status"] == "completed", done
    for item in items:  # every size of the variant got the new look
        versions = a.get(f"/creatives/{item['id']}/versions").json()
        assert [v["action"] for v in versions] == ["generated", "regenerate_image"]
        old, new = versions
        assert new["look"]["picture_seed"] != old["look"]["picture_seed"]
        assert new["look"]["seed"] != old["look"]["seed"]
        assert _image(gen_stack, new["image_url"]) != _image(gen_stack, old["image_url"])

    # An edit keeps the picture of the version it edits: same seed, no repainting.
    r = a.post(
        f"/creatives/{items[0]['id']}/versions",
        json={"action": "edit", "copy": {"headline": "Pitch it anywhere"}},
    )
    assert wait_task(a, r.json()["id"], timeout=300)["status"] == "completed"
    versions = a.get(f"/creatives/{items[0]['id']}/versions").json()
    assert versions[2]["look"]["picture_seed"] == versions[1]["look"]["picture_seed"]

    # Deleting the campaign removes the painted pictures too, not only the creatives' images.
    with unit_of_work(gen_stack.container.sessions) as s:
        rows = s.scalars(select(Version).where(Version.creative_id.in_([i["id"] for i in items])))
        painted = {str(v.render["picture"]["key"]) for v in rows if v.render.get("picture")}
    store = gen_stack.container.store
    assert len(painted) == 2 and all(store.exists(k) for k in painted)  # first look, new look
    assert a.delete(f"/campaigns/{task['campaign_id']}").status_code == 200
    assert not any(store.exists(k) for k in painted)


@pytest.fixture()
def cpu_refused(tmp_path: Path, tiny_models: dict[str, Path]) -> Iterator[Stack]:
    # A model is configured but this machine has no GPU and CPU is not allowed.
    settings = {"model": str(tiny_models["sd"]), "device": "cpu", "allow_cpu": False}
    yield from start_stack(tmp_path, settings)


def test_generation_is_refused_with_the_reason_when_cpu_is_not_allowed(
    cpu_refused: Stack,
) -> None:
    caps = cpu_refused.a.get("/capabilities").json()["image_generation"]
    assert caps["available"] is False and "ALLOW_CPU" in caps["reason"]
    for extra in ({"image_source": "generate"}, {"background": "scene"}):
        r = cpu_refused.a.post(
            "/generate", json={"brief": BRIEF, "formats": ["1:1"], "variants": 1, **extra}
        )
        assert r.status_code == 422, r.text
        problem = r.json()
        assert problem["type"].endswith("/generation-unavailable")
        assert "CPU is not allowed" in problem["detail"], problem
    assert cpu_refused.a.get("/tasks").json()["items"] == []  # nothing was queued
