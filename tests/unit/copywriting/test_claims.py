"""The claim parser over the multilingual corpus: every expected claim, whole, in 15 languages."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from adcraft.copywriting.claims import (
    Claim,
    brief_texts,
    claims_of,
    parse_claims,
    parse_number,
    required_code,
)

CORPUS = json.loads(
    (Path(__file__).resolve().parents[2] / "corpus" / "products.json").read_text("utf-8")
)
LANGUAGES = sorted({r["language"] for r in CORPUS})
NUMERIC = ("value", "threshold")
EXACT = ("currency", "period", "code", "n", "m", "condition")


def _claims(record: dict[str, Any]) -> tuple[Claim, ...]:
    offers = record["offers"]
    texts = brief_texts(offers[0], offers[1:], record["selling_points"])
    currency = (record.get("price") or {}).get("currency")
    return claims_of(texts, record["language"], currency)


def _problems(record: dict[str, Any]) -> list[str]:
    got = _claims(record)
    out: list[str] = []
    for want in record["expected"]["claims"]:
        same = [
            c
            for c in got
            if c.kind == want["kind"] and want["text"].casefold() in c.text.casefold()
        ]
        if not same:
            found = [(c.kind, c.text) for c in got]
            out.append(f"{record['id']}: no {want['kind']} {want['text']!r} in {found}")
            continue
        c = same[0]
        for key in NUMERIC:
            if key in want and (getattr(c, key) is None or abs(getattr(c, key) - want[key]) > 1e-6):
                out.append(f"{record['id']}: {c.text!r} {key}={getattr(c, key)} != {want[key]}")
        for key in EXACT:
            if key in want and getattr(c, key) != want[key]:
                out.append(f"{record['id']}: {c.text!r} {key}={getattr(c, key)} != {want[key]}")
        if "scope" in want and not c.scope:
            out.append(f"{record['id']}: {c.text!r} lost its scope {want['scope']!r}")
    # No number-bearing claim the corpus does not expect: that would be a misread number.
    for c in got:
        if not any(
            c.kind == w["kind"] and w["text"].casefold() in c.text.casefold()
            for w in record["expected"]["claims"]
        ):
            out.append(f"{record['id']}: unexpected {c.kind} {c.text!r}")
    return out


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_expected_claim_is_parsed_whole(language: str) -> None:
    problems = [p for r in CORPUS if r["language"] == language for p in _problems(r)]
    assert problems == []


@pytest.mark.parametrize(
    ("text", "value"),
    [("5 000", 5000), ("12,50", 12.5), ("2.500", 2500), ("1,000", 1000), ("59.90", 59.9)],
)
def test_numbers_as_markets_write_them(text: str, value: float) -> None:
    assert parse_number(text) == value


def test_korean_ten_thousands() -> None:
    (claim,) = parse_claims("25만 원 할인", "ko")
    assert (claim.kind, claim.value, claim.currency) == ("amount_off", 250_000, "KRW")


def test_chinese_zhe_is_the_share_paid() -> None:
    (claim,) = parse_claims("全场8折", "zh")
    assert (claim.kind, claim.value) == ("percent_off", 20)


@pytest.mark.parametrize(("text", "off"), [("全场八折", 20), ("会员八五折", 15), ("周末七折", 30)])
def test_chinese_zhe_in_han_numerals(text: str, off: int) -> None:
    """Ads write the zhe in Han numerals as often as in digits: "八折" is 20% off."""
    (claim,) = parse_claims(text, "zh")
    assert (claim.kind, claim.value) == ("percent_off", off)


def test_minus_sign_is_a_discount() -> None:
    (claim,) = parse_claims("−250 €", "de")
    assert (claim.kind, claim.value, claim.currency) == ("amount_off", 250, "EUR")


def test_a_bare_amount_or_half_price_is_no_claim() -> None:
    assert parse_claims("250 €", "de") == ()
    assert [c.kind for c in parse_claims("half price", "en")] == []


def test_scope_and_period_are_part_of_the_claim() -> None:
    (short,) = parse_claims("15% off", "en")
    assert short.scope is None
    (scoped,) = parse_claims("15% off monthly rentals", "en")
    assert scoped.scope == "monthly rentals"
    (bare,) = parse_claims("from 12,50 €", "en")
    assert bare.period is None
    (monthly,) = parse_claims("from 12,50 €/month", "en")
    assert monthly.period == "month"


def test_a_percentage_followed_by_its_scope_is_a_discount_in_german_and_french() -> None:
    (everything,) = parse_claims("20 % auf alles", "de")
    assert (everything.kind, everything.value, everything.scope) == ("percent_off", 20, None)
    assert everything.text == "20 % auf alles"
    (scoped,) = parse_claims("20 % sur les chaussures", "fr")
    assert (scoped.kind, scoped.scope) == ("percent_off", "chaussures")
    # Interest is not a discount; nor is "on" in English ("5% on savings").
    assert parse_claims("5 % Zinsen auf Einlagen", "de") == ()
    assert parse_claims("5% on savings", "en") == ()


def test_a_discount_written_with_a_code_needs_that_code() -> None:
    texts = brief_texts("Flights from £49", ["Use code SPRING15 for 15% off", "10% off hotels"], [])
    claims = claims_of(texts, "en", "GBP")
    locked = {c.text: required_code(c, claims) for c in claims if c.kind == "percent_off"}
    assert locked["15% off"] is not None and locked["15% off"].code == "SPRING15"
    assert locked["10% off hotels"] is None  # another offer: no code needed


def test_codes_in_cyrillic_capitals() -> None:
    claims = parse_claims("Бесплатная доставка до конца месяца по промокоду ЕДА25", "ru")
    assert [c.code for c in claims if c.kind == "promo_code"] == ["ЕДА25"]
    assert parse_claims("Введите код доставки", "ru") == ()  # a word, not a code


def test_ratings_and_ingredients_are_not_claims() -> None:
    assert parse_claims("★ 4.8 from 12,000 runners", "en") == ()
    assert parse_claims("15% de vitamina C", "pt") == ()


def test_spans_point_into_the_original_text() -> None:
    text = "SkyFly: טיסות לאילת מ-249 ₪"
    (claim,) = parse_claims(text, "he")
    # The "from" price keeps what it is for (flights to Eilat), not the brand before the colon.
    assert text[claim.start : claim.end] == claim.text == "טיסות לאילת מ-249 ₪"
    assert claim.as_dict()["currency"] == "ILS"
    assert claim.scope == "טיסות לאילת"


@pytest.mark.parametrize(
    ("language", "text", "claim", "condition"),
    [
        ("en", "First month free when you switch", "First month free when you switch",
         "when you switch"),
        ("en", "Trade in your old pair and get $50 back", "Trade in your old pair and get $50 back",
         "Trade in your old pair"),
        ("en", "Free delivery. Bring your old sofa and save $100.",
         "Bring your old sofa and save $100", "Bring your old sofa"),
        ("ru", "Сдайте старый телефон и получите 5000 ₽ скидки",
         "Сдайте старый телефон и получите 5000 ₽ скидки", "Сдайте старый телефон"),
        ("ru", "Скидка 10% для новых клиентов", "Скидка 10% для новых клиентов",
         "для новых клиентов"),
        ("es", "Primer mes gratis al cambiarte a nuestra tarifa",
         "Primer mes gratis al cambiarte a nuestra tarifa", "al cambiarte a nuestra tarifa"),
        ("de", "Erster Monat gratis bei Wechsel zu uns", "Erster Monat gratis bei Wechsel zu uns",
         "bei Wechsel zu uns"),
        ("fr", "Premier mois offert si vous changez d'opérateur",
         "Premier mois offert si vous changez d'opérateur", "si vous changez d'opérateur"),
    ],
)  # fmt: skip
def test_a_condition_is_part_of_the_claim(
    language: str, text: str, claim: str, condition: str
) -> None:
    """ "First month free" promises it to everyone; the brief promised it to switchers."""
    found = [c for c in parse_claims(text, language) if c.kind != "deadline"][-1]
    assert (found.text, found.condition) == (claim, condition)
    assert text[found.start : found.end] == found.text
    assert found.as_dict()["condition"] == condition


def test_no_condition_where_none_is_written() -> None:
    (plain,) = parse_claims("Get $50 back", "en")
    assert plain.condition is None
    (save,) = [c for c in parse_claims("Save $70 during Black Friday week", "en")
               if c.kind == "amount_off"]  # fmt: skip
    assert (save.text, save.condition) == ("Save $70", None)


@pytest.mark.parametrize(
    ("text", "language", "phrase"),
    [
        ("Скидка 5 000 ₽ по промокоду NOVA5", "ru", "по промокоду NOVA5"),
        ("Доставка бесплатно с кодом ЕДА25", "ru", "с кодом ЕДА25"),
        ("-30% z kodem KAWA30 do niedzieli", "pl", "z kodem KAWA30"),
        ("Darmowa dostawa z kuponem ZIMA20", "pl", "z kuponem ZIMA20"),
        ("Промокод NOVA5: скидка 5 000 ₽", "ru", "Промокод NOVA5"),
    ],
    ids=["ru-po", "ru-s", "pl-z-kodem", "pl-z-kuponem", "ru-nominative"],
)
def test_a_promo_code_keeps_its_preposition(text: str, language: str, phrase: str) -> None:
    """'промокоду NOVA5' alone is ungrammatical: the governing 'по'/'z' is part of the claim."""
    (code,) = [c for c in parse_claims(text, language) if c.kind == "promo_code"]
    assert code.text == phrase
    assert text[code.start : code.end] == phrase
