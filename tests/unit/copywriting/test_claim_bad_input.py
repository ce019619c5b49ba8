"""Briefs whose claims are wrong in themselves get one clear warning naming what and why."""

from __future__ import annotations

from adcraft.copywriting.claimcheck import brief_claim_warnings, context_for_brief, verdict
from adcraft.domain.brief import Brief


def _warnings(brief: Brief) -> list[str]:
    return brief_claim_warnings(brief, context_for_brief(brief))


def test_contradictory_claims_name_both_and_hold_every_creative() -> None:
    brief = Brief(product_name="Trail 3", offer="50% off", extra_offers=("60% off",))
    (w,) = _warnings(brief)
    assert '"50% off"' in w and '"60% off"' in w and "contradict" in w
    judged = verdict({"headline": "Trail 3"}, {}, context_for_brief(brief))
    assert not judged.publishable and "contradict" in judged.reasons[0]


def test_scoped_discounts_do_not_contradict() -> None:
    brief = Brief(product_name="x", offer="20% off tents", extra_offers=("30% off bags",))
    assert _warnings(brief) == []


def test_a_rebate_does_not_contradict_a_discount() -> None:
    # "$50 back" after a trade-in is money back, not a second price cut.
    brief = Brief(
        product_name="Quiet One",
        offer="Save $70 during Black Friday week",
        extra_offers=("Trade in your old pair and get $50 back",),
    )
    assert _warnings(brief) == []
    ctx = context_for_brief(brief)
    assert verdict({"headline": "Trade in your old pair and get $50 back"}, {}, ctx).publishable
    # Without "back" it reads as $50 off.
    assert not verdict({"headline": "Get $50"}, {}, ctx).publishable


def test_only_numbers_only_emoji_and_another_script() -> None:
    assert "has no words" in _warnings(Brief(product_name="x", offer="50 100 200"))[0]
    assert "has no words" in _warnings(Brief(product_name="x", offer="🔥🔥🔥"))[0]
    ja = _warnings(Brief(product_name="x", offer="Скидка 20%", language="ja"))[0]
    assert "not written in the brief's language (ja)" in ja


def test_a_long_offer_says_what_is_shown_and_what_is_left_out() -> None:
    offer = "Save 20% today. " + "Great deal for everyone. " * 70
    (w,) = _warnings(Brief(product_name="x", offer=offer))
    assert f"{len(offer.strip())} characters" in w and "(Save 20%)" in w
    assert "never cut mid-sentence" in w


def test_a_discount_that_needs_a_code_is_never_shown_without_it() -> None:
    brief = Brief(
        product_name="BlueJet Flights to Lisbon",
        offer="Flights to Lisbon from £49",
        extra_offers=("Use code SPRING15 for 15% off",),
        price=None,
    )
    ctx = context_for_brief(brief)
    alone = verdict({"headline": "Flights to Lisbon", "badge": "−15%"}, {}, ctx)
    assert not alone.publishable
    assert any("needs code SPRING15" in r for r in alone.reasons), alone.reasons
    # The code in the fine print of the same creative makes the badge an honest promise.
    with_code = verdict({"badge": "−15%", "disclaimer": "Use code SPRING15 for 15% off"}, {}, ctx)
    assert with_code.publishable, with_code.reasons
    # On-image and platform text are read apart: the code in one does not cover the other.
    split = verdict({"disclaimer": "Code SPRING15"}, {"headline": "15% off"}, ctx)
    assert not split.publishable


def test_a_claim_is_never_shown_without_its_condition() -> None:
    """ "FIRST MONTH FREE" on a leaderboard whose brief says "when you switch" promises a free
    month to customers who stay: held, naming the condition."""
    brief = Brief(
        product_name="Unlimited 5G plan",
        offer="First month free when you switch",
        extra_offers=("Trade in your old phone and get $50 back",),
    )
    ctx = context_for_brief(brief)
    assert _warnings(brief) == []
    whole = {"headline": "Unlimited 5G: first month free when you switch"}
    assert verdict(whole, {}, ctx).publishable
    bare = verdict({"headline": "UNLIMITED 5G: FIRST MONTH FREE"}, {}, ctx)
    assert not bare.publishable
    assert any('drops the condition "when you switch"' in r for r in bare.reasons)
    rebate = verdict({"headline": "Get $50 back"}, {}, ctx)
    assert not rebate.publishable
    assert any("Trade in your old phone" in r for r in rebate.reasons)
