"""Catalogue throughput: per-creative cost against the encoder's floor, a --workers sweep, a
1 000-product run, peak memory per worker, and a large feed parsed in flat memory.

Usage:
    python benchmarks/bench_catalog.py [--products 1000] [--workers 1,2,4,8]
        [--sweep-products 60] [--formats meta_feed_square,meta_stories,google_rda_landscape]
        [--variants 2] [--feed-mb 50] [--skip-catalog]

Product photos are served by a loopback HTTP server started here (the workers are allowed to
reach it with ADCRAFT_CATALOG_ALLOW_LOOPBACK=1). Not a test: timings depend on the machine.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from http.server import ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # tests.fixtures: the same generated feeds the tests use
os.environ["ADCRAFT_CATALOG_ALLOW_LOOPBACK"] = "1"

from tests.catalog.conftest import IMAGES, _Handler  # noqa: E402
from tests.fixtures.feeds.make_feeds import merchant_xml  # noqa: E402

from adcraft.allocator import keep_freed_buffers  # noqa: E402
from adcraft.catalog.bulk.product_render import brief_for  # noqa: E402
from adcraft.catalog.bulk.rules import Effect  # noqa: E402
from adcraft.catalog.bulk.runner import Supervisor, create_run, state_path  # noqa: E402
from adcraft.catalog.bulk.spec import RunSpec  # noqa: E402
from adcraft.catalog.bulk.state import RunState  # noqa: E402
from adcraft.catalog.feeds.importer import FeedOptions, read_all  # noqa: E402
from adcraft.compose import CopyBook, Job, Variant, make_creative  # noqa: E402
from adcraft.copywriting.locale import format_price  # noqa: E402
from adcraft.copywriting.offline import BuiltinCopywriter  # noqa: E402
from adcraft.domain.formats import default_registry  # noqa: E402
from adcraft.domain.template import load_template  # noqa: E402
from adcraft.layout.styles import DEFAULT_STYLE_ORDER, get_style  # noqa: E402
from adcraft.pipeline import _palette, _visual  # noqa: E402
from adcraft.render.draw import render  # noqa: E402
from adcraft.render.encode import encode  # noqa: E402


def serve_images() -> str:
    """Start the loopback image server; its base URL."""
    srv = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{srv.server_address[1]}"


def per_creative(feed: Path, formats: list[str], variants: int, repeat: int) -> None:
    """Median make_creative time per format vs encoding the same pixels (the floor)."""
    products, _ = read_all(feed)
    product = next(p for p in products if p.language == "en" and p.image_link)
    image = IMAGES["/" + product.image_link.split("/", 3)[3]]
    spec = RunSpec(formats=tuple(formats), variants=variants)
    brief = brief_for(product, spec, Effect(), image)
    t0 = time.perf_counter()
    picture = _visual(brief, None)
    prep = time.perf_counter() - t0
    job = Job(
        brief=brief,
        visual=picture.visual,
        logo=None,
        palette=_palette(brief, picture.visual),
        copywriter=BuiltinCopywriter(),
        price_text=format_price(brief.price, brief.language) if brief.price else None,
        image_format="jpeg",
        seed=0,
        n_variants=variants,
    )
    book = CopyBook(job)
    plan = [
        Variant(i, get_style(DEFAULT_STYLE_ORDER[i % 6]), load_template("classic"))
        for i in range(variants)
    ]
    print(f"picture preparation (once per product): {prep * 1000:.0f} ms")
    for fid in formats:
        fmt = default_registry()[fid]
        made, floor = [], []
        for i in range(repeat):
            v = plan[i % len(plan)]
            t0 = time.perf_counter()
            m = make_creative(job, book, v, fmt)
            made.append(time.perf_counter() - t0)
            pixels = render(m.layout, job.visual, job.palette, v.style).image
            t0 = time.perf_counter()
            encode(pixels, "jpeg")
            floor.append(time.perf_counter() - t0)
        a, b = statistics.median(made[1:]), statistics.median(floor[1:])
        print(
            f"  {fid:24} {fmt.width}x{fmt.height}: make_creative median {a * 1000:6.1f} ms, "
            f"encode-only {b * 1000:5.1f} ms, ratio {a / b:4.1f}x  ({repeat} runs)"
        )


def _peak_kib(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def timed_run(feed: Path, spec: RunSpec, workers: int, out: Path) -> tuple[float, int, int]:
    """(wall seconds, creatives made, peak RSS KiB of the largest worker) of one bulk run."""
    run_id, _ = create_run(feed, FeedOptions(), spec, out)
    sup = Supervisor(out, run_id, workers=workers)
    t0 = time.perf_counter()
    sup.start()
    peaks: dict[int, int] = {}
    state = RunState(state_path(out))
    while True:
        prog = sup.step(state)
        for p in sup.procs:
            if p.poll() is None:
                peaks[p.pid] = max(peaks.get(p.pid, 0), _peak_kib(p.pid))
        if prog.status == "completed" or (not prog.pending and not prog.running):
            state.finish_if_done(run_id)
            break
        time.sleep(0.05)
    wall = time.perf_counter() - t0
    sup.join()
    made = (prog.completed - prog.reused) * len(spec.formats) * spec.variants
    state.close()
    if prog.failed:
        print(f"  ({prog.failed} products failed)")
    return wall, made, max(peaks.values(), default=0)


def sweep(feed: Path, spec: RunSpec, workers: list[int], tmp: Path) -> None:
    """creatives/s for each worker count, and the scaling efficiency against one worker."""
    base = None
    for w in workers:
        wall, made, peak = timed_run(feed, spec, w, tmp / f"sweep-{w}")
        rate = made / wall
        base = base or rate
        print(
            f"  workers={w:2}: {made} creatives in {wall:6.1f} s = {rate:5.1f} creatives/s, "
            f"efficiency {rate / base / w:4.2f}, peak RSS per worker {peak / 1024:.0f} MiB"
        )


def feed_memory(mb: int, tmp: Path, image_base: str) -> None:
    """Parse a generated feed of about ``mb`` MiB in a fresh process; its peak RSS."""
    path = tmp / "big.xml"
    item = merchant_xml(1, image_base).split(b"<item>", 1)[1].split(b"</item>", 1)[0]
    n = 0
    with path.open("wb") as f:
        f.write(b'<?xml version="1.0"?><rss xmlns:g="http://base.google.com/ns/1.0"><channel>')
        while f.tell() < mb * 2**20:
            f.write(b"<item>" + item.replace(b"SKU-00000", b"SKU-%08d" % n) + b"</item>\n")
            n += 1
        f.write(b"</channel></rss>")
    code = (
        "import resource,sys,time;from pathlib import Path;"
        "from adcraft.catalog.feeds.importer import open_feed;"
        "before=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss;t=time.perf_counter();"
        "r,fh=open_feed(Path(sys.argv[1]));k=sum(1 for _ in r.products());"
        "print(k, before, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,"
        " time.perf_counter()-t)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, str(path)], capture_output=True, text=True, check=True
    ).stdout.split()
    k, before, after, dt = int(out[0]), int(out[1]), int(out[2]), float(out[3])
    size = path.stat().st_size / 2**20
    print(
        f"feed streaming: {size:.0f} MiB Merchant Center XML, {k} products in {dt:.1f} s "
        f"({size / dt:.1f} MiB/s); peak RSS {before / 1024:.0f} MiB after imports, "
        f"{after / 1024:.0f} MiB after parsing"
    )


def main() -> None:
    """Run every part and print the figures for docs/benchmarks.md."""
    ap = argparse.ArgumentParser()
    ap.add_argument("--products", type=int, default=1000)
    ap.add_argument("--sweep-products", type=int, default=60)
    ap.add_argument("--workers", default="1,2,4,8")
    ap.add_argument("--catalog-workers", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--formats", default="meta_feed_square,meta_stories,google_rda_landscape")
    ap.add_argument("--variants", type=int, default=2)
    ap.add_argument("--repeat", type=int, default=20)
    ap.add_argument("--feed-mb", type=int, default=50)
    ap.add_argument("--skip-catalog", action="store_true")
    args = ap.parse_args()
    keep_freed_buffers()
    formats = args.formats.split(",")
    base = serve_images()
    print(f"cpus: {os.cpu_count()}; formats {formats}; {args.variants} variants per product")
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        feed = tmp / "feed.xml"
        spec = RunSpec(formats=tuple(formats), variants=args.variants)
        feed.write_bytes(merchant_xml(max(args.products, args.sweep_products) + 60, base))
        per_creative(feed, formats, args.variants, args.repeat)
        small = tmp / "small.xml"
        small.write_bytes(merchant_xml(args.sweep_products, base))
        print(f"--workers sweep, {args.sweep_products}-row feed, one fresh run per count:")
        sweep(small, spec, [int(w) for w in args.workers.split(",")], tmp)
        if not args.skip_catalog:
            big = tmp / "catalog.xml"
            big.write_bytes(merchant_xml(args.products, base))
            wall, made, peak = timed_run(big, spec, args.catalog_workers, tmp / "catalog")
            print(
                f"catalogue run: {args.products}-row feed, {made} creatives with "
                f"{args.catalog_workers} workers in {wall:.1f} s = {made / wall:.1f} "
                f"creatives/s; peak RSS per worker {peak / 1024:.0f} MiB"
            )
            t0 = time.perf_counter()
            rid, _ = create_run(big, FeedOptions(), spec, tmp / "catalog")
            st = RunState(state_path(tmp / "catalog"))
            prog = st.progress(rid)
            st.close()
            print(
                f"re-import of the unchanged feed: {prog.reused} of {prog.total} products "
                f"reused, nothing to render, {time.perf_counter() - t0:.1f} s"
            )
        feed_memory(args.feed_mb, tmp, base)


if __name__ == "__main__":
    main()
