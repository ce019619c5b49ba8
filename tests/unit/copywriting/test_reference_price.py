"""A price reduction announced beside a price without the price it is taken from is warned
about once per set, in any language: "−20 %" beside "499 €" does not say whether 499 € is the
price before or after, and EU price rules (Omnibus directive, PAngV §11) ask for the prior
price (``regular_price``)."""

from __future__ import annotations

import pytest

from adcraft.copywriting.claimcheck import brief_claim_warnings, context_for_brief, text_faults
from adcraft.copywriting.claims import parse_claims
from adcraft.copywriting.phrasing import offer_forms
from adcraft.domain.brief import Brief, Price
from adcraft.notes import parse

CODE = "discount_without_reference_price"

# (language, offer, currency): a percent-off or amount-off deal in each of several languages.
DEALS = [
    ("en", "20% off", "USD"),
    ("en", "Save $50", "USD"),
    ("de", "−20 %", "EUR"),
    ("de", "Spare 250 €", "EUR"),
    ("ru", "Скидка 20%", "RUB"),
    ("pl", "Rabat 20%", "PLN"),
    ("fr", "-30 % sur tout le site", "EUR"),
    ("he", "הנחה של 20%", "ILS"),
    ("zh", "全场八折", "CNY"),
]


def _brief(
    language: str,
    offer: str,
    currency: str,
    *,
    price: float | None = 499,
    regular: float | None = None,
    extra: tuple[str, ...] = (),
) -> Brief:
    return Brief(
        product_name="Nova",
        description="A product.",
        offer=offer,
        extra_offers=extra,
        price=None if price is None else Price(amount=price, currency=currency),
        regular_price=None if regular is None else Price(amount=regular, currency=currency),
        language=language,
    )


def _notes(brief: Brief) -> list[dict[str, float | str]]:
    said = [parse(w) for w in brief_claim_warnings(brief, context_for_brief(brief))]
    return [n.params for n in said if n.code == CODE]


@pytest.mark.parametrize(("language", "offer", "currency"), DEALS)
def test_a_discount_beside_a_price_without_its_regular_price_is_warned(
    language: str, offer: str, currency: str
) -> None:
    brief = _brief(language, offer, currency)
    (params,) = _notes(brief)
    assert params["label"] == "offer" and params["deal"] == offer
    assert params["price_text"] and "499" in str(params["price_text"])
    line = brief_claim_warnings(brief, context_for_brief(brief))
    assert any("regular_price, the lowest price of the last 30 days" in w for w in line)


@pytest.mark.parametrize(("language", "offer", "currency"), DEALS)
def test_a_discount_with_its_regular_price_is_not_warned(
    language: str, offer: str, currency: str
) -> None:
    # 625 → 499 is about 20 % off; the sale check compares the numbers, not this warning.
    assert _notes(_brief(language, offer, currency, regular=625)) == []


@pytest.mark.parametrize(("language", "offer", "currency"), DEALS)
def test_a_discount_without_a_price_is_not_warned(language: str, offer: str, currency: str) -> None:
    # No price is shown beside it: nothing to read as before or after.
    assert _notes(_brief(language, offer, currency, price=None)) == []


@pytest.mark.parametrize(
    ("language", "offer", "currency"),
    [
        ("en", "Free shipping", "USD"),
        ("de", "Kostenloser Versand", "EUR"),
        ("ru", "Бесплатная доставка", "RUB"),
        # A bundle or a second item's discount leaves the price the price of one item.
        ("en", "Buy 2, get 1 free", "USD"),
        ("en", "Second pair half price", "USD"),
        ("de", "3 Nächte bleiben, 2 zahlen", "EUR"),
    ],
)
def test_deals_that_do_not_lower_the_price_are_not_warned(
    language: str, offer: str, currency: str
) -> None:
    assert _notes(_brief(language, offer, currency)) == []


@pytest.mark.parametrize(
    ("language", "offer", "currency"),
    [
        # The code lowers the shown price at checkout: the price is the one it is taken from.
        ("en", "Use code SPRING15 for 15% off", "USD"),
        ("de", "Mit dem Code SOMMER20 20 % sparen", "EUR"),
        # A basket discount over an amount, and money back after buying.
        ("en", "$10 off orders over $75", "USD"),
        ("de", "Spare 50 € ab 500 € Einkaufswert", "EUR"),
        ("ru", "Скидка 500 ₽ при заказе от 3000 ₽", "RUB"),
        ("en", "Get $50 back", "USD"),
    ],
)
def test_code_basket_and_cashback_discounts_are_not_warned(
    language: str, offer: str, currency: str
) -> None:
    assert _notes(_brief(language, offer, currency)) == []


def test_a_code_in_its_own_offer_line_still_holds_the_discount() -> None:
    # "Code FIT15" on a line of its own qualifies the other line's discount.
    brief = _brief("en", "15% off", "USD", extra=("Code FIT15 at checkout",))
    assert _notes(brief) == []


def test_an_up_to_deal_is_warned_with_its_up_to() -> None:
    (params,) = _notes(_brief("en", "Up to 50% off", "USD"))
    assert params["deal"] == "Up to 50% off"
    (params,) = _notes(_brief("de", "Bis zu 30 % Rabatt", "EUR"))
    assert params["deal"] == "Bis zu 30 % Rabatt"


def test_the_price_after_ab_is_the_price_not_a_threshold() -> None:
    (params,) = _notes(_brief("de", "−20 %, jetzt ab 499 €", "EUR"))
    assert params["deal"] == "−20 %"


def test_one_warning_per_set_naming_the_first_deal() -> None:
    brief = _brief("en", "Free shipping", "USD", extra=("20% off", "Save $50 on bags"))
    assert _notes(brief) == [{"label": "offer 2", "deal": "20% off", "price_text": "$499"}]


def test_a_discount_in_a_selling_point_is_warned() -> None:
    brief = Brief(
        product_name="Nova",
        offer="Free shipping",
        selling_points=("Jetzt 20 % Rabatt",),
        price=Price(amount=499, currency="EUR"),
        language="de",
    )
    (params,) = _notes(brief)
    assert params["label"] == "selling point 1" and params["deal"] == "20 % Rabatt"


def test_a_selling_points_perk_on_something_else_is_not_warned() -> None:
    # The corpus' cinema pass: "10% off snacks" comes with the pass; $12.50 is the pass's price.
    brief = Brief(
        product_name="Reel Club Cinema Pass",
        offer="First month free",
        selling_points=("Unlimited 2D screenings", "10% off snacks"),
        price=Price(amount=12.5, currency="USD"),
        language="en",
    )
    assert _notes(brief) == []


def test_an_offers_discount_on_what_the_ad_prices_is_warned() -> None:
    # The corpus' e-bike subscription: the price is the monthly rent the discount is taken from.
    brief = Brief(
        product_name="Velora E-Bike",
        offer="ab 12,50 €/Monat",
        extra_offers=("15 % Rabatt auf Monatsmieten bis 31.01.",),
        price=Price(amount=12.5, currency="EUR"),
        language="de",
    )
    (params,) = _notes(brief)
    assert params["deal"] == "15 % Rabatt auf Monatsmieten"


# Russian, Ukrainian and Polish put "up to" between the discount word and its number.
UP_TO_DEALS = [
    ("ru", "Скидка до 30%", "Скидка до 30%"),
    ("ru", "скидки до 30 %", "скидки до 30 %"),
    ("ru", "до −30%", "до −30%"),
    ("ru", "до 30% скидка", "до 30% скидка"),
    ("uk", "Знижка до 30%", "Знижка до 30%"),
    ("pl", "do 30% taniej", "do 30% taniej"),
    ("pl", "Rabat do 30%", "Rabat do 30%"),
]


@pytest.mark.parametrize(("language", "offer", "deal"), UP_TO_DEALS)
def test_an_up_to_discount_is_a_discount_in_every_word_order(
    language: str, offer: str, deal: str
) -> None:
    (claim,) = parse_claims(offer, language)
    assert (claim.kind, claim.value) == ("percent_off", 30.0)
    (params,) = _notes(_brief(language, offer, "RUB" if language == "ru" else "PLN"))
    assert params["deal"] == deal


@pytest.mark.parametrize(
    ("language", "offer", "shown", "bare"),
    [
        ("ru", "Скидка до 30%", "Скидка 30%", "Скидка 30%"),
        ("ru", "до 30% скидка", "30% скидка", "30% скидка"),
        ("uk", "Знижка до 30%", "Знижка 30%", "Знижка 30%"),
        ("pl", "Rabat do 30%", "Rabat 30%", "Rabat 30%"),
        ("en", "Up to 50% off", "Save 50%", "Save 50%"),
        ("de", "Bis zu 30 % Rabatt", "30 % Rabatt", "30 % Rabatt"),
    ],
)
def test_a_discount_shown_without_its_up_to_is_a_fault(
    language: str, offer: str, shown: str, bare: str
) -> None:
    ctx = context_for_brief(_brief(language, offer, "EUR"))
    said = [parse(w) for w in text_faults(shown, ctx)]
    assert [(n.code, n.params["shown"]) for n in said if n.code == "claim_without_up_to"] == [
        ("claim_without_up_to", bare)
    ]
    assert not [n for n in map(parse, text_faults(offer, ctx)) if n.code == "claim_without_up_to"]


WORDS = "reference_price_in_words"


@pytest.mark.parametrize(
    ("language", "offer", "currency", "price", "prior", "phrase"),
    [
        ("de", "499 € statt 599 €", "EUR", 499, "599 €", "statt 599 €"),
        ("de", "−20 %, UVP 599 €", "EUR", 479, "599 €", "UVP 599 €"),
        ("en", "£49, was £79", "GBP", 49, "£79", "was £79"),
        ("en", "Save $20: now $39 (was $59)", "USD", 39, "$59", "was $59"),
        ("ru", "Скидка до 30%: 399 ₽ вместо 599 ₽", "RUB", 399, "599 ₽", "вместо 599 ₽"),
        ("pl", "49 zł zamiast 79 zł", "PLN", 49, "79 zł", "zamiast 79 zł"),
        ("fr", "−25 % : 29 € au lieu de 39 €", "EUR", 29, "39 €", "au lieu de 39 €"),
        ("es", "−15 %, antes 59 €", "EUR", 49, "59 €", "antes 59 €"),
    ],
)
def test_a_prior_price_in_the_offers_words_is_named_instead(
    language: str, offer: str, currency: str, price: float, prior: str, phrase: str
) -> None:
    brief = _brief(language, offer, currency, price=price)
    said = [parse(w) for w in brief_claim_warnings(brief, context_for_brief(brief))]
    assert [n.code for n in said if n.code in (CODE, WORDS)] == [WORDS]
    (params,) = [n.params for n in said if n.code == WORDS]
    assert params["label"] == "offer" and params["prior"] == prior and params["phrase"] == phrase
    assert str(price) in str(params["price_text"])
    # Only a hint: the brief's regular price stays unset.
    assert brief.regular_price is None
    # With the regular price set there is nothing left to say.
    regular = _brief(language, offer, currency, price=price, regular=price * 1.5)
    assert not [w for w in brief_claim_warnings(regular, context_for_brief(regular)) if WORDS in w]


@pytest.mark.parametrize(
    ("offer", "price"),
    [
        ("−20 %, statt 499 €", 499),  # the brief's own price, not a prior one
        ("−20 %, statt 399 €", 499),  # below the price: no prior price of it
        ("−20 %, statt 599 $", 499),  # another currency
    ],
)
def test_an_amount_that_is_no_prior_price_keeps_the_reference_price_warning(
    offer: str, price: float
) -> None:
    brief = _brief("de", offer, "EUR", price=price)
    said = [parse(w).code for w in brief_claim_warnings(brief, context_for_brief(brief))]
    assert CODE in said and WORDS not in said


@pytest.mark.parametrize(
    ("language", "offer", "prices", "between"),
    [
        ("de", "−20 %: 499 € statt 599 €", ("499", "599"), "statt"),
        ("en", "Now £49, was £79", ("49", "79"), "was"),
        ("ru", "Скидка 30%: 399 ₽ вместо 599 ₽", ("399", "599"), "вместо"),
    ],
)
def test_a_shorter_offer_never_runs_two_prices_together(
    language: str, offer: str, prices: tuple[str, str], between: str
) -> None:
    # A Meta description read "−20 %: 499 € 599 €.": the shortening dropped "statt" between
    # the two prices, and two prices side by side say nothing of which is which.
    forms, _ = offer_forms(offer, language)
    both = [f for f in forms if all(p in f for p in prices)]
    assert both, forms
    assert [f for f in both if between not in f] == []
