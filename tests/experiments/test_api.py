"""Experiments through the public API: create, serve with signed tracking URLs, results, stop."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from adcraft.analytics.events import uuid7
from adcraft.analytics.tracking import verify
from adcraft.db.engine import unit_of_work
from adcraft.db.models import CreativeRow, Task, Version
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


def _viewer_events(
    exp: dict[str, Any], arm: dict[str, Any], kind: str, viewers: list[str], at: datetime
) -> list[dict[str, Any]]:
    return [
        {
            "event_id": str(uuid7()),
            "type": kind,
            "creative_id": arm["creative_id"],
            "experiment_id": exp["id"],
            "arm_id": arm["id"],
            "placement": "feed",
            "user_hash": viewer,
            "ts": at.isoformat(),
        }
        for viewer in viewers
    ]


def _post(app: App, events: list[dict[str, Any]]) -> None:
    for i in range(0, len(events), 1000):
        r = app.post("/events", app.key_a, json={"events": events[i : i + 1000]})
        assert r.status_code == 202, r.text


def test_clicks_without_impressions_are_ignored_and_reported(app: App) -> None:
    ids = [add_creative(app.container, app.tenant_a) for _ in range(3)]
    arms = [{"creative_id": ids[0], "control": True}, {"creative_id": ids[1]}]
    now = datetime.now(UTC)
    yesterday = now - timedelta(days=1)

    def traffic(exp: dict[str, Any], bad: bool) -> list[dict[str, Any]]:
        control, ai = exp["arms"][:2]
        seen = [f"v{i}" for i in range(100)]
        out = _viewer_events(exp, control, "impression", seen, now)
        out += _viewer_events(exp, control, "click", seen[:20], now)
        # The AI arm: 100 viewers, 18 click the day they see it, 2 seen yesterday click today.
        out += _viewer_events(exp, ai, "impression", seen[:98], now)
        out += _viewer_events(exp, ai, "impression", seen[98:], yesterday)
        out += _viewer_events(exp, ai, "click", seen[:18] + seen[98:], now)
        if bad:
            # 15 clicks from viewers never shown the AI arm (fewer than its impressions that
            # day, so a per-day count cannot see them), a viewer shown it once clicking 3 more
            # times, and 5 clicks on the third arm, which was never shown at all.
            out += _viewer_events(exp, ai, "click", [f"stranger{i}" for i in range(15)], now)
            out += _viewer_events(exp, ai, "click", [seen[0]] * 3, now)
            out += _viewer_events(exp, exp["arms"][2], "click", seen[:5], now)
        return out

    bad = _experiment(app, [*arms, {"creative_id": ids[2]}]).json()
    clean = _experiment(app, [*arms, {"creative_id": ids[2]}], placement="other").json()
    _post(app, traffic(bad, True) + traffic(clean, False))
    _flush(app)
    got = app.get(f"/experiments/{bad['id']}/results", app.key_a).json()
    want = app.get(f"/experiments/{clean['id']}/results", app.key_a).json()
    ai, third = bad["arms"][1]["id"], bad["arms"][2]["id"]
    today = now.date().isoformat()
    assert sorted(got["warnings"]) == sorted(
        [
            f"arm {ai} on {today}: 18 clicks without impressions ignored "
            "(no impression of this arm to the same viewer)",
            f"arm {third} on {today}: 5 clicks without impressions ignored "
            "(no impression of this arm to the same viewer)",
        ]
    )
    assert want["warnings"] == []
    counts = {a["arm_id"]: (a["impressions"], a["clicks"]) for a in got["arms"]}
    assert counts[ai] == (100, 20)  # the click the day after the impression counts
    assert counts[third] == (0, 0)
    # The statistics are those of the same traffic without the bad clicks.
    for key in ("impressions", "clicks", "ctr", "ctr_interval"):
        assert [a[key] for a in got["arms"]] == [a[key] for a in want["arms"]], key
    drop = {"arm_id"}
    assert [{k: v for k, v in c.items() if k not in drop} for c in got["comparisons"]] == [
        {k: v for k, v in c.items() if k not in drop} for c in want["comparisons"]
    ]
    assert got["comparisons"][0]["ctr_ratio_to_control"] == pytest.approx(1.0)
    assert got["design"]["looks"] == 2


def _with_versions(app: App, creative_id: str, count: int, current: int) -> None:
    """Give a creative versions 1..count (each from its own task), ``current`` the current one
    — as after a revert to an earlier version."""
    with unit_of_work(app.container.sessions) as s:
        row = s.get(CreativeRow, creative_id)
        assert row is not None
        for number in range(1, count + 1):
            task = Task(
                tenant_id=row.tenant_id,
                campaign_id=row.campaign_id,
                brief_id=s.get(Task, row.task_id).brief_id,  # type: ignore[union-attr]
                kind="generate" if number == 1 else "edit",
                request={},
            )
            s.add(task)
            s.flush()
            s.add(
                Version(
                    tenant_id=row.tenant_id,
                    creative_id=row.id,
                    number=number,
                    task_id=task.id,
                    action="generated" if number == 1 else "edit",
                    image_key=f"k{number}",
                    image_format="jpeg",
                    bytes=1,
                    score=80.0,
                    metrics={},
                    copy_fields={},
                    platform_text={},
                    copy_limits={},
                    warnings=[],
                    render={},
                )
            )
        row.current_version = current


def test_version_arms_and_a_paused_experiment_serves_the_control(app: App) -> None:
    control = add_creative(app.container, app.tenant_a, landing_url=LANDING)
    ai = add_creative(app.container, app.tenant_a, landing_url=LANDING)
    _with_versions(app, ai, count=3, current=1)  # edited twice, then reverted to version 1
    r = _experiment(
        app, [{"creative_id": control, "control": True}, {"creative_id": ai, "version": 4}]
    )
    assert r.status_code == 422
    assert r.json()["detail"] == f"creative {ai} has no version 4 (versions: 1, 2, 3)"
    assert app.get("/experiments", app.key_a).json() == []
    r = _experiment(
        app,
        [{"creative_id": control, "control": True}, {"creative_id": ai, "version": 3}],
    )
    assert r.status_code == 201, r.text
    exp = r.json()
    assert [a["version"] for a in exp["arms"]] == [None, 3]
    ai_arm = exp["arms"][1]["id"]
    served = {
        user: app.get("/serve/feed", app.key_a, params={"user_hash": user}).json()
        for user in (f"viewer-{i}" for i in range(20))
    }
    ai_viewers = [u for u, got in served.items() if got["arm_id"] == ai_arm]
    assert ai_viewers and len(ai_viewers) < len(served)  # fixed 50/50 split
    for user in ai_viewers:
        got = served[user]
        assert (got["creative_id"], got["version"], got["control"]) == (ai, 3, False)
        token = got["impression_url"].rsplit("/", 1)[1]
        claims = verify(token, app.container.secret, datetime.now(UTC))
        assert (claims.creative_id, claims.version, claims.arm_id) == (ai, 3, ai_arm)
    assert app.post(f"/experiments/{exp['id']}/pause", app.key_a).status_code == 200
    for user in ai_viewers:
        got = app.get("/serve/feed", app.key_a, params={"user_hash": user}).json()
        assert got["status"] == "paused"
        assert (got["creative_id"], got["version"], got["control"]) == (control, 1, True)
        assert got["arm_id"] == exp["arms"][0]["id"]
    assert app.post(f"/experiments/{exp['id']}/resume", app.key_a).status_code == 200
    got = app.get("/serve/feed", app.key_a, params={"user_hash": ai_viewers[0]}).json()
    assert (got["creative_id"], got["version"]) == (ai, 3)  # still sticky after the pause
