"""The claim checker must fail each fault a marketer would refuse to publish, or clean runs prove
nothing: a claim without its qualifier, a number whose meaning changed, a cut word."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.manifest_checks import check_claims


def _write(out: Path, brief: dict[str, Any], shown: dict[str, str], **extra: Any) -> None:
    out.mkdir()
    elements = [
        {"kind": kind, "text": text, "lines": [text], "box": [0, 0, 10, 10]}
        for kind, text in shown.items()
    ]
    creative = {"file": "a.png", "elements": elements, "platform_text": {}, **extra}
    manifest = {"brief": brief, "creatives": [creative]}
    (out / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False), "utf-8")


def _brief(language: str, offer: str, name: str = "Nova X", cta: str = "") -> dict[str, Any]:
    currency = {"de": "EUR", "en": "USD", "ru": "RUB", "ja": "JPY", "es": "EUR"}[language]
    return {
        "product_name": name,
        "description": "",
        "selling_points": [],
        "offer": offer,
        "extra_offers": [],
        "language": language,
        "price": {"amount": 499, "currency": currency},
        "cta": cta or None,
    }


FAULTS = [
    # (language, offer, shown fields, what the report must say)
    (
        "de",
        "Spare 250 € + 1 Spiel gratis",
        {"badge": "250 €", "cta": "Kaufen"},
        "without its claim",
    ),
    (
        "en",
        "Second pair half price",
        {"badge": "half price", "cta": "Shop now"},
        "without the item",
    ),
    ("en", "15% off monthly rentals", {"badge": "15% off", "cta": "Shop now"}, "applies to"),
    ("en", "From $12.50/month", {"headline": "From $12.50", "cta": "Shop now"}, "period"),
    ("en", "2 free bags on every booking", {"badge": "2 free", "cta": "Book now"}, "without"),
    ("en", "20% off all tents", {"badge": "30% off", "cta": "Shop now"}, "does not make"),
    ("ru", "Скидка 20%", {"badge": "Скидка 20%", "cta": "Купить сейча"}, "is cut"),
    ("es", "Envío gratis", {"headline": "Seguro de:", "cta": "Comprar"}, "mid-phrase"),
    ("es", "Envío gratis", {"headline": "Envío gratis", "cta": "SUSCRÍBET"}, "is cut"),
    ("ja", "セールは日曜日まで", {"headline": "セールは日曜日ま", "cta": "今すぐ購入"}, "is cut"),
]


CTAS = {"ru": "Купить сейчас", "es": "SUSCRÍBETE"}


@pytest.mark.parametrize(("language", "offer", "shown", "expected"), FAULTS)
def test_each_fault_is_reported(
    language: str, offer: str, shown: dict[str, str], expected: str, tmp_path: Path
) -> None:
    brief = _brief(language, offer, cta=CTAS.get(language, ""))
    _write(tmp_path / "bad", brief, shown, publishable=False)
    problems = "\n".join(check_claims(tmp_path / "bad").problems)
    assert expected in problems, problems


def test_whole_claims_pass(tmp_path: Path) -> None:
    shown = {"badge": "−250 €", "headline": "1 Spiel gratis", "price": "499 €", "cta": "Kaufen"}
    _write(tmp_path / "ok", _brief("de", "Spare 250 € + 1 Spiel gratis"), shown)
    assert check_claims(tmp_path / "ok").problems == []


def test_a_faulty_creative_recorded_as_publishable_is_reported(tmp_path: Path) -> None:
    _write(tmp_path / "lie", _brief("de", "Spare 250 €"), {"badge": "250 €"}, publishable=True)
    problems = "\n".join(check_claims(tmp_path / "lie").problems)
    assert "recorded as publishable" in problems


def test_expected_claims_replace_the_engine_parse(tmp_path: Path) -> None:
    _write(tmp_path / "x", _brief("en", "Save big"), {"badge": "Save $250"}, publishable=False)
    expected = [{"kind": "amount_off", "text": "Save $250", "value": 250, "currency": "USD"}]
    assert check_claims(tmp_path / "x", expected).problems == []
    assert check_claims(tmp_path / "x").problems  # the brief itself never says $250
