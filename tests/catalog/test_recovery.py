"""Runs outlive the server that ran them: a run left 'running' by a server that stopped or died
is resumed by the next one (or marked 'interrupted' to be resumed by hand), each product made
exactly once; two servers starting at once never both take it; the CLI refuses what the API
refuses. Every wait is on state, with a bound, never a sleep that hopes."""

from __future__ import annotations

import io
import os
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from adcraft.api import create_app
from adcraft.catalog.bulk.product_render import render_product
from adcraft.catalog.bulk.runner import CREATIVES, create_run, state_path
from adcraft.catalog.bulk.spec import RunSpec
from adcraft.catalog.bulk.state import RunState
from adcraft.catalog.bulk.worker import cached_fetcher, work
from adcraft.catalog.feeds.importer import FeedOptions
from adcraft.catalog.service import CatalogService
from adcraft.cli import app as cli
from adcraft.config import Settings
from adcraft.container import build
from adcraft.db.engine import unit_of_work
from adcraft.db.tenants import create_tenant
from tests.fixtures.feeds.make_feeds import merchant_xml

SECRET = "test-secret-" + "x" * 40
SPEC = RunSpec(formats=("meta_feed_square",), variants=1)
LEASE_S = 60.0
"""Long enough that no live worker or server loses a lease on a loaded machine: the crashed
state below is written with leases that have already run out, so nothing waits for one."""
WAIT_S = 240.0
"""Upper bound on any wait for a run's state (products render slowly on a loaded machine)."""

pytestmark = pytest.mark.usefixtures("loopback_allowed")


def _until(what: str, check: Callable[[], Any], timeout_s: float = WAIT_S) -> Any:
    """Poll ``check`` until it returns something truthy; fail naming ``what`` after the bound."""
    deadline = time.monotonic() + timeout_s
    while True:
        got = check()
        if got:
            return got
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.1)


def _settings(data: Path, **catalog: Any) -> Settings:
    return Settings(
        environment="test",
        data_dir=data,
        tasks={"local_workers": 1, "local_mode": "thread"},
        security={"secret_key": SECRET},
        limits={"rate_limit_per_minute": 100_000},
        catalog={"lease_s": LEASE_S, **catalog},
    )


@contextmanager
def _server(data: Path, key: str, **catalog: Any) -> Iterator[TestClient]:
    """One server process's life: a fresh container and app over the same data folder."""
    container = build(_settings(data, **catalog))
    try:
        with TestClient(create_app(container)) as client:
            client.headers["Authorization"] = f"Bearer {key}"
            yield client
    finally:
        container.close()


def _tenant(data: Path) -> tuple[str, str]:
    container = build(_settings(data))
    try:
        with unit_of_work(container.sessions) as s:
            tenant, key = create_tenant(s, "shop", container.secret)
            return str(tenant.id), key
    finally:
        container.close()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def _each_made_once(st: RunState, run_id: str, n: int) -> Counter[str]:
    """Every product completed, exactly once, with one completion event; the claims."""
    items = st.items(run_id)
    assert len(items) == n
    assert {i["status"] for i in items} == {"completed"}, items
    assert all(i["completions"] == 1 for i in items), items
    completed = Counter(pid for pid, _ in st.events(run_id, "completed"))
    assert completed == Counter({i["product_id"]: 1 for i in items})
    return Counter(pid for pid, _ in st.events(run_id, "claimed"))


def _crashed_run(svc: CatalogService, tenant: str, feed: bytes) -> tuple[str, str, str]:
    """The state a server killed mid-run leaves: the run 'running' under a supervisor lease
    that ran out, one product made by its worker, one held by it under a lease that ran out.
    Returns the run, the product made and the product that was in hand."""
    feed_id = svc.save_feed(tenant, io.BytesIO(feed), None)
    run_id, _ = svc.start_run(tenant, feed_id, FeedOptions(), SPEC, 1, paused=True)
    st = svc.state(tenant)
    try:
        st.set_status(run_id, "running")
        # lease_s < 0: leases that had already run out when the dead server was found.
        assert st.supervise(run_id, "dead-server", lease_s=-1.0, workers=2)
        st.register_worker(run_id, "dead-worker", 2**22 + 1)
        made = st.claim(run_id, "dead-worker", 60.0, 3)
        assert made is not None
        work_dir = svc.folder(tenant) / CREATIVES
        render_product(made.product, SPEC, made.out_key, work_dir, cached_fetcher())
        assert st.complete(made, "dead-worker")
        held = st.claim(run_id, "dead-worker", -1.0, 3)
        assert held is not None
    finally:
        st.close()
    return run_id, made.product.id, held.product.id


def test_a_run_stopped_with_its_server_is_finished_by_the_next_one(
    tmp_path: Path, image_server: str
) -> None:
    data = tmp_path / "data"
    tenant, key = _tenant(data)
    with _server(data, key) as client:
        up = client.post(
            "/api/v1/catalog/feeds",
            files={"file": ("feed.xml", merchant_xml(8, image_server))},
        )
        assert up.status_code == 201, up.text
        total = up.json()["report"]["products"]
        res = client.post(
            "/api/v1/catalog/runs",
            json={
                "feed_id": up.json()["feed_id"],
                "formats": ["meta_feed_square"],
                "variants": 1,
                "workers": 1,
            },
        )
        assert res.status_code == 202, res.text
        run_id = res.json()["id"]
        _until(
            "two products made before the restart",
            lambda: (
                client.get(f"/api/v1/catalog/runs/{run_id}").json()["progress"]["completed"] >= 2
            ),
        )
        pids = client.get(f"/api/v1/catalog/runs/{run_id}").json()["worker_pids"]
    # The server has stopped: its workers with it, the run handed back as it was.
    st = RunState(state_path(data / "catalog" / tenant))
    try:
        assert pids and not any(_alive(p) for p in pids)
        before = st.progress(run_id)
        assert before.status == "running" and before.running == 0, before
        assert before.completed < total
        made_before = {i["product_id"] for i in st.items(run_id, "completed")}

        with _server(data, key) as client:
            run = _until(
                "the run to complete under the new server",
                lambda: (
                    (r := client.get(f"/api/v1/catalog/runs/{run_id}").json())["status"]
                    == "completed"
                    and r
                ),
            )
            assert run["progress"]["completed"] == total and run["progress"]["failed"] == 0
        claims = _each_made_once(st, run_id, total)
        # Products made before the restart were not made again.
        assert all(claims[p] == 1 for p in made_before), claims
    finally:
        st.close()


def test_two_servers_starting_at_once_resume_a_crashed_run_once(
    tmp_path: Path, image_server: str
) -> None:
    root = tmp_path / "catalog"
    first = CatalogService(root, lease_s=LEASE_S)
    run_id, made, held = _crashed_run(first, "shop", merchant_xml(6, image_server))
    servers = [CatalogService(root, lease_s=LEASE_S) for _ in range(2)]
    results: list[list[tuple[str, str]]] = [[], []]
    start = threading.Barrier(2)

    def boot(i: int) -> None:
        start.wait()
        results[i] = servers[i].recover()

    threads = [threading.Thread(target=boot, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    try:
        assert sorted(results, key=len) == [[], [("shop", run_id)]]
        st = first.state("shop")
        try:
            _until("the resumed run to complete", lambda: st.progress(run_id).status == "completed")
            claims = _each_made_once(st, run_id, 6)
            assert claims[made] == 1  # made by the dead worker: not made again
            assert claims[held] == 2  # in the dead worker's hands: taken over exactly once
            # A later sweep (either server) finds nothing left to take.
            assert servers[0].recover() == [] and servers[1].recover() == []
        finally:
            st.close()
    finally:
        for svc in servers:
            svc.stop()


def test_with_automatic_resume_off_a_crashed_run_waits_for_resume(
    tmp_path: Path, image_server: str
) -> None:
    data = tmp_path / "data"
    tenant, key = _tenant(data)
    svc = CatalogService(data / "catalog", lease_s=LEASE_S)
    run_id, _, held = _crashed_run(svc, tenant, merchant_xml(5, image_server))
    with _server(data, key, resume_interrupted=False, max_workers=3) as client:
        url = f"/api/v1/catalog/runs/{run_id}"
        _until(
            "the run marked interrupted", lambda: client.get(url).json()["status"] == "interrupted"
        )
        [listed] = client.get("/api/v1/catalog/runs").json()
        assert listed["status"] == "interrupted"
        res = client.post(f"{url}/pause")
        assert res.status_code == 409 and f"run {run_id} is interrupted" in res.json()["detail"]
        res = client.post(f"{url}/resume", json={"workers": 4})
        assert res.status_code == 422 and "between 1 and 3" in res.json()["detail"]
        assert client.get(url).json()["status"] == "interrupted"
        # Without a count, the run resumes with the one it had (2, recorded by the dead server).
        res = client.post(f"{url}/resume", json={})
        assert res.status_code == 200 and res.json()["status"] == "running", res.text
        assert res.json()["workers"] == 2
        _until(
            "the resumed run to complete", lambda: client.get(url).json()["status"] == "completed"
        )
    st = svc.state(tenant)
    try:
        assert _each_made_once(st, run_id, 5)[held] == 2
    finally:
        st.close()


def test_the_cli_refuses_what_the_api_refuses(tmp_path: Path, image_server: str) -> None:
    out = tmp_path / "out"
    (tmp_path / "feed.xml").write_bytes(merchant_xml(2, image_server))
    run_id, _ = create_run(tmp_path / "feed.xml", FeedOptions(), SPEC, out)
    work(state_path(out), run_id, out / CREATIVES)
    runner = CliRunner()
    for action, verb in (("pause", "paused"), ("resume", "resumed"), ("cancel", "cancelled")):
        res = runner.invoke(cli, ["bulk", action, str(out)])
        assert res.exit_code == 2, (action, res.output)
        assert res.output.strip() == f"error: run {run_id} is completed: it cannot be {verb}"
    res = runner.invoke(cli, ["bulk", "retry", str(out), "--run", run_id])
    assert res.exit_code == 2
    assert res.output.strip() == f"error: run {run_id} has no failed products to retry"
    res = runner.invoke(cli, ["bulk", "status", str(out), "--json"])
    assert '"status": "completed"' in res.output

    # What the state allows still works, under the same rule.
    other, _ = create_run(tmp_path / "feed.xml", FeedOptions(), SPEC, out, paused=True)
    res = runner.invoke(cli, ["bulk", "pause", str(out), "--run", other])
    assert res.exit_code == 2 and f"run {other} is paused" in res.output
    res = runner.invoke(cli, ["bulk", "cancel", str(out), "--run", other])
    assert res.exit_code == 0 and res.output.strip() == f"run {other}: cancelled"


def test_the_cli_resumes_a_run_its_killed_process_left_running(
    tmp_path: Path, image_server: str
) -> None:
    """`adcraft bulk run` killed mid-run: `bulk resume` finishes it, nothing made twice; while
    a live process still supervises a run, resume leaves it to that process."""
    out = tmp_path / "out"
    (tmp_path / "feed.xml").write_bytes(merchant_xml(4, image_server))
    run_id, _ = create_run(
        tmp_path / "feed.xml", FeedOptions(), SPEC, out, supervisor="cli-run", lease_s=LEASE_S
    )
    runner = CliRunner(env={"ADCRAFT_CATALOG_ALLOW_LOOPBACK": "1"})
    res = runner.invoke(cli, ["bulk", "resume", str(out), "--workers", "1"])
    assert res.exit_code == 0, res.output
    assert f"run {run_id}: running; another live process supervises" in res.output

    st = RunState(state_path(out))
    try:
        # Then that process is killed holding a product: both its leases run out.
        assert st.supervise(run_id, "cli-run", lease_s=-1.0)
        held = st.claim(run_id, "killed-worker", -1.0, 3)
        assert held is not None
        res = runner.invoke(cli, ["bulk", "resume", str(out), "--workers", "1"])
        assert res.exit_code == 0, res.output
        assert f"run {run_id}: completed; 4 completed, 0 failed" in res.output
        assert _each_made_once(st, run_id, 4)[held.product.id] == 2
    finally:
        st.close()
