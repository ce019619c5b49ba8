"""A price the brief only gives as "from" or per period ("Aylık 149,90 TL'den", "od 49,99
zł/mies.", "החל מ-59.90 ₪ לחודש") is never shown bare: "149,90 TL" alone, or "Rower
elektryczny: 49,99 zł", reads as what the product costs, a misleading price claim."""

from __future__ import annotations

import pytest
import regex

from adcraft import generate
from adcraft.copywriting.claimcheck import context_for_brief, text_faults
from adcraft.domain.brief import Brief, Price

DALGA = Brief(
    product_name="Dalga Ev İnterneti",
    description="Fiber altyapıyla 1000 Mbps'ye varan hız ve taahhütsüz kullanım.",
    selling_points=("1000 Mbps'ye varan hız", "Taahhüt yok", "Ücretsiz modem"),
    offer="Aylık 149,90 TL'den başlayan fiyatlarla",
    extra_offers=("İlk ay ücretsiz",),
    price=Price(amount=149.9, currency="TRY"),
    language="tr",
)
VOLTA = Brief(
    product_name="Rower elektryczny Volta",
    description="Rower elektryczny w abonamencie z serwisem i ubezpieczeniem. Bez zobowiązań.",
    selling_points=("Ubezpieczenie w cenie", "Zasięg 80 km", "Bez zobowiązań"),
    offer="Już od 49,99 zł/mies.",
    extra_offers=("15% zniżki na wynajem miesięczny",),
    price=Price(amount=49.99, currency="PLN"),
    language="pl",
)
GAL = Brief(
    product_name="אינטרנט ביתי גל",
    description="סיבים אופטיים עד הבית במהירות של עד 1000 מגה, בלי התחייבות.",
    selling_points=("עד 1000 מגה", "ללא התחייבות"),
    offer="החל מ-59.90 ₪ לחודש",
    extra_offers=("חודש ראשון חינם",),
    price=Price(amount=59.9, currency="ILS"),
    language="he",
)
# The same amount, given as what the product costs: shown alone, it is the price.
MUG = Brief(
    product_name="Trail Mug",
    description="Enamel camping mug, 350 ml.",
    offer="Free shipping this week",
    price=Price(amount=19.9, currency="EUR"),
    language="en",
)


@pytest.mark.parametrize(
    ("brief", "bare", "whole"),
    [
        (DALGA, "Dalga Ev İnterneti: 149,90 TL", "Aylık 149,90 TL'den başlayan fiyatlarla"),
        (VOLTA, "Rower elektryczny: 49,99 zł", "Już od 49,99 zł/mies."),
        (GAL, "אינטרנט ביתי גל: 59.90 ₪", "החל מ-59.90 ₪ לחודש"),
    ],
)
def test_the_bare_price_is_a_fault_and_the_whole_claim_is_not(
    brief: Brief, bare: str, whole: str
) -> None:
    ctx = context_for_brief(brief)
    faults = text_faults(bare, ctx)
    assert len(faults) == 1 and "shown without its claim" in faults[0], faults
    assert text_faults(whole, ctx) == []


def test_a_plain_price_may_still_be_shown_alone() -> None:
    assert text_faults("Trail Mug: 19,90 €", context_for_brief(MUG)) == []


@pytest.mark.parametrize(
    ("brief", "claim"),
    [(DALGA, "Aylık 149,90 TL'den"), (VOLTA, "od 49,99 zł/mies."), (GAL, "החל מ-59.90 ₪ לחודש")],
    ids=["tr", "pl", "he"],
)
def test_no_creative_shows_the_price_without_its_from_or_period(brief: Brief, claim: str) -> None:
    assert brief.price is not None
    number = f"{brief.price.amount:.2f}"
    bare = regex.compile(rf"{regex.escape(number)}|{regex.escape(number.replace('.', ','))}")
    made = generate(
        brief,
        formats="meta_feed_square,iab_leaderboard,iab_mobile_leaderboard,iab_wide_skyscraper",
        variants=2,
        workers=1,
    )
    for c in made.creatives:
        for name, text in [*c.copy_fields.items(), *c.platform_text.items()]:
            if bare.search(text):
                assert claim.casefold() in text.casefold(), (c.format, name, text)
        assert c.publishable, (c.format, c.publishable_reasons)
