"""Bad input gets a clear problem+json answer, no traceback and no partial records."""

from __future__ import annotations

import http.server
import struct
import threading
import time
import zlib
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import func, select

from adcraft.api import create_app
from adcraft.config import Settings
from adcraft.db.models import Asset, BriefRow, Campaign, Task
from adcraft.store.signing import sign
from tests.platform.conftest import SECRET, Stack, make_stack, settings_env, tent_bytes
from tests.platform.servers import ServerThread


@pytest.fixture(scope="module")
def tight(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    """An app with small limits, so every cap can be hit cheaply."""
    tmp = tmp_path_factory.mktemp("tight")
    settings = Settings(
        environment="test",
        data_dir=tmp,
        tasks={"local_workers": 1, "local_mode": "thread"},
        limits={
            "max_request_bytes": 400_000,
            "max_upload_bytes": 300_000,
            "max_pixels": 4_000_000,
            "rate_limit_per_minute": 6000,
        },
        security={"secret_key": SECRET},
    )
    container, ka, kb = make_stack("tight", settings)
    with ServerThread(create_app(container)) as srv:
        yield Stack("tight", srv.url, ka, kb, container, settings, settings_env(settings))
    container.engine.dispose()


def _counts(stack: Stack) -> tuple[int, ...]:
    with stack.container.sessions() as s:
        return tuple(
            s.scalar(select(func.count()).select_from(m)) or 0
            for m in (Task, BriefRow, Campaign, Asset)
        )


def _problem(r: httpx.Response, status: int) -> dict[str, object]:
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith("application/problem+json"), r.headers
    body: dict[str, object] = r.json()
    assert body["status"] == status and body["detail"] and body["type"]
    assert "Traceback" not in r.text and 'File "' not in r.text
    return body


def test_missing_and_wrong_key(tight: Stack) -> None:
    r = httpx.get(tight.url + "/api/v1/campaigns")
    _problem(r, 401)
    assert r.headers["www-authenticate"].startswith("Bearer")
    _problem(tight.client("adc_0123456789_nope").get("/campaigns"), 401)
    _problem(tight.client("garbage").get("/campaigns"), 401)


def test_malformed_json_is_400(tight: Stack) -> None:
    r = tight.a.post(
        "/generate",
        content=b'{"brief": {"product_name": ',
        headers={"content-type": "application/json"},
    )
    assert _problem(r, 400)["type"].endswith("malformed-json")  # type: ignore[union-attr]


def test_wrong_types_and_unknown_fields(tight: Stack) -> None:
    before = _counts(tight)
    body = _problem(
        tight.a.post("/generate", json={"brief": {"product_name": 5}, "variants": "x"}), 422
    )
    assert any("variants" in e["loc"] for e in body["errors"])  # type: ignore[union-attr,index]
    _problem(tight.a.post("/generate", json={"brief": {"product_name": "x"}, "bogus": 1}), 422)
    _problem(tight.a.post("/generate", json={"brief": {"product_name": "   "}}), 422)
    assert _counts(tight) == before


def test_a_regular_price_that_is_not_above_the_price_is_refused_by_name(tight: Stack) -> None:
    before = _counts(tight)
    brief = {
        "product_name": "Barista Pro",
        "price": {"amount": 179, "currency": "EUR"},
        "regular_price": {"amount": 149, "currency": "EUR"},
    }
    body = _problem(tight.a.post("/generate", json={"brief": brief}), 422)
    assert "regular_price" in str(body["detail"]) and "not above price" in str(body["detail"])
    assert _counts(tight) == before


def test_unknown_format_names_the_format(tight: Stack) -> None:
    before = _counts(tight)
    r = tight.a.post("/generate", json={"brief": {"product_name": "x"}, "formats": ["meta_nope"]})
    body = _problem(r, 422)
    assert "meta_nope" in str(body["detail"])
    _problem(tight.a.get("/creatives", params={"format": "nope_format"}), 422)
    assert _counts(tight) == before


def test_oversized_bodies_and_uploads(tight: Stack) -> None:
    before = _counts(tight)
    big = b"\xff\xd8\xff" + b"0" * 500_000
    r = tight.a.post("/assets", files={"file": ("big.jpg", big, "image/jpeg")})
    _problem(r, 413)
    # Under the request cap but over the upload cap.
    mid = b"\xff\xd8\xff" + b"0" * 350_000
    _problem(tight.a.post("/assets", files={"file": ("mid.jpg", mid, "image/jpeg")}), 413)

    # Chunked upload with no Content-Length: stopped while streaming.
    def chunks() -> Iterator[bytes]:
        for _ in range(20):
            yield b"x" * 50_000

    r = tight.a.post("/generate", content=chunks(), headers={"content-type": "application/json"})
    _problem(r, 413)
    assert _counts(tight) == before


def _png_header(width: int, height: int) -> bytes:
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    chunk = b"IHDR" + ihdr
    return (
        b"\x89PNG\r\n\x1a\n"
        + struct.pack(">I", len(ihdr))
        + chunk
        + struct.pack(">I", zlib.crc32(chunk))
        + b"\x00" * 64
    )


def test_non_images_and_pixel_bombs(tight: Stack) -> None:
    before = _counts(tight)
    r = tight.a.post("/assets", files={"file": ("a.jpg", b"this is not an image", "image/jpeg")})
    _problem(r, 422)
    r = tight.a.post("/assets", files={"file": ("bomb.png", _png_header(30_000, 30_000))})
    _problem(r, 413)
    r = tight.a.post(
        "/generate/upload",
        data={"request": '{"brief": {"product_name": "x"}}'},
        files={"image": ("x.png", b"%PDF-1.4 not an image at all")},
    )
    _problem(r, 422)
    _problem(tight.a.post("/generate/upload", data={"request": "{not json"}), 400)
    assert _counts(tight) == before


class _Redirector(http.server.BaseHTTPRequestHandler):
    target = "http://169.254.169.254/latest/meta-data/"

    def do_GET(self) -> None:
        self.send_response(302)
        self.send_header("Location", self.target)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/x.jpg",
        "http://10.0.0.7/x.jpg",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]/x.jpg",
        "http://localhost/x.jpg",
    ],
)
def test_private_urls_refused(tight: Stack, url: str) -> None:
    before = _counts(tight)
    r = tight.a.post("/generate", json={"brief": {"product_name": "x"}, "image_url": url})
    body = _problem(r, 422)
    assert str(body["type"]).endswith("unsafe-url")
    assert _counts(tight) == before


@pytest.mark.parametrize("target", ["http://169.254.169.254/latest/", "http://10.1.2.3/a.jpg"])
def test_redirect_to_private_refused(tight: Stack, target: str) -> None:
    _Redirector.target = target
    srv = http.server.HTTPServer(("127.0.0.1", 0), _Redirector)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    # Let the fetcher reach the test's redirector on loopback; its target must still be refused.
    tight.container.extras["fetch_allow_addresses"] = ("127.0.0.1",)
    try:
        url = f"http://127.0.0.1:{srv.server_address[1]}/img.jpg"
        before = _counts(tight)
        r = tight.a.post("/generate", json={"brief": {"product_name": "x"}, "image_url": url})
        body = _problem(r, 422)
        assert "public" in str(body["detail"]) or "not" in str(body["detail"])
        assert _counts(tight) == before
    finally:
        tight.container.extras.pop("fetch_allow_addresses")
        srv.shutdown()


def test_unknown_ids_are_404(tight: Stack) -> None:
    for path in (
        "/tasks/deadbeef",
        "/creatives/0123",
        "/campaigns/abc",
        "/tasks/x/events",
        "/creatives/ffff/versions/1",
        "/products/00",
        "/brand-kits/00",
        "/assets/00",
    ):
        _problem(tight.a.get(path), 404)
    _problem(tight.a.get("/no/such/route"), 404)


def test_signed_links_expire_and_cannot_be_forged(tight: Stack) -> None:
    up = tight.a.post("/assets", files={"file": ("t.jpg", tent_bytes()[:290_000])})
    if up.status_code != 201:  # the tent is bigger than this app's cap: use a tiny PNG
        import io

        from PIL import Image

        buf = io.BytesIO()
        Image.new("RGB", (40, 30), "red").save(buf, "PNG")
        up = tight.a.post("/assets", files={"file": ("t.png", buf.getvalue())})
    assert up.status_code == 201, up.text
    url = up.json()["url"]
    assert httpx.get(url).status_code == 200
    token = url.rsplit("/", 1)[1]
    payload, mac = token.split(".")
    forged = payload[:-2] + ("AA" if payload[-2:] != "AA" else "BB") + "." + mac
    _problem(httpx.get(url.replace(token, forged)), 403)
    with tight.container.sessions() as s:
        key = s.scalar(select(Asset.key).where(Asset.id == up.json()["id"]))
    expired, _ = sign(SECRET, str(key), ttl_s=-1, filename="t.png", content_type="image/png")
    body = _problem(httpx.get(url.replace(token, expired)), 403)
    assert "expired" in str(body["detail"])


def test_rate_limit_429_with_retry_after(tmp_path: Path) -> None:
    settings = Settings(
        environment="test",
        data_dir=tmp_path,
        tasks={"local_mode": "thread"},
        limits={"rate_limit_per_minute": 60},
        security={"secret_key": SECRET},
    )
    container, ka, kb = make_stack("rl", settings)
    with ServerThread(create_app(container)) as srv:
        a = httpx.Client(base_url=srv.url + "/api/v1", headers={"Authorization": f"Bearer {ka}"})
        codes = [a.get("/me").status_code for _ in range(15)]
        assert 429 in codes and codes[0] == 200
        r = a.get("/me")
        _problem(r, 429)
        assert int(r.headers["retry-after"]) >= 1
        # Another key is not affected.
        b = httpx.Client(base_url=srv.url + "/api/v1", headers={"Authorization": f"Bearer {kb}"})
        assert b.get("/me").status_code == 200
        time.sleep(1.1)
        assert a.get("/me").status_code == 200
    container.engine.dispose()
