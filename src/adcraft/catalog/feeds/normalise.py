"""Raw feed rows (attribute name -> text) into FeedProducts, or the reason a row is skipped."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from babel.numbers import list_currencies
from pydantic import ValidationError

from adcraft.catalog.feeds.record import CUSTOM_LABELS, FeedProduct
from adcraft.domain.brief import MAX_DESCRIPTION_CHARS, MAX_TITLE_CHARS, Period, Price, parse_period
from adcraft.errors import InvalidBrief

Row = dict[str, str]
_AMOUNT = re.compile(r"^[+]?(\d{1,3}(?:[ ,.\u00a0\u202f']\d{3})*|\d+)(?:[.,](\d{1,2}))?$")
_KNOWN_CURRENCIES = frozenset(list_currencies())


class RowRejected(ValueError):
    """A row that cannot become a product; the message says which field and why."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class Defaults:
    """What a feed leaves implicit: its currency (Shopify has none per row) and language."""

    currency: str | None = None
    language: str = "en"
    require_image: bool = True


def parse_amount(text: str) -> float:
    """'1,299.00', '12,50', '1 299' -> a float; the last separator before 1-2 digits is decimal."""
    t = text.strip().replace("\u00a0", " ")
    m = _AMOUNT.match(t)
    if not m:
        raise ValueError(text)
    whole = re.sub(r"[ ,.\u202f']", "", m.group(1))
    return float(f"{whole}.{m.group(2) or '0'}")


def parse_price(text: str, default_currency: str | None, field: str) -> Price | None:
    """'12.50 EUR', 'EUR 12.50', '12.50' (with a default currency); None for an empty cell."""
    t = text.strip()
    if not t:
        return None
    parts = t.split()
    currency = default_currency
    if len(parts) >= 2 and re.fullmatch(r"[A-Za-z]{3}", parts[-1]):
        currency, amount_text = parts[-1].upper(), " ".join(parts[:-1])
    elif len(parts) >= 2 and re.fullmatch(r"[A-Za-z]{3}", parts[0]):
        currency, amount_text = parts[0].upper(), " ".join(parts[1:])
    else:
        amount_text = t
    try:
        amount = parse_amount(amount_text)
    except ValueError:
        raise RowRejected(
            "bad_price", f"{field} {text!r} is not an amount like '12.50 EUR'"
        ) from None
    if currency is None:
        raise RowRejected(
            "bad_price",
            f"{field} {text!r} has no currency: write '12.50 EUR' or set the feed's currency",
        )
    if currency not in _KNOWN_CURRENCIES:
        raise RowRejected(
            "unknown_currency",
            f"{field} currency {currency!r} is not an ISO 4217 code the locale can format",
        )
    return Price(amount=amount, currency=currency)


def parse_subscription(text: str, default_currency: str | None) -> Price | None:
    """Merchant Center's subscription_cost, "month:12:35.00 USD" (period, period length,
    amount; the XML's g:period, g:period_length, g:amount): the price paid per period. None for
    an empty cell."""
    t = text.strip()
    if not t:
        return None
    period_text, _, rest = t.partition(":")
    length_text, _, amount_text = rest.partition(":")
    if not amount_text.strip():
        raise RowRejected(
            "bad_subscription_cost",
            f"subscription_cost {text!r} is not 'PERIOD:LENGTH:AMOUNT' like 'month:12:35.00 USD'",
        )
    price = parse_price(amount_text, default_currency, "subscription_cost")
    if price is None:
        return None
    period = _period(period_text, "subscription_cost")
    # period_length: how many periods the buyer commits to ("month:12" is a 12-month
    # contract), carried as the price's minimum term; 1 (or none) is no commitment beyond
    # the period paid.
    length = length_text.strip()
    if length and not re.fullmatch(r"\d{1,4}", length):
        raise RowRejected(
            "bad_subscription_cost",
            f"subscription_cost {text!r}: period length {length!r} is not a whole number",
        )
    term = int(length) if length and int(length) > 1 and period is not None else None
    return Price(amount=price.amount, currency=price.currency, period=period, min_term=term)


def _period(text: str, field: str) -> Period | None:
    try:
        return parse_period(text)
    except InvalidBrief as exc:
        raise RowRejected("bad_price_period", f"{field}: {exc}") from None


def parse_effective_dates(text: str) -> tuple[datetime | None, datetime | None]:
    """Merchant Center's 'start/end' ISO 8601 interval; either side may be missing."""
    t = text.strip()
    if not t:
        return None, None
    try:
        start_s, _, end_s = t.partition("/")
        start = datetime.fromisoformat(start_s) if start_s else None
        end = datetime.fromisoformat(end_s) if end_s else None
    except ValueError:
        raise RowRejected(
            "bad_date",
            f"sale_price_effective_date {text!r} is not 'START/END' in ISO 8601",
        ) from None
    return start, end


def to_product(row: Row, line: int, defaults: Defaults) -> FeedProduct:
    """A FeedProduct from Merchant Center attribute names; RowRejected says why not."""

    def get(name: str) -> str:
        return (row.get(name) or "").strip()

    pid = get("id")
    if not pid:
        raise RowRejected("missing_id", "no id")
    title = get("title")
    if not title:
        raise RowRejected("missing_title", "no title")
    if len(title) > MAX_TITLE_CHARS:
        title = title[: MAX_TITLE_CHARS - 1].rstrip() + "…"
    image = get("image_link")
    if defaults.require_image and not image:
        raise RowRejected("missing_image", "no image_link")
    if image and not re.match(r"^https?://", image, re.IGNORECASE):
        raise RowRejected("bad_image_link", f"image_link {image!r} is not an http(s) URL")
    price = parse_price(get("price"), defaults.currency, "price")
    sale = parse_price(
        get("sale_price"), price.currency if price else defaults.currency, "sale_price"
    )
    if price is not None and sale is not None and sale.currency != price.currency:
        raise RowRejected(
            "bad_price", f"sale_price is in {sale.currency} but price is in {price.currency}"
        )
    # A recurring price: a price_period column ("month") for the price and its sale price, or
    # Merchant Center's subscription_cost, the price paid per period, which is what the ad
    # shows when the row's price is empty or 0 (a contract's device at no upfront cost).
    period = _period(get("price_period"), "price_period")
    subscription = parse_subscription(
        get("subscription_cost"), price.currency if price else defaults.currency
    )
    if subscription is not None and (price is None or price.amount == 0):
        price, sale, period = subscription, None, subscription.period
    if period is not None:
        price = price.model_copy(update={"period": period}) if price else None
        sale = sale.model_copy(update={"period": period}) if sale else None
    start, end = parse_effective_dates(get("sale_price_effective_date"))
    extra = tuple(u.strip() for u in get("additional_image_link").split(",") if u.strip())
    try:
        return FeedProduct(
            id=pid,
            title=title,
            description=get("description")[:MAX_DESCRIPTION_CHARS],
            link=get("link") or None,
            image_link=image or None,
            additional_image_links=extra,
            price=price,
            sale_price=sale,
            sale_start=start,
            sale_end=end,
            brand=get("brand") or None,
            product_type=get("product_type") or None,
            google_product_category=get("google_product_category") or None,
            availability=get("availability").lower().replace(" ", "_") or None,
            custom_labels=tuple(get(f"custom_label_{i}") for i in range(CUSTOM_LABELS)),
            language=(get("content_language") or get("language") or defaults.language).lower(),
            row=line,
        )
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise RowRejected("invalid", f"{where}: {first['msg']}") from None
