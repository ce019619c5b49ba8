"""A marketer types the price and the regular price of a sale in the brief form: a wrong pair
is said beside its field before anything is sent, a right one is sent as the brief's price and
regular price (drawn struck through; see tests/unit/layout/test_sale_price.py)."""

from __future__ import annotations

from typing import Any

import httpx

from adcraft.db.engine import unit_of_work
from adcraft.db.models import BriefRow, Task
from tests.web.harness import TENT, WebServer, fill_brief, sign_in


def _tasks(api: httpx.Client) -> int:
    return int(api.get("/tasks").json()["total"])


def test_a_sale_price_pair_is_checked_then_sent(
    page: Any, server: WebServer, api: httpx.Client
) -> None:
    sign_in(page, server.url, server.key)
    fill_brief(page, TENT, variants=1)
    price = page.get_by_label("Price (optional)", exact=True)
    regular = page.get_by_label("Regular price (optional)", exact=True)
    currency = page.get_by_label("Currency", exact=True)
    before = _tasks(api)

    price.fill("179")
    regular.fill("149")  # lower than the price: not a sale
    currency.fill("eur")
    page.get_by_role("button", name="Generate").click()
    page.locator("[aria-invalid='true']").first.wait_for()
    assert regular.get_attribute("aria-invalid") == "true"
    said = page.locator(f"#{regular.get_attribute('id')}-err").inner_text()
    assert "must be higher than the price" in said
    assert _tasks(api) == before  # nothing was sent

    regular.fill("239,00")  # a decimal comma is an amount too
    page.get_by_role("button", name="Generate").click()
    page.wait_for_url("**/#/task/*")
    task_id = page.url.rsplit("/", 1)[-1]
    # The API does not echo a brief back: read what the server stored for the task.
    assert server.container is not None
    with unit_of_work(server.container.sessions) as s:
        task = s.get(Task, task_id)
        assert task is not None
        row = s.get(BriefRow, task.brief_id)
        assert row is not None
        brief = dict(row.data)
    assert brief["price"] == {"amount": 179, "currency": "EUR"}
    assert brief["regular_price"] == {"amount": 239, "currency": "EUR"}
