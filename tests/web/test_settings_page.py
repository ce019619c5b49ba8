"""Settings → Copy model in Chromium, against a real OpenAI-compatible HTTP server on loopback:
saving makes the server's test call, the key is write-only ("Key saved", never shown), the
defaults are stored, and a failing endpoint's error is shown in words with nothing changed."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from tests.copywriting_llm.server import FakeOpenAI, Reply, error_body
from tests.web.harness import WebServer, sign_in

KEY = "sk-web-" + "s" * 28


@pytest.fixture()
def endpoint() -> Iterator[FakeOpenAI]:
    """Answers every chat completion with 'OK'."""
    pytest.importorskip("openai", reason="openai missing: pip install 'adcraft[llm]'")
    with FakeOpenAI(responder=lambda body: Reply(content="OK")) as srv:
        yield srv


@pytest.fixture()
def revoked() -> Iterator[FakeOpenAI]:
    """An endpoint that refuses every key, as a provider does for a revoked one."""
    reply = Reply(status=401, body=error_body("Incorrect API key provided", "invalid_api_key"))
    with FakeOpenAI(responder=lambda body: reply) as srv:
        yield srv


def _open_settings(page: Any, server: WebServer) -> None:
    sign_in(page, server.url, server.key)
    page.locator("#nav").get_by_role("link", name="Settings").click()
    page.get_by_role("heading", name="Copy model").wait_for()


def test_save_tests_the_endpoint_and_never_shows_the_key(
    page: Any,
    bank_server: WebServer,
    bank_api: httpx.Client,
    endpoint: FakeOpenAI,
    revoked: FakeOpenAI,
) -> None:
    _open_settings(page, bank_server)
    page.get_by_label("Base URL").fill(endpoint.url)
    page.get_by_label("Model", exact=True).fill("tenant-model")
    page.get_by_label("Endpoint key").fill(KEY)
    page.get_by_label("Background remover").select_option("studio")
    page.get_by_label("bold", exact=True).check()
    page.get_by_role("button", name="Save").click()
    page.get_by_text("Saved: the endpoint answered the test call.").wait_for()
    assert len(endpoint.requests) == 1 and endpoint.requests[0]["model"] == "tenant-model"
    assert endpoint.auth == [f"Bearer {KEY}"]
    # Write-only: the field is emptied and the page only says a key is stored.
    assert page.get_by_label("Endpoint key").input_value() == ""
    page.get_by_text("Key saved.").wait_for()
    stored = bank_api.get("/settings/providers")
    assert KEY not in stored.text
    body = stored.json()
    assert body["llm"] == {"base_url": endpoint.url, "model": "tenant-model", "api_key_set": True}
    assert body["default_remover"] == "studio" and body["default_styles"] == ["bold"]

    # Opened again: what is stored is shown, the key still is not.
    page.reload()
    page.get_by_text("Key saved.").wait_for()
    assert page.get_by_label("Base URL").input_value() == endpoint.url
    assert page.get_by_label("Endpoint key").input_value() == ""
    assert page.get_by_label("bold", exact=True).is_checked()
    assert KEY not in page.content()

    # A new endpoint that refuses the key: its error in words, and nothing is changed.
    page.get_by_label("Base URL").fill(revoked.url)
    page.get_by_label("Endpoint key").fill("sk-revoked-" + "r" * 20)
    page.get_by_role("button", name="Save").click()
    alert = page.get_by_role("alert").filter(has_text="Not saved")
    alert.wait_for()
    text = alert.inner_text()
    assert "the LLM endpoint failed a test call" in text and "the API key was refused" in text
    assert len(revoked.requests) == 1
    assert bank_api.get("/settings/providers").json()["llm"]["base_url"] == endpoint.url

    # Clearing the endpoint goes back to the server's own copywriter.
    page.get_by_label("Base URL").fill("")
    page.get_by_label("Model", exact=True).fill("")
    page.get_by_role("button", name="Save").click()
    page.get_by_text("Saved: this server’s copywriter writes your copy.").wait_for()
    assert bank_api.get("/settings/providers").json()["llm"] is None
    page.get_by_text("No key saved.").wait_for()


def test_an_unreachable_endpoint_is_refused_in_words(
    page: Any, bank_server: WebServer, bank_api: httpx.Client
) -> None:
    _open_settings(page, bank_server)
    # A model name with no base URL is caught before anything is sent.
    page.get_by_label("Base URL").fill("")
    page.get_by_label("Model", exact=True).fill("tenant-model")
    page.get_by_role("button", name="Save").click()
    page.get_by_text("Give the endpoint’s base URL as well").wait_for()
    # Nothing listens on this port once the server below has stopped.
    with FakeOpenAI() as gone:
        url = gone.url
    page.get_by_label("Base URL").fill(url)
    page.get_by_role("button", name="Save").click()
    alert = page.get_by_role("alert").filter(has_text="Not saved")
    alert.wait_for()
    assert "the LLM endpoint failed a test call" in alert.inner_text()
    assert bank_api.get("/settings/providers").json()["llm"] is None
