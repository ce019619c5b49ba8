"""Row-based feeds, streamed: Merchant Center TSV, Meta catalogue CSV, Shopify product CSV,
and any CSV or JSON Lines file with a column mapping."""

from __future__ import annotations

import csv
import html
import json
import re
from collections.abc import Iterator, Mapping
from typing import IO

from adcraft.catalog.feeds.normalise import Row, parse_amount
from adcraft.errors import FeedError
from adcraft.problem_codes import refuse

# Merchant Center lets a header say "g:price" or "Price"; Meta uses the same attribute names.
_HEADER = re.compile(r"^(?:g:)?(.*)$")
_TAGS = re.compile(r"<[^>]+>")
csv.field_size_limit(10 * 2**20)  # one cell: a long HTML description, never a whole file


def _key(name: str) -> str:
    m = _HEADER.match(name.strip().lower())
    return (m.group(1) if m else name).replace(" ", "_")


def _reader(stream: IO[str], delimiter: str) -> Iterator[tuple[int, dict[str, str]]]:
    reader = csv.DictReader(stream, delimiter=delimiter)
    try:
        for raw in reader:
            yield reader.line_num, {k: v or "" for k, v in raw.items() if isinstance(k, str)}
    except csv.Error as exc:
        raise refuse(
            "feed_csv_invalid", kind=FeedError, line=reader.line_num, reason=str(exc)
        ) from None


def iter_attribute_rows(stream: IO[str], delimiter: str) -> Iterator[tuple[int, Row]]:
    """Merchant Center TSV or Meta CSV: headers are the attribute names."""
    for line, raw in _reader(stream, delimiter):
        row = {_key(k): v for k, v in raw.items()}
        extra = [v for k, v in raw.items() if _key(k) == "additional_image_link" and v]
        if extra:
            row["additional_image_link"] = ",".join(extra)
        yield line, row


def iter_mapped_rows(
    stream: IO[str], mapping: Mapping[str, str], delimiter: str = ","
) -> Iterator[tuple[int, Row]]:
    """Any CSV: ``mapping`` says which column holds each attribute ({'title': 'Name', ...})."""
    for line, raw in _reader(stream, delimiter):
        yield line, _mapped(raw, mapping)


def iter_json_lines(stream: IO[str], mapping: Mapping[str, str]) -> Iterator[tuple[int, Row]]:
    """JSON Lines (one object per line), streamed; an unmapped attribute keeps its own name."""
    for line, text in enumerate(stream, start=1):
        if not text.strip():
            continue
        try:
            obj = json.loads(text)
        except json.JSONDecodeError as exc:
            yield line, {"_error": f"not a JSON object: {exc.msg}"}
            continue
        if not isinstance(obj, dict):
            yield line, {"_error": "not a JSON object"}
            continue
        yield line, _mapped({k: _text(v) for k, v in obj.items()}, mapping)


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return ",".join(_text(v) for v in value)
    return str(value)


def _mapped(raw: Mapping[str, str], mapping: Mapping[str, str]) -> Row:
    row = {_key(k): v for k, v in raw.items()}
    for attribute, column in mapping.items():
        row[attribute] = raw.get(column, "")
    return row


def iter_shopify_rows(stream: IO[str]) -> Iterator[tuple[int, Row]]:
    """Shopify's product CSV: one product spans consecutive rows with the same Handle (the
    first carries the title, the others further variants and images)."""
    group: list[dict[str, str]] = []
    start = 0
    for line, raw in _reader(stream, ","):
        handle = raw.get("Handle", "").strip()
        if group and handle != group[0].get("Handle", "").strip():
            yield start, _shopify_product(group)
            group = []
        if not group:
            start = line
        group.append(raw)
    if group:
        yield start, _shopify_product(group)


def _shopify_product(rows: list[dict[str, str]]) -> Row:
    head = rows[0]
    images = [r["Image Src"].strip() for r in rows if r.get("Image Src", "").strip()]
    prices: list[tuple[float, str, str]] = []
    for r in rows:
        p = r.get("Variant Price", "").strip()
        if not p:
            continue
        try:
            prices.append((parse_amount(p), p, r.get("Variant Compare At Price", "").strip()))
        except ValueError:
            prices.append((-1.0, p, ""))  # keep it: the report names the bad price
    row: Row = {
        "id": head.get("Handle", "").strip(),
        "title": head.get("Title", "").strip(),
        "description": html.unescape(_TAGS.sub(" ", head.get("Body (HTML)", ""))).strip(),
        "brand": head.get("Vendor", "").strip(),
        "product_type": head.get("Type", "").strip(),
        "google_product_category": head.get("Product Category", "").strip(),
        "image_link": images[0] if images else "",
        "additional_image_link": ",".join(images[1:]),
    }
    row["description"] = re.sub(r"\s+", " ", row["description"])
    status = head.get("Status", "").strip().lower()
    if status and status != "active":
        row["availability"] = "out_of_stock"
    if prices:
        # The ad shows the cheapest variant; a higher compare-at price makes it a sale.
        amount, text, compare = min(prices, key=lambda t: t[0])
        if amount < 0:
            row["price"] = text
        elif compare and _bigger(compare, amount):
            row["price"], row["sale_price"] = compare, text
        else:
            row["price"] = text
    tags = [t.strip() for t in head.get("Tags", "").split(",") if t.strip()]
    for i, tag in enumerate(tags[:5]):
        row[f"custom_label_{i}"] = tag
    return row


def _bigger(text: str, than: float) -> bool:
    try:
        return parse_amount(text) > than
    except ValueError:
        return False
