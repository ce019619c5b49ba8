"""Experiments through the public API: create, serve with signed tracking URLs, results, stop."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from adcraft.analytics.events import uuid7
from tests.analytics.app_fixtures import App, add_creative, start_app

LANDING = "https://shop.example/spring"
VIEWERS = 50  # within the anonymous rate limit of the tracking endpoints


@pytest.fixture
def app(tmp_path: Path) -> Iterator[App]:
    yield from start_app(tmp_path)


def _path(url: str) -> str:
    return "/" + url.split("://", 1)[1].split("/", 1)[1]


def _flush(app: App) -> None:
    app.client.app.state.analytics.sink.flush()  # type: ignore[attr-defined]


def _experiment(app: App, arms: list[dict[str, Any]], **extra: Any) -> Any:
    body = {"name": "spring test", "placement": "feed", "arms": arms, **extra}
    return app.post("/experiments", app.key_a, json=body)


def test_bad_experiments_are_refused(app: App) -> None:
    mine = add_creative(app.container, app.tenant_a)
    other = add_creative(app.container, app.tenant_a)
    theirs = add_creative(app.container, app.tenant_b)
    r = _experiment(app, [{"creative_id": mine, "control": True}])
    assert r.status_code == 422 and "at least two arms" in r.json()["detail"]
    r = _experiment(app, [{"creative_id": mine}, {"creative_id": other}])
    assert r.status_code == 422 and "exactly one arm must be the control" in r.json()["detail"]
    r = _experiment(app, [{"creative_id": mine, "control": True}, {"creative_id": theirs}])
    assert r.status_code == 404 and theirs in r.json()["detail"]
    r = app.get("/serve/feed", app.key_a, params={"user_hash": "u1"})
    assert r.status_code == 404  # nothing was created


def test_serve_track_results_and_stop(app: App) -> None:
    control = add_creative(app.container, app.tenant_a, landing_url=LANDING)
    ai = [add_creative(app.container, app.tenant_a, landing_url=LANDING) for _ in range(2)]
    r = _experiment(
        app,
        [{"creative_id": control, "control": True}, *({"creative_id": c} for c in ai)],
        policy="thompson",
        guardrails={"min_impressions": 20, "min_share": 0.1},
    )
    assert r.status_code == 201, r.text
    exp = r.json()
    truth = {control: 0.3, ai[0]: 0.3, ai[1]: 0.05}
    rng = np.random.default_rng(0)
    served: dict[str, str] = {}
    for i in range(VIEWERS):
        user = f"viewer-{i}"
        r = app.get("/serve/feed", app.key_a, params={"user_hash": user})
        assert r.status_code == 200, r.text
        got = r.json()
        if i < 10:
            again = app.get("/serve/feed", app.key_a, params={"user_hash": user})
            assert again.json()["arm_id"] == got["arm_id"], again.text  # sticky
        served[user] = got["creative_id"]
        browser = {"user-agent": f"Mozilla/5.0 (X11; Linux x86_64) Firefox/130.0 v{i}"}
        assert app.client.get(_path(got["impression_url"]), headers=browser).status_code == 200
        if rng.random() < truth[got["creative_id"]]:
            c = app.client.get(_path(got["click_url"]), headers=browser, follow_redirects=False)
            assert c.status_code in (302, 303, 307) and c.headers["location"] == LANDING
    _flush(app)
    res = app.get(f"/experiments/{exp['id']}/results", app.key_a).json()
    arms = {a["creative_id"]: a for a in res["arms"]}
    assert sum(a["impressions"] for a in arms.values()) == VIEWERS
    for cid, arm in arms.items():
        assert arm["impressions"] == sum(1 for v in served.values() if v == cid)
        lo, hi = arm["ctr_interval"]
        assert 0 <= lo <= hi <= 1
    assert all(c["verdict"] == "not_yet_decided" for c in res["comparisons"])
    assert app.post(f"/experiments/{exp['id']}/stop", app.key_a).status_code == 200
    for i in range(5):
        got = app.get("/serve/feed", app.key_a, params={"user_hash": f"viewer-{i}"}).json()
        assert got["creative_id"] == control and got["control"] is True
    assert app.post(f"/experiments/{exp['id']}/resume", app.key_a).status_code == 409
    # Another tenant sees nothing of it.
    assert app.get(f"/experiments/{exp['id']}", app.key_b).status_code == 404


def _events(app: App, exp: dict[str, Any], arm: dict[str, Any], n: int, clicks: int) -> list[Any]:
    now = datetime.now(UTC).isoformat()
    base = {
        "tenant_id": app.tenant_a,
        "creative_id": arm["creative_id"],
        "experiment_id": exp["id"],
        "arm_id": arm["id"],
        "placement": "feed",
        "ts": now,
    }
    out = [{"event_id": str(uuid7()), "type": "impression", **base} for _ in range(n)]
    out += [{"event_id": str(uuid7()), "type": "click", **base} for _ in range(clicks)]
    return out


def test_verdicts_from_event_traffic(app: App) -> None:
    ids = [add_creative(app.container, app.tenant_a) for _ in range(3)]
    r = _experiment(
        app,
        [
            {"creative_id": ids[0], "control": True},
            {"creative_id": ids[1]},
            {"creative_id": ids[2]},
        ],
        expected_control_ctr=0.2,
    )
    exp = r.json()
    control, same, worse = exp["arms"]
    events = (
        _events(app, exp, control, 12_000, 2_400)
        + _events(app, exp, same, 12_000, 2_450)
        + _events(app, exp, worse, 12_000, 1_700)
    )
    for i in range(0, len(events), 1000):
        r = app.post("/events", app.key_a, json={"events": events[i : i + 1000]})
        assert r.status_code == 202, r.text
    _flush(app)
    res = app.get(f"/experiments/{exp['id']}/results", app.key_a).json()
    verdicts = {c["arm_id"]: c["verdict"] for c in res["comparisons"]}
    assert verdicts == {same["id"]: "non_inferior", worse["id"]: "inferior"}
    assert res["design"]["looks"] == 1
