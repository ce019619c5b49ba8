"""What the server says of a whole set (not of one creative) is shown above its gallery, in the
page's language: a marketer who never opens a creative still learns that its price was left off
every size, and why."""

from __future__ import annotations

from typing import Any

from tests.web.harness import TENT, WebServer, fill_brief, sign_in


def _generate_monthly_price_without_period(page: Any) -> None:
    fill_brief(page, TENT, name="Trail Club", variants=1)
    # A selling point says the price recurs; the price has no period: a bare "$35" would read
    # as a one-off price, so no creative shows it.
    page.get_by_label("Selling points (optional)").fill("Tent hire, billed per month")
    page.get_by_label("Price (optional)", exact=True).fill("35")
    page.get_by_label("Currency", exact=True).fill("USD")
    page.get_by_role("button", name="Generate").click()
    page.wait_for_url("**/#/task/*")


def test_a_price_left_off_every_creative_is_said_above_the_gallery(
    page: Any, server: WebServer
) -> None:
    sign_in(page, server.url, server.key)
    _generate_monthly_price_without_period(page)
    about = page.locator(".set-warnings")
    about.wait_for(timeout=120_000)
    said = about.inner_text()
    assert "For the whole set" in said
    assert '"per month"' in said and "until then no creative shows the price" in said, said
    # Said once, above the set's cards.
    assert about.count() == 1
    first = page.locator("article.creative:not(.pending)").first
    first.wait_for()
    assert about.bounding_box()["y"] < first.bounding_box()["y"]


def test_the_set_warning_is_said_in_the_page_language(page: Any, server: WebServer) -> None:
    sign_in(page, server.url, server.key)
    _generate_monthly_price_without_period(page)
    page.locator(".set-warnings").wait_for(timeout=120_000)
    page.locator("#lang").select_option("ru")
    about = page.locator(".set-warnings")
    about.filter(has_text="Для всего набора").wait_for()
    assert "until then" not in about.inner_text()
