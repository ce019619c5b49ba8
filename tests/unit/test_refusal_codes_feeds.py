"""A product feed that cannot be read or fetched is refused with a code and its values, so a
client says it in its language (the English detail stays for the CLI and older clients)."""

from __future__ import annotations

import http.server
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from adcraft.catalog.feeds.download import download_feed
from adcraft.catalog.feeds.importer import FeedOptions, read_all
from adcraft.errors import FeedError


def _refused(tmp_path: Path, text: str, **options: Any) -> FeedError:
    feed = tmp_path / "feed"
    feed.write_text(text, encoding="utf-8")
    with pytest.raises(FeedError) as got:
        read_all(feed, FeedOptions(**options))
    return got.value


def test_a_feed_whose_format_cannot_be_told(tmp_path: Path) -> None:
    err = _refused(tmp_path, "just some words\nand more\n")
    assert err.code == "feed_format_unknown"
    assert "merchant_xml" in str(err.params["dialects"])


def test_a_generic_csv_feed_without_a_mapping(tmp_path: Path) -> None:
    err = _refused(tmp_path, "sku,name\nlamp-7,Desk Lamp\n")
    assert (err.code, err.params) == ("feed_needs_mapping", {})


def test_a_feed_that_is_not_valid_csv(tmp_path: Path) -> None:
    # A cell above the reader's 10 MiB limit: a whole file run into one unclosed quote.
    err = _refused(tmp_path, 'id,title\n1,"' + "x" * (10 * 2**20 + 1) + "\n", dialect="meta_csv")
    assert err.code == "feed_csv_invalid" and isinstance(err.params["line"], int)


def test_an_xml_feed_with_entities_or_broken(tmp_path: Path) -> None:
    bomb = '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaa">]><rss><channel>&a;</channel></rss>'
    err = _refused(tmp_path, bomb)
    assert err.code == "feed_xml_unsafe" and err.params["reason"]
    err = _refused(tmp_path, "<rss><channel><item><g:id>1</item></channel></rss>")
    assert err.code == "feed_xml_malformed"


class _Answers(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        if self.path == "/gone.xml":
            self.send_response(404)
            self.send_header("Content-Length", "0")
            self.end_headers()
        else:  # /loop: redirects to itself
            self.send_response(302)
            self.send_header("Location", "/loop")
            self.send_header("Content-Length", "0")
            self.end_headers()

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def shop(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    monkeypatch.setenv("ADCRAFT_CATALOG_ALLOW_LOOPBACK", "1")
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Answers)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_a_feed_link_that_is_missing_or_redirects_forever(shop: str, tmp_path: Path) -> None:
    with pytest.raises(FeedError) as got:
        download_feed(f"{shop}/gone.xml", tmp_path / "feed")
    assert (got.value.code, got.value.params) == (
        "feed_url_http_error",
        {"url": "http://127.0.0.1/gone.xml", "status": 404},  # as shown: without the port
    )
    with pytest.raises(FeedError) as got:
        download_feed(f"{shop}/loop", tmp_path / "feed", max_redirects=2)
    assert (got.value.code, got.value.params) == (
        "feed_url_too_many_redirects",
        {"url": "http://127.0.0.1/loop", "max": 2},
    )
