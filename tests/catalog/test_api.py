"""The catalog API: upload a feed, run it with several worker processes (one SIGKILLed
mid-run), follow per-product status, webhooks and export — over the real app."""

from __future__ import annotations

import hashlib
import os
import signal
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from adcraft.api import create_app
from adcraft.catalog.bulk.runner import CREATIVES, create_run, state_path
from adcraft.catalog.bulk.spec import RunSpec
from adcraft.catalog.bulk.state import RunState
from adcraft.catalog.bulk.worker import work
from adcraft.catalog.feeds.importer import FeedOptions
from adcraft.catalog.service import CatalogService
from adcraft.config import Settings
from adcraft.container import build
from adcraft.db.engine import unit_of_work
from adcraft.db.tenants import create_tenant
from tests.catalog.test_delivery import Receiver
from tests.fixtures.feeds.make_feeds import merchant_xml

SECRET = "test-secret-" + "x" * 40
FORMATS = ["meta_feed_square", "meta_stories"]


@pytest.fixture()
def api(tmp_path: Path, loopback_allowed: None) -> Iterator[tuple[TestClient, str, Path]]:
    settings = Settings(
        environment="test",
        data_dir=tmp_path / "data",
        tasks={"local_workers": 1, "local_mode": "thread"},
        security={"secret_key": SECRET},
        limits={"rate_limit_per_minute": 100_000},
    )
    container = build(settings)
    # A short lease, so the killed worker's product is taken over within seconds.
    container.extras["catalog"] = CatalogService(settings.data_dir / "catalog", lease_s=2.0)
    with unit_of_work(container.sessions) as s:
        tenant, key = create_tenant(s, "shop", container.secret)
    with TestClient(create_app(container)) as client:
        client.headers["Authorization"] = f"Bearer {key}"
        yield client, str(tenant.id), tmp_path / "data" / "catalog" / str(tenant.id)
    container.engine.dispose()


def _tree(root: Path) -> dict[str, str]:
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file() and not p.name.startswith(".")
    }


def _wait(client: TestClient, run_id: str, until: Any, timeout: float = 180) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        run: dict[str, Any] = client.get(f"/api/v1/catalog/runs/{run_id}").json()
        if until(run):
            return run
        time.sleep(0.25)
    raise AssertionError(f"run {run_id} did not get there: {run}")


def test_a_bulk_run_through_the_api_survives_a_sigkilled_worker(
    api: tuple[TestClient, str, Path], tmp_path: Path, image_server: str
) -> None:
    client, _, folder = api
    receiver = Receiver(fail_first=0)
    feed = merchant_xml(20, image_server)
    try:
        hook = client.post("/api/v1/catalog/webhooks", json={"url": receiver.url})
        assert hook.status_code == 201, hook.text
        up = client.post("/api/v1/catalog/feeds", files={"file": ("feed.xml", feed)})
        assert up.status_code == 201, up.text
        assert up.json()["report"]["products"] == 18
        assert up.json()["report"]["skipped_by_code"] == {"bad_price": 1, "missing_title": 1}
        res = client.post(
            "/api/v1/catalog/runs",
            json={
                "feed_id": up.json()["feed_id"],
                "formats": FORMATS,
                "variants": 1,
                "workers": 3,
                "rules": ["sale_price? -> template=promo"],
            },
        )
        assert res.status_code == 202, res.text
        run_id = res.json()["id"]

        # Kill a worker while it holds a product, once a couple are done.
        st = RunState(state_path(folder))
        victim = None
        deadline = time.monotonic() + 120
        while victim is None and time.monotonic() < deadline:
            if st.progress(run_id).completed >= 2:
                row = st._db.execute(
                    "SELECT w.pid, i.product_id FROM items i JOIN workers w "
                    "ON w.id = i.lease_owner WHERE i.run_id=? AND i.status='running'",
                    (run_id,),
                ).fetchone()
                if row:
                    victim = row
                    os.kill(row[0], signal.SIGKILL)
            time.sleep(0.02)
        assert victim is not None, "no worker was caught holding a product"
        run = _wait(client, run_id, lambda r: r["status"] == "completed")
        progress = run["progress"]
        assert progress["completed"] == 18 and progress["failed"] == 0, (
            progress,
            [(i["product_id"], i["attempts"], i["error"]) for i in st.items(run_id, "failed")],
        )
        items = client.get(f"/api/v1/catalog/runs/{run_id}/products").json()
        assert len(items) == 18 and all(i["completions"] == 1 for i in items)
        completed = [pid for pid, _ in st.events(run_id, "completed")]
        assert sorted(completed) == sorted(i["product_id"] for i in items)
        assert [pid for pid, _ in st.events(run_id, "claimed")].count(victim[1]) >= 2
        st.close()

        # The same feed and settings rendered cleanly by one worker: identical files.
        clean = tmp_path / "clean"
        (tmp_path / "feed.xml").write_bytes(feed)
        spec = RunSpec(formats=tuple(FORMATS), variants=1, rules=run["spec"]["rules"])
        clean_id, _ = create_run(tmp_path / "feed.xml", FeedOptions(), spec, clean)
        work(state_path(clean), clean_id, clean / CREATIVES)
        assert _tree(folder / CREATIVES) == _tree(clean / CREATIVES)

        # Webhooks saw the run start and finish; export writes the sheets.
        deadline = time.monotonic() + 30
        while len(receiver.accepted()) < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
        events = [b for _, b, _ in receiver.accepted()]
        assert b'"run.started"' in events[0] and b'"run.completed"' in events[-1]
        log = client.get("/api/v1/catalog/webhooks/deliveries").json()
        assert {d["status"] for d in log} == {"delivered"}
        exp = client.post(f"/api/v1/catalog/runs/{run_id}/export", json={"target": "spring"})
        assert exp.status_code == 200 and exp.json()["products"] == 18
        assert (folder / "exports/spring/sheets/meta_ads_bulk.csv").is_file()
    finally:
        receiver.close()


def test_api_bad_input_is_a_problem_not_a_traceback(api: tuple[TestClient, str, Path]) -> None:
    client, _, _ = api
    bomb = b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaa">]><rss><item>&a;</item></rss>'
    res = client.post("/api/v1/catalog/feeds", files={"file": ("f.xml", bomb)})
    assert res.status_code == 422 and "refused" in res.json()["detail"]
    res = client.post("/api/v1/catalog/webhooks", json={"url": "http://192.168.1.10/hook"})
    assert res.status_code == 422 and res.json()["type"].endswith("unsafe-url")
    res = client.post("/api/v1/catalog/feeds/fetch", json={"url": "http://10.0.0.5/feed.xml"})
    assert res.status_code == 422
    ok = client.post("/api/v1/catalog/feeds", files={"file": ("f.tsv", b"id\ttitle\n")})
    feed_id = ok.json()["feed_id"]
    res = client.post("/api/v1/catalog/runs", json={"feed_id": feed_id, "formats": ["nope"]})
    assert res.status_code == 422 and "unknown format" in res.json()["detail"]
    res = client.post("/api/v1/catalog/runs", json={"feed_id": feed_id, "image_format": "gif"})
    assert res.status_code == 422
    # Said by field and kind, as any invalid request, so the page words it in its language.
    [err] = res.json()["errors"]
    assert (err["loc"], err["type"]) == (["body", "image_format"], "literal_error")
    res = client.post("/api/v1/catalog/runs", json={"feed_id": "missing"})
    assert res.status_code == 404 and "no feed" in res.json()["detail"]
    assert client.get("/api/v1/catalog/runs/none").status_code == 404


def test_a_queued_run_is_listed_and_its_state_decides_what_can_be_done(
    api: tuple[TestClient, str, Path], image_server: str
) -> None:
    """A run queued paused starts nothing until resumed; the list shows it; actions its state
    does not allow answer 409 with the reason, and the run is left as it was."""
    client, _, _ = api
    up = client.post(
        "/api/v1/catalog/feeds", files={"file": ("feed.xml", merchant_xml(6, image_server))}
    )
    feed_id = up.json()["feed_id"]
    res = client.post(
        "/api/v1/catalog/runs",
        json={"feed_id": feed_id, "formats": ["meta_feed_square"], "variants": 1, "paused": True},
    )
    assert res.status_code == 202, res.text
    run = res.json()
    run_id = run["id"]
    assert run["status"] == "paused" and run["worker_pids"] == []
    assert run["progress"]["pending"] == run["progress"]["total"] == 6

    [listed] = client.get("/api/v1/catalog/runs").json()
    assert listed["id"] == run_id and listed["status"] == "paused"
    assert listed["formats"] == ["meta_feed_square"] and listed["progress"]["total"] == 6
    assert "report" not in listed

    page = client.get(f"/api/v1/catalog/runs/{run_id}/products", params={"limit": 4})
    second = client.get(f"/api/v1/catalog/runs/{run_id}/products", params={"limit": 4, "offset": 4})
    ids = [i["product_id"] for i in page.json() + second.json()]
    assert ids == [f"SKU-{i:05d}" for i in range(6)]

    for action in ("pause", "retry"):
        res = client.post(f"/api/v1/catalog/runs/{run_id}/{action}")
        assert res.status_code == 409, (action, res.text)
        assert run_id in res.json()["detail"]
    assert client.post(f"/api/v1/catalog/runs/{run_id}/stop").status_code == 404

    res = client.post(f"/api/v1/catalog/runs/{run_id}/resume", json={"workers": 1})
    assert res.status_code == 200 and res.json()["status"] == "running"
    done = _wait(client, run_id, lambda r: r["status"] == "completed")
    assert done["progress"]["completed"] == 6
    for action in ("pause", "resume", "cancel", "retry"):
        res = client.post(f"/api/v1/catalog/runs/{run_id}/{action}")
        assert res.status_code == 409, (action, res.text)
    assert client.get(f"/api/v1/catalog/runs/{run_id}").json()["status"] == "completed"
