"""`adcraft report` and `adcraft events` commands over a seeded embedded store."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

from PIL import Image

from adcraft.analytics.report import write_report
from adcraft.analytics.store_chdb import ChdbStore
from tests.analytics.conftest import make_event

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
