"""Screenshot of one ``adcraft report`` rendered from seeded events, for docs/analytics.md.

    python -m tests.web.report_screens docs/images

Seeds the campaign of the report CLI test (tests/analytics/report_seed.py) into an embedded
store in a temp data dir, runs the real ``adcraft report`` command on it, opens the HTML in
Chromium and saves report.png (< 300 KB).
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

from adcraft.analytics.service import open_store
from adcraft.config import Settings
from tests.analytics.report_seed import CAMPAIGN, seed_campaign
from tests.web.harness import ROOT, launch
from tests.web.screens import run_capture, save_small


def render(data: Path, out: Path) -> Path:
    """Seed the campaign under ``data`` and write its report with the CLI; return the HTML."""
    store = open_store(Settings(data_dir=data))
    try:
        seed_campaign(store)
    finally:
        store.close()
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "ADCRAFT_DATA_DIR": str(data)}
    subprocess.run(
        [sys.executable, "-m", "adcraft", "report", "--campaign", CAMPAIGN, "--out", str(out)],
        check=True,
        env=env,
        timeout=300,
    )
    return out


def capture(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as p:
        html = render(Path(tmp) / "data", Path(tmp) / "report" / "report.html")
        browser = launch(p)
        page = browser.new_page(viewport={"width": 1100, "height": 900})
        page.goto(html.as_uri())
        page.wait_for_load_state("load")
        save_small(page, out / "report.png", full_page=True)
        browser.close()


if __name__ == "__main__":
    run_capture(capture)
