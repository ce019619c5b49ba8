"""WCAG 2.2 AA audit of every page with axe-core (vendored): no serious or critical violation.

The pages are audited in the state a person sees them: signed out, each page of the navigation,
a finished set's gallery (with a shortlisted card, two picked for comparing, the side-by-side
view and the shortlist filter), and a creative's dialog with its edit preview and review panel.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.web.catalog_seed import image_host, queue_run, wait_run
from tests.web.harness import WebServer, generate_set, sign_in
from tests.web.stats_seed import arm_traffic, seed_delivery

AXE = Path(__file__).parent / "vendor" / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def _audit(page: Any, where: str) -> list[str]:
    """Serious and critical violations on the page as it is now, one line each."""
    if not page.evaluate("() => Boolean(window.axe)"):
        page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "async (tags) => (await axe.run(document, {runOnly: {type: 'tag', values: tags}}))"
        ".violations.map(v => ({id: v.id, impact: v.impact, help: v.help,"
        " nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}))",
        TAGS,
    )
    return [
        f"{where}: {v['id']} ({v['impact']}) {v['help']} at {v['nodes']}"
        for v in result
        if v["impact"] in ("serious", "critical")
    ]


def _set(api: httpx.Client) -> str:
    return generate_set(api, ["iab_medium_rectangle", "meta_feed_square"])[0]


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_every_page_passes_axe(
    audited: Any, server: WebServer, api: httpx.Client, lang: str
) -> None:
    page = audited
    task_id = _set(api)
    problems: list[str] = []
    page.goto(server.url + "/")
    page.get_by_label("Email").wait_for()
    if lang != "en":
        page.locator("#lang").select_option(lang)
    problems += _audit(page, "sign-in")
    if lang != "en":
        page.locator("#lang").select_option("en")
    sign_in(page, server.url, server.key)
    if lang != "en":
        page.locator("#lang").select_option(lang)
    routes = page.locator("#nav a[data-route]").evaluate_all(
        "els => els.map(e => e.getAttribute('href'))"
    )
    assert len(routes) >= 4
    for href in routes:
        page.goto(f"{server.url}/{href}")
        page.locator("#main h1").first.wait_for()
        page.wait_for_load_state("networkidle")
        problems += _audit(page, href)
    page.goto(f"{server.url}/#/task/{task_id}")
    page.locator("article.creative:not(.pending)").first.wait_for()
    problems += _audit(page, "gallery")
    # A shortlisted card, two picked for comparing, and the side-by-side view.
    page.locator("article.creative button.star").first.click()
    page.locator("article.creative button.star[aria-pressed='true']").wait_for()
    for box in page.locator("article.creative input[data-opener='compare-pick']").all()[:2]:
        box.check()
    page.locator("button[data-opener='compare']:not([disabled])").click()
    page.locator("dialog.compare section.compare-col").first.wait_for()
    problems += _audit(page, "compare view")
    page.keyboard.press("Escape")
    page.locator("dialog.compare").wait_for(state="detached")
    page.get_by_role("checkbox", name=re.compile("Shortlisted only|Только шорт-лист")).check()
    page.locator("section.group[data-group='rank'] h3").filter(has_text=re.compile("1")).wait_for()
    problems += _audit(page, "gallery, shortlisted only")
    page.locator("article.creative:not(.pending) .thumb").first.click()
    dialog = page.locator("dialog.detail")
    dialog.locator("section.review h3").wait_for()
    problems += _audit(page, "creative dialog")
    dialog.locator("button[data-opens='layout']").click()
    dialog.locator("section.layout-editor .layout-handle").first.wait_for()
    problems += _audit(page, "layout editor")
    dialog.locator("button[data-opens='mockup']").click()
    dialog.locator("figure.mock").wait_for()
    problems += _audit(page, "where it runs")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_analytics_and_experiments_pages_pass_axe(
    audited: Any, server: WebServer, api: httpx.Client, lang: str
) -> None:
    """The two statistics pages with data in them: charts drawn, tables filled, a verdict."""
    page = audited
    campaign = api.post("/campaigns", json={"name": f"Audit {lang}"}).json()
    seed_delivery(api, server, campaign["id"])
    items = generate_set(api, ["iab_medium_rectangle", "meta_feed_square"])[1]
    exp = api.post(
        "/experiments",
        json={
            "name": f"Audit {lang}",
            "placement": f"audit-{lang}",
            "arms": [
                {"creative_id": items[0]["id"], "control": True},
                {"creative_id": items[1]["id"]},
            ],
        },
    ).json()
    arm_traffic(api, server, exp["id"], exp["arms"][0], 300, 9)
    arm_traffic(api, server, exp["id"], exp["arms"][1], 300, 12)
    sign_in(page, server.url, server.key)
    if lang != "en":
        page.locator("#lang").select_option(lang)
    problems: list[str] = []
    page.goto(f"{server.url}/#/analytics")
    page.wait_for_selector("#main .view[data-loaded]")
    page.locator("#main select").first.select_option(value=campaign["id"])
    page.wait_for_selector('#main .view[data-loaded="2"] figure.chart[data-drawn="true"]')
    problems += _audit(page, "analytics")
    page.goto(f"{server.url}/#/experiments/new")
    page.locator(".arm-picks input").first.wait_for()
    problems += _audit(page, "new experiment")
    page.goto(f"{server.url}/#/experiments/{exp['id']}")
    page.wait_for_selector('#main .view[data-loaded="true"] figure.chart[data-drawn="true"]')
    problems += _audit(page, "experiment results")
    page.goto(f"{server.url}/#/experiments")
    page.locator("#experiments-list").wait_for()
    problems += _audit(page, "experiments")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_bank_and_settings_pages_pass_axe(
    audited: Any, bank_server: WebServer, bank_api: httpx.Client, lang: str, tmp_path: Path
) -> None:
    """The image bank with own and demo pictures, scored search results, a caption being edited
    and a refused picture; the settings page with a failed endpoint test."""
    from PIL import Image

    from tests.copywriting_llm.server import FakeOpenAI

    page = audited
    pictures = Path(__file__).resolve().parents[2] / "src/adcraft/data/examples/images"
    added = bank_api.post(
        "/bank/images",
        files={"file": ("coffee.jpg", (pictures / "coffee-maker.jpg").read_bytes())},
        data={"caption": f"an espresso machine on a kitchen counter ({lang})"},
    )
    assert added.status_code == 201, added.text
    Image.new("RGB", (60, 40), "red").save(tmp_path / "tiny.png")
    sign_in(page, bank_server.url, bank_server.key)
    if lang != "en":
        page.locator("#lang").select_option(lang)
    problems: list[str] = []
    page.goto(f"{bank_server.url}/#/bank")
    page.locator("li.bank-card[data-bank=demo]").first.wait_for()
    page.locator("li.bank-card[data-bank=own]").first.wait_for()
    problems += _audit(page, "bank")
    page.locator("#bank-q").fill("кофеварка")
    page.locator("#bank-q").press("Enter")
    page.locator("li.bank-card .bank-score").first.wait_for()
    problems += _audit(page, "bank search")
    page.locator("li.bank-card[data-bank=own] .row button").nth(1).click()
    page.locator("form.bank-edit textarea").wait_for()
    problems += _audit(page, "bank caption edit")
    add = page.locator("form.bank-add")
    add.locator("input[type=file]").set_input_files(str(tmp_path / "tiny.png"))
    add.locator("textarea").fill("a red square")
    add.locator("button[type=submit]").click()
    add.locator(".msg-error").wait_for()
    problems += _audit(page, "bank refused picture")

    page.goto(f"{bank_server.url}/#/settings")
    page.locator("form.settings").wait_for()
    problems += _audit(page, "settings")
    with FakeOpenAI() as gone:
        url = gone.url  # nothing listens here once it has stopped
    page.locator("form.settings input[type=url]").fill(url)
    page.locator("form.settings input[type=text]").fill("any-model")
    page.locator("form.settings button[type=submit]").click()
    page.locator("form.settings .msg-error").wait_for()
    problems += _audit(page, "settings failed test call")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_catalogue_runs_pages_pass_axe(
    audited: Any,
    server: WebServer,
    api: httpx.Client,
    lang: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The runs list and a finished run with a failed product and its reason, a queued run with
    its actions and the cancel confirmation, and a refused action's error."""
    monkeypatch.setenv("ADCRAFT_CATALOG_ALLOW_LOOPBACK", "1")
    page = audited
    with image_host() as host:
        done = queue_run(api, host)["id"]
        assert api.post(f"/catalog/runs/{done}/resume", json={"workers": 1}).status_code == 200
        assert wait_run(api, done, "completed")["progress"]["failed"] == 1
        queued = queue_run(api, host, variants=2)["id"]
    sign_in(page, server.url, server.key)
    if lang != "en":
        page.locator("#lang").select_option(lang)
    problems: list[str] = []
    page.goto(f"{server.url}/#/runs")
    page.locator("#runs-list tbody tr", has_text=done).wait_for()
    problems += _audit(page, "runs")
    page.goto(f"{server.url}/#/runs/{done}")
    page.locator('#run-products [data-status="failed"]').wait_for()
    problems += _audit(page, "finished run")
    page.goto(f"{server.url}/#/runs/{queued}")
    page.locator('#run-status [data-status="paused"]').wait_for()
    page.locator("#run-products tbody tr").first.wait_for()
    problems += _audit(page, "queued run")
    page.locator(".run-actions > button").last.click()  # Cancel…: the confirmation opens
    page.locator(".run-actions .row:not([hidden]) button").first.wait_for()
    problems += _audit(page, "cancel confirmation")
    assert api.post(f"/catalog/runs/{queued}/cancel").status_code == 200
    page.locator(".run-actions > button").first.click()  # Resume, refused: cancelled meanwhile
    page.locator(".msg-error").wait_for()
    problems += _audit(page, "refused action")
    assert not problems, "\n".join(problems)
