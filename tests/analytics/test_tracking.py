"""Impression pixel and click redirect: signed tokens, no open redirect, bots and repeats."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from adcraft.analytics.tracking import TrackingClaims, sign
from tests.analytics.app_fixtures import App, add_creative, start_app

BROWSER = {"user-agent": "Mozilla/5.0 (X11; Linux x86_64) Firefox/130.0"}
LANDING = "https://shop.example/spring"


@pytest.fixture
def app(tmp_path: Path) -> Iterator[App]:
    yield from start_app(tmp_path)


def _counts(app: App) -> tuple[int, int]:
    app.client.app.state.analytics.sink.flush()  # type: ignore[attr-defined]
    rows = app.client.app.state.analytics.store.query(  # type: ignore[attr-defined]
        "SELECT countIf(type='impression') AS i, countIf(type='click') AS c FROM events"
    )
    return rows[0]["i"], rows[0]["c"]


def _links(app: App, creative: str, **body: object) -> dict[str, str]:
    r = app.post("/tracking/links", app.key_a, json={"creative_id": creative, **body})
    assert r.status_code == 201, r.text
    out: dict[str, str] = r.json()
    return out


def _path(url: str) -> str:
    return "/" + url.split("://", 1)[1].split("/", 1)[1]


def test_pixel_and_click_record_once_per_viewer_window(app: App) -> None:
    creative = add_creative(app.container, app.tenant_a, landing_url=LANDING)
    links = _links(app, creative, placement="feed", experiment_id="x1", arm_id="a")
    for _ in range(3):
        r = app.client.get(_path(links["impression_url"]), headers=BROWSER)
        assert r.status_code == 200 and r.headers["content-type"] == "image/gif"
    other_viewer = {"user-agent": BROWSER["user-agent"] + " other"}
    app.client.get(_path(links["impression_url"]), headers=other_viewer)
    r = app.client.get(_path(links["click_url"]), headers=BROWSER, follow_redirects=False)
    assert r.status_code == 302 and r.headers["location"] == LANDING
    ok = app.client.get(
        _path(links["click_url"]), params={"to": LANDING}, headers=BROWSER, follow_redirects=False
    )
    assert ok.status_code == 302
    assert _counts(app) == (2, 1)
    row = app.client.app.state.analytics.store.query(  # type: ignore[attr-defined]
        "SELECT tenant_id, creative_id, arm_id, placement, format_id, user_hash FROM events "
        "WHERE type = 'click'"
    )[0]
    assert row["tenant_id"] == app.tenant_a and row["creative_id"] == creative
    assert (row["arm_id"], row["placement"], row["format_id"]) == ("a", "feed", "meta_feed_square")
    assert len(row["user_hash"]) == 32 and "127.0.0.1" not in row["user_hash"]


def test_bots_get_the_pixel_but_record_nothing(app: App) -> None:
    creative = add_creative(app.container, app.tenant_a, landing_url=LANDING)
    links = _links(app, creative)
    for agent in ("Googlebot/2.1", "", "curl/8.0", "HeadlessChrome/120"):
        r = app.client.get(_path(links["impression_url"]), headers={"user-agent": agent})
        assert r.status_code == 200
    assert _counts(app) == (0, 0)


def test_refusals_record_nothing(app: App) -> None:
    mine = add_creative(app.container, app.tenant_a, landing_url=LANDING)
    theirs = add_creative(app.container, app.tenant_b, landing_url="https://b.example/")
    links = _links(app, mine)
    token = links["token"]
    body, mac = token.split(".")
    tampered = body[:-2] + ("AA" if body[-2:] != "AA" else "BB") + "." + mac
    expired = sign(
        TrackingClaims(tenant_id=app.tenant_a, creative_id=mine, expires=int(time.time()) - 1),
        app.container.secret,
    )
    forged_tenant = sign(
        TrackingClaims(tenant_id=app.tenant_a, creative_id=theirs, expires=int(time.time()) + 60),
        app.container.secret,
    )
    wrong_key = sign(
        TrackingClaims(tenant_id=app.tenant_a, creative_id=mine, expires=int(time.time()) + 60),
        "another-secret-" + "y" * 40,
    )
    cases = {
        "tampered": (f"/t/c/{tampered}", {}, 400),
        "expired": (f"/t/c/{expired}", {}, 400),
        "other key": (f"/t/c/{wrong_key}", {}, 400),
        "foreign landing": (f"/t/c/{token}", {"to": "https://evil.example/"}, 422),
        "other tenant's creative": (f"/t/c/{forged_tenant}", {}, 404),
        "pixel tampered": (f"/t/i/{tampered}", {}, 400),
        "garbage": ("/t/c/not-a-token", {}, 400),
    }
    for name, (path, params, status) in cases.items():
        r = app.client.get(path, params=params, headers=BROWSER, follow_redirects=False)
        assert r.status_code == status, (name, r.text)
        assert "location" not in r.headers, name
    assert _counts(app) == (0, 0)
    # Links cannot be issued for another tenant's creative either.
    r = app.post("/tracking/links", app.key_a, json={"creative_id": theirs})
    assert r.status_code == 404


def test_landing_url_setting_and_fallback(app: App) -> None:
    creative = add_creative(app.container, app.tenant_a)
    links = _links(app, creative)
    r = app.client.get(_path(links["click_url"]), headers=BROWSER, follow_redirects=False)
    assert r.status_code == 404 and "landing URL" in r.json()["detail"]
    r = app.client.put(
        f"/api/v1/tracking/creatives/{creative}/landing-url",
        json={"url": "javascript:alert(1)"},
        headers=app.headers(app.key_a),
    )
    assert r.status_code == 422
    r = app.client.put(
        f"/api/v1/tracking/creatives/{creative}/landing-url",
        json={"url": LANDING + "?utm=1"},
        headers=app.headers(app.key_b),
    )
    assert r.status_code == 404
    r = app.client.put(
        f"/api/v1/tracking/creatives/{creative}/landing-url",
        json={"url": LANDING + "?utm=1"},
        headers=app.headers(app.key_a),
    )
    assert r.status_code == 200
    r = app.client.get(_path(links["click_url"]), headers=BROWSER, follow_redirects=False)
    assert r.headers["location"] == LANDING + "?utm=1"
    assert _counts(app) == (0, 1)
