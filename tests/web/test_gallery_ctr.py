"""The gallery ranks a set by the tenant's CTR model once one is trained, even a model trained
after the set was made: the order of the cards is the model's (publishable ones first), each
card shows its predicted click-through rate, and the view says which model ranks it."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from adcraft.db.engine import unit_of_work
from adcraft.db.tenants import create_tenant
from tests.web.harness import WebServer, generate_set, sign_in
from tests.web.stats_seed import event, send

# Six sizes of different shapes (no two render the same image) × 2 variants: 12 creatives, the
# fewest a model is trained on.
FORMATS = [
    "meta_feed_square",
    "meta_stories",
    "iab_medium_rectangle",
    "iab_half_page",
    "pinterest_standard",
    "linkedin_single_image_landscape",
]
SHOWN = 1200  # impressions per creative: 14 400 in all, over the training minimum of 10 000


@pytest.fixture()
def own_tenant(server: WebServer) -> Iterator[tuple[str, httpx.Client]]:
    """A tenant of its own: its model must not rank the other web tests' sets."""
    assert server.container is not None
    with unit_of_work(server.container.sessions) as s:
        _, key = create_tenant(s, "Click Lab", server.container.secret)
    with httpx.Client(
        base_url=server.url + "/api/v1", headers={"Authorization": f"Bearer {key}"}, timeout=30
    ) as client:
        yield key, client


def _traffic(api: httpx.Client, server: WebServer, worst_first: list[dict[str, Any]]) -> None:
    """Clicks against the quality score: the lowest-scored creative is clicked most (9 %), the
    best-scored least (1.5 %), so a model trained on them reverses the set's order."""
    at = datetime.now(UTC) - timedelta(hours=2)
    events = []
    for i, c in enumerate(worst_first):
        common = {"campaign_id": c["campaign_id"], "format_id": c["format"], "creative_id": c["id"]}
        ctr = 0.09 - i * (0.09 - 0.015) / (len(worst_first) - 1)
        for n in range(SHOWN):
            user = {"user_hash": f"u{i:02d}{n:05d}"}
            events.append(event("impression", at, **common, **user))
            if n < round(SHOWN * ctr):
                events.append(event("click", at + timedelta(seconds=2), **common, **user))
    send(api, server, events)


def _train(api: httpx.Client) -> str:
    r = api.post("/ctr/models", json={})
    assert r.status_code == 202, r.text
    job_id = r.json()["id"]
    deadline = time.monotonic() + 120
    while (job := api.get(f"/ctr/jobs/{job_id}").json())["status"] not in ("completed", "failed"):
        assert time.monotonic() < deadline, f"training still {job['status']}"
        time.sleep(0.1)  # polling for the job's state
    assert job["status"] == "completed", job
    return str(job["model_version"])


def test_the_gallery_ranks_by_a_model_trained_after_the_set(
    page: Any, server: WebServer, own_tenant: tuple[str, httpx.Client]
) -> None:
    key, api = own_tenant
    task_id, items = generate_set(api, FORMATS, variants=2)
    assert len(items) == 12
    by_score = sorted(items, key=lambda c: -c["score"])
    _traffic(api, server, by_score[::-1])
    version = _train(api)

    ranking = api.get("/ctr/ranking", params={"task": task_id}).json()
    assert ranking["model_version"] == version
    publishable = {c["id"]: c.get("publishable") is not False for c in items}
    model_order = [i["creative_id"] for i in ranking["items"]]
    expected = sorted(model_order, key=lambda i: not publishable[i])  # stable: model order kept
    # The model's order is not the generation-time score's: the test can tell them apart.
    assert expected != sorted((c["id"] for c in by_score), key=lambda i: not publishable[i])

    sign_in(page, server.url, key)
    page.goto(f"{server.url}/#/task/{task_id}")
    page.get_by_text(f"Ranked by your CTR model {version}", exact=False).wait_for()
    cards = page.locator("section[data-group='rank'] article.creative:not(.pending)")
    cards.nth(len(items) - 1).wait_for()
    assert cards.evaluate_all("els => els.map(e => e.dataset.id)") == expected
    top = ranking["items"][[i["creative_id"] for i in ranking["items"]].index(expected[0])]
    shown = cards.first.locator(".score").inner_text()
    assert shown == f"predicted CTR {100 * top['predicted_ctr']:.2f} %"
    assert cards.first.locator(".rank").inner_text() == f"#1 of {len(items)}"
