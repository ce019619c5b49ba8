"""Every error a marketer can hit shows a clear message in the page, and nothing typed is lost."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from PIL import Image

from tests.web.harness import TENT, WebServer, fill_brief, shoot, sign_in


def test_bad_key_is_refused_clearly(page: Any, server: WebServer, artifacts: Path) -> None:
    page.goto(server.url + "/")
    page.get_by_text("Setting up adcraft? Sign in with an API key").click()
    page.get_by_label("API key").fill("not-a-real-key")
    page.get_by_role("button", name="Use API key").click()
    alert = page.get_by_role("alert").filter(has_text="That key was not accepted")
    alert.wait_for()
    assert page.get_by_label("API key").get_attribute("aria-invalid") == "true"
    assert page.locator("#nav").is_hidden()
    shoot(page, artifacts / "errors", "bad-key")
    # An empty key is caught before any request.
    page.get_by_label("API key").fill("")
    page.get_by_role("button", name="Use API key").click()
    page.get_by_text("Enter your API key.").wait_for()


def test_empty_required_fields_are_named(page: Any, server: WebServer) -> None:
    sign_in(page, server.url, server.key)
    page.get_by_label("Type a new product").check()
    page.get_by_label("Product name").fill("")
    page.get_by_role("button", name="Clear").click()
    page.get_by_label("Upload a photo").check()
    page.get_by_role("button", name="Generate").click()
    box = page.get_by_role("alert").filter(has_text="Some fields need your attention")
    box.wait_for()
    text = box.inner_text()
    assert "Enter the product name." in text
    assert "Choose at least one format." in text
    assert "Choose a product photo" in text
    assert page.get_by_label("Product name").get_attribute("aria-invalid") == "true"


def _noise_png(path: Path, side: int) -> Path:
    Image.frombytes("RGB", (side, side), os.urandom(side * side * 3)).save(path)
    return path


@pytest.mark.parametrize("where", ["browser", "server"])
def test_oversized_upload(
    page: Any, server: WebServer, tmp_path: Path, artifacts: Path, where: str
) -> None:
    big = _noise_png(tmp_path / "huge-photo.png", 1000)  # ~3 MB of noise; the cap is 2 MiB
    assert big.stat().st_size > server.max_upload_bytes
    if where == "server":
        # Without /capabilities (an older server) the page cannot pre-check: the API's 413 shows.
        page.route("**/api/v1/capabilities", lambda r: r.fulfill(status=404, body="{}"))
    sign_in(page, server.url, server.key)
    page.get_by_label("Upload a photo").check()
    page.get_by_label("Photo file").set_input_files(str(big))
    alert = page.get_by_role("alert").filter(has_text="File too large")
    alert.wait_for()
    assert re.search(r"2 MiB", alert.inner_text())
    shoot(page, artifacts / "errors", f"oversized-upload-{where}")
    assert page.locator(".chosen img").count() == 0


def test_non_image_uploads(page: Any, server: WebServer, tmp_path: Path, artifacts: Path) -> None:
    sign_in(page, server.url, server.key)
    page.get_by_label("Upload a photo").check()
    notes = tmp_path / "notes.txt"
    notes.write_text("not a picture")
    page.get_by_label("Photo file").set_input_files(str(notes))
    page.get_by_role("alert").filter(has_text="“notes.txt” is not an image file").wait_for()
    # A text file named .jpg gets past the browser; the server's decoder refuses it.
    fake = tmp_path / "holiday.jpg"
    fake.write_text("GIF? no, just text pretending to be a photo")
    page.get_by_label("Photo file").set_input_files(str(fake))
    alert = page.get_by_role("alert").filter(has_text="Please check your input")
    alert.wait_for()
    assert "image" in alert.inner_text().lower()
    shoot(page, artifacts / "errors", "non-image-upload")


def _store_file(server: WebServer, data: bytes) -> Path:
    assert server.data_dir is not None
    for f in (server.data_dir / "assets").rglob("*"):
        if f.is_file() and f.stat().st_size == len(data) and f.read_bytes() == data:
            return f
    raise AssertionError("uploaded file not found in the local store")


def test_task_failure_then_retry(
    page: Any, server: WebServer, api: httpx.Client, tmp_path: Path, artifacts: Path
) -> None:
    # A photo whose stored file vanished (a broken disk, a bad restore): the task fails for real.
    lost = _noise_png(tmp_path / "lost.png", 240)
    photo = lost.read_bytes()
    sign_in(page, server.url, server.key)
    fill_brief(page, lost, variants=1)
    _store_file(server, photo).unlink()
    page.get_by_role("button", name="Generate").click()
    alert = page.get_by_role("alert").filter(has_text="Generation failed")
    alert.wait_for(timeout=60_000)
    assert "missing" in alert.inner_text()
    shoot(page, artifacts / "errors", "task-failed")
    # Put the file back (same bytes, same content address) and retry from the page.
    api.post("/assets", files={"file": ("lost.png", photo, "image/png")}, data={"kind": "image"})
    page.get_by_role("button", name="Retry").click()
    page.locator(".badge.completed").wait_for(timeout=60_000)
    # The gallery fills in after the badge turns: wait for both creatives, not just the badge.
    page.locator("article.creative:not(.pending)").nth(1).wait_for()
    assert page.locator("article.creative:not(.pending)").count() == 2


def test_dropped_connection_reconnects(page: Any, server: WebServer) -> None:
    from playwright.sync_api import expect

    dropped: list[str] = []

    def drop_first(route: Any) -> None:
        if not dropped:
            dropped.append(route.request.url)
            route.abort("connectionreset")
        else:
            route.continue_()

    page.route(re.compile(r".*/tasks/[0-9a-f]+/events$"), drop_first)
    sign_in(page, server.url, server.key)
    fill_brief(page, TENT, variants=1)
    page.get_by_role("button", name="Generate").click()
    page.get_by_text(re.compile(r"Connection lost — reconnecting")).wait_for(timeout=10_000)
    page.locator(".badge.completed").wait_for(timeout=60_000)
    assert dropped
    # The cards are fetched once the task is done: wait for them, do not count them at once.
    expect(page.locator("article.creative:not(.pending)")).to_have_count(2)


@pytest.fixture()
def doomed_server() -> Iterator[WebServer]:
    srv = WebServer().start()
    yield srv
    srv.close()


def test_server_down_keeps_the_brief(page: Any, doomed_server: WebServer, artifacts: Path) -> None:
    sign_in(page, doomed_server.url, doomed_server.key)
    page.get_by_label("Type a new product").check()
    page.get_by_label("Product name").fill("Quiet One Headphones")
    page.get_by_label("Offer", exact=True).fill("Free case with every pair")
    page.get_by_label("No photo (text-led design)").check()
    doomed_server.stop()
    page.get_by_role("button", name="Generate").click()
    alert = page.get_by_role("alert").filter(has_text="Cannot reach the adcraft server")
    alert.wait_for()
    assert "Nothing you typed is lost" in alert.inner_text()
    assert page.get_by_role("button", name="Generate").is_enabled()
    assert page.get_by_label("Product name").input_value() == "Quiet One Headphones"
    shoot(page, artifacts / "errors", "server-down")


def test_sign_in_puts_the_marketer_first(page: Any, server: WebServer) -> None:
    """A marketer meets the email form; the API key and the server commands that make one wait
    behind a quiet line below it, for whoever runs the server."""
    from playwright.sync_api import expect

    page.goto(server.url + "/")
    expect(page.get_by_label("Email")).to_be_focused()
    key = page.get_by_label("API key")
    expect(key).to_be_hidden()
    expect(page.get_by_text("adcraft serve")).to_be_hidden()
    opener = page.get_by_text("Setting up adcraft? Sign in with an API key")
    sign_in_button = page.get_by_role("button", name="Sign in", exact=True)
    assert opener.bounding_box()["y"] > sign_in_button.bounding_box()["y"]
    opener.click()
    expect(key).to_be_focused()
    # The help line names the commands as commands, for the person who runs the server.
    help_line = page.locator(".hint", has=page.locator("code", has_text="adcraft serve"))
    expect(help_line).to_contain_text("For whoever runs the adcraft server")
    expect(help_line.locator("code")).to_have_text(["adcraft serve", "adcraft tenant create NAME"])
    assert "`" not in help_line.inner_text()
