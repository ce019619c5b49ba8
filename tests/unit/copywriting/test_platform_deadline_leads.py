"""A Korean or Japanese deadline that is a bare adverbial phrase ("일요일까지", "日曜日まで")
leads the deal it completes in the platform text ("일요일까지 쿠폰 코드 AURA20 입력 시 20% 할인."),
not a stray fragment after it ("…20% 할인. 일요일까지."); a deadline the brief writes as a
sentence ("セールは日曜日まで") and every other language's deadline still follow the deal."""

from __future__ import annotations

from adcraft.copywriting.claimcheck import context_for_brief, deal_gaps
from adcraft.copywriting.offline import FieldSpec
from adcraft.copywriting.platform_deals import whole_platform_deals
from adcraft.domain.brief import Brief, Price

KO_AURA = Brief(
    product_name="오라 비타민C 세럼",
    description="순수 비타민C 15%로 칙칙한 피부 톤을 환하게 가꿔 줍니다.",
    selling_points=["비타민C 15%", "비건 인증"],
    offer="쿠폰 코드 AURA20 입력 시 20% 할인",
    extra_offers=["일요일까지"],
    price=Price(amount=39000, currency="KRW"),
    language="ko",
)
JA_RAMEN = Brief(
    product_name="濃厚とんこつラーメン 3食セット",
    description="18時間炊き出した豚骨スープと自家製の細麺。ご自宅で本格的な博多ラーメンを。",
    offer="2点目半額",
    extra_offers=["日曜日まで"],
    price=Price(amount=2980, currency="JPY"),
    language="ja",
)
JA_SALE_LINE = Brief(
    product_name="濃厚とんこつラーメン 3食セット",
    description="18時間炊き出した豚骨スープと自家製の細麺。ご自宅で本格的な博多ラーメンを。",
    offer="セールは日曜日まで",
    extra_offers=["2点目半額"],
    price=Price(amount=2980, currency="JPY"),
    language="ja",
)
PRIMARY = FieldSpec("primary_text", "Meta primary text", 125)
HEADLINE = FieldSpec("headline", "Meta headline", 40)
LONG_HEADLINE = FieldSpec("long_headline", "Google long headline", 90)
TIGHT = FieldSpec("description", "Meta description", 27)


def _whole(brief: Brief, fields: dict[str, str], *specs: FieldSpec) -> dict[str, str]:
    ctx = context_for_brief(brief)
    out, _ = whole_platform_deals(
        fields, specs, ctx, product_name=brief.product_name, format_id="meta_feed_square"
    )
    for spec in specs:
        text = out[spec.name]
        assert spec.fits(text), (spec.name, text)
        assert not deal_gaps({spec.name: text}, ctx), (spec.name, text)
    return out


def test_korean_deadline_leads_the_deals_sentence_in_primary_text() -> None:
    text = f"{KO_AURA.description} 쿠폰 코드 AURA20 입력 시 20% 할인. 비건 인증."
    out = _whole(KO_AURA, {"primary_text": text}, PRIMARY)
    assert out["primary_text"] == (
        f"{KO_AURA.description} 일요일까지 쿠폰 코드 AURA20 입력 시 20% 할인. 비건 인증."
    )


def test_korean_deadline_leads_the_deal_at_the_start_of_the_text() -> None:
    text = f"쿠폰 코드 AURA20 입력 시 20% 할인. {KO_AURA.description}"
    out = _whole(KO_AURA, {"primary_text": text}, PRIMARY)
    assert out["primary_text"] == (
        f"일요일까지 쿠폰 코드 AURA20 입력 시 20% 할인. {KO_AURA.description}"
    )


def test_korean_deadline_leads_the_deals_clause_after_the_name() -> None:
    text = "오라 비타민C 세럼: 쿠폰 코드 AURA20 입력 시 20% 할인."
    out = _whole(KO_AURA, {"long_headline": text}, LONG_HEADLINE)
    want = "오라 비타민C 세럼: 일요일까지 쿠폰 코드 AURA20 입력 시 20% 할인."
    assert out["long_headline"] == want


def test_korean_headline_leads_with_the_deadline_not_a_trailing_item() -> None:
    out = _whole(KO_AURA, {"headline": "쿠폰 코드 AURA20 입력 시 20% 할인"}, HEADLINE)
    assert out["headline"] == "일요일까지 쿠폰 코드 AURA20 입력 시 20% 할인"


def test_japanese_bare_deadline_leads_the_deal_with_a_comma() -> None:
    text = "ご自宅で本格的な博多ラーメンを。2点目半額。自家製細麺。"
    out = _whole(JA_RAMEN, {"primary_text": text}, PRIMARY)
    want = "ご自宅で本格的な博多ラーメンを。日曜日まで、2点目半額。自家製細麺。"
    assert out["primary_text"] == want


def test_japanese_deadline_written_as_a_sentence_still_follows_the_deal() -> None:
    text = "ご自宅で本格的な博多ラーメンを。2点目半額。"
    out = _whole(JA_SALE_LINE, {"primary_text": text}, PRIMARY)
    assert out["primary_text"] == "ご自宅で本格的な博多ラーメンを。2点目半額。セールは日曜日まで。"


def test_a_deal_that_only_fits_with_a_short_deadline_is_still_whole() -> None:
    # 27 characters: the deal and its leading deadline fit, as they did trailing.
    out = _whole(KO_AURA, {"description": "쿠폰 코드 AURA20 입력 시 20% 할인."}, TIGHT)
    assert out["description"] in ("", "일요일까지 쿠폰 코드 AURA20 입력 시 20% 할인.")
