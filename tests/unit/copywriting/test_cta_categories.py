"""Calls to action that fit what is sold: a subscription is subscribed to, a line is connected.

A native review of the small banners found "Jetzt buchen" and "Zarezerwuj" (book) on an e-bike
subscription, which read as a one-off ride, and "Попробовать" (try) on a home internet line,
where a Russian provider writes "Подключить" (connect).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from adcraft.compose import field_specs
from adcraft.copywriting.locale import INTENTS, all_ctas, cta_intent, cta_options
from adcraft.copywriting.offline import BuiltinCopywriter
from adcraft.domain.formats import default_registry
from adcraft.domain.template import load_template
from adcraft.products import brief_from_record

CORPUS_FILE = Path(__file__).resolve().parents[2] / "corpus" / "products.json"
CORPUS = {r["id"]: r for r in json.loads(CORPUS_FILE.read_text("utf-8"))}


def _cta(product_id: str) -> str:
    brief = brief_from_record(CORPUS[product_id], CORPUS_FILE.parent)
    specs = field_specs(load_template("classic"), default_registry()["meta_feed_square"])
    copy: Any = BuiltinCopywriter().write(brief, specs, variant=0, n_variants=1)
    return str(copy.fields["cta"])


@pytest.mark.parametrize(
    ("product_id", "cta"),
    [
        ("de-velora-ebike", "Jetzt abonnieren"),
        ("pl-volta", "Zamów abonament"),
        ("fr-volta", "Je m'abonne"),
        ("ru-volna", "Подключить"),
        ("tr-dalga", "Hemen başvur"),
        ("ko-pado", "지금 가입하기"),
    ],
)
def test_subscriptions_are_subscribed_to_and_lines_connected(product_id: str, cta: str) -> None:
    assert _cta(product_id) == cta


@pytest.mark.parametrize(
    ("category", "text", "intent"),
    [
        ("mobility", "Velora E-Bike-Abo. Ein E-Bike im Monatsabo", "subscribe"),
        ("mobility", "Rower elektryczny w abonamencie z serwisem", "subscribe"),
        ("mobility", "CityRide taxi: a ride in two taps", "book"),
        ("travel", "Car rental at Lisbon airport", "book"),
        ("subscription", "Coffee beans every month", "subscribe"),
        (None, "Домашний интернет, оптоволокно до квартиры", "connect"),
        ("telecom", "Unlimited 5G plan", "connect"),
        # A streaming service or a course keeps its "start" button.
        ("entertainment", "Streaming Tela+ filmes e séries", "start"),
        ("education", "Sprachkurs im Abo", "start"),
    ],
)
def test_intent_of_subscriptions_rentals_and_lines(
    category: str | None, text: str, intent: str
) -> None:
    assert cta_intent(category, text) == intent


def test_book_and_buy_verbs_never_stand_for_a_subscription_or_a_line() -> None:
    booking = {"Jetzt buchen", "Buchen", "Zarezerwuj", "Rezerwuj", "Забронировать", "Купить"}
    for lang in ("de", "pl", "ru"):
        for intent in ("subscribe", "connect"):
            assert not set(cta_options(lang, intent)) & booking, (lang, intent)
    assert cta_options("ru", "connect") == ("Подключить",)
    assert cta_options("de", "subscribe")[0] == "Jetzt abonnieren"


def test_every_language_has_a_short_button_for_the_new_intents() -> None:
    for lang in ("en", "ru", "de", "es", "fr", "it", "pt", "pl", "tr", "ja", "ko", "zh", "zh-Hant"):
        for intent in INTENTS:
            assert cta_options(lang, intent), (lang, intent)
            assert min(len(c) for c in cta_options(lang, intent)) <= 12, (lang, intent)
    assert "Подключить" in all_ctas("ru")
