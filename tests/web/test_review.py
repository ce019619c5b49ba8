"""Review and approval: draft → in review → approved → exported, comments shown as text, an
approval covering exactly one version, and two reviewers approving at once."""

from __future__ import annotations

import threading
import time
from typing import Any

import httpx

from tests.web.harness import WebServer, generate_set, sign_in

HOSTILE = "<img src=x onerror=\"document.title='pwned'\"> looks good"


def _creative(api: httpx.Client) -> dict[str, Any]:
    _, items = generate_set(api, ["iab_medium_rectangle"])
    assert len(items) == 1
    return dict(items[0])


def _wait_version(api: httpx.Client, creative_id: str, n: int) -> None:
    deadline = time.monotonic() + 120
    while api.get(f"/creatives/{creative_id}").json()["version"] < n:
        assert time.monotonic() < deadline, "the new version did not arrive"
        time.sleep(0.2)


def test_review_moves_and_an_approval_covers_one_version(api: httpx.Client) -> None:
    c = _creative(api)
    cid = c["id"]
    assert api.get(f"/creatives/{cid}/review").json()["state"] == "draft"
    # Exporting is done by exporting, not by hand; a draft cannot ask for changes.
    assert api.post(f"/creatives/{cid}/review", json={"state": "exported"}).status_code == 409
    bad = api.post(f"/creatives/{cid}/review", json={"state": "changes_requested"})
    assert bad.status_code == 409 and "draft" in bad.text

    sent = api.post(f"/creatives/{cid}/review", json={"state": "in_review", "by": "Ana"})
    assert sent.status_code == 200 and sent.json()["state"] == "in_review"
    api.post(f"/creatives/{cid}/comments", json={"text": HOSTILE, "by": "Ben"}).raise_for_status()
    ok = api.post(f"/creatives/{cid}/review", json={"state": "approved", "version": 1})
    assert ok.status_code == 200 and ok.json()["state"] == "approved"
    assert api.get(f"/creatives/{cid}").json()["review_state"] == "approved"
    activity = ok.json()["activity"]
    assert [a["kind"] for a in activity] == ["review", "comment", "review"]
    assert activity[0]["by"].startswith("Ana (key ") and activity[1]["text"] == HOSTILE

    # An edit makes version 2, which nobody has approved yet; a stale approval is refused.
    api.post(
        f"/creatives/{cid}/versions", json={"action": "edit", "copy": {"cta": "Get yours"}}
    ).raise_for_status()
    _wait_version(api, cid, 2)
    assert api.get(f"/creatives/{cid}").json()["review_state"] == "draft"
    stale = api.post(f"/creatives/{cid}/review", json={"state": "approved", "version": 1})
    assert stale.status_code == 409 and "no longer current" in stale.text

    # Downloading the approved version exports it.
    api.post(f"/creatives/{cid}/review", json={"state": "approved", "version": 2})
    api.post("/feedback", json={"creative_id": cid, "kind": "download", "version": 2})
    assert api.get(f"/creatives/{cid}/review").json()["state"] == "exported"


def test_two_reviewers_approving_at_once_get_one_approval(api: httpx.Client) -> None:
    cid = _creative(api)["id"]
    api.post(f"/creatives/{cid}/review", json={"state": "in_review"}).raise_for_status()
    codes: list[int] = []
    start = threading.Barrier(2)

    def approve() -> None:
        start.wait()
        codes.append(
            api.post(
                f"/creatives/{cid}/review", json={"state": "approved", "version": 1}
            ).status_code
        )

    threads = [threading.Thread(target=approve) for _ in range(2)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert sorted(codes) == [200, 409]
    log = api.get(f"/creatives/{cid}/review").json()["activity"]
    assert [a["state"] for a in log if a["kind"] == "review"] == ["in_review", "approved"]


def test_review_in_the_app(page: Any, server: WebServer, api: httpx.Client) -> None:
    c = _creative(api)
    sign_in(page, server.url, server.key)
    page.goto(f"{server.url}/#/task/{c['task_id']}")
    page.locator("article.creative:not(.pending)").get_by_role(
        "button", name="Open and edit"
    ).click()
    dialog = page.locator("dialog.detail")
    review = dialog.locator("section.review")
    review.get_by_role("button", name="Send for review").click()
    review.get_by_text("Now: In review.").wait_for()
    review.get_by_label("Comment").fill(HOSTILE)
    review.get_by_role("button", name="Add comment").click()
    review.get_by_text("Comment added.").wait_for()
    # The comment is text: its markup is shown, never run.
    review.locator("ol.activity q", has_text="<img src=x").wait_for()
    assert review.locator("ol.activity img").count() == 0
    assert page.title() != "pwned"
    review.get_by_role("button", name="Approve").click()
    review.get_by_text("Now: Approved.").wait_for()
    page.keyboard.press("Escape")
    dialog.wait_for(state="detached")
    page.locator("article.creative .review-state", has_text="Approved").wait_for()
