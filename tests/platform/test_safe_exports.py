"""Safe exports and links: formula-proof CSV, RFC 6266 download names, opaque signed links,
tokens kept out of access logs, Idempotency-Key reuse refused, an owner-only database file."""

from __future__ import annotations

import base64
import csv
import io
import logging
import stat
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote

import pytest

from adcraft.api import accesslog
from adcraft.api.routes.exports import _csv
from adcraft.config import Settings
from adcraft.db.models import CreativeRow, Version
from adcraft.errors import LinkRejected
from adcraft.spreadsheet import spreadsheet_safe
from adcraft.store.signing import sign, verify
from tests.platform.conftest import SECRET, Stack, make_stack, settings_env, tent_bytes
from tests.platform.servers import ServerThread

HOSTILE = ['=HYPERLINK("http://x","y")', "+1+2", "-2+3", "@SUM(A1)", "\tTAB", "\rCR"]


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    from adcraft.api import create_app

    tmp: Path = tmp_path_factory.mktemp("exports")
    settings = Settings(
        environment="test",
        data_dir=tmp,
        tasks={"local_workers": 1, "local_mode": "thread"},
        security={"secret_key": SECRET},
    )
    container, ka, kb = make_stack("exports", settings)
    with ServerThread(create_app(container)) as srv:
        yield Stack("exports", srv.url, ka, kb, container, settings, settings_env(settings))
    container.engine.dispose()


def test_csv_cells_never_start_a_formula() -> None:
    row = CreativeRow(
        format="meta_feed_square", platform="meta", width=1080, height=1080, variant=1
    )
    version = Version(
        number=1,
        score=0.5,
        image_format="jpeg",
        platform_text={"primary_text": HOSTILE[0], "headline": HOSTILE[1]},
        copy_fields={
            "headline": HOSTILE[2],
            "cta": HOSTILE[3],
            "badge": HOSTILE[4],
            "x": HOSTILE[5],
        },
    )
    text = _csv([(row, version)]).decode("utf-8-sig")
    cells = [c for r in csv.reader(io.StringIO(text, newline="")) for c in r]
    for value in HOSTILE:
        assert "'" + value in cells  # kept, as text
    assert not [c for c in cells if c[:1] in ("=", "+", "-", "@", "\t", "\r")]
    assert spreadsheet_safe(-3.5) == -3.5 and spreadsheet_safe("Tent") == "Tent"


@pytest.mark.parametrize(
    "name",
    ["Палатка Трейл.jpg", "帐篷 照片.jpg", 'tent"; filename="evil.html.jpg', "ok.jpg"],
)
def test_uploaded_names_download_with_the_right_name(api: Stack, name: str) -> None:
    up = api.a.post("/assets", files={"file": (name, tent_bytes(), "image/jpeg")})
    assert up.status_code == 201, up.text
    link = api.a.get(f"/assets/{up.json()['id']}").json()["url"]
    assert "tent" not in link.rsplit("/", 1)[-1].lower()  # nothing readable in the token
    r = api.a.get(link)
    assert r.status_code == 200, r.text
    disposition = r.headers["content-disposition"]
    assert disposition.count("filename=") == 1 and disposition.count("filename*=") == 1
    exact = disposition.split("filename*=UTF-8''", 1)[1]
    assert unquote(exact) == name.replace('"', "%22")  # as multipart clients send a quote
    fallback = disposition.split('filename="', 1)[1].split('"', 1)[0]
    assert fallback.isascii() and fallback.endswith(".jpg")
    assert r.headers["x-content-type-options"] == "nosniff"


def test_signed_links_are_opaque_and_tamper_proof() -> None:
    key = "tenant123/ab/cdef0123456789.png"
    token, _ = sign(SECRET, key, ttl_s=60, filename="Палатка.png", content_type="image/png")
    body = token.split(".", 1)[0]
    decoded = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
    assert (
        b"tenant123" not in decoded and b"cdef0123" not in decoded and b"image/png" not in decoded
    )
    assert verify(SECRET, token) == (key, "Палатка.png", "image/png")
    flipped = ("A" if body[5] != "A" else "B").join((body[:5], body[6:])) + token[len(body) :]
    for bad in (flipped, token + "x", "nonsense", token.replace(".", "")):
        with pytest.raises(LinkRejected):
            verify(SECRET, bad)
    with pytest.raises(LinkRejected, match="expired"):
        verify(SECRET, token, now=10**12)


def test_access_log_never_holds_a_link_token(caplog: pytest.LogCaptureFixture) -> None:
    accesslog.install("test.access")
    logger = logging.getLogger("test.access")
    with caplog.at_level(logging.INFO, logger="test.access"):
        logger.info(
            '%s - "%s %s HTTP/%s" %d', "1.2.3.4", "GET", "/api/v1/files/SECRET.TOKEN", "1.1", 200
        )
    assert "SECRET.TOKEN" not in caplog.text and "/api/v1/files/<redacted>" in caplog.text


def test_idempotency_key_reused_with_another_request_is_refused(api: Stack) -> None:
    first = {"brief": {"product_name": "Trail Tent"}, "formats": ["1:1"], "variants": 1}
    headers = {"Idempotency-Key": "order-42"}
    r1 = api.a.post("/generate", json=first, headers=headers)
    assert r1.status_code == 202, r1.text
    again = api.a.post("/generate", json=first, headers=headers)
    assert again.status_code == 202 and again.json()["id"] == r1.json()["id"]
    assert again.headers["idempotent-replayed"] == "true"
    other = api.a.post("/generate", json={**first, "variants": 2}, headers=headers)
    assert other.status_code == 422, other.text
    assert "Idempotency-Key" in other.json()["detail"]


def test_database_file_is_owner_only(api: Stack) -> None:
    db = api.settings.data_dir / "adcraft.db"
    assert stat.S_IMODE(db.stat().st_mode) == 0o600
