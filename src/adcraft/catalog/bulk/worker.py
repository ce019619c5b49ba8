"""A bulk-run worker process: claim a product, make its creatives, complete it, repeat.

    python -m adcraft.catalog.bulk.worker STATE_DB RUN_ID OUT_ROOT [--lease 120]

Each worker is its own process with its own SQLite connection; run several on one machine.
"""

from __future__ import annotations

import argparse
import logging
import os
import threading
import time
import traceback
import uuid
from collections import OrderedDict
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from adcraft.allocator import keep_freed_buffers
from adcraft.catalog.bulk.product_render import ImageFetcher, render_product
from adcraft.catalog.bulk.spec import RunSpec
from adcraft.catalog.bulk.state import Claimed, RunState
from adcraft.catalog.settings import fetch_allow_addresses
from adcraft.errors import AdcraftError, InputError, LayoutError
from adcraft.imagery.fetch import fetch_url

log = logging.getLogger("adcraft.catalog")
IDLE_S = 0.25


def cached_fetcher(size: int = 64) -> ImageFetcher:
    """fetch_url behind a small per-process cache: catalogues reuse images across products."""
    cache: OrderedDict[str, bytes] = OrderedDict()
    allow = fetch_allow_addresses()

    def fetch(url: str) -> bytes:
        if url in cache:
            cache.move_to_end(url)
            return cache[url]
        data = fetch_url(url, allow_addresses=allow)
        cache[url] = data
        if len(cache) > size:
            cache.popitem(last=False)
        return data

    return fetch


@contextmanager
def lease_kept(db: Path, item: Claimed, worker: str, lease_s: float) -> Iterator[None]:
    """Renew the lease on ``item`` while the block runs.

    The lease says "this worker is alive and on it", not "this product renders fast": a product
    may take longer than the lease (a cold process loading its models, a slow image host), and
    without renewal a live worker would lose it to another, again and again, until the item
    failed as if its workers kept dying. A killed worker stops renewing, so its product is taken
    over within one lease. The renewer has its own connection (SQLite connections stay in the
    thread that made them).
    """
    stop = threading.Event()

    def renew() -> None:
        state = RunState(db)
        try:
            while not stop.wait(lease_s / 3):
                if not state.renew(item, worker, lease_s):
                    return  # taken over or cancelled: complete() will say so
        finally:
            state.close()

    thread = threading.Thread(target=renew, name="adcraft-lease", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()


def work(
    db: Path,
    run_id: str,
    root: Path,
    *,
    lease_s: float = 120.0,
    max_attempts: int = 3,
    fetch: ImageFetcher | None = None,
    worker: str | None = None,
) -> int:
    """Work until the run has nothing left for this worker; returns items completed."""
    me = worker or f"{os.getpid()}-{uuid.uuid4().hex[:6]}"
    state = RunState(db)
    fetcher = fetch or cached_fetcher()
    done = 0
    try:
        run = state.run(run_id)
        if run is None:
            raise InputError(f"no bulk run {run_id!r} in {db}")
        spec = RunSpec.model_validate(run["spec"])
        state.register_worker(run_id, me, os.getpid())
        while True:
            item = state.claim(run_id, me, lease_s, max_attempts)
            if item is None:
                prog = state.progress(run_id)
                if prog.status == "paused" or (prog.status == "running" and prog.running):
                    time.sleep(IDLE_S)  # paused, or others hold leases that may run out
                    continue
                state.finish_if_done(run_id)
                return done
            try:
                with lease_kept(db, item, me, lease_s):
                    render_product(item.product, spec, item.out_key, root, fetcher)
            except (InputError, LayoutError) as exc:
                state.fail(item, me, f"{type(exc).__name__}: {exc}", retry=False)
                continue
            except AdcraftError as exc:
                state.fail(item, me, f"{type(exc).__name__}: {exc}", item.attempts < max_attempts)
                continue
            except Exception as exc:
                log.error("product %s failed:\n%s", item.product.id, traceback.format_exc())
                retry = item.attempts < max_attempts
                state.fail(item, me, f"internal error: {type(exc).__name__}", retry)
                continue
            if state.complete(item, me):
                done += 1
    finally:
        state.close()


def main() -> None:
    """Entry point of a worker process."""
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("db", type=Path)
    ap.add_argument("run_id")
    ap.add_argument("root", type=Path)
    ap.add_argument("--lease", type=float, default=120.0)
    ap.add_argument("--max-attempts", type=int, default=3)
    ap.add_argument("--worker", default=None, help="Worker id (default: pid and a random tag)")
    args = ap.parse_args()
    keep_freed_buffers()  # this process is ours: recycle the big image buffers
    logging.basicConfig(level=logging.WARNING)
    work(
        args.db,
        args.run_id,
        args.root,
        lease_s=args.lease,
        max_attempts=args.max_attempts,
        worker=args.worker,
    )


if __name__ == "__main__":
    main()
