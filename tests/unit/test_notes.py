"""Warnings and not-publishable reasons carry stable codes: every line the engine writes is read
back with its values, so the web app can say it in the marketer's language."""

from __future__ import annotations

import pytest

from adcraft import generate
from adcraft.copywriting.claimcheck import context_for_brief, verdict
from adcraft.copywriting.injection import injection_warning
from adcraft.domain.brief import Brief, Price
from adcraft.domain.creative import Injection
from adcraft.domain.formats import default_registry
from adcraft.layout.typography import clean_text
from adcraft.notes import CODES, TEMPLATES, missing_parts, parse, say
from adcraft.render.encode import choose_format

GAPS = missing_parts(("promo code", "deadline"), ("SPRING15", "this weekend only"))
SAMPLES: dict[str, dict[str, object]] = {
    "claim_changed": {"field": "headline", "shown": "250 €", "claim": "Save 250 €"},
    "claim_not_in_brief": {"field": "body", "shown": "30% off"},
    "claim_drops_scope": {"field": "headline", "shown": "15% off", "brief": "15% off rentals"},
    "claim_other_scope": {
        "field": "headline",
        "shown": "Direct flights from £49",
        "brief": "Flights to Lisbon from £49",
    },
    "price_without_period": {
        "field": "price",
        "price_text": "9,99 €",
        "source": "offer",
        "period": "month",
        "phrase": "monatlich",
    },
    "price_left_out_period": {"price_text": "9,99 €/Monat", "format": "iab_mobile_leaderboard"},
    "price_left_out_stay": {
        "stay": "3 gece",
        "price_text": "₺4.500",
        "format": "iab_banner",
    },
    "price_left_out_trial": {
        "trial": "免費試用14天",
        "price_text": "NT$390",
        "format": "iab_banner",
    },
    "price_shown_bare": {"field": "headline", "shown": "ab 9,99 €", "price_text": "9,99 €/Monat"},
    "price_other_period": {"field": "body", "shown": "$35 a year", "price_text": "$35/mo"},
    "price_without_term": {"field": "price", "shown": "$35/mo", "term": "12-month minimum term"},
    "price_left_out_term": {
        "price_text": "$35/mo",
        "term": "12-month minimum term",
        "format": "iab_leaderboard",
    },
    "headline_named_instead": {"headline": "送料無料", "format": "iab_banner"},
    "price_gave_way": {"format": "iab_mobile_leaderboard"},
    "no_product_name": {"format": "iab_banner"},
    "image_without_product_name": {"format": "meta_feed_square"},
    "no_provider": {"format": "iab_banner"},
    "credit_left_out": {
        "field": "disclaimer",
        "shown": "Pay in 4 interest-free installments",
        "format": "meta_feed_square",
    },
    "edit_without_product_name": {"format": "iab_medium_rectangle"},
    "claim_drops_period": {"field": "headline", "shown": "12 €", "brief": "12 €/month"},
    "claim_drops_condition": {
        "field": "cta",
        "shown": "15% off",
        "condition": "for members",
        "brief": "15% off for members",
    },
    "claim_drops_from": {"field": "headline", "shown": "12 €/month", "brief": "from 12 €/month"},
    "claim_without_condition": {"field": "body", "shown": "Free", "brief": "Free with a plan"},
    "claim_without_up_to": {"field": "body", "shown": "80 km", "brief": "up to 80 km"},
    "text_over_cap": {"format": "google_rda_landscape", "share": "20.9%", "cap": "20%"},
    "claim_without_qualifier": {
        "field": "body",
        "shown": "4.8 rated",
        "qualifier": "on average",
        "brief": "drivers rated 4.8 on average",
    },
    "number_without_claim": {"field": "headline", "shown": "15%", "claim": "15% off"},
    "number_not_in_brief": {"field": "body", "number": "42"},
    "half_price_without_item_of": {
        "field": "headline",
        "shown": "half price",
        "brief": "second item half price",
    },
    "half_price_without_item": {"field": "headline", "shown": "half price"},
    "ends_mid_phrase": {"field": "headline", "shown": "Seguro de:"},
    "ends_on_word": {"field": "body", "shown": "Tents and", "word": "and"},
    "word_cut": {"field": "cta", "word": "сейча", "whole": "сейчас"},
    "kana_cut": {"field": "headline", "shown": "セールは日曜日ま", "next": "で"},
    "cut_to_fit": {"field": "headline"},
    "needs_code": {"field": "headline", "shown": "−15%", "promo": "SPRING15", "brief": "−15%"},
    "brief_contradiction": {"first": "20% off", "second": "30% off"},
    "brief_percent_above_prices": {"claim": "30% off", "regular": 239, "price": 179, "percent": 25},
    "brief_amount_above_prices": {"claim": "Save 90 €", "regular": 239, "price": 179, "saved": 60},
    "no_headline": {"format": "iab_banner"},
    "no_cta": {"format": "iab_mobile_leaderboard"},
    "deal_not_whole": {"format": "iab_banner", "shown": "−15%", "missing": GAPS},
    "deal_named_instead": {
        "fields": "headline",
        "shown": "−15%",
        "missing": GAPS,
        "format": "iab_banner",
    },
    "deal_left_out": {"fields": "body", "shown": "−15%", "missing": GAPS, "format": "iab_banner"},
    "deal_named_and_left_out": {
        "fields": "headline, body",
        "shown": "−15%",
        "missing": GAPS,
        "format": "iab_banner",
    },
    "headline_replaced": {"format": "iab_banner"},
    "cta_replaced": {"cta": "Shop the sale", "format": "iab_banner", "shorter": "Shop"},
    "cta_missing_replaced": {"format": "iab_banner", "shorter": "Shop"},
    "deadline_not_shown": {"shown": "20% off", "deadline": "until Sunday", "format": "iab_banner"},
    "field_left_out": {"field": "body", "format": "iab_banner"},
    "truncated": {"field": "platform:primary_text"},
    "emoji_drawn": {"field": "body", "emoji": "'🚲'"},
    "emoji_removed": {"field": "body", "emoji": "'🫨'"},
    "chars_removed": {"field": "headline", "chars": "U+E000"},
    "image_format_unwritable": {"format": "x_image", "accepts": "gif"},
    "image_format_refused": {
        "format": "meta_feed_square",
        "requested": "webp",
        "accepts": "jpg, png",
        "wrote": "jpeg",
    },
    "placement_set_aside": {"reason": "this adjustment of iab_banner is refused: no"},
    "injection_removed": {"field": "offer", "pattern": "ignore-previous", "sentence": "Ignore."},
    "copy_fallback": {"provider": "openai", "reason": "timed out"},
    "gate_failed": {"gate": "image", "subject": "product", "reason": "looks blurred"},
    "preview_scene_later": {},
    "photo_not_used": {"source": "bank"},
    "no_product_image": {},
    "offer_no_words": {"label": "offer 2", "text": "-50 %"},
    "offer_other_script": {"label": "offer", "text": "Скидка 20%", "language": "en"},
    "offer_too_long": {"length": "412", "shown": "20% off; free shipping"},
    "copy_fallback_set": {"variants": "1, 3", "provider": "openai", "reason": "timed out"},
    "import_image_missing": {"sku": "tent-trail3", "image": "images/tent.jpg"},
    "clicks_ignored": {"arm": "a1b2", "day": "2026-05-01", "ignored": "18"},
    "price_period_hint": {
        "source": "offer",
        "phrase": "per month",
        "period": "month",
        "price_text": "9,99 €",
    },
    "price_recurring_hint": {"source": "offer", "phrase": "monthly", "price_text": "9,99 €"},
    "price_period_missing": {
        "source": "description",
        "phrase": "a night",
        "period": "night",
        "price_text": "89 €",
    },
    "discount_without_reference_price": {"label": "offer", "deal": "−20 %", "price_text": "499 €"},
    "reference_price_in_words": {
        "label": "offer",
        "prior": "599 €",
        "phrase": "statt 599 €",
        "price_text": "499 €",
    },
    "provider_not_named": {},
    "point_without_up_to": {"n": "2", "shown": "80 km", "brief": "up to 80 km"},
    "point_without_condition": {"n": "1", "shown": "Free", "condition": "with a plan"},
    "text_engine_basic": {},
}


def test_every_code_has_a_sample() -> None:
    assert set(SAMPLES) == set(TEMPLATES)
    assert set(CODES) == {*TEMPLATES, "other"}


@pytest.mark.parametrize("code", list(TEMPLATES))
def test_every_template_reads_back_as_its_code(code: str) -> None:
    sample = SAMPLES[code]
    text = say(code, **sample)
    note = parse(text)
    assert (note.code, note.text, note.blocks) == (code, text, False)
    for name, value in sample.items():
        assert note.params[name] == (float(value) if isinstance(value, int) else value)
    blocking = parse(f"not publishable: {text}")
    assert (blocking.code, blocking.blocks, blocking.params) == (code, True, note.params)


def test_a_deal_names_each_missing_part() -> None:
    note = parse(say("deal_not_whole", format="iab_banner", shown="−15%", missing=GAPS))
    assert note.params["gap_code"] == "SPRING15"
    assert note.params["gap_deadline"] == "this weekend only"
    assert "gap_qualifier" not in note.params


def test_a_line_no_template_made_is_other() -> None:
    assert parse("something a plug-in wrote").code == "other"
    assert parse("not publishable: something else").blocks


SALE = Brief(
    product_name="Trail 3 Tent",
    description="Three-person tent.",
    offer="30% off all tents",
    price=Price(amount=179, currency="EUR"),
    regular_price=Price(amount=239, currency="EUR"),
    language="en",
)


def test_the_claim_checks_own_lines_all_have_codes() -> None:
    ctx = context_for_brief(SALE)
    shown = {
        "headline": "40% off all tents",  # a claim the brief does not make
        "body": "Pitch it fast and",  # ends on a hanging word
        "cta": "Shop no",  # a word cut short
    }
    got = verdict(shown, {"primary_text": "Only 99 left"}, ctx, cut_on_image=("disclaimer",))
    notes = [parse(r) for r in got.reasons]
    assert not got.publishable
    assert [n.text for n in notes if n.code == "other"] == []
    codes = {n.code for n in notes}
    assert {
        "brief_percent_above_prices",
        "cut_to_fit",
        "claim_not_in_brief",
        "ends_on_word",
        "word_cut",
        "number_not_in_brief",
    } <= codes
    sale = next(n for n in notes if n.code == "brief_percent_above_prices")
    want = {"claim": "30% off all tents", "regular": 239, "price": 179, "percent": 25}
    assert sale.params == want


def test_a_claim_without_its_scope_names_both() -> None:
    rentals = Brief(product_name="Volta", description="E-bike.", offer="15% off monthly rentals")
    got = verdict({"headline": "15% off"}, {}, context_for_brief(rentals))
    assert [parse(r).params for r in got.reasons] == [
        {"field": "headline", "shown": "15% off", "brief": "15% off monthly rentals"}
    ]
    assert parse(got.reasons[0]).code == "claim_drops_scope"


def test_drawing_and_format_lines_have_codes() -> None:
    registry = default_registry()
    _, refused = choose_format(registry["meta_feed_square"], "gif")
    assert refused is not None and parse(refused).code == "image_format_refused"
    line = injection_warning(Injection(field="offer", pattern="ignore-previous", sentence="Hi."))
    assert parse(line).params == {"field": "offer", "pattern": "ignore-previous", "sentence": "Hi."}
    _, notes = clean_text("Ride 🚲 on \ue000")
    codes = {parse(f"body: {n}").code for n in notes}
    assert codes and "other" not in codes


def test_a_generated_sets_warnings_all_have_codes() -> None:
    cs = generate(SALE, formats=["meta_feed_square", "iab_banner"], variants=1, seed=1)
    seen = set()
    for c in cs.creatives:
        assert not c.publishable
        for r in c.publishable_reasons:
            assert parse(r).code == "brief_percent_above_prices", r
        for w in c.warnings:
            if w.startswith("score: "):
                continue
            note = parse(w)
            assert note.code != "other", w
            seen.add((note.code, note.blocks))
    assert ("brief_percent_above_prices", True) in seen


def test_a_not_publishable_reason_blocks_with_or_without_its_prefix() -> None:
    """``publishable_reasons`` list reasons without the warnings' prefix; read back, each is a
    note that blocks (the manifest said ``blocks: false`` for them)."""
    from adcraft.notes import NOT_PUBLISHABLE, parse_blocking

    line = say("no_product_name", format="iab_banner")
    assert parse_blocking(line).blocks and parse_blocking(line).code == "no_product_name"
    assert parse_blocking(NOT_PUBLISHABLE + line) == parse(NOT_PUBLISHABLE + line)
