"""The Experiments page: create from the workspace's creatives, results equal to the API's
(Wilson intervals, verdicts — "not yet decided" until the design allows one), pause and stop."""

from __future__ import annotations

import uuid
from typing import Any

import httpx

from tests.web.harness import WebServer, generate_set, sign_in
from tests.web.stats_seed import arm_traffic

VERDICTS = {
    "not_yet_decided": "Not yet decided",
    "non_inferior": "Non-inferior",
    "inferior": "Inferior",
}


def _pct(share: float) -> str:
    return f"{share * 100:.2f}%"


def _table(page: Any, table_id: str) -> list[list[str]]:
    return [
        [c.strip() for c in row]
        for row in page.locator(f"#{table_id} tbody tr").evaluate_all(
            "rows => rows.map(r => [...r.children].map(c => c.textContent))"
        )
    ]


def _results_match(page: Any, res: dict[str, Any]) -> None:
    """The arms and comparisons tables say what the results endpoint says."""
    assert _table(page, "exp-arms") == [
        [
            a["name"],
            "Control" if a["control"] else "Tested",
            f"{a['impressions']:,}",
            f"{a['clicks']:,}",
            _pct(a["ctr"]) if a["ctr"] is not None else "—",
            f"{_pct(a['ctr_interval'][0])} – {_pct(a['ctr_interval'][1])}"
            if a["ctr"] is not None
            else "—",
        ]
        for a in res["arms"]
    ]
    rows = _table(page, "exp-comparisons")
    assert [r[2] for r in rows] == [VERDICTS[c["verdict"]] for c in res["comparisons"]]


def test_experiment_create_results_pause_and_stop(
    page: Any, server: WebServer, api: httpx.Client
) -> None:
    _, items = generate_set(api, ["iab_medium_rectangle", "meta_feed_square"])
    control, challenger = items[0], items[1]
    name = f"Tent headline test {uuid.uuid4().hex[:6]}"
    before = len(api.get("/experiments").json())

    sign_in(page, server.url, server.key)
    page.get_by_role("link", name="Experiments").click()
    page.get_by_role("link", name="New experiment").click()
    page.get_by_role("heading", name="New experiment").wait_for()
    page.get_by_label("Name", exact=True).fill(name)
    for box in page.locator(".arm-picks input[type=checkbox]").all():
        box.set_checked(False)
    # One arm only: refused in the page, nothing created.
    page.locator(f'.arm-picks input[type=checkbox][value="{control["id"]}"]').check()
    page.get_by_role("button", name="Start experiment").click()
    page.get_by_text("Choose at least two creatives.").wait_for()
    assert len(api.get("/experiments").json()) == before

    page.locator(f'.arm-picks input[type=checkbox][value="{challenger["id"]}"]').check()
    page.locator(f'.arm-picks input[type=radio][value="{control["id"]}"]').check()
    page.get_by_label("Traffic split").select_option("thompson")
    page.locator("details.design summary").click()
    page.get_by_label("Expected control CTR (%)").fill("5")
    page.get_by_role("button", name="Start experiment").click()
    page.get_by_role("heading", name=name, level=1).wait_for()
    exp_id = page.url.rsplit("/", 1)[-1]
    exp = api.get(f"/experiments/{exp_id}").json()
    assert exp["policy"] == "thompson" and exp["status"] == "running"
    assert [(a["creative_id"], a["control"]) for a in exp["arms"]] == [
        (control["id"], True),
        (challenger["id"], False),
    ]
    page.wait_for_selector('#main .view[data-loaded="true"]')

    # No traffic yet: nothing is decided, and the page says so.
    res = api.get(f"/experiments/{exp_id}/results").json()
    assert [c["verdict"] for c in res["comparisons"]] == ["not_yet_decided"]
    _results_match(page, res)
    assert page.locator('[data-verdict="not_yet_decided"]').inner_text() == "Not yet decided"

    # A little traffic: still not decided (the design needs more evidence, not more looks).
    arm_c, arm_t = exp["arms"]
    arm_traffic(api, server, exp_id, arm_c, 200, 10)
    arm_traffic(api, server, exp_id, arm_t, 200, 11)
    page.reload()
    page.wait_for_selector('#main .view[data-loaded="true"]')
    res = api.get(f"/experiments/{exp_id}/results").json()
    assert res["comparisons"][0]["verdict"] == "not_yet_decided"
    _results_match(page, res)

    # Enough traffic for the sequential test to cross: the verdict appears.
    arm_traffic(api, server, exp_id, arm_c, 1800, 90)
    arm_traffic(api, server, exp_id, arm_t, 1800, 189)
    page.reload()
    page.wait_for_selector('#main .view[data-loaded="true"]')
    res = api.get(f"/experiments/{exp_id}/results").json()
    assert res["comparisons"][0]["verdict"] == "non_inferior"
    assert [(a["impressions"], a["clicks"]) for a in res["arms"]] == [(2000, 100), (2000, 200)]
    _results_match(page, res)
    assert page.locator('figure.chart[data-drawn="true"] canvas').count() == 1

    # Pause, then stop for good; the API agrees at each step.
    page.get_by_role("button", name="Pause").click()
    page.locator('#exp-status [data-status="paused"]').wait_for()
    assert api.get(f"/experiments/{exp_id}").json()["status"] == "paused"
    page.get_by_role("button", name="Stop…").click()
    page.get_by_role("button", name="Stop for good").click()
    page.locator('#exp-status [data-status="stopped"]').wait_for()
    assert api.get(f"/experiments/{exp_id}").json()["status"] == "stopped"
    assert page.get_by_role("button", name="Resume").count() == 0

    # The list shows it with its state.
    page.get_by_role("link", name="All experiments").click()
    row = page.locator("#experiments-list tbody tr", has_text=name)
    row.wait_for()
    assert "Stopped" in row.inner_text() and "Thompson sampling" in row.inner_text()
