"""A financial service's ad names who provides it (Russia's law on advertising, art. 28; the EU
Consumer Credit Directive; the US Truth in Lending Act): a credit card's creative with no logo
and no brand name is not publishable, one with a brand name shows it, and a credit offer of
another product ("pay in 4 interest-free installments" for sneakers) is left off a creative
that cannot name the lender."""

from __future__ import annotations

from adcraft import generate
from adcraft.copywriting.claimcheck import brief_claim_warnings, context_for_brief
from adcraft.domain.brief import BrandKit, Brief
from adcraft.domain.creative import TEXT_KINDS
from adcraft.products import brief_from_record
from tests.conftest import PRODUCTS, PRODUCTS_FILE

FORMATS = "meta_feed_square,iab_leaderboard,iab_medium_rectangle"


def _card() -> Brief:
    return Brief(
        product_name="Platinum Cashback Card",
        category="finance",
        language="ru",
        description="Кредитная карта с кэшбэком до 10% в выбранных категориях.",
        offer="Оформите карту онлайн за 5 минут",
    )


def _texts(c: object) -> str:
    return " ".join(e.text or "" for e in getattr(c, "elements", ()) if e.kind in TEXT_KINDS)


def test_a_credit_card_that_names_no_provider_is_not_publishable() -> None:
    made = generate(_card(), formats=FORMATS, variants=2, workers=1)
    assert made.creatives and not any(c.publishable for c in made.creatives)
    for c in made.creatives:
        reasons = c.publishable_reasons
        assert any("does not name who provides" in r for r in reasons), reasons


def test_a_credit_card_with_a_brand_name_shows_it() -> None:
    brief = _card().model_copy(update={"brand": BrandKit(name="Т-Банк")})
    made = generate(brief, formats=FORMATS, variants=2, workers=1)
    for c in made.creatives:
        if c.publishable:
            assert "Т-Банк" in _texts(c), (c.format, _texts(c))
        else:
            assert any("does not name who provides" in r for r in c.publishable_reasons)
    assert sum(c.publishable for c in made.creatives) >= len(made.creatives) - 1
    # Beside small print already there, the name goes after it.
    square = [c for c in made.creatives if c.format == "meta_feed_square" and c.publishable]
    assert square and all("Т-Банк" in _texts(c) for c in square)


def test_a_lenderless_instalment_offer_is_left_off_another_products_ad() -> None:
    record = next(r for r in PRODUCTS if r["id"] == "runner-x")
    brief = brief_from_record(record, PRODUCTS_FILE.parent)
    made = generate(brief, formats=FORMATS, variants=2, workers=1)
    assert all(c.publishable for c in made.creatives)
    assert not any("interest-free" in _texts(c) for c in made.creatives)
    assert any("credit offer must name its lender" in w for c in made.creatives for w in c.warnings)


def test_the_set_warns_once_until_the_brand_kit_names_the_provider() -> None:
    def warned(brief: Brief) -> list[str]:
        return [w for w in brief_claim_warnings(brief, context_for_brief(brief)) if "finance" in w]

    (line,) = warned(_card())
    assert "not publishable" in line and "credit offer is left off" in line
    assert warned(_card().model_copy(update={"brand": BrandKit(name="Т-Банк")})) == []
