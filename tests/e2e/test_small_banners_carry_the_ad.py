"""Small IAB banners carry a whole ad, through the public engine: every creative shows a
headline and a button, any deal it shows has its promo code and qualifier, and its deadline is
shown or said to be missing (or, where the brand kit requires deadlines, the deal gives way).
A creative that cannot be whole is marked not publishable with a plain-words warning: a wrong
ad is worse than no ad."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from adcraft import generate
from adcraft.compose import price_label
from adcraft.copywriting.claimcheck import (
    GAP_AFTER_TRIAL,
    GAP_CODE,
    GAP_DEADLINE,
    GAP_QUALIFIER,
    context_for_brief,
    deal_gaps,
)
from adcraft.copywriting.phrasing import name_forms
from adcraft.domain.brief import Brief, Price
from adcraft.domain.creative import TEXT_KINDS, Creative
from adcraft.products import brief_from_record
from tests.conftest import PRODUCTS, PRODUCTS_FILE

CORPUS = Path(__file__).resolve().parents[1] / "corpus" / "products.json"
CORPUS_RECORDS: list[dict[str, Any]] = json.loads(CORPUS.read_text("utf-8"))
SMALL = (
    "iab_mobile_leaderboard,iab_banner,iab_leaderboard,iab_large_mobile_banner,iab_medium_rectangle"
)
NOT_PUBLISHABLE = "not publishable: "


def _brief(product_id: str) -> Brief:
    for records, base in ((PRODUCTS, PRODUCTS_FILE.parent), (CORPUS_RECORDS, CORPUS.parent)):
        for r in records:
            if r["id"] == product_id:
                return brief_from_record(r, base)
    raise LookupError(product_id)


def _shown(c: Creative) -> dict[str, str]:
    return {e.kind: e.text or "" for e in c.elements if e.kind in TEXT_KINDS and e.text}


def _problems(c: Creative, brief: Brief) -> list[str]:
    """What is wrong with a creative that goes out as publishable (nothing for one that is
    marked not publishable with its warning)."""
    label = f"{c.format} v{c.variant} {_shown(c)}"
    if not c.publishable:
        plain = [w for w in c.warnings if w.startswith(NOT_PUBLISHABLE)]
        return [] if plain else [f"{label}: not publishable without a warning"]
    shown = _shown(c)
    out: list[str] = []
    if not shown.get("headline", "").strip():
        out.append(f"{label}: no headline")
    if not shown.get("cta", "").strip():
        out.append(f"{label}: no call to action")
    for gap in deal_gaps(shown, context_for_brief(brief)):
        if {GAP_CODE, GAP_QUALIFIER, GAP_AFTER_TRIAL} & set(gap.missing):
            out.append(f"{label}: half deal: {gap.describe()}")
        if GAP_DEADLINE in gap.missing and not any(w.startswith("deadline:") for w in c.warnings):
            out.append(f"{label}: deadline dropped silently: {gap.describe()}")
    return out


@pytest.mark.parametrize(
    "product_id",
    # en-nova-console, es-barista: the deadline is an offer line of its own ("Cyber Week
    # only"); zh-hans-aura, es-fitzona: so is the promo code ("输入优惠码 AURA50"); pl-lingua,
    # de-lingua: a free trial needs the price it leads into ("Potem 39 zł/mies.").
    [
        "tent-trail3",
        "cashback-card",
        "fr-terroir",
        "tr-mavi-koy",
        "pl-palarnia",
        "en-nova-console",
        "es-barista",
        "zh-hans-aura",
        "es-fitzona",
        "pl-lingua",
        "de-lingua",
    ],
)
def test_every_small_banner_is_a_whole_ad_or_says_why_not(product_id: str) -> None:
    brief = _brief(product_id)
    made = generate(brief, formats=SMALL, variants=3, workers=1, seed=0)
    assert made.creatives
    problems = [p for c in made.creatives for p in _problems(c, brief)]
    assert problems == []


@pytest.mark.parametrize("product_id", ["tent-trail3", "en-nova-console", "es-barista"])
def test_a_brand_kit_that_requires_deadlines_shows_no_deal_undated(product_id: str) -> None:
    # With the brand kit's deadline_required a deal without its deadline is a half deal: each
    # of these briefs shows one undated on some banner with the switch off (warned only).
    brief = _brief(product_id)
    brief = brief.model_copy(
        update={"brand": brief.brand.model_copy(update={"deadline_required": True})}
    )
    made = generate(brief, formats=SMALL, variants=3, workers=1, seed=0)
    ctx = context_for_brief(brief)
    undated = [
        (c.format, c.variant, _shown(c))
        for c in made.creatives
        if c.publishable and any(GAP_DEADLINE in g.missing for g in deal_gaps(_shown(c), ctx))
    ]
    assert undated == []
    named = [
        c
        for c in made.creatives
        if any("deadline" in w and "names the product instead" in w for w in c.warnings)
    ]
    assert named, "no deal gave way to the name: the test would check nothing"
    assert all(c.publishable for c in named), [(_shown(c), c.warnings) for c in named]
    assert [p for c in made.creatives for p in _problems(c, brief)] == []


def test_the_weekend_deal_keeps_its_deadline_in_small_print_on_banners() -> None:
    brief = _brief("tent-trail3")
    made = generate(brief, formats="iab_banner,iab_leaderboard", variants=3, workers=1, seed=0)
    dated = [c for c in made.creatives if "weekend only" in _shown(c).get("disclaimer", "").lower()]
    assert dated, [_shown(c) for c in made.creatives]
    for c in dated:
        assert c.publishable and _shown(c).get("headline") and _shown(c).get("cta")


def test_a_deal_with_its_code_on_a_line_of_its_own_is_shown_with_the_code() -> None:
    """ "满299减50" needs "输入优惠码 AURA50", written on the next offer line: where no terms
    line fits, the banner shows the deal and its code as one phrase rather than no deal."""
    made = generate(_brief("zh-hans-aura"), formats=SMALL, variants=3, workers=1, seed=0)
    deals = [_shown(c) for c in made.creatives if "满299减50" in " ".join(_shown(c).values())]
    assert deals, [_shown(c) for c in made.creatives]
    assert all("AURA50" in " ".join(shown.values()) for shown in deals), deals


def test_a_headline_that_fits_nowhere_is_not_publishable_never_an_empty_banner() -> None:
    # Neither the written headline nor the product name fits a 320x50: the engine shipped
    # banners with a button and no word of what it sells (or with nothing at all) as
    # publishable. Now each says, in plain words, why it may not go out.
    brief = Brief(
        product_name="Kreditkartenversicherungsschutzpaket",
        offer="Первый месяц бесплатно при подключении до 31 мая",
        language="ru",
        category="finance",
    )
    made = generate(brief, formats="iab_mobile_leaderboard", variants=3, workers=1, seed=0)
    assert made.creatives
    for c in made.creatives:
        if not _shown(c).get("headline"):
            assert not c.publishable, _shown(c)
            assert any(
                w.startswith(NOT_PUBLISHABLE) and "no headline fits iab_mobile_leaderboard" in w
                for w in c.warnings
            ), c.warnings
    assert [p for c in made.creatives for p in _problems(c, brief)] == []


def test_a_deal_that_cannot_fit_a_mobile_banner_whole_is_never_shipped_half() -> None:
    # "Sparen Sie 25 % auf alle Mützen" fits a 320x50, its code and deadline do not, and the
    # product name is too long to replace it even where the price gives way: the banner is
    # marked not publishable and says so.
    brief = Brief(
        product_name="Donaudampfschifffahrtsgesellschaftskapitänsmützenaufbewahrungsbox Original",
        offer="Mit Code KAPITAEN25 sparen Sie 25 % auf alle Mützen bis 31.12.",
        language="de",
        price=Price(amount=49.9, currency="EUR"),
    )
    made = generate(brief, formats="iab_mobile_leaderboard", variants=3, workers=1, seed=0)
    ctx = context_for_brief(brief)
    half = [
        c for c in made.creatives if any(GAP_CODE in g.missing for g in deal_gaps(_shown(c), ctx))
    ]
    assert half, "the brief is meant to leave a half deal on a 320x50"
    for c in half:
        assert not c.publishable
        assert any(
            w.startswith(NOT_PUBLISHABLE) and "cannot be shown whole on iab_mobile_leaderboard" in w
            for w in c.warnings
        ), c.warnings
    assert [p for c in made.creatives for p in _problems(c, brief)] == []


@pytest.mark.parametrize("product_id", ["ja-lumina", "ar-mawja"])
def test_a_banner_names_what_it_sells(product_id: str) -> None:
    """A display banner is the whole ad: "送料無料 · ¥3,980 · 今すぐ購入" with no name sells
    nothing in particular. Every publishable banner shows the product's name (or a short form
    of it); one that cannot is marked not publishable."""
    brief = _brief(product_id)
    made = generate(brief, formats=SMALL, variants=3, workers=1)
    forms = [f.casefold() for f in name_forms(brief.product_name, brief.language)]
    for c in made.creatives:
        text = " ".join(_shown(c).values()).casefold()
        if c.publishable:
            assert any(f in text for f in forms), (c.format, c.variant, _shown(c))
        else:
            assert any("product name" in w for w in c.warnings), c.warnings


@pytest.mark.parametrize("product_id", ["de-roestwerk", "pl-wiatr"])
def test_the_price_gives_way_to_the_name_on_a_mobile_banner(product_id: str) -> None:
    # In capitals the name did not fit a 320x50 beside the price and the button: the banner
    # showed "FRISCH GERÖSTET · 14,90 € · BESTELLEN" and was not publishable. A banner without
    # a price is still an ad; the price gives way and the banner says so.
    brief = _brief(product_id)
    made = generate(brief, formats="iab_mobile_leaderboard", variants=2, workers=1, seed=0)
    assert all(c.publishable for c in made.creatives), [_shown(c) for c in made.creatives]
    gave_way = [c for c in made.creatives if "price" not in _shown(c)]
    assert gave_way, "every banner kept its price: the test would check nothing"
    for c in gave_way:
        assert any(w.startswith("price: left out on iab_mobile_leaderboard") for w in c.warnings)


@pytest.mark.parametrize(("product_id", "then"), [("pl-lingua", "potem"), ("de-lingua", "danach")])
def test_the_price_after_a_trial_goes_with_the_trial(product_id: str, then: str) -> None:
    # Where a banner's headline names the product instead of the trial, "Danach 9,99 €/Monat"
    # was left under it: a "then" that follows nothing.
    brief = _brief(product_id)
    made = generate(brief, formats=SMALL, variants=2, workers=1, seed=0)
    for c in made.creatives:
        shown = _shown(c)
        for field in ("disclaimer", "price"):  # the small print, or the pill that says "then"
            if shown.get(field, "").casefold().startswith(then):
                others = " ".join(t for k, t in shown.items() if k != field).casefold()
                assert any(w in others for w in ("za darmo", "kostenlos")), (c.format, shown)


@pytest.mark.parametrize("product_id", ["pl-lingua", "de-lingua"])
def test_the_price_is_shown_once(product_id: str) -> None:
    """A 300x250 showed "39 zł/mies." in its price pill and "Potem 39 zł/mies." under the
    button: the price is said once, by the pill or by the small print."""
    brief = _brief(product_id)
    made = generate(brief, formats=SMALL, variants=2, workers=1, seed=0)
    price = " ".join((price_label(brief) or "").split())
    assert any(price in " ".join(_shown(c).get("price", "").split()) for c in made.creatives)
    twice = [
        (c.format, c.variant, _shown(c))
        for c in made.creatives
        if sum(price in " ".join(t.split()) for t in _shown(c).values()) > 1
    ]
    assert twice == []


@pytest.mark.parametrize(
    ("product_id", "trial", "then"),
    [("pl-lingua", "za darmo", "potem"), ("de-lingua", "kostenlos", "danach")],
)
def test_a_price_pill_beside_a_free_trial_says_then(product_id: str, trial: str, then: str) -> None:
    """A banner read "Kurs językowy Lingua: 30 dni za darmo" beside the pill "39 zł/mies.":
    the price reads as the price of the trial. Where the brief says "Potem 39 zł/mies." (or
    gives a monthly price), a pill beside the trial says "then" too; where it has no room for
    the word, the price goes to the small print, or the trial gives way to the name."""
    brief = _brief(product_id)
    made = generate(brief, formats=f"{SMALL},google_rda_landscape", variants=2, workers=1)
    beside = []
    for c in made.creatives:
        shown = _shown(c)
        others = " ".join(t for k, t in shown.items() if k != "price").casefold()
        if trial in others and "price" in shown:
            beside.append((c.format, c.variant, shown["price"]))
            assert shown["price"].casefold().startswith(then), (c.format, c.variant, shown)
    assert beside, "no creative shows the trial beside the pill: the test would check nothing"


def test_the_name_is_never_set_before_its_own_words() -> None:
    """A 728x90 read "BLUEJET FLIGHTS TO LISBON: FLIGHTS TO LISBON FROM £49": where the name
    run into the headline ("BlueJet Flights to Lisbon from £49") squeezed the button, the name
    was set before the headline's words it already says."""
    made = generate(_brief("en-bluejet"), formats=SMALL, variants=2, workers=1, seed=0)
    headlines = [_shown(c).get("headline", "").casefold() for c in made.creatives]
    assert any("bluejet flights to lisbon from £49" in t for t in headlines)
    assert [t for t in headlines if t.count("flights to lisbon") > 1] == []


@pytest.mark.parametrize("product_id", ["de-velora-ebike", "tr-dalga", "pt-aura-serum", "ko-aura"])
def test_a_feed_image_says_what_it_sells(product_id: str) -> None:
    """A reviewer scrolling a feed sees "Ab 12,50 €/Monat" and nothing of what is sold: a Meta
    image names the product (before its headline or body) or says that it could not."""
    brief = _brief(product_id)
    made = generate(brief, formats="meta_feed_square,meta_stories", variants=2, workers=1, seed=0)
    names = [n.casefold() for n in name_forms(brief.product_name, brief.language)]
    unnamed = [
        (c.format, c.variant, _shown(c))
        for c in made.creatives
        if not any(n in " ".join(_shown(c).values()).casefold() for n in names)
        and not any("does not fit the image" in w for w in c.warnings)
    ]
    assert made.creatives and unnamed == []


def test_a_turkish_price_line_is_shown_once() -> None:
    """The headline said "…başlayan fiyatlar" (as the phrase stands alone) while the pill still
    said the brief's "…başlayan fiyatlarla": no longer the same words, so both were drawn."""
    formats = "meta_feed_square,google_rda_landscape,iab_medium_rectangle"
    made = generate(_brief("tr-dalga"), formats=formats, variants=2, workers=1, seed=0)
    texts = [" ".join(_shown(c).values()) for c in made.creatives]
    assert any("149,90" in t for t in texts)
    assert [t for t in texts if t.count("149,90") > 1 or "fiyatlarla" in t] == []


def test_the_name_is_not_set_before_a_text_that_opens_with_it() -> None:
    """A story read "Unlimited 5G Plan: unlimited 5G, no contract."."""
    made = generate(_brief("mobile-plan"), formats="meta_stories,meta_feed_square", variants=2)
    texts = [" ".join(_shown(c).values()).casefold() for c in made.creatives]
    assert texts and not [t for t in texts if "plan: unlimited 5g" in t]


def test_a_from_price_is_never_shown_without_what_it_is_for() -> None:
    """ "Flights to Lisbon from £49" was shown as "FROM £49 · DIRECT FLIGHTS DAILY": the price
    of one route as the price of any flight. Every banner that shows £49 says what it is for,
    in the same line or in the headline over the pill."""
    brief = _brief("en-bluejet")
    made = generate(brief, formats=SMALL, variants=3, workers=1, seed=0)
    priced = [_shown(c) for c in made.creatives if "£49" in " ".join(_shown(c).values())]
    assert priced
    for shown in priced:
        said = " ".join(shown.values()).casefold()
        # Or the pill "From £49" under the headline that names the route.
        leans = shown.get("price", "").casefold() == "from £49" and "flights to lisbon" in (
            shown.get("headline", "").casefold()
        )
        assert "flights to lisbon from £49" in said or leans, shown
    assert [p for c in made.creatives for p in _problems(c, brief)] == []


@pytest.mark.parametrize(
    ("product_id", "ctas"),
    [
        ("de-velora-ebike", {"jetzt abonnieren", "abonnieren"}),
        ("pl-volta", {"zamów abonament", "subskrybuj"}),
        ("ru-volna", {"подключить"}),
    ],
)
def test_the_button_fits_what_is_sold(product_id: str, ctas: set[str]) -> None:
    """An e-bike subscription is subscribed to ("Jetzt buchen" read as a one-off ride) and a
    home internet line is connected ("Попробовать" read as a trial)."""
    made = generate(_brief(product_id), formats=SMALL, variants=3, workers=1, seed=0)
    shown = [_shown(c).get("cta", "").casefold() for c in made.creatives]
    assert shown and all(cta in ctas for cta in shown), shown


def test_no_element_ends_on_a_participle_cut_from_its_noun() -> None:
    """The Turkish price pill showed "Aylık 149,90 TL'den başlayan", cut from "…başlayan
    fiyatlarla": a participle left without the noun it qualifies."""
    made = generate(_brief("tr-dalga"), formats=SMALL, variants=3, workers=1, seed=0)
    texts = [e.text for c in made.creatives for e in c.elements if e.text]
    assert texts
    assert not [t for t in texts if t.rstrip(" .").casefold().endswith("başlayan")]


def test_the_code_condition_stays_with_its_discount() -> None:
    """ "쿠폰 코드 AURA20 입력 시 20% 할인" was shown as "쿠폰 코드 AURA20 · 20% 할인": the
    condition "입력 시" (when entered) dropped, the code and the discount two unrelated lines."""
    brief = _brief("ko-aura")
    made = generate(brief, formats=SMALL, variants=3, workers=1, seed=0)
    deals = [t for c in made.creatives for t in _shown(c).values() if "20% 할인" in t]
    assert deals
    assert all("AURA20 입력 시 20% 할인" in t for t in deals), deals
    assert [p for c in made.creatives for p in _problems(c, brief)] == []


def test_a_name_with_a_colon_is_not_joined_by_another() -> None:
    """ "SkyFly: رحلات إلى دبي" before a headline is joined by a dash, never a second colon
    ("SkyFly: رحلات إلى دبي: رحلات مباشرة يومية" reads as three labels)."""
    brief = _brief("ar-skyfly")
    made = generate(brief, formats=SMALL, variants=3, workers=1)
    lines = [t for c in made.creatives for t in _shown(c).values() if t.startswith("SkyFly")]
    assert lines
    assert [t for t in lines if t.count(":") + t.count("：") > 1] == []


def test_a_banner_never_says_the_name_and_then_part_of_it_again() -> None:
    """mobile-plan's 300x250 read "Unlimited 5G Plan: unlimited 5G": a headline the name
    already says got the name put before it. The name alone replaces it."""
    brief = _brief("mobile-plan")
    made = generate(brief, formats=SMALL, variants=3, workers=1, seed=0)
    texts = [t.casefold() for c in made.creatives for t in _shown(c).values()]
    assert texts
    assert not [t for t in texts if "unlimited 5g plan: unlimited 5g" in t]
    assert any(t == "unlimited 5g plan" for t in texts)


def test_a_deadline_that_dates_both_deals_is_not_said_to_be_missing() -> None:
    # "截至周日" in small print dates "立减500元 + 送手机壳" whole: the banner said "送手机壳"
    # was shown without it.
    brief = _brief("zh-hans-nova")
    ctx = context_for_brief(brief)
    made = generate(brief, formats="iab_banner,iab_medium_rectangle", variants=2, workers=1, seed=0)
    dated = [c for c in made.creatives if "截至周日" in _shown(c).get("disclaimer", "")]
    assert dated, "no banner dates the deal: the test would check nothing"
    for c in made.creatives:
        undated = any(GAP_DEADLINE in g.missing for g in deal_gaps(_shown(c), ctx))
        warned = [w for w in c.warnings if w.startswith("deadline:")]
        assert undated or not warned, (c.format, c.variant, _shown(c), warned)


@pytest.mark.parametrize(
    ("product_id", "scope"),
    [("en-bluejet", "flights to lisbon"), ("ar-skyfly", "رحلات إلى دبي")],
)
def test_a_price_pill_does_not_repeat_the_route_its_headline_names(
    product_id: str, scope: str
) -> None:
    """ "BLUEJET FLIGHTS TO LISBON" over the pill "Flights to Lisbon from £49" said the route
    twice: under a headline that names it, the pill says the price ("From £49")."""
    brief = _brief(product_id)
    made = generate(brief, formats=f"{SMALL},google_rda_landscape", variants=2, workers=1)
    under = [c for c in made.creatives if "price" in _shown(c)]
    assert under, "no creative shows the pill: the test would check nothing"
    for c in under:
        shown = _shown(c)
        if scope in shown.get("headline", "").casefold():
            assert scope not in shown["price"].casefold(), (c.format, c.variant, shown)
        assert c.publishable, (c.format, c.variant, c.warnings)


def test_a_name_in_another_script_gives_way_to_its_latin_brand_before_the_deal() -> None:
    """he-barista's 300x250 showed "מכונת קפה Barista Pro" alone, the deal left out: the full
    name left no room for it. The brand alone names the product before the deal there."""
    made = generate(_brief("he-barista"), formats="iab_medium_rectangle", variants=2, workers=1)
    headlines = [_shown(c).get("headline", "") for c in made.creatives]
    assert any(h.startswith("Barista Pro") and "BARISTA20" in h for h in headlines), headlines


def test_a_price_without_a_period_is_not_shown_beside_a_free_trial() -> None:
    """ "免費試用14天" beside the pill "NT$390": the brief gives the price no period and says
    nothing of what the trial leads into, so beside the trial the price reads as the trial's.
    Those creatives leave the price out and say so; the others keep it."""
    made = generate(_brief("zh-hant-lingua"), formats=f"{SMALL},meta_feed_square", variants=2)
    trial = [c for c in made.creatives if "免費試用" in " ".join(_shown(c).values())]
    others = [c for c in made.creatives if c not in trial]
    assert trial and others, "the test would check nothing"
    for c in trial:
        assert "price" not in _shown(c), (c.format, c.variant, _shown(c))
    said = "price: left out beside the free trial"
    assert any(w.startswith(said) for c in trial for w in c.warnings)
    assert any("price" in _shown(c) for c in others)


@pytest.mark.parametrize(
    ("product_id", "stay"), [("tr-mavi-koy", "3 gece"), ("ar-khaleej", "3 ليال")]
)
def test_a_price_without_a_period_is_not_shown_beside_a_stay(product_id: str, stay: str) -> None:
    """ "3 gece kal, 2 gece öde" beside the pill "₺4.500": the brief gives the price no period,
    so beside a stay counted in nights it may read as the price of the whole stay. Those
    creatives leave the price out and say so."""
    made = generate(_brief(product_id), formats=f"{SMALL},meta_feed_square", variants=2)
    shown = [_shown(c) for c in made.creatives]
    staying = [s for s in shown if stay in " ".join(s.values())]
    assert staying, "the test would check nothing"
    assert [s for s in staying if "price" in s] == []
    said = "price: left out beside the stay"
    assert any(w.startswith(said) for c in made.creatives for w in c.warnings)


@pytest.mark.parametrize("product_id", ["tr-mavi-koy", "ar-khaleej"])
def test_stars_the_brief_does_not_tie_to_a_rating_are_not_shown(product_id: str) -> None:
    """ "Özel plaj, kahvaltı dahil ★★★★" read, beside a hotel, as its star class; "إفطار مجاني ★"
    as a rating. Stars that close a selling point are left out; "★ 4.8 from 12,000 runners",
    a rating with its number, stays (en-runner)."""
    made = generate(_brief(product_id), formats="meta_feed_square,google_rda_landscape", variants=2)
    texts = [
        " ".join(_shown(c).values()) + " ".join(c.platform_text.values()) for c in made.creatives
    ]
    assert [t for t in texts if "★" in t] == []
    runner = generate(_brief("en-runner"), formats="meta_feed_square", variants=2)
    assert any("★ 4.8" in " ".join(c.platform_text.values()) for c in runner.creatives)
