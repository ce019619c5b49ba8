"""Catalogue runs for the browser tests: a loopback image host whose broken picture can be
fixed, and a small feed queued as a paused run through the API.

A run is queued paused so that nothing races the page: no worker starts until the test (or the
page) resumes it, so the counts the page first shows are known exactly.
"""

from __future__ import annotations

import io
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx
from PIL import Image, ImageDraw

from tests.fixtures.feeds.make_feeds import merchant_xml

PRODUCTS = 4
BROKEN = "SKU-00003"
"""The product whose picture answers 404 until the host fixes it."""


def _png(i: int) -> bytes:
    img = Image.new("RGB", (240, 240), (244, 242, 238))
    ImageDraw.Draw(img).ellipse((50, 40, 190, 200), fill=(40 + 50 * i, 90, 160))
    buf = io.BytesIO()
    img.save(buf, "PNG")
    return buf.getvalue()


@dataclass
class ImageHost:
    """Product pictures on 127.0.0.1; /img/missing.png is a 404 until ``fix()``."""

    url: str = ""
    images: dict[str, bytes] = field(
        default_factory=lambda: {f"/img/{i}.png": _png(i) for i in range(PRODUCTS)}
    )

    def fix(self) -> None:
        """The retailer uploads the missing picture."""
        self.images["/img/missing.png"] = _png(9)

    def feed(self) -> bytes:
        """A Merchant Center feed of PRODUCTS products; BROKEN links the missing picture."""
        xml = merchant_xml(PRODUCTS, self.url)
        return xml.replace(f"{self.url}/img/3.png".encode(), f"{self.url}/img/missing.png".encode())


@contextmanager
def image_host() -> Iterator[ImageHost]:
    """Serve an ImageHost until the block ends."""
    host = ImageHost()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = host.images.get(self.path)
            if body is None:
                self.send_error(404)
                return
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    host.url = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        yield host
    finally:
        server.shutdown()
        server.server_close()


def queue_run(api: httpx.Client, host: ImageHost, variants: int = 1) -> dict[str, Any]:
    """Upload the host's feed and queue it as a paused run (one square format); the run."""
    up = api.post("/catalog/feeds", files={"file": ("feed.xml", host.feed())})
    assert up.status_code == 201, up.text
    assert up.json()["report"]["products"] == PRODUCTS, up.text
    res = api.post(
        "/catalog/runs",
        json={
            "feed_id": up.json()["feed_id"],
            "formats": ["meta_feed_square"],
            "variants": variants,
            "workers": 1,
            "paused": True,
        },
    )
    assert res.status_code == 202, res.text
    run: dict[str, Any] = res.json()
    assert run["status"] == "paused" and run["progress"]["pending"] == PRODUCTS
    return run


def wait_run(api: httpx.Client, run_id: str, status: str, timeout_s: float = 300) -> dict[str, Any]:
    """The run once the API reports ``status`` with no product in hand."""
    deadline = time.monotonic() + timeout_s
    while True:
        run: dict[str, Any] = api.get(f"/catalog/runs/{run_id}").json()
        if run["status"] == status and not run["progress"]["running"]:
            return run
        assert time.monotonic() < deadline, f"run {run_id} never got {status}: {run}"
        time.sleep(0.2)
