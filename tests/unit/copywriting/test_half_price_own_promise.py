""" "Half price" without "second item" is a wrong promise where the brief's half price is for
the second item; where the brief itself halves every price ("50% off all jackets", "Half price
on all jackets", "Up to 50% off"), its own words shown as it wrote them are no fault. Before,
every creative showing a brief's own "50% off" was held back as "without the item it is for"."""

from __future__ import annotations

import pytest

from adcraft import generate
from adcraft.copywriting.claimcheck import context_for_brief, text_faults
from adcraft.domain.brief import Brief, Price


def _brief(offer: str, language: str = "en") -> Brief:
    return Brief(
        product_name="Alpine Jacket",
        offer=offer,
        price=Price(amount=99, currency="EUR"),
        language=language,
    )


@pytest.mark.parametrize(
    ("offer", "shown", "language"),
    [
        ("50% off all jackets", "50% off all jackets", "en"),
        ("Up to 50% off", "Up to 50% off", "en"),
        ("Half price on all jackets", "Half price on all jackets", "en"),
        ("Alle Jacken zum halben Preis", "Alle Jacken zum halben Preis", "de"),
    ],
)
def test_the_briefs_own_half_price_is_no_fault(offer: str, shown: str, language: str) -> None:
    assert text_faults(shown, context_for_brief(_brief(offer, language)), field="headline") == []


@pytest.mark.parametrize(
    ("offer", "shown"),
    [
        ("Second jacket half price", "Half price"),  # the second item's half price, alone
        ("Free shipping", "Half price today"),  # a half price the brief never offers
    ],
)
def test_a_half_price_the_brief_does_not_give_is_still_a_fault(offer: str, shown: str) -> None:
    faults = text_faults(shown, context_for_brief(_brief(offer)), field="headline")
    assert any("without the item it is for" in f for f in faults), faults


def test_a_half_price_sale_is_publishable() -> None:
    made = generate(_brief("50% off all jackets"), formats="meta_feed_square", variants=2)
    held = [c.publishable_reasons for c in made.creatives if not c.publishable]
    assert held == []
