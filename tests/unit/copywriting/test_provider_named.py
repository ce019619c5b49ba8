"""A credit card's ads must say who provides the credit: a financial brief whose images would
name nobody (no logo in the brand kit) is warned about before anything is published."""

from __future__ import annotations

from pathlib import Path

import pytest

from adcraft import generate
from adcraft.copywriting.claimcheck import brief_claim_warnings, context_for_brief
from adcraft.copywriting.provider_named import is_financial
from adcraft.domain.brief import BrandKit, Brief

LOGO = Path(__file__).resolve().parents[3] / "src/adcraft/data/examples/images/smartwatch.png"


@pytest.mark.parametrize(
    ("brief", "financial"),
    [
        (Brief(product_name="Platinum Cashback Card", category="finance"), True),
        (
            Brief(product_name="Карта", description="Кредитная карта с кэшбэком", language="ru"),
            True,
        ),
        (Brief(product_name="Kreditkarte Gold", language="de"), True),
        (Brief(product_name="Trail 3 Tent", description="Free delivery on all orders"), False),
    ],
)
def test_financial_briefs_are_recognised(brief: Brief, financial: bool) -> None:
    assert is_financial(brief) is financial


def test_a_card_without_a_logo_is_warned_about_and_one_with_a_logo_is_not() -> None:
    card = Brief(
        product_name="Platinum Cashback Card",
        description="Кредитная карта с кэшбэком до 10%.",
        offer="Кэшбэк 10% на все покупки",
        language="ru",
    )
    made = generate(card, formats="iab_medium_rectangle", variants=1)
    assert any(w.startswith("finance: the images name no provider") for w in made.warnings)
    kit = card.model_copy(update={"brand": BrandKit(name="Example Bank", logo=LOGO)})
    warned = brief_claim_warnings(kit, context_for_brief(kit))
    assert not any(w.startswith("finance:") for w in warned)
