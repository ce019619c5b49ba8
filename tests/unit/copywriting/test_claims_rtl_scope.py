"""A discount's scope in Arabic and Hebrew ("20% off summer stays"): read as part of the claim,
so a headline never shows the discount without what it applies to."""

from __future__ import annotations

import pytest

from adcraft.copywriting.claimcheck import context_for_brief, text_faults
from adcraft.copywriting.claims import parse_claims
from adcraft.domain.brief import Brief


@pytest.mark.parametrize(
    ("language", "text", "scope"),
    [
        ("ar", "خصم 20% على إقامات الصيف", "إقامات الصيف"),
        ("ar", "خصم 15% على الاشتراك الشهري حتى نهاية الشهر", "الاشتراك الشهري"),
        ("he", "הנחה 20% על חופשות קיץ", "חופשות קיץ"),
        ("he", "הנחה של 10% על המנוי השנתי", "המנוי השנתי"),
    ],
)
def test_the_scope_after_on_is_part_of_the_discount(language: str, text: str, scope: str) -> None:
    found = [c for c in parse_claims(text, language) if c.kind == "percent_off"]
    assert [c.scope for c in found] == [scope]
    assert scope in found[0].text


@pytest.mark.parametrize(
    ("language", "text"),
    [("ar", "خصم 20% على جميع المنتجات"), ("he", "הנחה 20% על כל המוצרים")],
)
def test_on_everything_is_no_restriction(language: str, text: str) -> None:
    found = [c for c in parse_claims(text, language) if c.kind == "percent_off"]
    assert len(found) == 1 and found[0].scope is None and found[0].text == text


@pytest.mark.parametrize(
    ("language", "offer", "shown"),
    [
        ("ar", "خصم 20% على إقامات الصيف", "STAYWELL HOTELS: خصم 20%"),
        ("he", "הנחה 20% על חופשות קיץ", "הנחה 20% • ביטול חינם"),
    ],
)
def test_a_headline_without_the_scope_is_not_publishable(
    language: str, offer: str, shown: str
) -> None:
    brief = Brief(product_name="Staywell Hotels", offer=offer, language=language)
    faults = text_faults(shown, context_for_brief(brief), field="headline")
    assert any("drops what it applies to" in f for f in faults), faults
