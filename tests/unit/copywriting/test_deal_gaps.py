"""deal_gaps: which parts of the brief's deal the shown copy misses (promo code, deadline,
qualifier, the price a free trial leads into), judged over all the fields a creative shows."""

from __future__ import annotations

import pytest

from adcraft.copywriting.claimcheck import (
    GAP_AFTER_TRIAL,
    GAP_CODE,
    GAP_DEADLINE,
    GAP_QUALIFIER,
    context_for_brief,
    deal_gaps,
)
from adcraft.domain.brief import Brief, Price


def _gaps(offer: str, shown: dict[str, str], language: str = "en") -> list[tuple[str, ...]]:
    ctx = context_for_brief(Brief(product_name="Trail 3", offer=offer, language=language))
    return [g.missing for g in deal_gaps(shown, ctx)]


def test_a_discount_shown_without_its_code_misses_the_code() -> None:
    offer = "Use code SPRING15 for 15% off"
    assert _gaps(offer, {"headline": "15% off", "cta": "Shop now"}) == [(GAP_CODE,)]


def test_the_code_in_another_field_completes_the_deal() -> None:
    offer = "Use code SPRING15 for 15% off"
    shown = {"badge": "−15%", "headline": "Spring sale", "disclaimer": "Code SPRING15"}
    assert _gaps(offer, shown) == []


def test_a_deal_shown_without_its_deadline_misses_the_deadline() -> None:
    offer = "20% off all tents this weekend only"
    assert _gaps(offer, {"headline": "20% off all tents", "cta": "Shop now"}) == [(GAP_DEADLINE,)]


def test_the_deadline_in_small_print_completes_the_deal() -> None:
    offer = "20% off all tents this weekend only"
    shown = {"headline": "20% off all tents", "disclaimer": "This weekend only", "cta": "Shop"}
    assert _gaps(offer, shown) == []


def test_a_german_date_deadline_is_missed_too() -> None:
    shown = {"headline": "20 % Rabatt", "cta": "Jetzt kaufen"}
    ctx = context_for_brief(
        Brief(product_name="Röstwerk", offer="20 % Rabatt bis 31.12.", language="de")
    )
    gaps = deal_gaps(shown, ctx)
    assert [g.missing for g in gaps] == [(GAP_DEADLINE,)]
    assert gaps[0].parts == ("bis 31.12.",)
    assert "bis 31.12." in gaps[0].describe()


def test_code_and_deadline_both_missing_are_both_named() -> None:
    offer = "Use code SPRING15 for 15% off until Sunday"
    ctx = context_for_brief(Brief(product_name="Trail 3", offer=offer))
    (gap,) = deal_gaps({"headline": "15% off"}, ctx)
    assert gap.missing == (GAP_CODE, GAP_DEADLINE)
    assert gap.parts == ("SPRING15", "until Sunday")
    assert gap.describe() == (
        '"15% off" is shown without its promo code "SPRING15", its deadline "until Sunday"'
    )


def test_a_discount_without_what_it_applies_to_misses_its_qualifier() -> None:
    offer = "15% off monthly rentals"
    assert _gaps(offer, {"headline": "15% off", "cta": "Rent now"}) == [(GAP_QUALIFIER,)]
    assert _gaps(offer, {"headline": "15% off monthly rentals"}) == []


@pytest.mark.parametrize(
    "shown",
    [
        {"headline": "Trail 3 Camping Tent", "cta": "Shop now"},  # the deal left out: no gap
        {"headline": "Use code SPRING15 for 15% off until Sunday"},  # the whole deal
    ],
)
def test_no_gap_when_the_deal_is_whole_or_not_shown(shown: dict[str, str]) -> None:
    assert _gaps("Use code SPRING15 for 15% off until Sunday", shown) == []


def test_a_claim_never_runs_on_from_one_field_into_the_next() -> None:
    # "20% off all tents" + "Shop now" is not a discount on "tents Shop".
    offer = "20% off all tents this weekend only"
    gaps = deal_gaps(
        {"headline": "20% off all tents", "cta": "Shop now"},
        context_for_brief(Brief(product_name="Trail 3", offer=offer)),
    )
    assert [g.shown for g in gaps] == ["20% off all tents"]


def _gaps_of(offers: list[str], shown: dict[str, str], language: str) -> list[tuple[str, ...]]:
    brief = Brief(
        product_name="Nova X", offer=offers[0], extra_offers=offers[1:], language=language
    )
    return [g.missing for g in deal_gaps(shown, context_for_brief(brief))]


@pytest.mark.parametrize(
    ("language", "offers", "headline"),
    [
        ("en", ["Save $250 + 1 game free", "Cyber Week only"], "Save $250 + 1 game free"),
        (
            "es",
            ["Ahorra 70 € + 1 kg de café gratis", "Solo hasta el domingo"],
            "1 kg de café gratis",
        ),
        ("zh", ["立减500元 + 送手机壳", "活动截至周日"], "立减500元 + 送手机壳"),
        ("he", ["20% הנחה עם הקוד BARISTA20", "עד יום ראשון בלבד"], "20% הנחה עם הקוד BARISTA20"),
    ],
)
def test_a_deadline_on_an_offer_line_of_its_own_belongs_to_the_deal(
    language: str, offers: list[str], headline: str
) -> None:
    """Briefs often put the deadline on a line of its own: the deal shown without it reads as
    a standing one, exactly as when the deadline is in the same sentence."""
    gaps = _gaps_of(offers, {"headline": headline}, language)
    assert gaps and set(gaps) == {(GAP_DEADLINE,)}  # each deal shown ("$250", "1 game free")
    shown = {"headline": headline, "disclaimer": offers[1]}
    assert _gaps_of(offers, shown, language) == []


@pytest.mark.parametrize(
    ("language", "offers", "headline", "code"),
    [
        ("es", ["15 % de descuento en la cuota mensual", "Suscríbete con el código FIT15"],
         "15 % de descuento en la cuota mensual", "Código FIT15"),
        ("zh", ["满299减50", "输入优惠码 AURA50"], "满299减50", "优惠码 AURA50"),
    ],
)  # fmt: skip
def test_a_code_on_an_offer_line_of_its_own_belongs_to_the_deal(
    language: str, offers: list[str], headline: str, code: str
) -> None:
    assert _gaps_of(offers, {"headline": headline}, language) == [(GAP_CODE,)]
    assert _gaps_of(offers, {"headline": headline, "disclaimer": code}, language) == []


def test_a_second_deal_with_its_own_deadline_does_not_lend_it_to_the_first() -> None:
    offers = ["20% off all tents", "Free shipping until Sunday"]
    assert _gaps_of(offers, {"headline": "20% off all tents"}, "en") == []


def test_a_free_trial_shown_without_the_price_it_leads_into_misses_that_price() -> None:
    # "30 days free" alone hides what the customer pays afterwards (consumer law wants the
    # later price beside the trial): the brief's own line completes it.
    brief = Brief(
        product_name="Kurs językowy Lingua",
        offer="30 dni za darmo",
        extra_offers=["Potem 39 zł/mies."],
        price=Price(amount=39, currency="PLN"),
        language="pl",
    )
    ctx = context_for_brief(brief)
    (gap,) = deal_gaps({"headline": "Kurs językowy Lingua: 30 dni za darmo"}, ctx)
    assert (gap.missing, gap.parts) == ((GAP_AFTER_TRIAL,), ("Potem 39 zł/mies.",))
    shown = {"headline": "30 dni za darmo", "disclaimer": "Potem 39 zł/mies."}
    assert deal_gaps(shown, ctx) == []
    # The bare pill beside the trial reads as the trial's price: it says "then" as the brief
    # does ("Potem 39 zł/mies.").
    (gap,) = deal_gaps({"headline": "30 dni za darmo", "price": "39 zł/mies."}, ctx)
    assert gap.missing == (GAP_AFTER_TRIAL,)
    assert deal_gaps({"headline": "30 dni za darmo", "price": "Potem 39 zł/mies."}, ctx) == []


def test_a_pill_in_the_briefs_own_words_completes_the_trial() -> None:
    # "From $12.50/month" is an offer of its own in the brief: the pill says it as the brief
    # does, and no "then" is asked of it.
    brief = Brief(
        product_name="CinePass",
        offer="From $12.50/month",
        extra_offers=["First month free"],
        price=Price(amount=12.5, currency="USD"),
    )
    shown = {"headline": "First month free", "price": "From $12.50/month"}
    assert deal_gaps(shown, context_for_brief(brief)) == []


def test_a_trial_of_a_monthly_price_is_completed_by_then_and_the_price() -> None:
    brief = Brief(
        product_name="Lingua Pro Sprachkurs",
        offer="14 Tage kostenlos testen",
        price=Price(amount=9.99, currency="EUR", period="month"),
        language="de",
    )
    (gap,) = deal_gaps({"headline": "14 Tage kostenlos testen"}, context_for_brief(brief))
    assert gap.missing == (GAP_AFTER_TRIAL,)
    assert gap.parts[0].startswith("danach 9,99") and "Monat" in gap.parts[0]


def test_a_trial_is_not_tied_to_another_recurring_amount() -> None:
    # The $35 plan's "first month free" does not lead into the family plan's $100/month; a
    # price without a period leaves what follows the trial unknown (a set-level warning).
    brief = Brief(
        product_name="Unlimited 5G Plan",
        offer="First month free when you switch",
        extra_offers=["Family plan: 4 lines for $100/month"],
        price=Price(amount=35, currency="USD"),
    )
    shown = {"headline": "First month free when you switch"}
    assert all(GAP_AFTER_TRIAL not in g.missing for g in deal_gaps(shown, context_for_brief(brief)))
