"""A recurring price over the REST API: ``price.period`` is stored with a catalogue product,
sent with a brief, drawn with the price ("$35/mo") and kept in the set's manifest; a period
adcraft does not know is a 422 naming the ones there are; a brief that says "monthly" while
its price has none comes back not publishable, saying why."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from adcraft.api import create_app
from adcraft.config import Settings
from adcraft.container import build
from adcraft.db.engine import unit_of_work
from adcraft.db.models import BriefRow, Task
from adcraft.db.tenants import create_tenant

SECRET = "test-secret-" + "x" * 40
API = "/api/v1"


@pytest.fixture()
def api(tmp_path: Path) -> Iterator[tuple[TestClient, Any]]:
    settings = Settings(
        environment="test",
        data_dir=tmp_path / "data",
        tasks={"local_workers": 1, "local_mode": "thread"},
        security={"secret_key": SECRET},
        limits={"rate_limit_per_minute": 100_000},
    )
    container = build(settings)
    with unit_of_work(container.sessions) as s:
        _, key = create_tenant(s, "shop", container.secret)
    with TestClient(create_app(container)) as client:
        client.headers["Authorization"] = f"Bearer {key}"
        yield client, container
    container.engine.dispose()


def _done(client: TestClient, body: dict[str, Any]) -> tuple[str, list[dict[str, Any]]]:
    res = client.post(f"{API}/generate", json=body)
    assert res.status_code in (200, 201, 202), res.text
    task_id = res.json()["id"] if "id" in res.json() else res.json()["task_id"]
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        task = client.get(f"{API}/tasks/{task_id}").json()
        if task["status"] in ("completed", "failed"):
            break
        time.sleep(0.2)
    assert task["status"] == "completed", task
    items = client.get(f"{API}/creatives", params={"task": task_id}).json()["items"]
    return task_id, items


def _stored_brief(container: Any, task_id: str) -> dict[str, Any]:
    with unit_of_work(container.sessions) as s:
        task = s.get(Task, task_id)
        assert task is not None
        row = s.get(BriefRow, task.brief_id)
        assert row is not None
        return dict(row.data)


def _pills(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [b for c in items for b in c["layout"] if b["kind"] == "price"]


SMALL = {"formats": ["meta_feed_square"], "variants": 1}


def test_a_price_period_is_sent_drawn_and_kept(api: tuple[TestClient, Any]) -> None:
    client, container = api
    brief = {
        "product_name": "FiberNet 500",
        "offer": "First month free",
        "price": {"amount": 35, "currency": "USD", "period": "month"},
        "regular_price": {"amount": 45, "currency": "USD"},
    }
    task_id, items = _done(client, {"brief": brief, **SMALL})
    assert [c["publishable"] for c in items] == [True]
    stored = _stored_brief(container, task_id)
    assert stored["price"] == {"amount": 35, "currency": "USD", "period": "month"}
    (pill,) = _pills(items)
    # The struck regular price shares the price's period.
    assert (pill["struck"], pill["text"]) == ("$45/mo", "$45/mo $35/mo")


def test_an_unknown_period_is_a_problem_naming_the_periods(api: tuple[TestClient, Any]) -> None:
    client, _ = api
    brief = {
        "product_name": "FiberNet",
        "price": {"amount": 35, "currency": "USD", "period": "fortnight"},
    }
    res = client.post(f"{API}/generate", json={"brief": brief, **SMALL})
    assert res.status_code == 422
    said = json.dumps(res.json())
    assert "period" in said and "month" in said and "night" in said


def test_a_catalogue_products_period_is_stored_and_reaches_the_brief(
    api: tuple[TestClient, Any],
) -> None:
    client, container = api
    product = {
        "sku": "room-sea",
        "name": "Sea View Room",
        "offers": ["Stay 3 nights, pay 2"],
        "price": {"amount": 189, "currency": "EUR", "period": "night"},
    }
    res = client.post(f"{API}/products", json=product)
    assert res.status_code == 201, res.text
    pid = res.json()["id"]
    assert client.get(f"{API}/products/{pid}").json()["price"]["period"] == "night"
    one_off = client.post(
        f"{API}/products", json={**product, "sku": "mug", "price": {"amount": 9, "currency": "EUR"}}
    )
    assert one_off.json()["price"].get("period") is None
    task_id, items = _done(client, {"product_id": pid, **SMALL})
    stored = _stored_brief(container, task_id)
    assert stored["price"] == {"amount": 189, "currency": "EUR", "period": "night"}
    assert [p["text"] for p in _pills(items)] == ["€189/night"]


def test_a_minimum_term_is_stored_and_said_beside_the_price(
    api: tuple[TestClient, Any],
) -> None:
    client, container = api
    product = {
        "sku": "fiber-12",
        "name": "FiberNet",
        "offers": ["Unlimited data, no setup fee"],
        "price": {"amount": 35, "currency": "USD", "period": "month", "min_term": 12},
    }
    res = client.post(f"{API}/products", json=product)
    assert res.status_code == 201, res.text
    pid = res.json()["id"]
    assert client.get(f"{API}/products/{pid}").json()["price"]["min_term"] == 12
    task_id, items = _done(client, {"product_id": pid, **SMALL})
    stored = _stored_brief(container, task_id)
    assert stored["price"] == {"amount": 35, "currency": "USD", "period": "month", "min_term": 12}
    for c in items:
        assert c["publishable"], c["publishable_reasons"]
        assert "12-month minimum term" in json.dumps(c)
    # A term without a period is refused, saying so.
    bad = {**product, "sku": "fiber-x", "price": {"amount": 35, "currency": "USD", "min_term": 12}}
    res = client.post(f"{API}/products", json=bad)
    assert res.status_code == 422 and "period" in res.text


def test_monthly_words_without_a_period_leave_the_price_off(
    api: tuple[TestClient, Any],
) -> None:
    """ "$35" alone beside "billed monthly" reads as a one-off price: no creative shows it until
    the price has its period (the brief warning says so)."""
    client, _ = api
    brief = {
        "product_name": "FiberNet 500",
        "offer": "Unlimited data, billed monthly",
        "price": {"amount": 35, "currency": "USD"},
    }
    _, items = _done(client, {"brief": brief, **SMALL})
    (c,) = items
    assert c["publishable"] and _pills(items) == [], c["publishable_reasons"]
    assert not any("35" in text for text in c["copy"].values())
