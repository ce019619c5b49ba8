"""The Analytics page shows exactly the API's numbers: pilot metrics, totals, series, formats.

Events are seeded through ``POST /events`` into a campaign of their own, stored (flushed), and
the page is compared, figure by figure, with the API answers for the same scope.
"""

from __future__ import annotations

import uuid
from typing import Any

import httpx

from tests.web.harness import WebServer, sign_in
from tests.web.stats_seed import FORMATS, seed_delivery


def _pct(share: float, digits: int) -> str:
    return f"{share * 100:.{digits}f}%"


def _loaded(page: Any, before: str | None = None) -> str:
    """Wait until the page finished a load (a different one than ``before``); its number."""
    page.wait_for_function(
        "prev => { const v = document.querySelector('#main .view');"
        " return v && v.dataset.loaded && v.dataset.loaded !== prev; }",
        arg=before or "",
    )
    return str(page.locator("#main .view").get_attribute("data-loaded"))


def _table(page: Any, table_id: str) -> list[list[str]]:
    return [
        [c.strip() for c in row]
        for row in page.locator(f"#{table_id} tbody tr").evaluate_all(
            "rows => rows.map(r => [...r.children].map(c => c.textContent))"
        )
    ]


def test_analytics_page_numbers_equal_the_api(
    page: Any, server: WebServer, api: httpx.Client
) -> None:
    name = f"Stats {uuid.uuid4().hex[:8]}"
    campaign_id = api.post("/campaigns", json={"name": name}).json()["id"]
    seed_delivery(api, server, campaign_id)
    scope = {"campaign_id": campaign_id}
    pilot = api.get("/analytics/pilot", params=scope).json()
    summary = api.get("/analytics/summary", params=scope).json()
    series = api.get("/analytics/timeseries", params={**scope, "bucket": "day"}).json()
    formats = api.get("/analytics/breakdown", params={**scope, "by": "format_id"}).json()
    # What was seeded, as the API counts it: the page is then compared with these answers.
    assert (summary["impressions"], summary["clicks"]) == (345, 30)
    assert pilot["adoption_rate"] == 2 / 3 and pilot["edit_distance_below_20_share"] == 0.5
    assert len(series) == 3

    sign_in(page, server.url, server.key)
    page.get_by_role("link", name="Analytics").click()
    page.get_by_role("heading", name="Analytics", level=1).wait_for()
    first = _loaded(page)
    page.get_by_label("Campaign", exact=True).select_option(label=name)
    loaded = _loaded(page, first)

    def shown(metric: str) -> str:
        return str(page.locator(f'[data-metric="{metric}"] .metric-value').inner_text()).strip()

    for key in (
        "adoption_rate",
        "edit_distance_below_20_share",
        "regenerations_at_most_3_share",
        "task_success_rate",
    ):
        assert shown(key) == _pct(pilot[key], 1), key
    assert pilot["time_to_asset_p50_s"] == 45
    assert shown("time_to_asset_p50_s") == "45 s"
    p50, p95, p99 = (pilot[f"latency_{q}_ms"] / 1000 for q in ("p50", "p95", "p99"))
    assert shown("latency") == f"median {p50:.1f} s · p95 {p95:.1f} s · p99 {p99:.1f} s"
    assert shown("impressions") == f"{summary['impressions']:,}"
    assert shown("clicks") == f"{summary['clicks']:,}"
    assert shown("ctr") == _pct(summary["ctr"], 2)

    rows = _table(page, "analytics-series")
    assert [r[1:] for r in rows] == [
        [f"{s['impressions']:,}", f"{s['clicks']:,}", _pct(s["ctr"], 2)] for s in series
    ]
    by_format = _table(page, "analytics-formats")
    assert [r[1:] for r in by_format] == [
        [f"{f['impressions']:,}", f"{f['clicks']:,}", _pct(f["ctr"], 2)]
        for f in formats
        if f["impressions"] or f["clicks"]
    ]
    # Formats by their names, most shown first.
    assert "Medium rectangle" in by_format[0][0] and by_format[1][0].startswith("Meta ·")
    # Both charts are drawn on a canvas, each next to the table above.
    assert page.locator('figure.chart[data-drawn="true"] canvas').count() == 2

    # One format's series.
    page.get_by_label("Format", exact=True).select_option(value=FORMATS[1])
    _loaded(page, loaded)
    one = api.get(
        "/analytics/timeseries", params={**scope, "bucket": "day", "format_id": FORMATS[1]}
    ).json()
    assert [r["impressions"] for r in one] == [55 + 10 * d for d in (2, 1, 0)]
    rows = _table(page, "analytics-series")
    assert [r[1:] for r in rows] == [
        [f"{s['impressions']:,}", f"{s['clicks']:,}", _pct(s["ctr"], 2)] for s in one
    ]
