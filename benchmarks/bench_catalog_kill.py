"""A full-size bulk run through the API with one worker SIGKILLed mid-run, checked against a
clean run of the same feed.

Usage:
    python benchmarks/bench_catalog_kill.py [--products 1000] [--workers 4]
        [--formats meta_feed_square,meta_stories,google_rda_landscape] [--variants 2]
        [--kill-after 100] [--skip-clean]

The API runs in this process (the real app with its catalogue service, on SQLite); its bulk
run spawns ``--workers`` worker processes. Once ``--kill-after`` products are done, the worker
holding a product is SIGKILLed. The script then waits for the run and checks what the issue
asks: every product completed exactly once, no product failed, and the files are byte-identical
to a clean run of the same feed by one worker. Product photos come from a loopback server.
Not a test: it takes minutes (the clean run alone renders every creative again).
"""

from __future__ import annotations

import argparse
import hashlib
import os
import signal
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # tests.fixtures: the same generated feeds the tests use

from fastapi.testclient import TestClient  # noqa: E402
from tests.fixtures.feeds.make_feeds import merchant_xml  # noqa: E402

from adcraft.api import create_app  # noqa: E402
from adcraft.catalog.bulk.runner import CREATIVES, create_run, state_path  # noqa: E402
from adcraft.catalog.bulk.spec import RunSpec  # noqa: E402
from adcraft.catalog.bulk.state import RunState  # noqa: E402
from adcraft.catalog.bulk.worker import work  # noqa: E402
from adcraft.catalog.feeds.importer import FeedOptions  # noqa: E402
from adcraft.catalog.service import CatalogService  # noqa: E402
from adcraft.config import Settings  # noqa: E402
from adcraft.container import build  # noqa: E402
from adcraft.db.engine import unit_of_work  # noqa: E402
from adcraft.db.tenants import create_tenant  # noqa: E402
from bench_catalog import serve_images  # noqa: E402  (also allows loopback image fetches)


def tree(root: Path) -> dict[str, str]:
    """Relative path -> SHA-256 of every creative file (manifests included)."""
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file() and not p.name.startswith(".")
    }


def wait_run(client: TestClient, run_id: str, timeout_s: float) -> dict[str, Any]:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        run: dict[str, Any] = client.get(f"/api/v1/catalog/runs/{run_id}").json()
        if run["status"] == "completed":
            return run
        time.sleep(1)
    raise SystemExit(f"run {run_id} did not complete in {timeout_s:.0f} s")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--products", type=int, default=1000)
    ap.add_argument("--workers", type=int, default=4)
    ap.add_argument("--formats", default="meta_feed_square,meta_stories,google_rda_landscape")
    ap.add_argument("--variants", type=int, default=2)
    ap.add_argument("--kill-after", type=int, default=100)
    ap.add_argument("--lease", type=float, default=30.0)
    ap.add_argument("--skip-clean", action="store_true")
    args = ap.parse_args()
    formats = args.formats.split(",")
    feed = merchant_xml(args.products, serve_images())

    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        settings = Settings(
            environment="test",
            data_dir=tmp / "data",
            tasks={"local_workers": 1, "local_mode": "thread"},
            security={"secret_key": "bench-" + "x" * 48},
            limits={"rate_limit_per_minute": 100_000},
        )
        container = build(settings)
        service = CatalogService(settings.data_dir / "catalog", lease_s=args.lease)
        container.extras["catalog"] = service
        with unit_of_work(container.sessions) as s:
            tenant, key = create_tenant(s, "bench", container.secret)
        folder = settings.data_dir / "catalog" / str(tenant.id)
        with TestClient(create_app(container)) as client:
            client.headers["Authorization"] = f"Bearer {key}"
            up = client.post("/api/v1/catalog/feeds", files={"file": ("feed.xml", feed)})
            report = up.json()["report"]
            print(f"feed: {report['products']} products, skipped {report['skipped_by_code']}")
            t0 = time.perf_counter()
            res = client.post(
                "/api/v1/catalog/runs",
                json={
                    "feed_id": up.json()["feed_id"],
                    "formats": formats,
                    "variants": args.variants,
                    "workers": args.workers,
                    "rules": ["sale_price? -> template=promo"],
                },
            )
            run_id = res.json()["id"]
            st = RunState(state_path(folder))
            victim = None
            while victim is None:
                if st.progress(run_id).completed >= args.kill_after:
                    victim = st._db.execute(
                        "SELECT w.pid, i.product_id FROM items i JOIN workers w "
                        "ON w.id = i.lease_owner WHERE i.run_id=? AND i.status='running'",
                        (run_id,),
                    ).fetchone()
                    if victim:
                        os.kill(victim[0], signal.SIGKILL)
                        print(f"SIGKILLed worker {victim[0]} holding {victim[1]}")
                time.sleep(0.02)
            run = wait_run(client, run_id, timeout_s=6 * 3600)
            wall = time.perf_counter() - t0
            prog = run["progress"]
            items = client.get(f"/api/v1/catalog/runs/{run_id}/products").json()
            claims = [pid for pid, _ in st.events(run_id, "claimed")]
            st.close()
            made = prog["completed"] * len(formats) * args.variants
            print(
                f"run: {prog['completed']} completed, {prog['failed']} failed of {prog['total']};"
                f" {made} creatives in {wall:.1f} s = {made / wall:.1f} creatives/s"
                f" with {args.workers} workers"
            )
            once = sum(1 for i in items if i["completions"] == 1)
            print(f"completed exactly once: {once} of {len(items)}")
            print(f"the killed worker's product was claimed {claims.count(victim[1])} times")
            service.stop()
        container.engine.dispose()
        ok = prog["failed"] == 0 and once == len(items) == prog["total"]
        if not args.skip_clean:
            clean = tmp / "clean"
            (tmp / "feed.xml").write_bytes(feed)
            spec = RunSpec(
                formats=tuple(formats), variants=args.variants, rules=run["spec"]["rules"]
            )
            clean_id, _ = create_run(tmp / "feed.xml", FeedOptions(), spec, clean)
            t0 = time.perf_counter()
            work(state_path(clean), clean_id, clean / CREATIVES)
            print(f"clean run, one worker in this process: {time.perf_counter() - t0:.1f} s")
            killed, reference = tree(folder / CREATIVES), tree(clean / CREATIVES)
            same = killed == reference
            paths = killed.keys() | reference.keys()
            differ = sum(1 for k in paths if killed.get(k) != reference.get(k))
            print(f"files: {len(killed)} vs {len(reference)}, identical: {same} ({differ} differ)")
            ok = ok and same
        print("OK" if ok else "FAILED")
        raise SystemExit(0 if ok else 1)


if __name__ == "__main__":
    main()
