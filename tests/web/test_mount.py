"""mount_web: the app at /, API routes untouched, no file outside the web folder reachable."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from adcraft.api.web import WEB_DIR, _resolve
from tests.web.harness import WebServer


@pytest.fixture(scope="module")
def client(server: WebServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server.url, timeout=10) as c:
        yield c


def test_index_with_security_headers(client: httpx.Client) -> None:
    r = client.get("/")
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/html")
    assert '<script type="module" src="/app.js">' in r.text
    csp = r.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert r.headers["x-content-type-options"] == "nosniff"


def test_modules_and_styles_have_their_types(client: httpx.Client) -> None:
    for path, ctype in (
        ("/app.js", "text/javascript"),
        ("/views/new.js", "text/javascript"),
        ("/styles.css", "text/css"),
        ("/i18n.js", "text/javascript"),
    ):
        r = client.get(path)
        assert r.status_code == 200, path
        assert r.headers["content-type"].startswith(ctype), path


def test_deep_link_gets_the_app_missing_file_gets_404(client: httpx.Client) -> None:
    assert "<main" in client.get("/campaigns/some-id").text
    assert client.get("/nope.js").status_code == 404


def test_api_routes_win(client: httpx.Client) -> None:
    r = client.get("/api/v1/no-such-route")
    assert r.status_code == 404
    assert r.headers["content-type"] == "application/problem+json"
    assert client.get("/healthz").json()["status"] == "ok"
    assert client.get("/openapi.json").json()["info"]["title"] == "adcraft"
    assert client.get("/api/v1/me").status_code == 401


def test_resolve_refuses_escapes() -> None:
    root = WEB_DIR.resolve()
    assert _resolve(root, "app.js") == root / "app.js"
    for rel in ("../api/web.py", "views/../../cli.py", "/etc/passwd", "views/", ""):
        assert _resolve(root, rel) is None, rel


def test_no_path_escapes_the_web_folder(client: httpx.Client) -> None:
    for path in (
        "/../api/web.py",
        "/%2e%2e/api/web.py",
        "/..%2fapi%2fweb.py",
        "/views/../../cli.py",
    ):
        r = client.get(path)
        assert "mount_web" not in r.text and "typer" not in r.text, path
