"""Platform text (Meta primary text, headline, description; Google's headlines and
descriptions) shows a deal whole or not at all: each field is read on its own, so each one that
shows a deal shows its deadline, promo code and, for a free trial, the price it leads into, or
says something else and a warning says so."""

from __future__ import annotations

from adcraft.copywriting.claimcheck import context_for_brief, deal_gaps
from adcraft.copywriting.offline import FieldSpec
from adcraft.copywriting.platform_deals import whole_platform_deals
from adcraft.domain.brief import Brief, Price

BARISTA = Brief(
    product_name="מכונת קפה Barista Pro",
    description="מכונת אספרסו עם מטחנה מובנית ומקציף חלב, לקפה של בית קפה בבית.",
    offer="20% הנחה עם הקוד BARISTA20",
    extra_offers=["עד יום ראשון בלבד"],
    price=Price(amount=1490, currency="ILS"),
    language="he",
)
LINGUA = Brief(
    product_name="Kurs językowy Lingua",
    description="Nauka języków w 15 minut dziennie, z lektorami i rozpoznawaniem mowy.",
    offer="30 dni za darmo",
    extra_offers=["Potem 39 zł/mies."],
    price=Price(amount=39, currency="PLN"),
    language="pl",
)
NOVA = Brief(
    product_name="Nova 12 智能手机",
    description="6.7英寸屏幕，2亿像素主摄，续航两天。",
    offer="立减500元 + 送手机壳",
    extra_offers=["活动截至周日"],
    price=Price(amount=3999, currency="CNY"),
    language="zh",
    script="Hans",
)
PRIMARY = FieldSpec("primary_text", "Meta primary text", 125)
HEADLINE = FieldSpec("headline", "Meta headline", 27)
DESCRIPTION = FieldSpec("description", "Meta description", 27)


def _whole(
    brief: Brief, fields: dict[str, str], *specs: FieldSpec
) -> tuple[dict[str, str], list[str]]:
    return whole_platform_deals(
        fields,
        specs,
        context_for_brief(brief),
        product_name=brief.product_name,
        format_id="meta_feed_square",
    )


def test_primary_text_gets_the_deadline_in_the_briefs_own_words() -> None:
    text = f"{BARISTA.description} 20% הנחה עם הקוד BARISTA20."
    out, notes = _whole(BARISTA, {"primary_text": text}, PRIMARY)
    assert out["primary_text"] == f"{text} עד יום ראשון בלבד."
    assert notes == []


def test_the_deadline_follows_its_deal_not_the_end_of_the_text() -> None:
    text = f"20% הנחה עם הקוד BARISTA20. {BARISTA.description}"
    out, _ = _whole(BARISTA, {"primary_text": text}, PRIMARY)
    assert (
        out["primary_text"]
        == f"20% הנחה עם הקוד BARISTA20. עד יום ראשון בלבד. {BARISTA.description}"
    )


def test_a_free_trial_gets_the_price_it_leads_into() -> None:
    text = f"{LINGUA.description} 30 dni za darmo."
    out, notes = _whole(LINGUA, {"primary_text": text}, PRIMARY)
    assert out["primary_text"] == f"{text} Potem 39 zł/mies."
    assert notes == []


def test_chinese_text_gets_the_deadline_without_spaces() -> None:
    text = "6.7英寸屏幕，2亿像素主摄，续航两天。立减500元。"
    out, _ = _whole(NOVA, {"primary_text": text}, PRIMARY)
    assert out["primary_text"] == f"{text}活动截至周日。"


def test_a_deal_that_cannot_be_whole_within_the_limit_is_left_out_with_a_warning() -> None:
    fields = {"headline": "20% הנחה עם הקוד BARISTA20", "description": "20% הנחה • הקוד BARISTA20."}
    out, notes = _whole(BARISTA, fields, HEADLINE, DESCRIPTION)
    # The headline names the product; the description says nothing rather than half a deal.
    assert out == {"headline": BARISTA.product_name, "description": ""}
    assert len(notes) == 2
    assert all('its deadline "עד יום ראשון"' in n for n in notes), notes
    assert notes[0].startswith("platform headline:") and "names the product" in notes[0]
    assert notes[1].startswith("platform description:") and notes[1].endswith("left out")


def test_other_sentences_give_way_before_the_deal_does() -> None:
    # Google's description: 90 characters, not enough for the description, the deal and
    # its deadline; the deal and its deadline fit alone.
    spec = FieldSpec("description", "Google description", 90, "width")
    text = f"{BARISTA.description} 20% הנחה עם הקוד BARISTA20."
    out, notes = _whole(BARISTA, {"description": text}, spec)
    assert out["description"] == "20% הנחה עם הקוד BARISTA20. עד יום ראשון בלבד."
    assert notes == []


def test_every_field_it_returns_is_whole_and_within_its_limit() -> None:
    ctx = context_for_brief(BARISTA)
    fields = {
        "primary_text": f"{BARISTA.description} 20% הנחה עם הקוד BARISTA20.",
        "headline": "20% הנחה עם הקוד BARISTA20",
        "description": "20% הנחה עם הקוד BARISTA20.",
    }
    out, _ = _whole(BARISTA, fields, PRIMARY, HEADLINE, DESCRIPTION)
    for spec in (PRIMARY, HEADLINE, DESCRIPTION):
        assert spec.fits(out[spec.name]), out
        assert deal_gaps({spec.name: out[spec.name]}, ctx) == [], out


def test_a_field_without_a_deal_or_with_a_whole_one_is_left_as_it_is() -> None:
    fields = {
        "primary_text": "20% הנחה עם הקוד BARISTA20. עד יום ראשון בלבד.",
        "headline": BARISTA.product_name,
    }
    assert _whole(BARISTA, fields, PRIMARY, HEADLINE) == (fields, [])


def test_the_marketers_own_words_are_flagged_not_rewritten() -> None:
    fields = {"description": "20% הנחה • הקוד BARISTA20."}
    out, notes = whole_platform_deals(
        fields,
        (DESCRIPTION,),
        context_for_brief(BARISTA),
        product_name=BARISTA.product_name,
        format_id="meta_feed_square",
        pinned=frozenset({"description"}),
    )
    assert out == fields
    assert len(notes) == 1 and 'its deadline "עד יום ראשון"' in notes[0], notes


PALARNIA = Brief(
    product_name="Kawa Palarnia",
    description="Świeżo palona arabika z Etiopii o nutach jagód i czekolady.",
    offer="-30% z kodem KAWA30 do niedzieli",
    price=Price(amount=59, currency="PLN"),
    language="pl",
)
LEHAR = Brief(
    product_name="नोवा 12 स्मार्टफ़ोन",
    description="5000 mAh बैटरी वाला स्मार्टफ़ोन।",
    offer="₹5,000 की छूट + कवर मुफ़्त",
    extra_offers=["ऑफ़र रविवार तक"],
    price=Price(amount=34999, currency="INR"),
    language="hi",
)
GOOGLE_DESCRIPTION = FieldSpec("description", "Google description", 90)


def test_the_brief_line_that_dates_a_deal_takes_its_place() -> None:
    """A Google description read "-30% z kodem KAWA30. -30% z kodem KAWA30 do niedzieli.": the
    brief's own line that says the deal with its deadline was added after the deal."""
    text = "Świeżo palona arabika. -30% z kodem KAWA30."
    out, _ = whole_platform_deals(
        {"description": text},
        [GOOGLE_DESCRIPTION],
        context_for_brief(PALARNIA),
        product_name=PALARNIA.product_name,
        format_id="google_rda_landscape",
    )
    assert out["description"].count("KAWA30") == 1, out
    assert "do niedzieli" in out["description"]
    assert not deal_gaps(out, context_for_brief(PALARNIA))


def test_a_hindi_deadline_follows_its_deal_not_the_last_sentence() -> None:
    """ "…कवर मुफ़्त। 5000 mAh बैटरी। रविवार तक।" read "battery. Until Sunday": the danda ends a
    sentence as a full stop does."""
    text = "₹5,000 की छूट + कवर मुफ़्त। 5000 mAh बैटरी।"
    out, _ = whole_platform_deals(
        {"description": text},
        [GOOGLE_DESCRIPTION],
        context_for_brief(LEHAR),
        product_name=LEHAR.product_name,
        format_id="google_rda_landscape",
    )
    said = out["description"]
    assert said.index("रविवार तक") < said.index("बैटरी"), said
