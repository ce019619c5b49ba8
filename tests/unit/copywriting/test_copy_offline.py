"""The built-in copywriter: every field within its limit, the offer's facts kept, variants apart."""

from __future__ import annotations

import itertools
import unicodedata
from pathlib import Path
from typing import Any

import pytest
import regex
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from adcraft.copywriting.claimcheck import context_for_brief
from adcraft.copywriting.claims import parse_claims
from adcraft.copywriting.facts import extract_facts, fact_present
from adcraft.copywriting.limits import display_width, text_length
from adcraft.copywriting.locale import all_ctas
from adcraft.copywriting.offline import BuiltinCopywriter, Copywriter, FieldSpec, sanitize
from adcraft.copywriting.phrasing import _keeps_claims_whole, restates
from adcraft.domain.brief import BrandKit, Brief, Price
from adcraft.domain.creative import CopySet
from adcraft.products import brief_from_record
from tests.conftest import PRODUCTS

WRITER = BuiltinCopywriter()
HEADLINES = (40, 30, 25, 20)
BODIES = (90, 60)
CTAS = (18, 12)


def dev_brief(product: dict[str, Any]) -> Brief:
    return brief_from_record(product, Path("."))


def specs(headline: int, body: int, cta: int, badge: int = 10) -> tuple[FieldSpec, ...]:
    return (
        FieldSpec("headline", "main message", headline),
        FieldSpec("body", "supporting sentence", body),
        FieldSpec("cta", "button", cta),
        FieldSpec("badge", "short label", badge),
        FieldSpec("disclaimer", "terms line", 60),
    )


def write_all(brief: Brief, fields: tuple[FieldSpec, ...], n: int = 6) -> list[CopySet]:
    return [WRITER.write(brief, fields, variant=v, n_variants=n) for v in range(n)]


def assert_fits(copy: CopySet, fields: tuple[FieldSpec, ...]) -> None:
    assert set(copy.fields) == {f.name for f in fields}
    for f in fields:
        text = copy.fields[f.name]
        size = display_width(text) if f.counting == "width" else text_length(text)
        assert size <= f.max_chars, (f.name, text)
        assert not any(unicodedata.category(c) in ("Cc", "Cs", "Co") for c in text), text


def test_builtin_is_a_copywriter() -> None:
    assert isinstance(WRITER, Copywriter)
    assert WRITER.name == "builtin"


@pytest.mark.parametrize("product", PRODUCTS, ids=lambda p: p["id"])
def test_dev_set_matrix(product: dict[str, Any]) -> None:
    brief = dev_brief(product)
    lang = product["language"]
    facts = extract_facts(product["offers"][0], lang)
    for headline in HEADLINES:
        for body in BODIES:
            for cta in CTAS:
                fields = specs(headline, body, cta)
                copies = write_all(brief, fields)
                for copy in copies:
                    assert_fits(copy, fields)
                    assert copy.provider == "builtin" and copy.attempts == 0
                    assert copy.language == lang
                    assert copy.key_facts == tuple(f.text for f in facts)
                    assert copy.fields["cta"] in all_ctas(lang)
                    assert copy.fields["headline"] and copy.fields["body"]
                    assert not copy.truncated
                    if headline >= 25:
                        assert copy.missing_facts == (), (headline, body, copy.fields)
                        for fact in facts:
                            assert any(fact_present(fact, t) for t in copy.fields.values())
                heads = [c.fields["headline"] for c in copies]
                # Six different headlines where the limit leaves room; at 30 characters a brief
                # may have only five sound ones ("50% de descuento" without "en el plan anual"
                # drops the discount's scope and is not written); a selling point that holds only
                # under a condition too long for a headline is one sound headline fewer ("бесплатное
                # обслуживание при тратах от 10 000 рублей в месяц"), and so is one whose number
                # the description qualifies ("Средняя доставка за 30 минут" is 28 characters).
                ctx = context_for_brief(brief)
                conditional = len(ctx.conditional) + len(ctx.qualified)
                least = (6 if headline >= 40 else 5 if headline >= 25 else 3) - conditional
                assert len(set(heads)) >= least, heads
                if headline >= 30:
                    assert len({(c.fields["headline"], c.fields["body"]) for c in copies}) == 6


def test_banner_headline_alone_carries_the_offer() -> None:
    # A 320x50 banner shows only a headline and a button: the headline must hold every fact.
    fields = (FieldSpec("headline", "banner headline", 32), FieldSpec("cta", "button", 14))
    for product in PRODUCTS:
        for copy in write_all(dev_brief(product), fields):
            assert_fits(copy, fields)
            # Every fact it can hold whole; a claim that does not fit is left out whole,
            # never shown as a bare number ("20%" without "off").
            claims = parse_claims(sanitize(product["offers"][0]), product["language"])
            assert _keeps_claims_whole(copy.fields["headline"], claims), copy.fields
            assert len(copy.missing_facts) <= 1, (product["id"], copy.fields)


def test_angles_cycle_through_the_offer() -> None:
    tent = dev_brief(PRODUCTS[0])
    copies = write_all(tent, specs(40, 90, 18))
    angles = [c.angle for c in copies]
    assert angles[:3] == ["offer", "product", "benefit"]
    assert set(angles) >= {"urgency", "price", "extra"}
    by_angle = {c.angle: c.fields for c in copies}
    assert by_angle["offer"]["headline"] == "20% off all tents this weekend only"
    assert by_angle["product"]["headline"] == "Trail 3 Camping Tent"
    assert by_angle["urgency"]["headline"] == "This weekend only: 20% off all tents"
    # The price as it is: "from $189" would promise dearer versions.
    assert by_angle["price"]["headline"] == "Trail 3 Camping Tent · $189"
    assert by_angle["extra"]["headline"] == "Free shipping on orders over $100"
    # One fact, one place: the headline states the discount, so no badge repeats it; the
    # product-led variant, whose headline does not, carries it as a whole-claim badge.
    assert by_angle["offer"]["badge"] == ""
    assert by_angle["benefit"]["badge"] in ("−20%", "")
    assert by_angle["offer"]["cta"] == "Shop now"


def test_language_specific_copy() -> None:
    by_id = {p["id"]: dev_brief(p) for p in PRODUCTS}
    tea = WRITER.write(by_id["tea-gift"], specs(30, 90, 12), variant=1, n_variants=6)
    # Under the product's name the body says what it is first, then the deal.
    assert tea.fields["body"] == "适合送礼与日常品饮。双十一限时8折。"
    assert tea.fields["badge"] == ""  # the body already says 8折: one fact, one place
    food = WRITER.write(by_id["food-delivery"], specs(30, 90, 12), variant=0, n_variants=6)
    assert food.fields["cta"] == "Заказать"
    assert food.fields["disclaimer"].endswith("ЕДА25")
    hotel = WRITER.write(by_id["hotel-booking"], specs(30, 90, 12), variant=0, n_variants=6)
    assert hotel.fields["headline"] == "خصم 20% على إقامات الصيف"
    assert hotel.fields["cta"] == "احجز الآن"
    course = WRITER.write(by_id["language-course"], specs(30, 90, 12), variant=0, n_variants=6)
    assert course.fields["badge"] != "GRATIS"  # a bare "free" would drop what is free
    assert course.fields["cta"] == "Empezar"


def test_platform_text_fields() -> None:
    fields = (
        FieldSpec("primary_text", "Meta primary text", 125),
        FieldSpec("headline", "Meta headline", 40),
        FieldSpec("long_headline", "Google long headline", 90),
        FieldSpec("description", "Google description", 30),
        FieldSpec("business_name", "Google business name", 25),
        FieldSpec("post_text", "X post", 280),
        FieldSpec("call_to_action_text", "LinkedIn button", 30),
    )
    for product in PRODUCTS:
        for copy in write_all(dev_brief(product), fields, n=3):
            assert_fits(copy, fields)
            assert copy.missing_facts == ()
            for name in ("primary_text", "long_headline", "post_text"):
                facts = extract_facts(product["offers"][0], product["language"])
                assert all(fact_present(f, copy.fields[name]) for f in facts), name
            assert copy.fields["business_name"]
            assert copy.fields["call_to_action_text"] in all_ctas(product["language"])


def test_brand_name_and_given_cta() -> None:
    brief = Brief(
        product_name="Trail 3 Camping Tent",
        offer="20% off",
        cta="Grab yours today",
        brand=BrandKit(name="Northpeak"),
    )
    fields = (FieldSpec("brand_name", "", 20), FieldSpec("cta", "", 18))
    copy = WRITER.write(brief, fields, variant=0, n_variants=1)
    assert copy.fields == {"brand_name": "Northpeak", "cta": "Grab yours today"}
    tight = WRITER.write(brief, (FieldSpec("cta", "", 10),), variant=0, n_variants=1)
    assert tight.fields["cta"] == "Shop now"  # the brief's CTA does not fit: localized default


def test_empty_and_emoji_offers_give_product_led_copy() -> None:
    for offer in ("", "🔥🔥🔥", "👨\u200d👩\u200d👧 🇩🇪"):
        brief = Brief(
            product_name="Runner X Sneakers", offer=offer, selling_points=("responsive foam",)
        )
        copies = write_all(brief, specs(30, 60, 12))
        for copy in copies:
            assert_fits(copy, specs(30, 60, 12))
            assert copy.key_facts == () and copy.missing_facts == ()
            assert copy.fields["badge"] == ""
        assert copies[0].angle == "product"
        assert copies[0].fields["headline"] == "Runner X Sneakers"


def test_long_offer_keeps_its_facts() -> None:
    filler = "Our biggest sale of the year on every tent, bag and stove in the shop. " * 26
    offer = f"{filler}Take 20% off with code CAMP20 until Sunday."[-2000:]
    brief = Brief(product_name="Trail 3 Camping Tent", offer=offer)
    fields = specs(40, 90, 18)
    for copy in write_all(brief, fields):
        assert_fits(copy, fields)
        assert set(copy.key_facts) == {"20%", "CAMP20", "until Sunday"}
        assert copy.missing_facts == ()


def test_unsupported_language_falls_back_to_english_cta_and_keeps_its_text() -> None:
    brief = Brief(
        product_name="Fiets X1",
        offer="20% korting dit weekend",
        selling_points=("licht", "snel"),
        language="nl",
    )
    copy = WRITER.write(brief, specs(30, 60, 12), variant=0, n_variants=3)
    assert copy.fields["headline"] == "20% korting dit weekend"
    assert copy.fields["cta"] == "Shop now"
    assert copy.fields["body"] == "Licht, snel."


def test_control_characters_are_removed() -> None:
    brief = Brief(
        product_name="Trail\u202e 3\x00 Tent",
        offer="20%\u200b off\x07 today",
        selling_points=("light\x1b[31m",),
    )
    copy = WRITER.write(brief, specs(30, 60, 12), variant=1, n_variants=2)
    assert copy.fields["headline"] == "Trail 3 Tent"
    assert sanitize("a\u202eb\x00c\u200dd") == "ab c\u200dd"


def test_deterministic_and_prefix_stable() -> None:
    brief = dev_brief(PRODUCTS[3])
    fields = specs(30, 90, 12)
    first = write_all(brief, fields, n=3)
    again = [BuiltinCopywriter().write(brief, fields, variant=v, n_variants=8) for v in range(3)]
    assert first == again


def test_no_fields_and_duplicate_fields() -> None:
    brief = dev_brief(PRODUCTS[0])
    empty = WRITER.write(brief, (), variant=0, n_variants=1)
    assert empty.fields == {} and empty.key_facts == ("20%", "this weekend only")
    twice = (FieldSpec("headline", "", 40), FieldSpec("headline", "", 10))
    assert list(WRITER.write(brief, twice, variant=0, n_variants=1).fields) == ["headline"]
    with pytest.raises(ValueError):
        FieldSpec("headline", "", 0)


def test_width_counting_for_google() -> None:
    brief = dev_brief(next(p for p in PRODUCTS if p["id"] == "tea-gift"))
    fields = (FieldSpec("headline", "Google headline", 12, counting="width"),)
    for copy in write_all(brief, fields):
        assert display_width(copy.fields["headline"]) <= 12


def test_banned_words_lose_the_tie() -> None:
    brief = Brief(
        product_name="Runner X Sneakers",
        offer="Second pair 50% off",
        selling_points=("cheap and light", "responsive foam"),
        brand=BrandKit(banned_words=("cheap",)),
    )
    copy = WRITER.write(brief, specs(30, 60, 12), variant=0, n_variants=1)
    assert "cheap" not in copy.fields["body"].lower()


TOKENS = [
    *"abcdefghij klmnop АБВГД абвгд ежз 的是不了人我在有 ابتثجح خدذر ",
    *"0123456789٠١٢٣",
    *",.;:!?-—()%$€¥/",
    "20%",
    "8折",
    "$70",
    "SAVE20",
    "ЕДА25",
    "free",
    "gratis",
    "бесплатно",
    "包邮",
    "مجانًا",
    "this weekend only",
    "до конца месяца",
    "双十一",
    "\U0001f525",
    "\U0001f1e9\U0001f1ea",
    "👨\u200d👩\u200d👧",
    "e\u0301",
    "\u200f",
    "\x00",
    "\n",
]
offers = st.lists(st.sampled_from(TOKENS), min_size=1, max_size=150).map(lambda t: "".join(t)[:300])
limits = st.fixed_dictionaries(
    {
        "headline": st.integers(1, 60),
        "body": st.integers(1, 140),
        "cta": st.integers(1, 25),
        "badge": st.integers(1, 12),
        "primary_text": st.integers(1, 200),
    }
)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    offer=offers,
    extra=offers,
    points=st.lists(offers, max_size=4),
    lang=st.sampled_from(["en", "ru", "zh", "de", "es", "ar", "fr", "ja", "sw"]),
    caps=limits,
    variant=st.integers(0, 7),
    price=st.none() | st.builds(Price, amount=st.floats(0, 1e6), currency=st.just("EUR")),
)
def test_random_briefs_never_overflow_or_raise(
    offer: str,
    extra: str,
    points: list[str],
    lang: str,
    caps: dict[str, int],
    variant: int,
    price: Price | None,
) -> None:
    brief = Brief(
        # A name without letters or digits is refused by Brief: the name keeps one.
        product_name=f"X {offer[:40].strip()}".strip(),
        description=" ".join(points),
        selling_points=tuple(points),
        offer=offer,
        extra_offers=(extra,),
        price=price,
        language=lang,
    )
    fields = tuple(FieldSpec(name, name, cap) for name, cap in caps.items())
    copy = WRITER.write(brief, fields, variant=variant, n_variants=4)
    assert_fits(copy, fields)
    assert set(copy.truncated) <= set(caps)
    # A call to action is a whole list entry or left out, never cut.
    assert copy.fields["cta"] in all_ctas(lang) or copy.fields["cta"] == ""
    assert WRITER.write(brief, fields, variant=variant, n_variants=4) == copy


@pytest.mark.parametrize(
    ("name", "offer", "language"),
    [
        ("Aurora Desk Lamp", "15% off this week", "en"),
        ("Лампа Аврора", "Скидка 15% на этой неделе", "ru"),
        ("Aurora Schreibtischlampe", "Nur diese Woche 15 % Rabatt", "de"),
    ],
)
def test_sparse_brief_does_not_echo_its_one_line(name: str, offer: str, language: str) -> None:
    # Title and offer only: body and terms must add something or stay empty, and every variant
    # still names the product.
    brief = Brief(product_name=name, offer=offer, language=language)
    for copy in write_all(brief, specs(40, 90, 18)):
        f = copy.fields
        headline = set(f["headline"].casefold().replace(".", " ").split())
        for other in ("body", "disclaimer"):
            words = set(f[other].casefold().replace(".", " ").split())
            assert not words or not words <= headline, (other, f)
        shown = " ".join(f.values()).casefold()
        assert all(w.casefold() in shown for w in name.split()[:1]), f


@pytest.mark.parametrize(
    ("language", "offers", "deal", "qualifier"),
    [
        ("ja", ["セールは日曜日まで", "2点目半額"], "2点目半額", "日曜日まで"),
        ("en", ["Use code SPRING", "25% off all jackets"], "25% off all jackets", "SPRING"),
    ],
)
def test_a_deal_leads_over_an_offer_that_only_qualifies_it(
    language: str, offers: list[str], deal: str, qualifier: str
) -> None:
    """A brief listing its deadline or code first does not get an ad whose headline is the
    deadline and whose discount sits in the fine print: the deal leads, the qualifier stays."""
    brief = Brief(
        product_name="Nova" if language == "en" else "濃厚とんこつラーメン",
        language=language,
        offer=offers[0],
        extra_offers=tuple(offers[1:]),
    )
    offer_led = WRITER.write(brief, specs(40, 90, 18), variant=0, n_variants=3)
    assert offer_led.angle == "offer"
    assert offer_led.fields["headline"] == deal
    assert qualifier in offer_led.fields["disclaimer"] + offer_led.fields["body"]
    # An offer without a recognised claim keeps its place: that lead is the marketer's choice.
    kept = Brief(product_name="Nova", language="en", offer="New collection", extra_offers=(deal,))
    assert WRITER.write(kept, specs(40, 90, 18), variant=0, n_variants=3).fields["headline"] == (
        "New collection"
    )


@pytest.mark.parametrize(
    ("first", "second", "same"),
    [
        ("Более 2000 ресторанов и кафе.", "Курьер на карте, 2000+ ресторанов.", True),
        ("15 bar. Nur diese Woche: 25% Rabatt.", "Kompakte Maschine mit 15 bar Pumpendruck.", True),
        ("18時間炊き出した豚骨スープ。", "18時間炊いた豚骨スープ、自家製細麺。", True),
        ("20% off all tents this weekend only.", "Free shipping on orders over $100.", False),
        ("Waterproof 3000 mm.", "A three-season dome tent for three people.", False),
    ],
)
def test_restatement_is_recognised(first: str, second: str, same: bool) -> None:
    assert restates(first, second) is same


def test_platform_text_never_says_a_sentence_twice() -> None:
    """Each sentence after the first adds something: no description sentence followed by the
    selling point it already contains."""
    fields = (FieldSpec("primary_text", "platform text", 125),)
    for product in PRODUCTS:
        for copy in write_all(dev_brief(product), fields):
            text = copy.fields["primary_text"]
            sentences = [s for s in regex.split(r"(?<=[.!?])\s+|(?<=[。！？])", text) if s]
            for a, b in itertools.pairwise(sentences):
                assert not restates(a, b), (product["id"], text)


def test_a_discount_that_needs_a_code_never_becomes_a_badge() -> None:
    brief = Brief(
        product_name="BlueJet Flights to Lisbon",
        offer="Flights to Lisbon from £49",
        extra_offers=("2 free bags on every booking", "Use code SPRING15 for 15% off"),
        price=Price(amount=49, currency="GBP"),
    )
    for copy in write_all(brief, specs(40, 90, 18)):
        # "−15%" would promise the discount to everyone; the code does not fit a badge.
        assert "15" not in copy.fields["badge"], copy.fields
    # Without the code the same discount is a badge as usual.
    plain = Brief(
        product_name="BlueJet Flights to Lisbon",
        offer="Flights to Lisbon from £49",
        extra_offers=("2 free bags on every booking", "15% off"),
        price=Price(amount=49, currency="GBP"),
    )
    assert any("15" in c.fields["badge"] for c in write_all(plain, specs(40, 90, 18)))
