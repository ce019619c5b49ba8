"""fetch_url: SSRF policy on every hop, streaming caps and clear errors."""

from __future__ import annotations

import ipaddress
import threading
import time
from collections.abc import Iterator, Sequence
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import ClassVar

import pytest

from adcraft.errors import ImageInputError, ImageTooLarge, UnsafeURL
from adcraft.imagery.fetch import display_url, fetch_url, is_public_address

PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00" * 100


def _no_dns(host: str, port: int) -> Sequence[str]:
    raise AssertionError(f"the URL should be refused before resolving {host}")


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/a.png",
        "http://127.1.2.3:8080/a.png",
        "http://10.0.0.1/a.png",
        "http://172.16.5.4/a.png",
        "http://192.168.1.1/a.png",
        "http://169.254.169.254/latest/meta-data/",
        "http://100.64.0.1/a.png",
        "http://0.0.0.0/a.png",
        "http://224.0.0.1/a.png",
        "http://255.255.255.255/a.png",
        "http://[::1]/a.png",
        "http://[::]/a.png",
        "http://[::ffff:127.0.0.1]/a.png",
        "http://[::ffff:169.254.169.254]/a.png",
        "http://[fe80::1]/a.png",
        "http://[fc00::1]/a.png",
        "http://[2002:7f00:1::1]/a.png",  # 6to4 wrapping 127.0.0.1
        "http://[64:ff9b::a00:1]/a.png",  # NAT64 wrapping 10.0.0.1
        "https://[::1]:8443/a.png",
    ],
)
def test_private_literal_addresses_are_refused(url: str) -> None:
    with pytest.raises(UnsafeURL, match="only public internet addresses"):
        fetch_url(url, resolver=_no_dns)


@pytest.mark.parametrize(
    "url",
    ["ftp://example.com/a.png", "file:///etc/passwd", "gopher://example.com/", "javascript:x"],
)
def test_other_schemes_are_refused(url: str) -> None:
    with pytest.raises(UnsafeURL, match="scheme"):
        fetch_url(url, resolver=_no_dns)


@pytest.mark.parametrize(
    "url",
    [
        "http://user:pass@example.com/a.png",
        "http://user@example.com/a.png",
        "https://example.com@127.0.0.1/a.png",
    ],
)
def test_userinfo_is_refused(url: str) -> None:
    with pytest.raises(UnsafeURL, match="user name or password"):
        fetch_url(url, resolver=_no_dns)


def test_names_resolving_to_private_addresses_are_refused() -> None:
    with pytest.raises(UnsafeURL, match=r"10\.1\.2\.3"):
        fetch_url("http://intranet.example/a.png", resolver=lambda h, p: ["10.1.2.3"])


def test_a_mixed_dns_answer_is_refused() -> None:
    # A public answer next to a private one must not let the private one through.
    with pytest.raises(UnsafeURL):
        fetch_url("http://cdn.example/a.png", resolver=lambda h, p: ["93.184.216.34", "127.0.0.1"])


def test_localhost_by_name_and_odd_ipv4_spellings_are_refused() -> None:
    for url in ("http://localhost/a.png", "http://2130706433/a.png", "http://0x7f.1/a.png"):
        with pytest.raises((UnsafeURL, ImageInputError)) as info:
            fetch_url(url)
        # ImageInputError only if this system cannot resolve the odd spelling at all.
        assert isinstance(info.value, UnsafeURL) or "resolve" in str(info.value)


def test_public_address_rule() -> None:
    assert is_public_address(ipaddress.ip_address("93.184.216.34"))
    assert is_public_address(ipaddress.ip_address("2606:4700:4700::1111"))
    assert not is_public_address(ipaddress.ip_address("100.127.255.255"))
    assert not is_public_address(ipaddress.ip_address("::ffff:192.168.0.1"))


def test_display_url_hides_query_and_credentials() -> None:
    assert display_url("https://u:p@x.example/a/b.png?sig=secret#f") == "https://x.example/a/b.png"


# --- against a local server ---------------------------------------------------------------


class _Handler(BaseHTTPRequestHandler):
    hosts: ClassVar[list[str]] = []
    port: ClassVar[int] = 0

    def log_message(self, format: str, *args: object) -> None:
        """Keep test output quiet."""

    def _send(self, code: int, headers: dict[str, str], body: bytes = b"") -> None:
        self.send_response(code)
        for key, value in headers.items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        """Routes for each scenario."""
        self.hosts.append(self.headers.get("Host", ""))
        port = self.port
        routes: dict[str, tuple[int, dict[str, str], bytes]] = {
            "/img.png": (200, {"Content-Type": "image/png"}, PNG_BYTES),
            "/hop": (302, {"Location": "/img.png"}, b""),
            "/to-metadata": (302, {"Location": "http://169.254.169.254/latest/meta-data"}, b""),
            "/to-intranet": (301, {"Location": "http://intranet.test/secret.png"}, b""),
            "/to-ipv6-loopback": (307, {"Location": f"http://[::1]:{port}/img.png"}, b""),
            "/to-ftp": (302, {"Location": "ftp://shop.test/img.png"}, b""),
            "/loop": (302, {"Location": "/loop"}, b""),
            "/no-location": (302, {}, b""),
            "/missing": (404, {"Content-Type": "text/plain"}, b"nope"),
            "/page": (200, {"Content-Type": "text/html; charset=utf-8"}, b"<html></html>"),
            "/declared-huge": (200, {"Content-Length": str(10**9)}, b""),
        }
        if self.path in routes:
            self._send(*routes[self.path])
        elif self.path == "/endless":
            self._stream(b"x" * 65536, 0.0)
        elif self.path == "/trickle":
            self._stream(b"x", 0.05)

    def _stream(self, piece: bytes, pause: float) -> None:
        """A body without Content-Length that goes on for a long time."""
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        self.end_headers()
        try:
            for _ in range(400):
                self.wfile.write(piece)
                self.wfile.flush()
                time.sleep(pause)
        except OSError:
            pass  # the client hung up, as it should


@pytest.fixture(scope="module")
def server() -> Iterator[int]:
    srv = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    srv.daemon_threads = True
    thread = threading.Thread(target=srv.serve_forever, daemon=True)
    thread.start()
    _Handler.port = srv.server_port
    yield srv.server_port
    srv.shutdown()
    srv.server_close()


def _resolver(host: str, port: int) -> list[str]:
    """Fake DNS: shop.test is the local test server, intranet.test a private host."""
    return {"shop.test": ["127.0.0.1"], "intranet.test": ["10.9.8.7"]}[host]


def _fetch(port: int, path: str, **kwargs: object) -> bytes:
    return fetch_url(
        f"http://shop.test:{port}{path}",
        resolver=_resolver,
        allow_addresses={"127.0.0.1"},  # only the test server itself
        **kwargs,  # type: ignore[arg-type]
    )


def test_fetches_from_the_checked_address_with_the_host_header(server: int) -> None:
    _Handler.hosts.clear()
    assert _fetch(server, "/img.png") == PNG_BYTES
    assert _Handler.hosts == [f"shop.test:{server}"]


def test_follows_a_safe_redirect(server: int) -> None:
    assert _fetch(server, "/hop") == PNG_BYTES


@pytest.mark.parametrize("path", ["/to-metadata", "/to-intranet", "/to-ipv6-loopback", "/to-ftp"])
def test_redirect_to_an_unsafe_target_is_refused(server: int, path: str) -> None:
    with pytest.raises(UnsafeURL):
        _fetch(server, path)


def test_redirect_limit(server: int) -> None:
    with pytest.raises(ImageInputError, match="redirects more than 3 times"):
        _fetch(server, "/loop")
    with pytest.raises(ImageInputError, match="without a Location"):
        _fetch(server, "/no-location")


def test_without_the_allowance_the_test_server_itself_is_refused(server: int) -> None:
    with pytest.raises(UnsafeURL):
        fetch_url(f"http://shop.test:{server}/img.png", resolver=_resolver)


def test_http_errors_and_web_pages(server: int) -> None:
    with pytest.raises(ImageInputError, match="HTTP 404"):
        _fetch(server, "/missing")
    with pytest.raises(ImageInputError, match="web page"):
        _fetch(server, "/page")


def test_body_is_capped_while_streaming(server: int) -> None:
    with pytest.raises(ImageTooLarge, match="more than 1 MiB"):
        _fetch(server, "/endless", max_bytes=2**20)


def test_declared_length_over_the_cap_fails_early(server: int) -> None:
    with pytest.raises(ImageTooLarge):
        _fetch(server, "/declared-huge", max_bytes=2**20)


def test_total_time_is_bounded(server: int) -> None:
    start = time.monotonic()
    with pytest.raises(ImageInputError, match="timed out"):
        _fetch(server, "/trickle", total_s=0.5)
    # The trickle goes on for 20 s: stopping well before says the bound held, with room for a
    # loaded machine (no timing tighter than that).
    assert time.monotonic() - start < 10.0


def test_https_to_a_plain_http_server_fails_cleanly(server: int) -> None:
    with pytest.raises(ImageInputError, match=r"secure connection|failed"):
        fetch_url(
            f"https://shop.test:{server}/img.png",
            resolver=_resolver,
            allow_addresses={"127.0.0.1"},
        )


def test_control_characters_in_the_path_are_refused(server: int) -> None:
    with pytest.raises(UnsafeURL, match="not a valid URL"):
        _fetch(server, "/img.png\r\nX-Injected: 1")


def test_unresolvable_host() -> None:
    def fail(host: str, port: int) -> list[str]:
        raise OSError("no such host")

    with pytest.raises(ImageInputError, match="cannot resolve"):
        fetch_url("http://nowhere.invalid/a.png", resolver=fail)


# Coded refusals: the web app says them in the page's language from the code and its values,
# which name no more of the link than the English message does.


def test_a_private_address_is_refused_with_its_code() -> None:
    with pytest.raises(UnsafeURL) as got:
        fetch_url("http://intranet.example/a.png?token=s3cret", resolver=lambda h, p: ["10.1.2.3"])
    assert got.value.code == "image_url_not_public"
    assert got.value.params == {"url": "http://intranet.example/a.png", "address": "10.1.2.3"}
    with pytest.raises(UnsafeURL) as got:
        fetch_url("ftp://example.com/a.png", resolver=_no_dns)
    assert (got.value.code, got.value.params) == ("image_url_scheme", {"scheme": "ftp"})


def test_a_web_page_or_a_missing_image_is_refused_with_its_code(server: int) -> None:
    url = "http://shop.test"  # as shown: without the port
    with pytest.raises(ImageInputError) as got:
        _fetch(server, "/page")
    assert got.value.code == "image_url_web_page"
    assert got.value.params == {"url": f"{url}/page", "content_type": "text/html"}
    with pytest.raises(ImageInputError) as got:
        _fetch(server, "/missing")
    assert got.value.code == "image_url_http_error"
    assert (got.value.params["status"], got.value.params["url"]) == (404, f"{url}/missing")
    with pytest.raises(ImageInputError) as got:
        _fetch(server, "/loop")
    assert (got.value.code, got.value.params) == (
        "image_url_too_many_redirects",
        {"url": f"{url}/loop", "max": 3},
    )
    with pytest.raises(ImageTooLarge) as got:
        _fetch(server, "/endless", max_bytes=2**20)
    assert got.value.code == "image_url_sends_too_much"
