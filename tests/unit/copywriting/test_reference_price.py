"""A price reduction announced beside a price without the price it is taken from is warned
about once per set, in any language: "−20 %" beside "499 €" does not say whether 499 € is the
price before or after, and EU price rules (Omnibus directive, PAngV §11) ask for the prior
price (``regular_price``)."""

from __future__ import annotations

import pytest

from adcraft.copywriting.claimcheck import brief_claim_warnings, context_for_brief
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
