"""Triage: the gallery opens best first, filters by platform and variant, shows the top N, and
shows byte-identical images once, naming every format they serve."""

from __future__ import annotations

import io
import json
import re
import zipfile
from typing import Any

import httpx

from tests.web.harness import WebServer, generate_set, sign_in

FORMATS = ["meta_feed_square", "meta_carousel_square", "iab_medium_rectangle"]


def _generated_set(api: httpx.Client) -> tuple[str, list[dict[str, Any]]]:
    """A text-led set through the public API: 3 formats x 2 variants, waited for."""
    return generate_set(api, FORMATS, variants=2)


def _ranks(page: Any) -> list[int]:
    texts = page.locator("article.creative:not(.pending) .rank").all_inner_texts()
    return [int(t.split()[0].lstrip("#№")) for t in texts]


def test_ranked_view_filters_and_collapses_identical_images(
    page: Any, server: WebServer, api: httpx.Client
) -> None:
    task_id, items = _generated_set(api)
    assert len(items) == 6
    distinct = {c["image_sha256"] for c in items}
    # Feed square and carousel square are the same 1080x1080 picture in each variant.
    assert len(distinct) < len(items)

    sign_in(page, server.url, server.key)
    page.goto(f"{server.url}/#/task/{task_id}")
    title = page.locator("section.group[data-group='rank'] h3")
    title.filter(has_text=f"Best first: {len(distinct)} of {len(distinct)}").wait_for()
    ranks = _ranks(page)
    assert ranks == sorted(ranks) and ranks[0] == 1, "cards are not in rank order"
    page.get_by_text("Same image also serves:").first.wait_for()

    # Every image again, duplicates included.
    page.get_by_label("Show identical images once").uncheck()
    title.filter(has_text="Best first: 6 of 6").wait_for()
    assert _ranks(page) == [1, 2, 3, 4, 5, 6]

    # One platform only.
    iab = next(c["platform"] for c in items if c["format"] == "iab_medium_rectangle")
    page.get_by_label("Platform").select_option(iab)
    title.filter(has_text="Best first: 2 of 2").wait_for()
    formats = page.locator("article.creative:not(.pending)").evaluate_all(
        "els => els.map(e => e.dataset.format)"
    )
    assert formats == ["iab_medium_rectangle", "iab_medium_rectangle"]

    # One variant, top 1.
    page.get_by_label("Platform").select_option("")
    page.get_by_label("Variant", exact=True).select_option("2")
    page.get_by_label("Show", exact=True).select_option("6")
    title.filter(has_text="Best first: 3 of 3").wait_for()
    variants = page.locator("article.creative:not(.pending)").evaluate_all(
        "els => els.map(e => e.dataset.variant)"
    )
    assert variants == ["2", "2", "2"]

    # The view is remembered across a reload.
    page.reload()
    title.filter(has_text="Best first: 3 of 3").wait_for()


def test_zip_stores_identical_images_once_and_lists_every_format(api: httpx.Client) -> None:
    task_id, items = _generated_set(api)
    res = api.get(f"/tasks/{task_id}/download.zip")
    assert res.status_code == 200
    with zipfile.ZipFile(io.BytesIO(res.content)) as zf:
        names = zf.namelist()
        manifest = json.loads(zf.read("manifest.json"))
        readme = zf.read("README.txt").decode()
    images = [n for n in names if "/" in n and not n.startswith("sheets/")]
    # 6 creatives, but feed square and carousel square are one image per variant.
    assert len(manifest["creatives"]) == 6
    assert len(images) == len({c["image_sha256"] for c in items}) == 4
    by_file: dict[str, list[str]] = {}
    for c in manifest["creatives"]:
        by_file.setdefault(c["file"], []).append(c["format"])
    shared = [sorted(f) for f in by_file.values() if len(f) > 1]
    assert shared == [["meta_carousel_square", "meta_feed_square"]] * 2
    assert all(n.startswith(("meta/variant-", "iab/variant-")) for n in images)
    assert "manifest.json" in readme


# Score reasons without numbers, as the Russian UI says them (src/adcraft/web/i18n.js).
RU_REASONS = {
    "good_alignment": "хорошее выравнивание",
    "loose_alignment": "неровное выравнивание",
    "calm_background": "спокойный фон под текстом",
    "busy_background": "пёстрый фон под текстом",
    "balanced_composition": "уравновешенная композиция",
    "lopsided_composition": "композиция перекошена",
    "uses_free_space": "свободное место использовано",
    "covers_salient_area": "макет закрывает заметную часть товара",
    "light_on_text": "немного текста",
    "sharp_product": "чёткое фото товара",
    "soft_product": "нерезкое фото товара",
    "text_overflow": "текст не помещается в свой блок",
}


def test_score_reasons_in_the_users_language(
    page: Any, server: WebServer, api: httpx.Client
) -> None:
    """In Russian every score reason on a card is Russian, none is the server's English."""
    task_id, items = generate_set(api, ["meta_feed_square", "iab_medium_rectangle"])
    sign_in(page, server.url, server.key)
    page.locator("#lang").select_option("ru")
    page.goto(f"{server.url}/#/task/{task_id}")
    page.locator("article.creative:not(.pending)").first.wait_for()
    checked = 0
    for c in items:
        card = page.locator(f"article.creative[data-id='{c['id']}']")
        card.get_by_text("Почему такая оценка").click()
        shown = card.locator("ul.reasons.all li:not(.warn)")
        shown.first.wait_for()
        said = shown.all_inner_texts()
        assert len(said) == len(c["score_reasons"]) >= 1
        for text, r in zip(said, c["score_reasons"], strict=True):
            assert text != r["text"], f"shown in English: {text}"
            if r["code"] in RU_REASONS:
                points = f"+{r['points']:.0f}" if r["points"] >= 0 else f"−{abs(r['points']):.0f}"
                assert text == f"{RU_REASONS[r['code']]} ({points})"
                checked += 1
        # The two reasons on the card itself are the first two of the list, as translated.
        assert card.locator("ul.reasons:not(.all) li").all_inner_texts() == said[:2]
    assert checked >= 2


# A sale whose prices give 25 % off while the offer promises 30 %: nothing of it is publishable.
SALE_BRIEF = {
    "product_name": "Trail 3 Tent",
    "offer": "30% off all tents",
    "price": {"amount": 179, "currency": "EUR"},
    "regular_price": {"amount": 239, "currency": "EUR"},
    "language": "en",
}
HE_SALE_REASON = (
    'בריף: "30% off all tents" מבטיח יותר ממה שהמחירים נותנים: מ-239 ל-179 זו הנחה של 25%'
)
RU_SALE_REASON = (
    "бриф: «30% off all tents» обещает больше, чем дают цены: 239 → 179 — это скидка 25 %"
)


def test_not_publishable_reason_in_the_users_language(
    page: Any, server: WebServer, api: httpx.Client
) -> None:
    """In Russian a not-publishable card says why in Russian (the ad's own words kept as
    written), on the card's flag, under "Why this score" and in the creative's dialog."""
    task_id, items = generate_set(api, ["meta_feed_square", "iab_banner"], brief=SALE_BRIEF)
    assert items and all(c["publishable"] is False for c in items)
    for c in items:
        codes = [n["code"] for n in c["publishable_notes"]]
        assert codes == ["brief_percent_above_prices"], c["publishable_reasons"]
        assert c["publishable_notes"][0]["params"]["percent"] == 25
        assert all(n["blocks"] for n in c["publishable_notes"])  # they keep it from going out
        blocking = [n for n in c["warning_notes"] if n["blocks"]]
        assert [n["code"] for n in blocking] == ["brief_percent_above_prices"]
    with zipfile.ZipFile(io.BytesIO(api.get(f"/tasks/{task_id}/download.zip").content)) as z:
        manifest = json.loads(z.read("manifest.json"))
    assert {n["code"] for c in manifest["creatives"] for n in c["publishable_notes"]} == {
        "brief_percent_above_prices"
    }
    assert all(n["blocks"] for c in manifest["creatives"] for n in c["publishable_notes"])

    sign_in(page, server.url, server.key)
    page.locator("#lang").select_option("ru")
    page.goto(f"{server.url}/#/task/{task_id}")
    page.locator("article.creative:not(.pending)").first.wait_for()
    for c in items:
        card = page.locator(f"article.creative[data-id='{c['id']}']")
        flag = card.locator("li.flag").first
        flag.wait_for()
        assert flag.inner_text() == f"Нельзя публиковать: {RU_SALE_REASON}"
        card.get_by_text("Почему такая оценка").click()
        warned = card.locator("ul.reasons.all li.warn")
        warned.first.wait_for()
        assert f"нельзя публиковать: {RU_SALE_REASON}" in warned.all_inner_texts()
        assert "promises more" not in card.inner_text()

    first = page.locator(f"article.creative[data-id='{items[0]['id']}']")
    first.get_by_role("button", name="Открыть и изменить").click()
    dialog = page.locator("dialog.detail")
    dialog.locator("ul.reasons.all li.warn").first.wait_for()
    shown = dialog.locator("ul.reasons.all li.warn").all_inner_texts()
    assert f"нельзя публиковать: {RU_SALE_REASON}" in shown
    assert not any("promises more" in s for s in shown)

    # Hebrew, right to left: the same reason, each value isolated so the English claim and the
    # numbers keep their own order inside the Hebrew line.
    page.keyboard.press("Escape")
    page.locator("#lang").select_option("he")
    flag = page.locator(f"article.creative[data-id='{items[0]['id']}'] li.flag").first
    flag.filter(has_text="לא ניתן לפרסום").wait_for()
    said = re.sub("[\u2066-\u2069]", "", flag.inner_text())
    assert said == f"לא ניתן לפרסום: {HE_SALE_REASON}"
