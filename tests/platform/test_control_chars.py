"""NUL and other control characters: 422 at validation on every field and path parameter, on
SQLite and on PostgreSQL (which cannot store a NUL in text and answered 500)."""

from __future__ import annotations

import httpx
import pytest

from adcraft.api.textcheck import ControlCharacter, check_url, find_control
from tests.platform.conftest import DoneSet, Stack, tent_bytes

BAD = ["\x00", "\x01", "\x1b", "\x7f"]


def _is_422(r: httpx.Response) -> None:
    assert r.status_code == 422, (r.status_code, r.text)
    assert r.headers["content-type"] == "application/problem+json"
    assert "control character" in r.json()["detail"]


@pytest.mark.parametrize("bad", BAD)
def test_json_fields_and_keys(stack: Stack, done_set: DoneSet, bad: str) -> None:
    a = stack.a
    creative = done_set.creatives[0]["id"]
    _is_422(a.post("/generate", json={"brief": {"product_name": f"Tent{bad}"}}))
    _is_422(a.post("/generate", json={"brief": {"product_name": "Tent", "offer": f"-20%{bad}"}}))
    _is_422(a.post("/campaigns", json={"name": f"Summer{bad}"}))
    _is_422(a.patch(f"/campaigns/{done_set.campaign_id}", json={"name": f"x{bad}"}))
    _is_422(a.post("/brand-kits", json={"name": f"Kit{bad}"}))
    _is_422(a.post("/products", json={"sku": f"S{bad}1", "name": "Tent"}))
    _is_422(a.post("/feedback", json={"creative_id": creative, "kind": "report", "message": bad}))
    _is_422(
        a.post(
            f"/creatives/{creative}/versions",
            json={"action": "edit", "copy": {"headline": f"Hi{bad}"}},
        )
    )
    _is_422(a.post("/campaigns", json={f"na{bad}me": "x"}))


@pytest.mark.parametrize("bad", ["%00", "%01", "%1B"])
def test_path_and_query_parameters(stack: Stack, bad: str) -> None:
    a = stack.a
    for path in (
        f"/tasks/abc{bad}",
        f"/creatives/abc{bad}",
        f"/campaigns/{bad}",
        f"/assets/a{bad}",
    ):
        _is_422(a.get(path))
    _is_422(a.get("/creatives", params={"format": "1:1\x00"}))
    with httpx.Client(base_url=stack.url) as anonymous:
        _is_422(anonymous.get(f"/{bad}"))  # web app paths too (no key needed to be refused)
        _is_422(anonymous.get(f"/files/x{bad}"))


def test_multipart_fields(stack: Stack) -> None:
    a = stack.a
    r = a.post(
        "/assets",
        files={"file": ("tent.jpg", tent_bytes(), "image/jpeg")},
        data={"caption": "green\x00tent"},
    )
    _is_422(r)
    r = a.post(
        "/generate/upload",
        files={"image": ("tent.jpg", tent_bytes(), "image/jpeg")},
        data={"request": '{"brief": {"product_name": "Tent\\u0000"}}'},
    )
    assert r.status_code == 422, r.text
    # A file name is kept, not validated: its control characters are dropped.
    # (built by hand: HTTP clients percent-encode control characters in file names)
    head = 'Content-Disposition: form-data; name="file"; filename="te\x01nt.jpg"'
    body = (
        f"--b0\r\n{head}\r\nContent-Type: image/jpeg\r\n\r\n".encode()
        + tent_bytes()
        + b"\r\n--b0--\r\n"
    )
    r = a.post(
        "/assets", content=body, headers={"content-type": "multipart/form-data; boundary=b0"}
    )
    assert r.status_code == 201, r.text
    assert r.json()["filename"] == "tent.jpg"


def test_allowed_whitespace_and_finder() -> None:
    assert find_control({"a": ["line\none\ttab\r\n"]}) is None
    assert find_control({"a": [{"b": "x\x00"}]}) == ("body.a[0].b", "\x00")
    with pytest.raises(ControlCharacter, match=r"U\+0000"):
        check_url("/api/v1/tasks/\x00", b"")
    with pytest.raises(ControlCharacter, match="query string"):
        check_url("/api/v1/creatives", b"format=%00")
    check_url("/api/v1/creatives", b"q=caf%C3%A9+tent")
