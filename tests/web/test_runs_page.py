"""The Catalogue runs page: a feed's run listed with its counts, opened to per-product status
with the reason a product failed; resume, pause, cancel and retry-failed change the run as the
API says; a refused action is said in words; a viewer can look but not act.

Every run starts queued (paused), so the page's first counts are known; each step then waits
for the state it asserts, however slowly the workers go.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from adcraft.accounts import service as accounts
from adcraft.catalog.service import CatalogService
from adcraft.db.engine import unit_of_work
from adcraft.db.tenants import find_tenant
from tests.web.catalog_seed import BROKEN, PRODUCTS, ImageHost, image_host, queue_run
from tests.web.harness import TENANT, WebServer, sign_in

DONE_S = 300_000
"""Milliseconds a run may take to render its products on a loaded machine."""


@pytest.fixture()
def host(monkeypatch: pytest.MonkeyPatch) -> Iterator[ImageHost]:
    """Product pictures on loopback, which the workers may fetch (the explicit test switch)."""
    monkeypatch.setenv("ADCRAFT_CATALOG_ALLOW_LOOPBACK", "1")
    with image_host() as h:
        yield h


def _count(page: Any, name: str) -> str:
    return str(page.locator(f'#run-counts dd[data-count="{name}"]').inner_text())


def _wait_count(page: Any, name: str, value: int, timeout: int = DONE_S) -> None:
    exact = re.compile(rf"^\s*{value}\s*$")
    page.locator(f'#run-counts dd[data-count="{name}"]', has_text=exact).wait_for(timeout=timeout)


def _wait_rows(page: Any, n: int) -> None:
    page.wait_for_function(
        "n => document.querySelectorAll('#run-products tbody tr').length === n", arg=n
    )


def _status(page: Any, status: str, timeout: int = 20_000) -> None:
    page.locator(f'#run-status [data-status="{status}"]').wait_for(timeout=timeout)


def _product(page: Any, product_id: str) -> Any:
    return page.locator("#run-products tbody tr", has_text=product_id)


def _buttons(page: Any) -> list[str]:
    return [
        b.strip()
        for b in page.locator(".run-actions button:visible").all_inner_texts()
        if b.strip()
    ]


def _open(page: Any, server: WebServer, run_id: str) -> None:
    page.goto(f"{server.url}/#/runs/{run_id}")
    page.get_by_role("heading", name=f"Run {run_id}", level=1).wait_for()
    page.locator("#run-products tbody tr").first.wait_for()


def test_a_run_is_listed_resumed_and_its_failed_product_retried(
    page: Any, server: WebServer, api: httpx.Client, host: ImageHost
) -> None:
    run_id = queue_run(api, host)["id"]
    sign_in(page, server.url, server.key)
    page.get_by_role("link", name="Catalogue runs").click()
    row = page.locator("#runs-list tbody tr", has_text=run_id)
    row.wait_for()
    assert "Paused" in row.inner_text()
    assert f"0 of {PRODUCTS} products done" in row.inner_text()

    row.get_by_role("link").click()
    page.get_by_role("heading", name=f"Run {run_id}", level=1).wait_for()
    _status(page, "paused")
    _product(page, BROKEN).wait_for()
    assert _count(page, "pending") == str(PRODUCTS)
    assert page.locator("#run-products tbody tr").count() == PRODUCTS
    assert page.locator('#run-products [data-status="pending"]').count() == PRODUCTS
    assert _buttons(page) == ["Resume", "Cancel…"]

    # Resume: the workers make every product; the one whose picture is missing fails, with why.
    page.get_by_role("button", name="Resume").click()
    _wait_count(page, "failed", 1)
    _status(page, "completed", DONE_S)
    page.locator('.view[data-live="false"]').wait_for()
    run = api.get(f"/catalog/runs/{run_id}").json()
    assert run["status"] == "completed"
    assert (run["progress"]["completed"], run["progress"]["failed"]) == (PRODUCTS - 1, 1)
    assert _count(page, "completed") == str(PRODUCTS - 1)
    assert f"{PRODUCTS} of {PRODUCTS} products done" in page.locator(".progress").inner_text()
    failed = api.get(f"/catalog/runs/{run_id}/products", params={"status": "failed"}).json()
    assert [f["product_id"] for f in failed] == [BROKEN]
    broken = _product(page, BROKEN)
    broken.locator('[data-status="failed"]').wait_for()
    assert failed[0]["error"] in broken.inner_text() and "HTTP 404" in broken.inner_text()
    assert page.locator('#run-products [data-status="completed"]').count() == PRODUCTS - 1
    # A finished run offers only what can still be done with it.
    assert _buttons(page) == ["Retry failed products"]

    # The failed products only, once the picture is there.
    page.get_by_label("Show").select_option("failed")
    _wait_rows(page, 1)
    assert BROKEN in page.locator("#run-products tbody tr").inner_text()
    page.get_by_label("Show").select_option("")
    _wait_rows(page, PRODUCTS)
    host.fix()
    page.get_by_role("button", name="Retry failed products").click()
    _wait_count(page, "completed", PRODUCTS)
    _status(page, "completed")
    _wait_count(page, "failed", 0)
    broken.locator('[data-status="completed"]').wait_for()
    page.locator('.view[data-live="false"]').wait_for()
    assert api.get(f"/catalog/runs/{run_id}").json()["progress"]["completed"] == PRODUCTS
    assert _buttons(page) == []

    # The list says the same.
    page.get_by_role("link", name="All catalogue runs").click()
    row = page.locator("#runs-list tbody tr", has_text=run_id)
    row.wait_for()
    assert "Completed" in row.inner_text()
    assert f"{PRODUCTS} of {PRODUCTS} products done" in row.inner_text()


def _catalog(server: WebServer) -> tuple[CatalogService, str]:
    assert server.container is not None
    catalog = server.container.extras["catalog"]
    assert isinstance(catalog, CatalogService)
    with unit_of_work(server.container.sessions) as s:
        tenant = str(find_tenant(s, TENANT).id)
    return catalog, tenant


def test_pause_then_resume_a_running_run(
    page: Any, server: WebServer, api: httpx.Client, host: ImageHost
) -> None:
    """A run another server process is on shows Running; Pause stops it. Once that server has
    stopped (its supervisor lease given back), Resume starts workers here."""
    run_id = queue_run(api, host)["id"]
    catalog, tenant = _catalog(server)
    state = catalog.state(tenant)
    try:
        state.set_status(run_id, "running")
        assert state.supervise(run_id, "other-server", lease_s=3600)  # no worker of ours
    finally:
        state.close()

    sign_in(page, server.url, server.key)
    _open(page, server, run_id)
    _status(page, "running")
    assert _buttons(page) == ["Pause", "Cancel…"]
    page.get_by_role("button", name="Pause").click()
    _status(page, "paused")
    assert api.get(f"/catalog/runs/{run_id}").json()["status"] == "paused"
    assert _buttons(page) == ["Resume", "Cancel…"]
    assert _count(page, "pending") == str(PRODUCTS)

    state = catalog.state(tenant)
    try:
        state.release_supervision(run_id, "other-server")
    finally:
        state.close()
    page.get_by_role("button", name="Resume").click()
    _wait_count(page, "failed", 1)
    _status(page, "completed", DONE_S)
    _wait_count(page, "completed", PRODUCTS - 1)
    assert api.get(f"/catalog/runs/{run_id}").json()["status"] == "completed"


def test_a_run_interrupted_by_a_server_stop_offers_resume(
    page: Any, server: WebServer, api: httpx.Client, host: ImageHost, monkeypatch: Any
) -> None:
    """With automatic resume off, a run whose server died mid-run (its supervisor lease ran
    out) is shown Interrupted, with Resume, not Pause; Resume finishes it."""
    run_id = queue_run(api, host)["id"]
    catalog, tenant = _catalog(server)
    monkeypatch.setattr(catalog, "resume_interrupted", False)
    state = catalog.state(tenant)
    try:
        state.set_status(run_id, "running")
        assert state.supervise(run_id, "dead-server", lease_s=-1)  # a lease that ran out
    finally:
        state.close()
    assert (tenant, run_id) in catalog.recover()

    sign_in(page, server.url, server.key)
    _open(page, server, run_id)
    _status(page, "interrupted")
    assert "resume it to finish" in page.locator(".view").inner_text()
    assert _buttons(page) == ["Resume", "Cancel…"]
    page.get_by_role("button", name="Resume").click()
    _wait_count(page, "failed", 1)
    _status(page, "completed", DONE_S)
    _wait_count(page, "completed", PRODUCTS - 1)
    run = api.get(f"/catalog/runs/{run_id}").json()
    assert run["status"] == "completed" and run["workers"] == 1


def test_cancel_and_a_refused_action_is_said_in_words(
    page: Any, server: WebServer, api: httpx.Client, host: ImageHost
) -> None:
    run_id = queue_run(api, host)["id"]
    other_id = queue_run(api, host, variants=2)["id"]
    sign_in(page, server.url, server.key)
    _open(page, server, run_id)
    _status(page, "paused")
    page.get_by_role("button", name="Cancel…").click()
    page.get_by_role("button", name="Cancel run").click()
    _status(page, "cancelled")
    _wait_count(page, "cancelled", PRODUCTS)
    page.locator('#run-products [data-status="cancelled"]').nth(PRODUCTS - 1).wait_for()
    run = api.get(f"/catalog/runs/{run_id}").json()
    assert run["status"] == "cancelled" and run["progress"]["cancelled"] == PRODUCTS
    assert _buttons(page) == []
    assert page.locator('.view[data-live="false"]').count() == 1

    # Cancelled in another tab while this one still offers Resume: the refusal is shown with
    # the API's reason, and the page then shows the run as it is.
    _open(page, server, other_id)
    _status(page, "paused")
    assert api.post(f"/catalog/runs/{other_id}/cancel").status_code == 200
    page.get_by_role("button", name="Resume").click()
    alert = page.get_by_role("alert").filter(has_text="cannot be resumed")
    alert.wait_for()
    assert "Not possible right now" in alert.inner_text()
    assert f"run {other_id} is cancelled" in alert.inner_text()
    _status(page, "cancelled")
    assert _buttons(page) == []


def test_a_viewer_sees_runs_but_cannot_act(
    browser: Any, server: WebServer, api: httpx.Client, host: ImageHost
) -> None:
    run_id = queue_run(api, host)["id"]
    assert server.container is not None
    password = "correct horse battery"
    with unit_of_work(server.container.sessions) as s:
        tenant = find_tenant(s, TENANT)
        accounts.create_user(s, tenant.id, "viewer.runs@acme.test", "viewer", password)
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    tab.set_default_timeout(20_000)
    try:
        tab.goto(server.url + "/")
        tab.get_by_label("Email").fill("viewer.runs@acme.test")
        tab.get_by_label("Password").fill(password)
        tab.get_by_role("button", name="Sign in", exact=True).click()
        tab.get_by_role("heading", name="New creative").wait_for()
        tab.get_by_role("link", name="Catalogue runs").click()
        tab.locator("#runs-list tbody tr", has_text=run_id).get_by_role("link").click()
        _status(tab, "paused")
        tab.get_by_text("Your role (Viewer) can look but not change this.").wait_for()
        assert _buttons(tab) == []
        assert _count(tab, "pending") == str(PRODUCTS)
    finally:
        context.close()
