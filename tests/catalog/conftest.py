"""A loopback image server for feed products, and the explicit loopback switch."""

from __future__ import annotations

import io
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from PIL import Image, ImageDraw


def _png(i: int) -> bytes:
    """A small product photo: a colored object on a light studio background."""
    img = Image.new("RGB", (320, 320), (244, 242, 238))
    d = ImageDraw.Draw(img)
    color = ((40 + 37 * i) % 256, (90 + 53 * i) % 256, (160 + 29 * i) % 256)
    d.ellipse((70, 60, 250, 270), fill=color)
    d.rectangle((120, 150, 200, 290), fill=tuple(c // 2 for c in color))
    buf = io.BytesIO()
    img.save(buf, "PNG")
    return buf.getvalue()


IMAGES = {f"/img/{i}.png": _png(i) for i in range(12)}
FEEDS: dict[str, bytes] = {}
"""Feeds a test publishes at /feeds/<name> (served as text/xml)."""


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        feed = FEEDS.get(self.path.removeprefix("/feeds/"))
        body = IMAGES.get(self.path) if feed is None else feed
        if body is None:
            self.send_error(404)
            return
        self.send_response(200)
        self.send_header("Content-Type", "image/png" if feed is None else "text/xml")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="session")
def image_server() -> Iterator[str]:
    """Base URL of a loopback server with /img/0.png ... /img/11.png (404 otherwise)."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture()
def loopback_allowed(monkeypatch: pytest.MonkeyPatch) -> None:
    """The explicit test switch that lets fetches and webhooks reach 127.0.0.1."""
    monkeypatch.setenv("ADCRAFT_CATALOG_ALLOW_LOOPBACK", "1")


@pytest.fixture(scope="module")
def moto_s3() -> Iterator[str]:
    """Endpoint URL of moto's S3 server on loopback (skipped without moto[server])."""
    from tests.platform.servers import moto_s3_server

    with moto_s3_server() as url:
        yield url
