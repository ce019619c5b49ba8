"""A conditional clause belongs to its deal like a code or a deadline does.

The native review found "쿠폰 코드 AURA20 · 20% 할인" on a Korean banner: the brief says
"쿠폰 코드 AURA20 입력 시 20% 할인" (20% off *when you enter* coupon code AURA20); split at
"입력 시", the code and the discount read as two unrelated lines. The same clause is Japanese
"…を入力すると" / "…入力で", German "bei Eingabe des Codes …", English "when you enter …".
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from adcraft.compose import field_specs
from adcraft.copywriting.claimcheck import context_for_brief, fields_faults, text_faults
from adcraft.copywriting.claims import parse_claims
from adcraft.copywriting.offline import BuiltinCopywriter
from adcraft.copywriting.phrasing import offer_forms
from adcraft.domain.formats import default_registry
from adcraft.domain.template import load_template
from adcraft.products import brief_from_record

CORPUS_FILE = Path(__file__).resolve().parents[2] / "corpus" / "products.json"
CORPUS = {r["id"]: r for r in json.loads(CORPUS_FILE.read_text("utf-8"))}


@pytest.mark.parametrize(
    ("language", "text", "condition", "code"),
    [
        ("ko", "쿠폰 코드 AURA20 입력 시 20% 할인", "쿠폰 코드 AURA20 입력 시", "AURA20"),
        ("ko", "회원 가입하면 첫 달 무료", "회원 가입하면", None),
        ("ja", "クーポンコードAURA20を入力すると20%オフ", "クーポンコードAURA20を入力すると",
         "AURA20"),
        ("ja", "コードAURA20入力で20%オフ", "コードAURA20入力で", "AURA20"),
        ("de", "Bei Eingabe des Codes KAFFEE20 sparen Sie 20 %", "Bei Eingabe des Codes KAFFEE20",
         "KAFFEE20"),
        ("de", "20 % Rabatt bei Eingabe des Codes KAFFEE20", "bei Eingabe des Codes KAFFEE20",
         "KAFFEE20"),
        ("en", "15% off when you enter code SPRING15", "when you enter code SPRING15", "SPRING15"),
    ],
)  # fmt: skip
def test_the_condition_is_part_of_the_deal_and_the_code_still_a_claim(
    language: str, text: str, condition: str, code: str | None
) -> None:
    claims = parse_claims(text, language)
    (deal,) = [c for c in claims if c.kind != "promo_code"]
    assert deal.condition == condition and condition in deal.text
    assert [c.code for c in claims if c.kind == "promo_code"] == ([code] if code else [])


def test_a_list_of_things_is_no_condition() -> None:
    """ "送料無料と20%オフ" is free shipping *and* 20% off."""
    claims = parse_claims("送料無料と20%オフ", "ja")
    assert [(c.kind, c.condition) for c in claims] == [
        ("free_shipping", None),
        ("percent_off", None),
    ]


def _aura() -> Any:
    return brief_from_record(CORPUS["ko-aura"], CORPUS_FILE.parent)


@pytest.mark.parametrize(
    ("shown", "ok"),
    [
        ("쿠폰 코드 AURA20 · 20% 할인", False),
        ("쿠폰 코드 AURA20 · 20% 할인 · 비타민C 15%", False),
        ("쿠폰 코드 AURA20 입력 시 20% 할인", True),
        ("쿠폰 코드 AURA20 입력 시 20% 할인 · 비건 인증", True),
    ],
)
def test_the_code_split_from_its_discount_is_not_publishable(shown: str, ok: bool) -> None:
    faults = text_faults(shown, context_for_brief(_aura()), field="headline")
    assert (faults == []) is ok, faults


def test_no_phrasing_lists_the_code_beside_the_deal_that_holds_it() -> None:
    forms, _ = offer_forms("쿠폰 코드 AURA20 입력 시 20% 할인", "ko")
    assert forms and all("AURA20 ·" not in f for f in forms), forms


@pytest.mark.parametrize(
    "format_id",
    ["iab_mobile_leaderboard", "iab_banner", "iab_leaderboard", "iab_medium_rectangle"],
)
def test_the_writer_keeps_the_condition_with_the_discount(format_id: str) -> None:
    brief = _aura()
    ctx = context_for_brief(brief)
    specs = field_specs(load_template("classic"), default_registry()[format_id])
    for variant in range(6):
        copy: Any = BuiltinCopywriter().write(brief, specs, variant=variant, n_variants=6)
        fields = {k: str(v) for k, v in copy.fields.items() if v}
        for text in fields.values():
            if "20% 할인" in text:
                assert "AURA20 입력 시 20% 할인" in text, fields
        assert fields_faults(fields, ctx) == [], fields
