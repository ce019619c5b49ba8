"""Bulk-upload sheets for Meta Ads Manager and Google Ads Editor, from a set's manifest.

Used by a catalogue run's export and by a set's ZIP download, so both write the same columns
the same way. What goes in is what a media buyer may upload without a second look:

- only creatives that passed the publishability check and were not rejected by a reviewer;
- every text whole: a field longer than the platform's hard limit is never cut — the next
  creative's version of it that fits is used, else the cell is left empty and the gap is
  reported (the importer then names the missing field; a cut word would go live);
- every cell spreadsheet-safe (copy from feeds may start with ``=``);
- Meta's call-to-action button from the creative's own call to action, not a fixed one.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from adcraft.copywriting.limits import display_width
from adcraft.copywriting.locale import Intent, intent_of_cta
from adcraft.spreadsheet import spreadsheet_safe

META_COLUMNS = (
    "Campaign Name",
    "Ad Set Name",
    "Ad Name",
    "Title",
    "Body",
    "Link Description",
    "Link",
    "Call to Action",
    "Image URL",
)
GOOGLE_COLUMNS = (
    "Campaign",
    "Ad group",
    "Ad type",
    "Headline 1",
    "Long headline",
    "Description 1",
    "Business name",
    "Final URL",
    "Images",
    "Square images",
)
# Responsive display ads' hard limits (formats.json, google_rda_*), counted as Google counts:
# East Asian wide characters count twice.
GOOGLE_LIMITS: dict[str, int] = {
    "Headline 1": 30,
    "Long headline": 90,
    "Description 1": 90,
    "Business name": 25,
}
# Which creative fields may fill a Google column, in order of preference.
GOOGLE_SOURCES: dict[str, tuple[str, ...]] = {
    "Headline 1": ("headline", "short_headline"),
    "Long headline": ("long_headline", "headline"),
    "Description 1": ("description", "body"),
    "Business name": ("business_name",),
}
# Meta's call-to-action types for each intent of the built-in calls to action.
META_CTA: dict[Intent, str] = {
    "shop": "SHOP_NOW",
    "order": "ORDER_NOW",
    "book": "BOOK_TRAVEL",
    "start": "SIGN_UP",
    "apply": "APPLY_NOW",
    "learn": "LEARN_MORE",
    "subscribe": "SUBSCRIBE",
    "connect": "SIGN_UP",
}
META_CTA_DEFAULT = "LEARN_MORE"  # a call to action the brief wrote itself: the neutral button


@dataclass
class Sheets:
    """The two sheets (CSV, UTF-8 with BOM) and what could not be put in them whole."""

    meta: bytes
    google: bytes
    gaps: list[str] = field(default_factory=list)


def uploadable(creative: Mapping[str, Any]) -> bool:
    """Publishable and not rejected in review (a creative without review state is a draft)."""
    return bool(creative.get("publishable", True)) and creative.get("review_state") != "rejected"


def build_sheets(products: Sequence[Mapping[str, Any]], campaign: str) -> Sheets:
    """Both sheets for ``products``: each has ``product_id``, ``link`` and ``creatives`` (in
    rank order, each with ``url``, ``platform``, ``format``, ``variant``, ``width``,
    ``height``, ``copy``, ``platform_text`` and optionally ``publishable``/``review_state``)."""
    gaps: list[str] = []
    meta = _csv(META_COLUMNS, _meta_rows(products, campaign))
    google = _csv(GOOGLE_COLUMNS, _google_rows(products, campaign, gaps))
    return Sheets(meta=meta, google=google, gaps=gaps)


def meta_cta(creative: Mapping[str, Any]) -> str:
    """Meta's button type for the creative's call to action."""
    intent = intent_of_cta(str(creative.get("copy", {}).get("cta", "")))
    return META_CTA.get(intent, META_CTA_DEFAULT) if intent else META_CTA_DEFAULT


def _csv(columns: tuple[str, ...], rows: Iterator[dict[str, str]]) -> bytes:
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=list(columns), lineterminator="\n")
    w.writeheader()
    for row in rows:
        w.writerow({k: spreadsheet_safe(v) for k, v in row.items()})
    return buf.getvalue().encode("utf-8-sig")  # the BOM lets spreadsheet apps read UTF-8


def _text(c: Mapping[str, Any], *names: str) -> str:
    for n in names:
        value = c.get("platform_text", {}).get(n) or c.get("copy", {}).get(n)
        if value:
            return str(value)
    return ""


def _meta_rows(products: Sequence[Mapping[str, Any]], campaign: str) -> Iterator[dict[str, str]]:
    for p in products:
        for c in p["creatives"]:
            if not c["platform"].lower().startswith("meta") or not uploadable(c):
                continue
            yield {
                "Campaign Name": campaign,
                "Ad Set Name": f"{campaign} - {c['format']}",
                "Ad Name": f"{p['product_id']} {c['format']} v{c['variant']}",
                "Title": _text(c, "headline"),
                "Body": _text(c, "primary_text", "body"),
                "Link Description": _text(c, "description"),
                "Link": p.get("link") or "",
                "Call to Action": meta_cta(c),
                "Image URL": c["url"],
            }


def _fitting(creatives: Sequence[Mapping[str, Any]], column: str) -> str:
    """The first creative's text for ``column`` within Google's limit, whole; else ""."""
    limit = GOOGLE_LIMITS[column]
    for c in creatives:
        for name in GOOGLE_SOURCES[column]:
            value = _text(c, name)
            if value and display_width(value) <= limit:
                return value
    return ""


def _google_rows(
    products: Sequence[Mapping[str, Any]], campaign: str, gaps: list[str]
) -> Iterator[dict[str, str]]:
    for p in products:
        google = [
            c
            for c in p["creatives"]
            if c["platform"].lower().startswith("google") and uploadable(c)
        ]
        if not google:
            continue
        texts = {column: _fitting(google, column) for column in GOOGLE_LIMITS}
        for column, value in texts.items():
            if not value and any(_text(c, *GOOGLE_SOURCES[column]) for c in google):
                gaps.append(
                    f"{p['product_id']}: no {column.lower()} within Google's "
                    f"{GOOGLE_LIMITS[column]} characters; the cell is left empty, not cut"
                )
        yield {
            "Campaign": campaign,
            "Ad group": p["product_id"],
            "Ad type": "Responsive display ad",
            **texts,
            "Final URL": p.get("link") or "",
            "Images": ";".join(c["url"] for c in google if c["width"] > c["height"]),
            "Square images": ";".join(c["url"] for c in google if c["width"] == c["height"]),
        }
