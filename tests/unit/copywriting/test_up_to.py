"""A number the description gives only as a maximum ("Льготный период до 120 дней") is never
shown without its "up to": a selling point "120 дней без процентов" promises every customer the
best case. An offer's own number defines its promotion and is left alone."""

from __future__ import annotations

import pytest
import regex

from adcraft import generate
from adcraft.copywriting.claimcheck import (
    brief_claim_warnings,
    capped_numbers,
    context_for_brief,
    text_faults,
    with_caps,
)
from adcraft.domain.brief import BrandKit, Brief

CARD = Brief(
    product_name="Platinum Cashback Card",
    description=(
        "Кредитная карта с кэшбэком до 10% в выбранных категориях. Льготный период до 120 дней. "
        "Доставка карты до 31 мая."
    ),
    selling_points=("кэшбэк до 10%", "120 дней без процентов"),
    offer="Кэшбэк 10% на все покупки до конца месяца",
    language="ru",
    brand=BrandKit(name="Т-Банк"),  # a credit card's ad names its bank
)


@pytest.mark.parametrize(
    ("text", "language", "capped"),
    [
        ("Akku bis zu 40 Stunden, 2 Jahre Garantie.", "de", {40.0: "bis zu 40 Stunden"}),
        ("Up to 30 hours of battery; 2-year warranty.", "en", {30.0: "Up to 30 hours"}),
        ("最大20時間再生。", "ja", {20.0: "最大20時間再生"}),
        ("Hasta 50 % de ahorro, 50 % reciclado.", "es", {}),  # also given plainly
        ("Envío gratis hasta el 15 de mayo.", "es", {}),  # a date, not a cap
        ("Доставка до 23:00, до 31 мая.", "ru", {}),  # a time and a date, not caps
    ],
)
def test_caps_are_read_from_the_description(
    text: str, language: str, capped: dict[float, str]
) -> None:
    assert capped_numbers(text, [], language) == capped


def test_a_capped_number_without_its_up_to_is_a_fault_and_with_it_is_not() -> None:
    ctx = context_for_brief(CARD)
    assert text_faults("120 дней без процентов", ctx) == [
        'text: "120 дней" without its "up to" (brief: "до 120 дней")'
    ]
    assert text_faults("До 120 дней без процентов", ctx) == []
    # The offer's 10% is its own promotion (all purchases, this month), not the description's
    # "up to 10% in chosen categories".
    assert text_faults("Кэшбэк 10% на все покупки до конца месяца", ctx) == []


def test_a_point_gets_the_descriptions_up_to_back() -> None:
    caps = capped_numbers(CARD.description, [CARD.offer], "ru")
    assert with_caps("120 дней без процентов", caps, "ru") == "до 120 дней без процентов"
    assert with_caps("до 120 дней без процентов", caps, "ru") == "до 120 дней без процентов"
    # 10 % is the offer's own promotion: left as it is.
    assert with_caps("кэшбэк 10% и 120 дней", caps, "ru") == "кэшбэк 10% и до 120 дней"
    en = capped_numbers("Up to 30 hours of battery.", [], "en")
    assert with_caps("30 hours of battery", en, "en") == "up to 30 hours of battery"


def test_the_marketer_is_told_and_no_creative_shows_the_bare_maximum() -> None:
    warnings = brief_claim_warnings(CARD, context_for_brief(CARD))
    assert any("selling point 2" in w and "до 120 дней" in w for w in warnings), warnings
    made = generate(CARD, formats="meta_feed_square,iab_medium_rectangle", variants=3, workers=1)
    for c in made.creatives:
        shown = " ".join(e.text or "" for e in c.elements) + " ".join(c.platform_text.values())
        assert not regex.search(r"(?<!до )120 дней", shown, regex.IGNORECASE), shown
        assert c.publishable, c.publishable_reasons
    # The point itself is still used, with its qualifier.
    everything = " ".join(
        " ".join(e.text or "" for e in c.elements) + " ".join(c.platform_text.values())
        for c in made.creatives
    )
    assert regex.search(r"до 120 дней без процентов", everything, regex.IGNORECASE)


@pytest.mark.parametrize(
    ("offer", "shown", "language"),
    [
        ("Hasta un 40% de descuento", "40% de descuento", "es"),  # the article after "hasta"
        ("Até 40% de desconto", "40% de desconto", "pt"),
    ],
)
def test_an_up_to_with_its_article_is_still_an_up_to(offer: str, shown: str, language: str) -> None:
    brief = Brief(product_name="Chaqueta Alpina", offer=offer, language=language)
    ctx = context_for_brief(brief)
    assert any("up to" in f for f in text_faults(shown, ctx, field="headline"))
    assert text_faults(offer, ctx, field="headline") == []
