"""Bulk-upload sheets carry only what may go live, every text whole and as text."""

from __future__ import annotations

import csv
import io
from typing import Any

from adcraft.bulk_sheets import GOOGLE_COLUMNS, META_COLUMNS, build_sheets


def _rows(data: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))


def _creative(platform: str, fmt: str, w: int, h: int, **kw: Any) -> dict[str, Any]:
    c: dict[str, Any] = {
        "platform": platform,
        "format": fmt,
        "variant": 1,
        "width": w,
        "height": h,
        "url": f"{fmt}.jpg",
        "copy": {"headline": "Trail tent", "cta": "Shop now"},
        "platform_text": {},
        "publishable": True,
    }
    c.update(kw)
    return c


def test_only_publishable_unrejected_creatives_are_listed() -> None:
    product = {
        "product_id": "tent",
        "link": "https://shop.example/tent",
        "creatives": [
            _creative("Meta", "meta_feed_square", 1080, 1080),
            _creative("Meta", "meta_story", 1080, 1920, publishable=False),
            _creative("Meta", "meta_feed_landscape", 1200, 628, review_state="rejected"),
            _creative("Google", "google_rda_square", 1200, 1200, publishable=False),
        ],
    }
    sheets = build_sheets([product], "Spring")
    meta = _rows(sheets.meta)
    assert tuple(meta[0]) == META_COLUMNS
    assert [r["Image URL"] for r in meta] == ["meta_feed_square.jpg"]
    assert _rows(sheets.google) == []  # its only Google creative is not publishable


def test_google_texts_are_never_cut_and_cjk_counts_double() -> None:
    long = "Ultralight two-person trail tent"  # 32 characters: over the 30 of Headline 1
    product = {
        "product_id": "tent",
        "link": "",
        "creatives": [
            _creative(
                "Google",
                "google_demand_gen_square",
                1200,
                1200,
                platform_text={"headline": long, "description": "Pitches in two minutes."},
            ),
            _creative(
                "Google",
                "google_rda_landscape",
                1200,
                628,
                platform_text={"headline": "Two-person trail tent"},
            ),
        ],
    }
    row = _rows(build_sheets([product], "Spring").google)[0]
    assert tuple(row) == GOOGLE_COLUMNS
    assert row["Headline 1"] == "Two-person trail tent"  # the next creative's, whole
    assert row["Long headline"] == long
    assert row["Square images"] == "google_demand_gen_square.jpg"
    assert row["Images"] == "google_rda_landscape.jpg"

    # 16 wide characters are 32 by Google's count: no headline fits, the cell stays empty.
    cjk = {"headline": "超轻双人徒步帐篷两分钟即可搭好全新"}
    only = {**product, "creatives": [_creative("Google", "g", 1200, 1200, platform_text=cjk)]}
    sheets = build_sheets([only], "Spring")
    row = _rows(sheets.google)[0]
    assert row["Headline 1"] == ""
    assert any("headline 1" in gap and "30" in gap for gap in sheets.gaps)


def test_meta_button_follows_the_creatives_call_to_action() -> None:
    creatives = [
        _creative("Meta", "a", 1080, 1080, copy={"headline": "x", "cta": "ЗАБРОНИРОВАТЬ"}),
        _creative("Meta", "b", 1080, 1080, copy={"headline": "x", "cta": "Jetzt bestellen"}),
        _creative("Meta", "c", 1080, 1080, copy={"headline": "x", "cta": "Visit the shop"}),
        _creative("Meta", "d", 1080, 1080, copy={"headline": "x", "cta": "Jetzt abonnieren"}),
    ]
    meta = _rows(build_sheets([{"product_id": "p", "creatives": creatives}], "S").meta)
    assert [r["Call to Action"] for r in meta] == [
        "BOOK_TRAVEL",
        "ORDER_NOW",
        "LEARN_MORE",
        "SUBSCRIBE",
    ]


def test_copy_that_looks_like_a_formula_stays_text() -> None:
    c = _creative("Meta", "a", 1080, 1080, copy={"headline": '=HYPERLINK("http://x","Win")'})
    meta = _rows(build_sheets([{"product_id": "=1+1", "creatives": [c]}], "@camp").meta)
    assert meta[0]["Title"].startswith("'=")
    assert meta[0]["Campaign Name"] == "'@camp"
    assert meta[0]["Ad Name"].startswith("'=1+1")
