"""A selling point the description states only under a condition is never shown without it:
"бесплатное обслуживание" beside "Бесплатное обслуживание при тратах от 10 000 рублей в месяц"
promised every cardholder free service. The built-in writer gives the point its condition;
the check fails any text that shows the point without it."""

from __future__ import annotations

import pytest
import regex

from adcraft import generate
from adcraft.copywriting.claimcheck import brief_claim_warnings, context_for_brief, text_faults
from adcraft.copywriting.point_conditions import Condition, point_conditions, with_condition
from adcraft.domain.brief import BrandKit, Brief

CARD = Brief(
    product_name="Platinum Cashback Card",
    description=(
        "Кредитная карта с кэшбэком. Бесплатное обслуживание при тратах от 10 000 рублей в месяц."
    ),
    selling_points=("бесплатное обслуживание", "кэшбэк на всё"),
    offer="Кэшбэк 5% на все покупки до конца месяца",
    language="ru",
    brand=BrandKit(name="Т-Банк"),  # a credit card's ad names its bank
)


@pytest.mark.parametrize(
    ("description", "point", "language", "condition"),
    [
        (
            "Free delivery on orders over $50. Easy returns.",
            "free delivery",
            "en",
            "on orders over $50",
        ),
        (
            "Kostenloser Versand ab 49,90 € Bestellwert.",
            "kostenloser Versand",
            "de",
            "ab 49,90 € Bestellwert",
        ),
        ("Livraison offerte dès 49 € d'achat.", "livraison offerte", "fr", "dès 49 € d'achat"),
        (
            "Envío gratis en pedidos de más de 30 €.",
            "envío gratis",
            "es",
            "en pedidos de más de 30 €",
        ),
        ("Frete grátis acima de R$ 99.", "frete grátis", "pt", "acima de R$ 99"),
        ("Darmowa dostawa od 99 zł.", "darmowa dostawa", "pl", "od 99 zł"),
        (
            "Spedizione gratuita per ordini sopra i 39 €.",
            "spedizione gratuita",
            "it",
            "per ordini sopra i 39 €",
        ),
        (
            "Бесплатная доставка при заказе от 1500 ₽.",
            "бесплатная доставка",
            "ru",
            "при заказе от 1500 ₽",
        ),
    ],
)
def test_the_condition_after_a_point_is_read_from_the_description(
    description: str, point: str, language: str, condition: str
) -> None:
    assert point_conditions(description, [point], [], language) == {point: Condition(condition)}


@pytest.mark.parametrize(
    ("description", "point", "language", "shown"),
    [
        ("1万円以上のご注文で送料無料。", "送料無料", "ja", "1万円以上のご注文で送料無料"),
        ("会員なら送料無料です。", "送料無料", "ja", "会員なら送料無料"),
        ("全场满199元包邮，七天无理由退货。", "包邮", "zh", "满199元包邮"),
        ("订单满200元免运费。", "免运费", "zh", "订单满200元免运费"),
        ("5만원 이상 구매 시 무료배송.", "무료배송", "ko", "5만원 이상 구매 시 무료배송"),
        (
            "500 TL üzeri siparişlerde ücretsiz kargo.",
            "ücretsiz kargo",
            "tr",
            "500 TL üzeri siparişlerde ücretsiz kargo",
        ),
    ],
)
def test_a_condition_written_before_the_point_is_kept_before_it(
    description: str, point: str, language: str, shown: str
) -> None:
    conditions = point_conditions(description, [point], [], language)
    assert conditions[point].before
    assert with_condition(point, conditions, language) == shown
    ctx = context_for_brief(
        Brief(product_name="x", description=description, selling_points=(point,), language=language)
    )
    assert text_faults(point, ctx), point
    assert text_faults(shown, ctx) == []


@pytest.mark.parametrize(
    ("description", "offers"),
    [
        ("Free delivery. Free delivery on orders over $50 for express.", []),  # also plain
        ("Free delivery on orders over $50.", ["Free delivery this weekend"]),  # the offer's own
        ("Free delivery, fast and tracked.", []),  # no condition
    ],
)
def test_a_point_the_brief_also_states_without_a_condition_is_left_alone(
    description: str, offers: list[str]
) -> None:
    assert point_conditions(description, ["free delivery"], offers, "en") == {}


def test_a_point_without_its_condition_is_a_fault_and_with_it_is_not() -> None:
    ctx = context_for_brief(CARD)
    assert text_faults("Кэшбэк на всё. Бесплатное обслуживание.", ctx) == [
        'text: "Бесплатное обслуживание" without its condition '
        '(brief: "Бесплатное обслуживание при тратах от 10 000 рублей в месяц")'
    ]
    assert text_faults("Бесплатное обслуживание при тратах от 10 000 рублей в месяц", ctx) == []
    conditions = dict(ctx.conditional)
    assert (
        with_condition("бесплатное обслуживание", conditions, "ru")
        == "бесплатное обслуживание при тратах от 10 000 рублей в месяц"
    )


def test_the_marketer_is_told_and_no_creative_promises_the_service_free_for_all() -> None:
    warnings = brief_claim_warnings(CARD, context_for_brief(CARD))
    assert any("selling point 1" in w and "при тратах" in w for w in warnings), warnings
    made = generate(CARD, formats="meta_feed_square,meta_stories,iab_medium_rectangle", variants=3)
    shown_anywhere = []
    for c in made.creatives:
        texts = [e.text or "" for e in c.elements] + list(c.platform_text.values())
        for text in texts:
            for m in regex.finditer(r"бесплатное обслуживание", text, regex.IGNORECASE):
                shown_anywhere.append(text)
                assert text[m.end() :].lstrip().startswith("при тратах"), text
        assert c.publishable, c.publishable_reasons
    # The point is still used, with its condition, where it fits.
    assert shown_anywhere


def test_no_japanese_creative_promises_free_shipping_on_every_order() -> None:
    brief = Brief(
        product_name="濃厚とんこつラーメン",
        description="自家製の細麺と濃厚スープ。1万円以上のご注文で送料無料。",
        selling_points=("自家製細麺", "送料無料"),
        offer="2点目半額",
        language="ja",
    )
    made = generate(brief, formats="meta_feed_square,meta_stories,iab_medium_rectangle", variants=3)
    shown = 0
    for c in made.creatives:
        for text in [e.text or "" for e in c.elements] + list(c.platform_text.values()):
            for m in regex.finditer("送料無料", text):
                assert text[: m.start()].endswith("1万円以上のご注文で"), text
                shown += 1
        assert c.publishable, c.publishable_reasons
    assert shown  # the point is still used, with its condition
