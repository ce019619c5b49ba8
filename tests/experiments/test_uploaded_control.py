"""A designer's finished ad uploaded as a creative and tested as the control of an experiment
against a generated creative, through the public API: upload → experiment → serve, impression
pixel and click redirect for both arms → results; refusals of bad uploads and of roles that may
not add creatives."""

from __future__ import annotations

import io
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from fastapi.testclient import TestClient
from PIL import Image

from adcraft.accounts import service
from adcraft.analytics.task_events import task_events
from adcraft.api import create_app
from adcraft.config import Settings
from adcraft.container import Container, build
from adcraft.db.engine import unit_of_work
from adcraft.db.tenants import create_tenant

CONTROL_LANDING = "https://shop.example/designer"
AI_LANDING = "https://shop.example/generated"
PASSWORD = "correct horse battery"
VIEWERS = 40


class Api:
    def __init__(self, client: TestClient, key: str) -> None:
        self.client = client
        self.auth = {"Authorization": f"Bearer {key}"}

    def call(self, method: str, path: str, **kw: Any) -> Any:
        return self.client.request(method, "/api/v1" + path, headers=self.auth, **kw)

    def ok(self, method: str, path: str, status: int = 200, **kw: Any) -> Any:
        r = self.call(method, path, **kw)
        assert r.status_code == status, (path, r.status_code, r.text)
        return r.json()


class World:
    def __init__(self, client: TestClient, container: Container, a: Api, b: Api) -> None:
        self.client, self.container, self.a, self.b = client, container, a, b


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    settings = Settings(
        environment="test",
        data_dir=tmp_path_factory.mktemp("uploaded-control"),
        security={"secret_key": "test-secret-" + "x" * 40},
        tasks={"local_mode": "thread", "local_workers": 1},
        events={"flush_interval_s": 2.0},  # the test flushes once the traffic is sent
        limits={"rate_limit_per_minute": 1_000_000, "anonymous_rate_limit_per_minute": 1_000_000},
    )
    container = build(settings)
    with unit_of_work(container.sessions) as s:
        ta, key_a = create_tenant(s, "tenant-a", container.secret)
        _tb, key_b = create_tenant(s, "tenant-b", container.secret)
        for role in ("editor", "reviewer", "viewer"):
            service.create_user(s, ta.id, f"{role}@a.test", role, PASSWORD)
    with TestClient(create_app(container)) as client:
        yield World(client, container, Api(client, key_a), Api(client, key_b))
    container.close()


def _image(size: tuple[int, int], fmt: str = "PNG") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 40, 60)).save(out, fmt)
    return out.getvalue()


def _upload(
    api: Api, data: bytes, filename: str = "control.png", **form: str
) -> Any:  # the response
    fields = {"format_id": "1:1", "landing_url": CONTROL_LANDING, **form}
    return api.call("POST", "/creatives/upload", files={"file": (filename, data)}, data=fields)


def _path(url: str) -> str:
    return "/" + url.split("://", 1)[1].split("/", 1)[1]


def _generated(api: Api) -> dict[str, Any]:
    task = api.ok(
        "POST",
        "/generate",
        202,
        json={
            "brief": {"product_name": "Trail 3 Tent", "offer": "20% off this weekend"},
            "formats": ["1:1"],
            "variants": 1,
            "seed": 3,
        },
    )
    end = time.monotonic() + 180
    while (done := api.ok("GET", f"/tasks/{task['id']}"))["status"] not in ("completed", "failed"):
        assert time.monotonic() < end, done
        time.sleep(0.1)  # polling for the state, not standing in for it
    assert done["status"] == "completed", done
    items: list[dict[str, Any]] = api.ok("GET", "/creatives", params={"task": task["id"]})["items"]
    assert len(items) == 1
    return items[0]


def test_uploaded_control_against_a_generated_arm(world: World) -> None:
    a = world.a
    png = _image((1080, 1080))
    r = _upload(a, png, name="Designer control")
    assert r.status_code == 201, r.text
    up = r.json()
    assert r.headers["location"] == f"/api/v1/creatives/{up['id']}"
    assert up["origin"] == "uploaded" and up["name"] == "Designer control"
    assert (up["format"], up["width"], up["height"]) == ("1:1", 1080, 1080)
    assert up["score"] == 0.0 and up["metrics"] == {} and up["copy"] == {}
    assert up["gates"] == [] and up["versions"] == 1
    # Stored through the asset store: the image endpoint gives back exactly the uploaded bytes.
    image = a.call("GET", f"/creatives/{up['id']}/image")
    assert image.status_code == 200 and image.content == png
    assert image.headers["content-type"] == "image/png"
    # Its upload is a completed task of kind "upload", with its one creative.
    task = a.ok("GET", f"/tasks/{up['task_id']}")
    assert (task["kind"], task["status"], task["creatives"]) == ("upload", "completed", 1)
    # ... which is no generation: the task-event poller records nothing for it.
    with unit_of_work(world.container.sessions) as s:
        recorded = task_events(s, datetime(2000, 1, 1, tzinfo=UTC))
    assert up["task_id"] not in {e.task_id for e in recorded}
    # Never re-rendered: edits, new looks and edit previews are refused with the reason.
    for body in ({"action": "regenerate_image"}, {"action": "edit", "copy": {"headline": "x"}}):
        r = a.call("POST", f"/creatives/{up['id']}/versions", json=body)
        assert r.status_code == 409 and "uploaded finished image" in r.json()["detail"], r.text
    r = a.call("POST", f"/creatives/{up['id']}/edit-preview", json={"copy": {"headline": "x"}})
    assert r.status_code == 409 and "uploaded finished image" in r.json()["detail"], r.text

    ai = _generated(a)
    assert ai["origin"] == "generated"
    a.ok("PUT", f"/tracking/creatives/{ai['id']}/landing-url", json={"url": AI_LANDING})
    listed = {c["id"]: c for c in a.ok("GET", "/creatives", params={"limit": 200})["items"]}
    assert listed[up["id"]]["origin"] == "uploaded" and listed[ai["id"]]["origin"] == "generated"

    exp = a.ok(
        "POST",
        "/experiments",
        201,
        json={
            "name": "designer vs generated",
            "placement": "home",
            "arms": [{"creative_id": up["id"], "control": True}, {"creative_id": ai["id"]}],
        },
    )
    landing = {up["id"]: CONTROL_LANDING, ai["id"]: AI_LANDING}
    shown: dict[str, int] = {}
    clicked: dict[str, int] = {}
    for i in range(VIEWERS):
        got = a.ok("GET", "/serve/home", params={"user_hash": f"viewer-{i}"})
        cid = got["creative_id"]
        assert got["control"] is (cid == up["id"])
        browser = {"user-agent": f"Mozilla/5.0 (X11; Linux x86_64) Firefox/130.0 v{i}"}
        pixel = world.client.get(_path(got["impression_url"]), headers=browser)
        assert pixel.status_code == 200 and pixel.headers["content-type"] == "image/gif"
        shown[cid] = shown.get(cid, 0) + 1
        if i % 2 == 0:  # every other viewer clicks
            c = world.client.get(_path(got["click_url"]), headers=browser, follow_redirects=False)
            assert c.status_code == 302 and c.headers["location"] == landing[cid]
            clicked[cid] = clicked.get(cid, 0) + 1
    # A fixed 50/50 split over 40 viewers serves both arms (one arm alone: p = 2^-39).
    assert set(shown) == {up["id"], ai["id"]}

    world.client.app.state.analytics.sink.flush()  # type: ignore[attr-defined]
    res = a.ok("GET", f"/experiments/{exp['id']}/results")
    arms = {arm["creative_id"]: arm for arm in res["arms"]}
    assert set(arms) == {up["id"], ai["id"]}
    for cid, arm in arms.items():
        assert (arm["impressions"], arm["clicks"]) == (shown[cid], clicked.get(cid, 0)), arm
    assert [c["arm_id"] for c in res["comparisons"]] == [exp["arms"][1]["id"]]


def test_scaled_and_webp_uploads_are_accepted(world: World) -> None:
    a = world.a
    # Twice the size of meta_feed_square, and a WebP for an IAB size given as WxH.
    r = _upload(a, _image((2160, 2160), "JPEG"), "big.jpg", format_id="meta_feed_square")
    assert r.status_code == 201, r.text
    assert (r.json()["format"], r.json()["width"], r.json()["name"]) == (
        "meta_feed_square",
        2160,
        "big",  # the file name's stem when no name is given
    )
    r = _upload(a, _image((300, 250), "WEBP"), "mrec.webp", format_id="300x250")
    assert r.status_code == 201, r.text
    assert r.json()["format"] == "iab_medium_rectangle"
    assert a.call("GET", f"/creatives/{r.json()['id']}/image").headers["content-type"] == (
        "image/webp"
    )


def test_bad_uploads_are_refused_and_leave_nothing(world: World) -> None:
    a = world.a
    before = a.ok("GET", "/creatives")["total"]
    square = _image((1080, 1080))
    cases: list[tuple[dict[str, Any], int, str]] = [
        # wrong size: not the format's shape
        (
            {"data": _image((1080, 1350)), "format_id": "meta_feed_square"},
            422,
            "is 1080×1350; format meta_feed_square is 1080×1080",
        ),
        # the right shape, below the platform's minimum
        ({"data": _image((540, 540)), "format_id": "meta_feed_square"}, 422, "smaller than"),
        ({"data": b"this is a text file, not an ad"}, 422, "is not a JPEG, PNG or WebP image"),
        ({"data": _image((1080, 1080), "GIF")}, 422, "is not a JPEG, PNG or WebP image"),
        # a PNG signature with nothing after it: damaged
        ({"data": b"\x89PNG\r\n\x1a\n" + b"\0" * 20}, 422, "truncated or damaged"),
        ({"data": square, "format_id": "meta_feed_sqare"}, 422, "unknown format"),
        ({"data": square, "format_id": "google_rsa_text"}, 422, "not an ad creative format"),
        ({"data": square, "landing_url": "javascript:alert(1)"}, 422, "absolute http(s) URL"),
        ({"data": square, "landing_url": "/relative"}, 422, "absolute http(s) URL"),
    ]
    for case, status, words in cases:
        form = {k: v for k, v in case.items() if k != "data"}
        r = _upload(a, case["data"], **form)
        assert r.status_code == status, (case.get("format_id"), r.text)
        assert r.headers["content-type"].startswith("application/problem+json")
        assert words in r.json()["detail"], (words, r.json())
    # A campaign of another tenant is "not found", exactly like one that does not exist.
    theirs = world.b.ok("POST", "/campaigns", 201, json={"name": "B's campaign"})
    r = _upload(a, square, campaign_id=theirs["id"])
    assert r.status_code == 404 and theirs["id"] in r.json()["detail"], r.text
    # No image at all: the form is incomplete.
    r = a.call(
        "POST", "/creatives/upload", data={"format_id": "1:1", "landing_url": CONTROL_LANDING}
    )
    assert r.status_code == 422
    assert a.ok("GET", "/creatives")["total"] == before


def test_an_upload_goes_into_the_named_campaign(world: World) -> None:
    a = world.a
    camp = a.ok("POST", "/campaigns", 201, json={"name": "Spring"})
    r = _upload(a, _image((1080, 1080)), campaign_id=camp["id"], name="Spring control")
    assert r.status_code == 201, r.text
    listed = a.ok("GET", "/creatives", params={"campaign": camp["id"]})["items"]
    assert [c["id"] for c in listed] == [r.json()["id"]]


@pytest.mark.parametrize(
    ("role", "allowed"), [("viewer", False), ("reviewer", False), ("editor", True)]
)
def test_only_roles_that_edit_may_upload(world: World, role: str, allowed: bool) -> None:
    # A client of its own: the session cookie must not leak into the API-key client.
    person = TestClient(world.client.app)
    signed = person.post(
        "/api/v1/auth/signin", json={"email": f"{role}@a.test", "password": PASSWORD}
    )
    assert signed.status_code == 200, signed.text
    r = person.post(
        "/api/v1/creatives/upload",
        headers={"X-CSRF-Token": person.cookies["adcraft_csrf"]},
        files={"file": ("control.png", _image((1080, 1080)))},
        data={"format_id": "1:1", "landing_url": CONTROL_LANDING},
    )
    if allowed:
        assert r.status_code == 201, r.text
    else:
        assert r.status_code == 403, r.text
        problem = r.json()
        assert problem["role"] == role and problem["permission"] == "edit", problem
