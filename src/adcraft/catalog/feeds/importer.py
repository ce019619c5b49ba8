"""Read a feed of any supported dialect into FeedProducts plus a per-row validation report.

Nothing here holds the whole feed: rows are parsed, checked and yielded one at a time. Only the
set of ids seen so far is kept (to report duplicates) and the first issues of the report.
"""

from __future__ import annotations

import io
from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Literal

from pydantic import BaseModel, Field

from adcraft.catalog.feeds.normalise import Defaults, Row, RowRejected, to_product
from adcraft.catalog.feeds.record import FeedProduct
from adcraft.catalog.feeds.tabular import (
    iter_attribute_rows,
    iter_json_lines,
    iter_mapped_rows,
    iter_shopify_rows,
)
from adcraft.catalog.feeds.xml_feed import iter_xml_rows
from adcraft.errors import FeedError
from adcraft.problem_codes import refuse

Dialect = Literal["merchant_xml", "merchant_tsv", "meta_csv", "shopify_csv", "csv", "jsonl"]
DIALECTS: tuple[str, ...] = (
    "merchant_xml",
    "merchant_tsv",
    "meta_csv",
    "shopify_csv",
    "csv",
    "jsonl",
)
MAX_REPORTED_ISSUES = 1_000


class FeedOptions(BaseModel):
    """How to read a feed; everything optional (the dialect is sniffed from the first bytes)."""

    dialect: Dialect | None = None
    mapping: dict[str, str] = Field(default_factory=dict)
    """Attribute -> column for generic CSV/JSON Lines: {"title": "Name", "price": "Cost"}."""
    currency: str | None = None
    """Currency of prices written without one (Shopify exports carry none)."""
    language: str = "en"
    require_image: bool = True


class RowIssue(BaseModel):
    """One skipped row: where, which product, a machine code and the reason."""

    row: int
    product_id: str | None
    code: str
    message: str


class ImportReport(BaseModel):
    """What an import read, kept and skipped (issues beyond the first 1 000 are only counted)."""

    dialect: str = ""
    rows: int = 0
    products: int = 0
    skipped: int = 0
    skipped_by_code: dict[str, int] = Field(default_factory=dict)
    issues: list[RowIssue] = Field(default_factory=list)
    issues_truncated: bool = False


@dataclass
class FeedReader:
    """Iterate ``products()`` once; ``report`` is complete when the iteration ends."""

    stream: IO[bytes]
    options: FeedOptions = field(default_factory=FeedOptions)
    report: ImportReport = field(default_factory=ImportReport)

    def products(self) -> Iterator[FeedProduct]:
        """Every valid, first-seen product in feed order."""
        defaults = Defaults(
            currency=self.options.currency,
            language=self.options.language,
            require_image=self.options.require_image,
        )
        seen: set[str] = set()
        codes: Counter[str] = Counter()
        dialect = self.options.dialect or sniff(self.stream)
        self.report.dialect = dialect
        for line, row in _rows(self.stream, dialect, self.options):
            self.report.rows += 1
            pid = (row.get("id") or "").strip() or None
            try:
                if "_error" in row:
                    raise RowRejected("unreadable", row["_error"])
                product = to_product(row, line, defaults)
                if product.id in seen:
                    raise RowRejected("duplicate_id", f"id {product.id!r} appeared earlier")
            except RowRejected as exc:
                codes[exc.code] += 1
                self.report.skipped += 1
                if len(self.report.issues) < MAX_REPORTED_ISSUES:
                    self.report.issues.append(
                        RowIssue(row=line, product_id=pid, code=exc.code, message=str(exc))
                    )
                else:
                    self.report.issues_truncated = True
                continue
            seen.add(product.id)
            self.report.products += 1
            yield product
        self.report.skipped_by_code = dict(sorted(codes.items()))


def open_feed(path: Path, options: FeedOptions | None = None) -> tuple[FeedReader, IO[bytes]]:
    """A reader over a feed file (the caller closes the returned file)."""
    try:
        fh = path.open("rb")
    except FileNotFoundError:
        raise FeedError(f"feed file {path} does not exist") from None
    except OSError as exc:
        raise FeedError(f"cannot read feed file {path}: {exc.strerror}") from None
    return FeedReader(fh, options or FeedOptions()), fh


def read_all(
    path: Path, options: FeedOptions | None = None
) -> tuple[list[FeedProduct], ImportReport]:
    """Every product of a (small) feed and the report: for tests and the API's preview."""
    reader, fh = open_feed(path, options)
    with fh:
        products = list(reader.products())
    return products, reader.report


def sniff(stream: IO[bytes]) -> Dialect:
    """The dialect from the first bytes (the stream must be seekable)."""
    head = stream.read(8192)
    stream.seek(0)
    text = head.decode("utf-8", errors="replace").lstrip("\ufeff \r\n\t")
    if text.startswith("<"):
        return "merchant_xml"
    if text.startswith("{"):
        return "jsonl"
    first = text.splitlines()[0] if text else ""
    if "Handle" in first and "Variant Price" in first:
        return "shopify_csv"
    if "\t" in first:
        return "merchant_tsv"
    if "," in first:
        names = {c.strip().strip('"').lower().removeprefix("g:") for c in first.split(",")}
        if {"id", "title"} <= names:
            return "meta_csv"
        return "csv"
    raise refuse("feed_format_unknown", kind=FeedError, dialects=", ".join(DIALECTS))


def _rows(stream: IO[bytes], dialect: str, options: FeedOptions) -> Iterator[tuple[int, Row]]:
    if dialect == "merchant_xml":
        return iter_xml_rows(stream)
    text = io.TextIOWrapper(stream, encoding="utf-8-sig", errors="replace", newline="")
    if dialect == "merchant_tsv":
        return iter_attribute_rows(text, "\t")
    if dialect == "meta_csv":
        return iter_attribute_rows(text, ",")
    if dialect == "shopify_csv":
        return iter_shopify_rows(text)
    if dialect == "csv":
        if not options.mapping:
            raise refuse("feed_needs_mapping", kind=FeedError)
        return iter_mapped_rows(text, options.mapping)
    if dialect == "jsonl":
        return iter_json_lines(text, options.mapping)
    raise FeedError(f"unknown feed dialect {dialect!r}: use one of {', '.join(DIALECTS)}")


def parse_mapping(pairs: list[str] | None) -> Mapping[str, str]:
    """CLI 'title=Name' pairs -> {'title': 'Name'}."""
    out: dict[str, str] = {}
    for p in pairs or []:
        key, sep, value = p.partition("=")
        if not sep or not key.strip() or not value.strip():
            raise FeedError(f"mapping {p!r} is not attribute=column, e.g. title=Product Name")
        out[key.strip()] = value.strip()
    return out
