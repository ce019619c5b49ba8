"""The refusals of the settings and brand kit pages, and of a file or body above its cap,
carry a code and its values, so the web app says them in the page's language (the English
detail stays for the CLI and older clients)."""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from types import SimpleNamespace
from typing import Any, cast

import anyio
import pytest
from fastapi import FastAPI, Request
from fastapi.testclient import TestClient
from starlette.exceptions import HTTPException

from adcraft.api.admission import AdmissionMiddleware
from adcraft.api.intake import ingest_image
from adcraft.api.problems import install
from adcraft.api.routes.brand_kits import _check_assets
from adcraft.api.schemas import BrandKitIn
from adcraft.api.uploaded import UploadIn, create_uploaded
from adcraft.config import LimitSettings, ProviderSettings
from adcraft.db.tenants import Principal
from adcraft.errors import AdcraftError, InputError, PayloadTooLarge
from adcraft.tenants.checks import check_base_url, check_remover

NOTHING = cast(Any, None)  # the refusal comes before any database or store is touched


def _coded(err: AdcraftError) -> tuple[str | None, dict[str, Any]]:
    return err.code, dict(err.params)


# The settings page: the workspace's own copywriter endpoint and background remover.


def test_a_base_url_that_is_not_a_web_address() -> None:
    with pytest.raises(InputError) as got:
        check_base_url("ftp://models.example/v1", ProviderSettings())
    assert _coded(got.value) == ("llm_url_invalid", {"url": "ftp://models.example/v1"})
    assert str(got.value).startswith("llm.base_url 'ftp://models.example/v1' must be an http(s)")


def test_a_base_url_with_a_password_in_it() -> None:
    with pytest.raises(InputError) as got:
        check_base_url("https://me:secret@models.example/v1", ProviderSettings())
    assert _coded(got.value) == ("llm_url_credentials", {})


def test_a_base_url_on_a_private_address() -> None:
    with pytest.raises(InputError) as got:
        check_base_url("http://127.0.0.1:8080/v1", ProviderSettings())
    assert _coded(got.value) == ("llm_url_private", {"host": "127.0.0.1", "address": "127.0.0.1"})


def test_a_remover_a_workspace_may_not_choose() -> None:
    with pytest.raises(InputError) as got:
        check_remover("onnx:/srv/models/mine.onnx")
    assert _coded(got.value) == (
        "remover_not_allowed",
        {"name": "onnx:/srv/models/mine.onnx", "choices": "studio, u2netp"},
    )


# The brand kit page: a logo and fonts by the files they name.


def _session_with(asset: Any) -> Any:
    return SimpleNamespace(scalars=lambda query: SimpleNamespace(first=lambda: asset))


@pytest.mark.parametrize(
    ("slot", "kind", "code"),
    [
        ("logo_asset_id", "font", "brand_kit_logo_not_picture"),
        ("heading_font_asset_id", "image", "brand_kit_heading_font_not_font"),
        ("body_font_asset_id", "logo", "brand_kit_body_font_not_font"),
    ],
)
def test_a_brand_kit_file_of_the_wrong_kind(slot: str, kind: str, code: str) -> None:
    body = BrandKitIn.model_validate({"name": "Trail", slot: "a1b2"})
    with pytest.raises(InputError) as got:
        _check_assets(_session_with(SimpleNamespace(id="a1b2", kind=kind)), "t1", body)
    assert _coded(got.value) == (code, {"asset": "a1b2"})


# A picture above the upload cap: named by its file, with the 413 it always had.


def _container(max_bytes: int) -> Any:
    limits = SimpleNamespace(max_upload_bytes=max_bytes, max_pixels=10**8)
    return SimpleNamespace(settings=SimpleNamespace(limits=limits))


def test_a_picture_above_the_cap_is_named_by_its_file() -> None:
    with pytest.raises(PayloadTooLarge) as got:
        ingest_image(_container(2**20), NOTHING, "t1", b"x" * (2**20 + 1), filename="hero.png")
    assert _coded(got.value) == ("file_too_big", {"name": "hero.png", "max_mib": "1"})


def test_an_uploaded_ad_above_the_cap_is_named_by_its_file() -> None:
    form = UploadIn(
        format_id="meta_feed_square", landing_url="https://shop.example/", filename="ad.png"
    )
    with pytest.raises(PayloadTooLarge) as got:
        create_uploaded(_container(2**20), NOTHING, "t1", b"x" * (2**20 + 1), form)
    assert _coded(got.value) == ("file_too_big", {"name": "ad.png", "max_mib": "1"})


# A request body above its cap, refused by the admission middleware before the app sees it.

MARKETER = Principal(tenant_id="t1", tenant_name="Shop", key_id="user:u1", key_prefix="")


def _send_to_admission(headers: list[tuple[bytes, bytes]], chunks: list[bytes]) -> list[Any]:
    """What the middleware answers (and what the app raised) for a POST with these chunks."""
    raised: list[Any] = []
    sent: list[Any] = []

    async def app(scope: Any, receive: Any, send: Any) -> None:
        try:
            while (await receive()).get("more_body"):
                pass
        except HTTPException as exc:  # FastAPI turns it into the problem+json 413
            raised.append(exc)

    async def receive() -> dict[str, Any]:
        body = chunks.pop(0)
        return {"type": "http.request", "body": body, "more_body": bool(chunks)}

    async def send(msg: Any) -> None:
        sent.append(msg)

    limits = LimitSettings(max_request_bytes=2 * 2**20, max_json_bytes=2**20)
    mw = AdmissionMiddleware(app, limits=limits, authenticate=lambda key: MARKETER)
    scope = {
        "type": "http",
        "method": "POST",
        "path": "/api/v1/assets",
        "query_string": b"",
        "headers": [(b"authorization", b"Bearer k"), *headers],
    }
    # In a thread of its own: a browser test before this one in the same test process leaves
    # Playwright's event loop running on the main thread, where anyio.run refuses to start.
    with ThreadPoolExecutor(1) as pool:
        pool.submit(anyio.run, mw, scope, receive, send).result()
    return raised or [json.loads(m["body"]) for m in sent if m["type"] == "http.response.body"]


def test_an_upload_declared_above_the_cap_is_refused_with_its_code() -> None:
    headers = [
        (b"content-type", b"multipart/form-data; boundary=x"),
        (b"content-length", str(3 * 2**20).encode()),
    ]
    (body,) = _send_to_admission(headers, [b""])
    assert body["status"] == 413
    assert (body["code"], body["params"]) == ("upload_too_big", {"max_mib": "2"})
    assert body["detail"] == "the upload is above the 2 MiB limit: send a smaller body"


def test_a_body_that_grows_above_the_cap_is_refused_with_its_code() -> None:
    headers = [(b"content-type", b"application/octet-stream")]
    (exc,) = _send_to_admission(headers, [b"x" * 2**19] * 3)
    assert exc.status_code == 413
    assert (getattr(exc, "code", None), getattr(exc, "params", None)) == (
        "request_too_big",
        {"max_mib": "1"},
    )


def test_a_body_read_by_a_route_above_the_cap_is_answered_with_its_code() -> None:
    inner = FastAPI()
    install(inner)

    @inner.post("/api/v1/assets")
    async def take(request: Request) -> dict[str, int]:
        return {"bytes": len(await request.body())}

    limits = LimitSettings(max_request_bytes=2 * 2**20, max_json_bytes=2**20)
    app = AdmissionMiddleware(inner, limits=limits, authenticate=lambda key: MARKETER)
    with TestClient(app) as client:
        r = client.post(
            "/api/v1/assets",
            content=iter([b"x" * (2**20 + 1)]),  # no Content-Length: counted as it arrives
            headers={"Authorization": "Bearer k", "Content-Type": "application/octet-stream"},
        )
    assert r.status_code == 413, r.text
    assert (r.json()["code"], r.json()["params"]) == ("request_too_big", {"max_mib": "1"})
