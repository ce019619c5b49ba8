"""A marketer types the price and the regular price of a sale in the brief form: a wrong pair
is said beside its field before anything is sent, a right one is sent as the brief's price and
regular price (drawn struck through; see tests/unit/layout/test_sale_price.py)."""

from __future__ import annotations

from typing import Any

import httpx

from adcraft.db.engine import unit_of_work
from adcraft.db.models import BriefRow, Task
from tests.web.harness import TENT, WebServer, fill_brief, sale_product, sign_in


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
    brief = _stored_brief(server, page.url)
    assert brief["price"] == {"amount": 179, "currency": "EUR"}
    assert brief["regular_price"] == {"amount": 239, "currency": "EUR"}


def _stored_brief(server: WebServer, url: str) -> dict[str, Any]:
    """The brief the server stored for the task a page was sent to (the API does not echo a
    brief back)."""
    task_id = url.rsplit("/", 1)[-1]
    assert server.container is not None
    with unit_of_work(server.container.sessions) as s:
        task = s.get(Task, task_id)
        assert task is not None
        row = s.get(BriefRow, task.brief_id)
        assert row is not None
        return dict(row.data)


def _choose(page: Any, product: dict[str, Any]) -> None:
    page.get_by_label("From the catalogue").check()
    page.get_by_label("Catalogue product").select_option(
        label=f"{product['name']} ({product['sku']})"
    )
    page.get_by_role("status").filter(has_text=f"Filled in from “{product['name']}”").wait_for()


def _prices(page: Any) -> tuple[str, str, str]:
    return (
        page.get_by_label("Price (optional)", exact=True).input_value(),
        page.get_by_label("Regular price (optional)", exact=True).input_value(),
        page.get_by_label("Currency", exact=True).input_value(),
    )


def _generate(page: Any) -> dict[str, Any]:
    """Send the brief; the request's JSON."""
    page.get_by_label("Variants").fill("1")
    with page.expect_request(
        lambda r: r.method == "POST" and r.url.endswith("/api/v1/generate")
    ) as sent:
        page.get_by_role("button", name="Generate").click()
    page.wait_for_url("**/#/task/*")
    return dict(sent.value.post_data_json)


def test_a_catalogue_products_prices_are_shown_and_never_sent_stale(
    page: Any, server: WebServer, api: httpx.Client
) -> None:
    product = sale_product(api)
    sign_in(page, server.url, server.key)
    _choose(page, product)
    assert _prices(page) == ("179", "239", "EUR")

    # The catalogue changes while the draft waits: the form shows the new price, and says so.
    changed = {k: v for k, v in product.items() if k not in ("id", "created_at", "image_url")}
    changed["price"] = {"amount": 159, "currency": "EUR"}
    assert api.put(f"/products/{product['id']}", json=changed).status_code == 200
    page.reload()
    page.get_by_role("status").filter(has_text="prices for “Barista Mini” have changed").wait_for()
    assert _prices(page) == ("159", "239", "EUR")

    payload = _generate(page)
    # Unchanged prices are not sent: the server takes the catalogue's own.
    assert "price" not in payload["brief"] and "regular_price" not in payload["brief"]
    brief = _stored_brief(server, page.url)
    assert brief["price"] == {"amount": 159, "currency": "EUR"}
    assert brief["regular_price"] == {"amount": 239, "currency": "EUR"}


def test_a_catalogue_price_changed_or_emptied_is_for_this_brief(
    page: Any, server: WebServer, api: httpx.Client
) -> None:
    product = sale_product(api)
    sign_in(page, server.url, server.key)
    _choose(page, product)
    # No sale in this brief: the regular price is emptied, and the ad draws no struck price.
    page.get_by_label("Regular price (optional)", exact=True).fill("")
    payload = _generate(page)
    assert payload["brief"]["regular_price"] is None
    assert payload["brief"]["price"] == {"amount": 179, "currency": "EUR"}
    brief = _stored_brief(server, page.url)
    assert brief["price"] == {"amount": 179, "currency": "EUR"}
    assert "regular_price" not in brief
    # The catalogue keeps its sale.
    assert api.get(f"/products/{product['id']}").json()["regular_price"]["amount"] == 239


def test_a_recurring_price_is_sent_with_its_period(
    page: Any, server: WebServer, api: httpx.Client
) -> None:
    sign_in(page, server.url, server.key)
    fill_brief(page, TENT, variants=1)
    period = page.get_by_label("Billed per", exact=True)
    before = _tasks(api)

    period.select_option(label="Month")  # a period without a price is for nothing
    page.get_by_role("button", name="Generate").click()
    page.locator("[aria-invalid='true']").first.wait_for()
    assert period.get_attribute("aria-invalid") == "true"
    said = page.locator(f"#{period.get_attribute('id')}-err").inner_text()
    assert "Enter the price this period is for" in said
    assert _tasks(api) == before

    page.get_by_label("Price (optional)", exact=True).fill("9,99")
    page.get_by_label("Regular price (optional)", exact=True).fill("12.99")
    page.get_by_label("Currency", exact=True).fill("EUR")
    payload = _generate(page)
    assert payload["brief"]["price"] == {"amount": 9.99, "currency": "EUR", "period": "month"}
    brief = _stored_brief(server, page.url)
    assert brief["price"] == {"amount": 9.99, "currency": "EUR", "period": "month"}
    assert brief["regular_price"] == {"amount": 12.99, "currency": "EUR", "period": "month"}


def test_a_catalogue_products_period_fills_the_form(
    page: Any, server: WebServer, api: httpx.Client
) -> None:
    res = api.post(
        "/products",
        json={
            "sku": "fiber-500",
            "name": "FiberNet 500",
            "offers": ["First month free"],
            "price": {"amount": 35, "currency": "USD", "period": "month"},
        },
    )
    assert res.status_code == 201, res.text
    sign_in(page, server.url, server.key)
    _choose(page, res.json())
    period = page.get_by_label("Billed per", exact=True)
    assert period.input_value() == "month"
    # A one-off price for this brief: sent as the brief's own price, without a period.
    period.select_option(label="One-off price")
    payload = _generate(page)
    assert payload["brief"]["price"] == {"amount": 35, "currency": "USD"}
    assert "period" not in _stored_brief(server, page.url)["price"]


def test_a_contract_price_is_sent_with_its_minimum_term(
    page: Any, server: WebServer, api: httpx.Client
) -> None:
    sign_in(page, server.url, server.key)
    fill_brief(page, TENT, variants=1)
    term = page.get_by_label("Minimum term (optional)", exact=True)
    page.get_by_label("Price (optional)", exact=True).fill("29")
    page.get_by_label("Regular price (optional)", exact=True).fill("39")
    page.get_by_label("Currency", exact=True).fill("EUR")
    before = _tasks(api)

    def refused(expected: str) -> None:
        page.get_by_role("button", name="Generate").click()
        page.locator(f"#{term.get_attribute('id')}-err").filter(has_text=expected).wait_for()
        assert term.get_attribute("aria-invalid") == "true"
        assert _tasks(api) == before  # nothing was sent

    term.fill("12")  # twelve of what: a term counts periods
    refused("choose what the price is billed per")
    page.get_by_label("Billed per", exact=True).select_option(label="Month")
    term.fill("twelve")
    refused("whole number of periods")

    term.fill("12")
    payload = _generate(page)
    contract = {"amount": 29, "currency": "EUR", "period": "month", "min_term": 12}
    assert payload["brief"]["price"] == contract
    brief = _stored_brief(server, page.url)
    assert brief["price"] == contract
    # The regular price is a price per month too, but the commitment is the offer's.
    assert brief["regular_price"] == {"amount": 39, "currency": "EUR", "period": "month"}


def test_a_catalogue_products_minimum_term_is_kept_when_its_price_is_changed(
    page: Any, server: WebServer, api: httpx.Client
) -> None:
    res = api.post(
        "/products",
        json={
            "sku": "fiber-1000",
            "name": "FiberNet 1000",
            "offers": ["Router included"],
            "price": {"amount": 45, "currency": "USD", "period": "month", "min_term": 24},
        },
    )
    assert res.status_code == 201, res.text
    sign_in(page, server.url, server.key)
    _choose(page, res.json())
    assert page.get_by_label("Minimum term (optional)", exact=True).input_value() == "24"
    # A lower price for this brief: still a 24-month contract, never sent as a bare monthly price.
    page.get_by_label("Price (optional)", exact=True).fill("39")
    payload = _generate(page)
    contract = {"amount": 39, "currency": "USD", "period": "month", "min_term": 24}
    assert payload["brief"]["price"] == contract
    assert _stored_brief(server, page.url)["price"] == contract
