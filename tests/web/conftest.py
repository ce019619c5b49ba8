"""Browser fixtures: a real adcraft server with the web app and Debian's headless Chromium."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.web.harness import WebServer, browser_missing, launch

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "web"


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
