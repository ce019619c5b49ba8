"""Time-to-asset in the web app: opening the app -> the set's ZIP on disk, in headless Chromium.

A scripted marketer signs in, types a brief, uploads the product photo, presses Generate, watches
the progress, (optionally) edits a headline into a new version, and downloads the ZIP. The server
is ``adcraft serve`` as shipped (in-process runner, worker processes, SQLite, local store) on a
loopback port with a temp data folder. Typing is instant, so the figure is the software's share
of the two-minute promise, not a person's reading time.

    python benchmarks/bench_web.py [--runs 3] [--mode process|thread] [--no-edit]
                                   [--presets Meta,IAB display --variants 3]

Needs playwright (pip) and Debian's chromium at /usr/bin/chromium.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.web.harness import WebServer, browser_missing, demo_flow, launch


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--mode", choices=("process", "thread"), default="process")
    ap.add_argument("--workers", type=int, default=min(4, os.cpu_count() or 1))
    ap.add_argument(
        "--no-edit", action="store_true", help="skip the headline edit and the size adjustment"
    )
    ap.add_argument("--presets", default="", help="platform presets instead of 1080x1080+300x250")
    ap.add_argument("--variants", type=int, default=2)
    args = ap.parse_args()
    reason = browser_missing()
    if reason:
        print(f"cannot run: {reason}", file=sys.stderr)
        return 2
    from playwright.sync_api import sync_playwright

    presets = tuple(p.strip() for p in args.presets.split(",") if p.strip())
    to_zip: list[float] = []
    to_gallery: list[float] = []
    images = 0
    t_start = time.perf_counter()
    with WebServer(mode=args.mode, workers=args.workers, max_upload_bytes=25 * 2**20) as srv:
        started = time.perf_counter() - t_start
        with sync_playwright() as p, tempfile.TemporaryDirectory() as tmp:
            browser = launch(p)
            for i in range(args.runs):
                ctx = browser.new_context(
                    viewport={"width": 1280, "height": 900}, accept_downloads=True
                )
                page = ctx.new_page()
                page.set_default_timeout(120_000)
                r = demo_flow(
                    page,
                    srv.url,
                    srv.key,
                    Path(tmp) / str(i),
                    edit=not args.no_edit,
                    variants=args.variants,
                    presets=presets,
                )
                images = sum(n.endswith((".jpg", ".png", ".webp")) for n in r.names)
                to_zip.append(r.seconds_to_zip)
                to_gallery.append(r.seconds_to_gallery)
                print(
                    f"run {i + 1}: gallery {r.seconds_to_gallery:5.1f} s  "
                    f"ZIP on disk {r.seconds_to_zip:5.1f} s  ({images} images)",
                    flush=True,
                )
                ctx.close()
            browser.close()
    what = "with a headline edit and one size's layout adjusted" if not args.no_edit else "no edit"
    fmt = ", ".join(presets) if presets else "1080x1080 + 300x250"
    print(
        f"\nweb time-to-asset ({args.mode} runner, {args.workers} workers, {os.cpu_count()} cores, "
        f"{fmt}, {args.variants} variants, {images} images, {what}), {args.runs} runs:"
    )
    print(f"  server start           {started:6.1f} s")
    print(
        f"  open app -> gallery    median {statistics.median(to_gallery):5.1f} s  "
        f"max {max(to_gallery):5.1f} s"
    )
    print(
        f"  open app -> ZIP saved  median {statistics.median(to_zip):5.1f} s  "
        f"max {max(to_zip):5.1f} s   (target < 60 s)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
