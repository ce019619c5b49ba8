"""Bulk runs: per-product status, rules, incremental re-import, pause/cancel/retry (a worker
SIGKILLed mid-run is in test_api.py, through the API)."""

from __future__ import annotations

import hashlib
import json
import os
from datetime import UTC, datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

from adcraft.catalog.bulk.rules import parse_rule
from adcraft.catalog.bulk.runner import CREATIVES, create_run, state_path
from adcraft.catalog.bulk.spec import RunSpec
from adcraft.catalog.bulk.state import RunState
from adcraft.catalog.bulk.worker import work
from adcraft.catalog.feeds.importer import FeedOptions
from adcraft.cli import app
from adcraft.errors import InputError
from tests.catalog.conftest import FEEDS
from tests.fixtures.feeds.make_feeds import merchant_xml

SPEC = RunSpec(
    formats=("meta_feed_square",),
    variants=1,
    rules=(
        parse_rule("sale_price? -> template=promo"),
        parse_rule("custom_label_0=clearance -> offer=Clearance,badge=#c62828"),
    ),
)


def _feed(tmp: Path, base: str, n: int, edit: dict[str, str] | None = None) -> Path:
    data = merchant_xml(n, base)
    for old, new in (edit or {}).items():
        data = data.replace(old.encode(), new.encode())
    path = tmp / "feed.xml"
    path.write_bytes(data)
    return path


def _tree(root: Path) -> dict[str, str]:
    """Relative path -> SHA-256 of every creative file (manifests included)."""
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file() and not p.name.startswith(".")
    }


@pytest.mark.usefixtures("loopback_allowed")
def test_a_run_applies_rules_reports_404_images_and_reimports_incrementally(
    tmp_path: Path, image_server: str
) -> None:
    feed = _feed(tmp_path, image_server, 12, {"/img/4.png": "/img/missing.png"})
    out = tmp_path / "out"
    run_id, report = create_run(feed, FeedOptions(), SPEC, out)
    assert report.products == 11 and report.skipped_by_code == {"missing_title": 1}
    assert work(state_path(out), run_id, out / CREATIVES) == 10
    state = RunState(state_path(out))
    prog = state.progress(run_id)
    assert (prog.status, prog.completed, prog.failed) == ("completed", 10, 1)
    [failed] = state.items(run_id, "failed")
    assert failed["product_id"] == "SKU-00004" and "404" in failed["error"]
    manifests = {
        m["product_id"]: m
        for m in (json.loads(p.read_text()) for p in (out / CREATIVES).glob("*/manifest.json"))
    }
    assert manifests["SKU-00005"]["creatives"][0]["template"] == "promo"  # on sale
    # ... and its pill shows the feed's price struck through before the sale price.
    [pill] = [e for e in manifests["SKU-00005"]["creatives"][0]["elements"] if e["kind"] == "price"]
    assert pill["struck"] and pill["lines"][0].startswith(pill["struck"])
    # Every file carries the claim check's verdict.
    verdicts = [c["publishable"] for m in manifests.values() for c in m["creatives"]]
    assert len(verdicts) == 10 and all(verdicts)
    assert manifests["SKU-00005"]["creatives"][0]["copy"]  # copy was written
    assert manifests["SKU-00009"]["rules"] == [1]  # clearance
    assert manifests["SKU-00001"]["rules"] == [] and manifests["SKU-00001"]["language"] == "de"
    before = _tree(out / CREATIVES)

    # Retry failed only: the one failed product is claimed again, nothing else.
    assert state.retry_failed(run_id) == 1
    work(state_path(out), run_id, out / CREATIVES)
    claims = [pid for pid, _ in state.events(run_id, "claimed")]
    assert claims.count("SKU-00004") == 2 and len(claims) == 12
    assert state.progress(run_id).failed == 1

    # Re-import with two products changed: only those two are rendered again.
    feed = _feed(
        tmp_path, image_server, 12, {"/img/4.png": "/img/missing.png", "Sac à dos 2<": "Sac 2<"}
    )
    feed.write_bytes(feed.read_bytes().replace(b"Linterna frontal 3<", b"Linterna 3<"))
    run2, _ = create_run(feed, FeedOptions(), SPEC, out)
    assert state.progress(run2).reused == 8  # 11 products: 2 changed, SKU-00004 never made
    work(state_path(out), run2, out / CREATIVES)
    rendered = sorted(pid for pid, _ in state.events(run2, "completed"))
    assert rendered == ["SKU-00002", "SKU-00003"]
    after = _tree(out / CREATIVES)
    assert {k: v for k, v in after.items() if k in before} == before  # old outputs untouched
    state.close()


def test_pause_resume_cancel_and_bad_settings(tmp_path: Path, image_server: str) -> None:
    out = tmp_path / "out"
    run_id, _ = create_run(_feed(tmp_path, image_server, 6), FeedOptions(), SPEC, out)
    state = RunState(state_path(out))
    state.register_worker(run_id, "w1", os.getpid())
    state.set_status(run_id, "paused")
    assert state.claim(run_id, "w1", 60, 3) is None
    state.set_status(run_id, "running")
    item = state.claim(run_id, "w1", 60, 3)
    assert item is not None and item.product.id == "SKU-00000"
    state.set_status(run_id, "cancelled")
    prog = state.progress(run_id)
    assert (prog.running, prog.cancelled) == (1, 5)  # the product in hand finishes, no more
    assert state.complete(item, "w1") and not state.complete(item, "w1")
    state.close()
    with pytest.raises(InputError, match="logo"):
        create_run(
            _feed(tmp_path, image_server, 2),
            FeedOptions(),
            RunSpec(formats=("google_rda_logo_square",)),
            out,
        )


def test_cli_bulk_run_from_a_url_status_and_export(tmp_path: Path, image_server: str) -> None:
    FEEDS["three.xml"] = merchant_xml(3, image_server)
    out = tmp_path / "out"
    runner = CliRunner(env={"ADCRAFT_CATALOG_ALLOW_LOOPBACK": "1"})
    feed = f"{image_server}/feeds/three.xml"
    args = ["bulk", "run", feed, "--out", str(out), "--formats", "meta_feed_square"]
    res = runner.invoke(app, [*args, "--variants", "1", "--workers", "1"])
    assert res.exit_code == 0, res.output
    assert "3 products completed (0 reused), 0 failed" in res.output
    res = runner.invoke(app, ["bulk", "status", str(out), "--json"])
    assert json.loads(res.output)["completed"] == 3
    res = runner.invoke(
        app,
        ["bulk", "export", str(out), str(tmp_path / "x"), "--base-url", "https://c.example.com"],
    )
    assert res.exit_code == 0 and "3 products" in res.output, res.output
    assert (tmp_path / "x/sheets/meta_ads_bulk.csv").read_text("utf-8-sig").count(
        "https://c.example.com/products/"
    ) == 3
    res = runner.invoke(app, ["bulk", "webhook", str(out), "http://10.0.0.1/x"])
    assert res.exit_code == 2 and "private" in res.output
    res = CliRunner().invoke(app, ["bulk", "run", feed, "--out", str(out)])
    assert res.exit_code == 2 and "error:" in res.output  # loopback refused without the switch
    res = runner.invoke(app, [*args, "--formats", "nope"])
    assert res.exit_code == 2 and "unknown format" in res.output
    res = runner.invoke(app, [*args, "--rule", "price -> colour=red"])
    assert res.exit_code == 2 and "rule action" in res.output


def test_a_killed_writers_staging_folder_is_removed_when_the_product_is_written(
    tmp_path: Path,
) -> None:
    """A worker SIGKILLed while writing leaves `.<folder>.<host>.<pid>.*`; whoever writes the
    product next removes it, while a live writer's staging folder is left alone."""
    import subprocess
    import sys

    from adcraft.catalog.bulk.product_render import _staging_prefix, _write_folder

    folder = tmp_path / "creatives" / "abc123"
    folder.parent.mkdir(parents=True)
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        check=True,
        capture_output=True,
        text=True,
    )
    dead_pid = int(dead.stdout)
    prefix = _staging_prefix(folder.name)
    own = prefix.rsplit(".", 2)[0]  # ".abc123.<host>"
    (folder.parent / f"{own}.{dead_pid}.x1").mkdir()
    (folder.parent / f"{own}.{dead_pid}.x1" / "half.jpg").write_bytes(b"\xff\xd8")
    (folder.parent / f"{own}.{os.getpid()}.x2").mkdir()  # alive: this process

    _write_folder(folder, {"a.jpg": b"jpeg"}, {"creatives": []})

    left = sorted(p.name for p in folder.parent.iterdir())
    assert left == sorted(["abc123", f"{own}.{os.getpid()}.x2"])
    assert (folder / "a.jpg").read_bytes() == b"jpeg"


@pytest.mark.usefixtures("loopback_allowed")
def test_a_live_worker_keeps_its_lease_for_as_long_as_a_product_takes(
    tmp_path: Path, image_server: str
) -> None:
    """A product slower than the lease (a cold worker loading its models) stays with its live
    worker: the lease is renewed until the work ends, and only then can it run out."""
    import time

    from adcraft.catalog.bulk.worker import lease_kept

    out = tmp_path / "out"
    run_id, _ = create_run(_feed(tmp_path, image_server, 2), FeedOptions(), SPEC, out)
    db = state_path(out)
    state = RunState(db)
    lease_s = 0.3
    item = state.claim(run_id, "a", lease_s, 3)
    assert item is not None

    def lease_until() -> float:
        row = state._db.execute(
            "SELECT lease_until FROM items WHERE run_id=? AND product_id=?",
            (run_id, item.product.id),
        ).fetchone()
        return float(row[0])

    first = lease_until()
    with lease_kept(db, item, "a", lease_s):
        deadline = time.monotonic() + 60
        while lease_until() < first + lease_s and time.monotonic() < deadline:
            time.sleep(0.05)
        assert lease_until() >= first + lease_s, "the lease was never renewed"
    # The block is over: renewing stops, and a worker that lost the item cannot renew it.
    last = lease_until()
    assert state.renew(item, "b", lease_s) is False
    assert lease_until() == last
    state.close()


def test_a_sale_product_shows_its_feed_price_struck_through() -> None:
    """A feed's price and sale_price become the brief's regular price and price: the "−24%"
    the run writes says what it is taken from, and never rounds the discount up."""
    from adcraft.catalog.bulk.product_render import brief_for
    from adcraft.catalog.bulk.rules import Effect
    from adcraft.catalog.feeds.record import FeedProduct
    from adcraft.domain.brief import Price

    eur = "EUR"
    product = FeedProduct(
        id="SKU-1",
        title="Sac à dos 28 L",
        price=Price(amount=49.99, currency=eur),
        sale_price=Price(amount=37.99, currency=eur),  # 24.0 % off
        language="fr",
    )
    brief = brief_for(product, SPEC, Effect(), None)
    assert brief.price == Price(amount=37.99, currency=eur)
    assert brief.regular_price == Price(amount=49.99, currency=eur)
    assert brief.offer == "-24%"
    ended = product.model_copy(update={"sale_end": datetime(2020, 1, 1, tzinfo=UTC)})
    later = brief_for(ended, RunSpec(formats=SPEC.formats, now=datetime.now(UTC)), Effect(), None)
    assert later.regular_price is None and later.price == Price(amount=49.99, currency=eur)
