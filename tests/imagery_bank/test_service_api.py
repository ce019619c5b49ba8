"""The image bank in the service, over the real app (TestClient): tenant banks with the
multilingual encoder and embedded Qdrant, the shared read-only demo bank, the quality gate,
edit and delete, tenant isolation, and generation with ``image_source=bank``."""

from __future__ import annotations

import io
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from PIL import Image, ImageFilter

from adcraft.api import create_app
from adcraft.config import Settings
from adcraft.container import Container, build
from adcraft.db.engine import unit_of_work
from adcraft.db.tenants import create_tenant
from tests.imagery_bank.conftest import needs_qdrant

IMAGES = Path(__file__).resolve().parents[2] / "src/adcraft/data/examples/images"
SECRET = "test-secret-" + "x" * 40
PICTURES = {
    "coffee-maker.jpg": "an espresso coffee machine on a kitchen counter",
    "tent-trail3.jpg": "a green camping tent pitched in the mountains",
    "runner-x.jpg": "running shoes for the road",
}


@dataclass
class Service:
    a: TestClient
    b: TestClient
    container: Container


@pytest.fixture(scope="module")
def service(built_bank_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Service]:
    """The app with two tenants; the 64 fixture renders are the shared demo bank."""
    needs_qdrant()
    settings = Settings(
        environment="test",
        data_dir=tmp_path_factory.mktemp("svc"),
        tasks={"local_workers": 1, "local_mode": "thread"},
        security={"secret_key": SECRET},
        limits={"rate_limit_per_minute": 100_000},
        bank={"demo_path": built_bank_path},
    )
    container = build(settings)
    with unit_of_work(container.sessions) as s:
        _, key_a = create_tenant(s, "tenant-a", container.secret)
        _, key_b = create_tenant(s, "tenant-b", container.secret)
    app = create_app(container)
    with TestClient(app) as a, TestClient(app) as b:
        a.headers["Authorization"] = f"Bearer {key_a}"
        b.headers["Authorization"] = f"Bearer {key_b}"
        yield Service(a, b, container)
    container.close()


def _add(client: TestClient, name: str, caption: str, data: bytes | None = None) -> Any:
    body = data if data is not None else (IMAGES / name).read_bytes()
    return client.post(
        "/api/v1/bank/images", files={"file": (name, body)}, data={"caption": caption}
    )


@pytest.fixture(scope="module")
def a_bank(service: Service) -> dict[str, str]:
    """Tenant A's three pictures, captioned in English: file name -> image id."""
    ids = {}
    for name, caption in PICTURES.items():
        r = _add(service.a, name, caption)
        assert r.status_code == 201, r.text
        ids[name] = r.json()["id"]
    return ids


def _search(client: TestClient, q: str, scope: str = "own") -> Any:
    r = client.get("/api/v1/bank/search", params={"q": q, "scope": scope})
    assert r.status_code == 200, r.text
    return r.json()


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("кофеварка для дома", "coffee-maker.jpg"),  # Russian
        ("Zelt für Wanderungen in den Bergen", "tent-trail3.jpg"),  # German
        ("zapatillas para correr", "runner-x.jpg"),  # Spanish
    ],
)
def test_a_query_in_another_language_finds_the_english_caption(
    service: Service, a_bank: dict[str, str], query: str, expected: str
) -> None:
    found = _search(service.a, query)
    top = found["hits"][0]
    assert top["image"]["id"] == a_bank[expected]
    assert top["image"]["bank"] == "own" and top["matches"]
    assert top["score"] >= found["threshold"]
    # The other pictures rank below the threshold: the match is by meaning, not by chance.
    assert all(not h["matches"] for h in found["hits"][1:])
    image = service.a.get(top["image"]["url"])
    assert image.status_code == 200 and image.content == (IMAGES / expected).read_bytes()


def test_the_quality_gate_says_why_a_picture_is_refused(service: Service) -> None:
    tiny = io.BytesIO()
    Image.new("RGB", (60, 40), "red").save(tiny, "PNG")
    r = _add(service.a, "tiny.png", "a red square", tiny.getvalue())
    assert r.status_code == 422
    assert "too small: 60x40 px" in r.json()["detail"]
    sharp = Image.open(IMAGES / "tent-trail3.jpg").convert("RGB")
    soft = io.BytesIO()
    sharp.filter(ImageFilter.GaussianBlur(8)).save(soft, "JPEG")
    r = _add(service.a, "soft.jpg", "a blurred tent", soft.getvalue())
    assert r.status_code == 422 and "blurred" in r.json()["detail"]
    r = _add(service.a, "tent-trail3.jpg", "   ")
    assert r.status_code == 422 and "needs a caption" in r.json()["detail"]
    r = _add(service.a, "notes.jpg", "a picture", b"not an image at all")
    assert r.status_code == 422 and r.json()["type"].endswith("bad-image")


def test_editing_a_caption_changes_what_finds_it_and_delete_removes_it(
    service: Service,
) -> None:
    made = _add(service.a, "taxi.jpg", "a yellow taxi in city traffic")
    assert made.status_code == 201, made.text
    image = made.json()
    assert len(image["hypotheses"]) == 3 and image["editable"]
    assert _search(service.a, "Taxi bestellen")["hits"][0]["image"]["id"] == image["id"]
    edited = service.a.patch(
        f"/api/v1/bank/images/{image['id']}", json={"caption": "a red kayak on a calm lake"}
    )
    assert edited.status_code == 200, edited.text
    assert edited.json()["caption"] == "a red kayak on a calm lake"
    assert any("kayak" in h for h in edited.json()["hypotheses"])
    top = _search(service.a, "байдарка на озере")["hits"][0]
    assert top["image"]["id"] == image["id"] and top["matches"]
    taxi = _search(service.a, "Taxi bestellen")["hits"]
    assert all(not (h["image"]["id"] == image["id"] and h["matches"]) for h in taxi)
    r = service.a.delete(f"/api/v1/bank/images/{image['id']}")
    assert r.status_code == 204
    assert service.a.get(f"/api/v1/bank/images/{image['id']}").status_code == 404
    ids = [h["image"]["id"] for h in _search(service.a, "kayak")["hits"]]
    assert image["id"] not in ids
    listed = service.a.get("/api/v1/bank/images").json()
    assert image["id"] not in [i["id"] for i in listed["items"]]


def test_tenant_b_never_sees_tenant_a_bank(service: Service, a_bank: dict[str, str]) -> None:
    coffee = a_bank["coffee-maker.jpg"]
    listed = service.b.get("/api/v1/bank/images").json()
    assert listed["total"] == 0 and listed["items"] == []
    own = _search(service.b, "espresso coffee machine")
    assert own["hits"] == [] and "empty" in own["note"]
    everywhere = _search(service.b, "espresso coffee machine", scope="all")
    assert everywhere["hits"] and all(h["image"]["bank"] == "demo" for h in everywhere["hits"])
    assert service.b.get(f"/api/v1/bank/images/{coffee}").status_code == 404
    assert (
        service.b.patch(f"/api/v1/bank/images/{coffee}", json={"caption": "x"}).status_code == 404
    )
    assert service.b.delete(f"/api/v1/bank/images/{coffee}").status_code == 404
    stolen = service.b.post(
        "/api/v1/generate",
        json={"brief": {"product_name": "Espresso"}, "bank_image": {"id": coffee}},
    )
    assert stolen.status_code == 404
    assert (
        service.a.get(f"/api/v1/bank/images/{coffee}").json()["caption"]
        == (PICTURES["coffee-maker.jpg"])
    )


def test_the_demo_bank_is_shared_and_read_only(service: Service) -> None:
    for client in (service.a, service.b):
        hits = _search(client, "велосипед", scope="all")["hits"]
        assert hits[0]["image"]["bank"] == "demo" and hits[0]["image"]["caption"] == "bicycle"
        assert not hits[0]["image"]["editable"]
        picture = client.get(hits[0]["image"]["url"])
        assert picture.status_code == 200 and picture.headers["content-type"] == "image/webp"
    demo_id = hits[0]["image"]["id"]
    r = service.a.patch(
        f"/api/v1/bank/images/{demo_id}", params={"bank": "demo"}, json={"caption": "x"}
    )
    assert r.status_code == 403 and "read-only" in r.json()["detail"]
    assert service.a.delete(f"/api/v1/bank/images/{demo_id}?bank=demo").status_code == 403
    demo = service.b.get("/api/v1/bank/images", params={"bank": "demo", "limit": 5}).json()
    assert demo["total"] == 64 and len(demo["items"]) == 5


def _wait(client: TestClient, task_id: str) -> dict[str, Any]:
    deadline = time.monotonic() + 120
    while True:
        task: dict[str, Any] = client.get(f"/api/v1/tasks/{task_id}").json()
        if task["status"] in ("completed", "failed"):
            return task
        assert time.monotonic() < deadline, task
        time.sleep(0.2)


def test_generate_with_image_source_bank_picks_by_the_brief(
    service: Service, a_bank: dict[str, str]
) -> None:
    brief = {"product_name": "Kaffeevollautomat Barista", "offer": "frischer Espresso zu Hause"}
    r = service.a.post(
        "/api/v1/generate",
        json={"brief": brief, "formats": ["1:1"], "variants": 1, "image_source": "bank"},
    )
    assert r.status_code == 202, r.text
    chosen = r.json()["request"]["bank_image"]
    assert (chosen["bank"], chosen["id"]) == ("own", a_bank["coffee-maker.jpg"])
    assert chosen["score"] >= 0.35 and not chosen["picked"]
    task = _wait(service.a, r.json()["id"])
    assert task["status"] == "completed", task
    # The bank picture became the tenant's product photo for this brief, byte for byte.
    assets = service.a.get("/api/v1/assets", params={"kind": "image"}).json()["items"]
    used = next(a for a in assets if a["filename"] == f"bank-{chosen['id']}")
    assert service.a.get(used["url"]).content == (IMAGES / "coffee-maker.jpg").read_bytes()


def test_no_match_above_the_threshold_offers_the_photo_fallback(
    service: Service, a_bank: dict[str, str]
) -> None:
    brief = {"product_name": "Tax return consulting", "offer": "file your taxes with an expert"}
    r = service.a.post(
        "/api/v1/generate",
        json={"brief": brief, "formats": ["1:1"], "image_source": "bank", "variants": 1},
    )
    assert r.status_code == 422
    problem = r.json()
    assert problem["type"].endswith("no-bank-match")
    assert problem["fallback"] == "photo" and problem["best_score"] < problem["threshold"]
    assert "upload a product photo" in problem["detail"]
    # Nothing was queued for the refused brief.
    tasks = service.a.get("/api/v1/tasks").json()["items"]
    assert all("Tax" not in str(t["request"]) for t in tasks)


def test_a_picked_bank_picture_is_used_as_is(service: Service) -> None:
    demo = _search(service.b, "birthday cake", scope="demo")["hits"][0]["image"]
    r = service.b.post(
        "/api/v1/generate",
        json={
            "brief": {"product_name": "Party Box", "offer": "everything for a birthday"},
            "formats": ["1:1"],
            "variants": 1,
            "bank_image": {"bank": "demo", "id": demo["id"]},
        },
    )
    assert r.status_code == 202, r.text
    assert r.json()["request"]["bank_image"]["picked"] is True
    assert _wait(service.b, r.json()["id"])["status"] == "completed"
    both = service.b.post(
        "/api/v1/generate",
        json={
            "brief": {"product_name": "Party Box"},
            "image_asset_id": "abc",
            "image_source": "bank",
        },
    )
    assert both.status_code == 422 and "one product image" in both.json()["detail"]
