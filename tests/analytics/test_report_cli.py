"""`adcraft report` and `adcraft events` commands over a seeded embedded store."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

from PIL import Image

from adcraft.analytics.report import write_report
from adcraft.analytics.service import open_store
from adcraft.analytics.store_chdb import ChdbStore
from adcraft.config import Settings
from tests.analytics.conftest import make_event
from tests.analytics.report_seed import CAMPAIGN, CREATIVES, campaign_events

SRC = str(Path(__file__).resolve().parents[2] / "src")


def test_report_writes_html_and_charts(store: ChdbStore, tmp_path: Path) -> None:
    now = datetime.now(UTC) - timedelta(hours=2)
    events = [
        make_event(
            "impression",
            ts=now - timedelta(days=i % 3),
            campaign_id="k1",
            creative_id=f"c{i % 4}",
            format_id=("sq", "story")[i % 2],
            style="bold",
        )
        for i in range(60)
    ] + [make_event("click", ts=now, campaign_id="k1", creative_id="c0", format_id="sq")]
    store.insert(events)
    out = write_report(store, campaign_id="k1", out=tmp_path / "r" / "report.html")
    page = out.read_text()
    assert "Campaign k1" in page and "c0" in page and "ctr-by-format.png" in page
    for name in ("ctr-by-format", "ctr-by-style", "daily"):
        with Image.open(tmp_path / "r" / f"report-{name}.png") as img:
            assert img.size == (900, 360)


def _cli(*args: str, data: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": SRC, "ADCRAFT_DATA_DIR": str(data)}
    return subprocess.run(
        [sys.executable, "-m", "adcraft", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )


def test_cli_errors_are_clear(tmp_path: Path) -> None:
    r = _cli("report", "--campaign", "nope", "--out", str(tmp_path / "x.html"), data=tmp_path)
    assert r.returncode == 2 and "error: no events for campaign 'nope'" in r.stderr
    r = _cli("events", "consume", data=tmp_path)
    assert r.returncode == 2 and "ADCRAFT_EVENTS__KAFKA_BOOTSTRAP" in r.stderr


def test_cli_report_writes_a_readable_report(tmp_path: Path) -> None:
    """The real ``adcraft report`` over a seeded embedded store (as in docs/images/report.png):
    figures labelled in words, CTR in per cent, thousands separated, only delivered rows."""
    data = tmp_path / "data"
    events = campaign_events()
    store = open_store(Settings(data_dir=data))
    try:
        store.insert(events)
    finally:
        store.close()  # the CLI opens the embedded store itself
    out = tmp_path / "out" / "report.html"
    r = _cli("report", "--campaign", CAMPAIGN, "--out", str(out), data=data)
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == f"report: {out}"
    page = out.read_text()
    shown = sum(e.type == "impression" for e in events)
    clicked = sum(e.type == "click" for e in events)
    assert f"<th>Impressions</th><td>{shown:,}</td>" in page
    assert f"<th>Click-through rate (CTR)</th><td>{clicked / shown:.2%}</td>" in page
    assert "<th>Generation success rate</th><td>50.0%</td>" in page
    assert "<th>Time to first asset (median)</th><td>75 s</td>" in page
    assert "<th>Generation time, median</th><td>14.0 s</td>" in page
    # One creative-table row per delivered creative × format; edits and downloads of the same
    # creatives (no format, no delivery) make no empty rows.
    table = page.split("<h2>Creatives</h2>")[1]
    assert table.count("<tr>") == 1 + len(CREATIVES)
    assert "(none)" not in page
    for name in ("ctr-by-format", "ctr-by-style", "daily"):
        with Image.open(out.parent / f"report-{name}.png") as img:
            assert img.size == (900, 360)
