"""Reading product catalogues (the products.json format) into briefs."""

from __future__ import annotations

import difflib
import json
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from adcraft.domain.brief import BrandKit, Brief, Price
from adcraft.errors import InputError, InvalidBrief


def load_products(path: Path) -> list[dict[str, Any]]:
    """The product records of a catalogue file (a JSON list of objects)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError(f"product file {path} does not exist") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(f"product file {path} is not readable JSON: {exc}") from None
    if not isinstance(data, list) or not all(isinstance(p, dict) for p in data):
        raise InputError(f"product file {path} must hold a JSON list of product objects")
    return data


def brief_from_record(
    record: dict[str, Any], base_dir: Path, brand: BrandKit | None = None
) -> Brief:
    """A Brief from one catalogue record; its image path is relative to the catalogue file."""
    offers = [str(o) for o in record.get("offers") or []]
    price = record.get("price")
    regular = record.get("regular_price")
    image = record.get("image")
    try:
        return Brief(
            product_name=str(record.get("name", "")),
            description=str(record.get("description", "")),
            selling_points=tuple(str(s) for s in record.get("selling_points") or []),
            offer=offers[0] if offers else "",
            extra_offers=tuple(offers[1:]),
            price=Price(**price) if isinstance(price, dict) else None,
            regular_price=Price(**regular) if isinstance(regular, dict) else None,
            language=str(record.get("language", "en")),
            category=record.get("category"),
            image=(base_dir / image) if image else None,
            brand=brand or BrandKit(),
        )
    except ValidationError as exc:
        raise InvalidBrief(f"product {record.get('id', '?')!r}: {describe(exc)}") from None


def find_record(records: list[dict[str, Any]], product_id: str) -> dict[str, Any]:
    """The record with this id, or an error listing the ids that exist."""
    for r in records:
        if str(r.get("id")) == product_id:
            return r
    ids = ", ".join(str(r.get("id")) for r in records[:20])
    raise InputError(f"no product with id {product_id!r}; the file has: {ids}")


def describe(exc: ValidationError) -> str:
    """One readable line per pydantic error: 'price.amount: must be >= 0'."""
    parts = []
    for err in exc.errors():
        loc = ".".join(str(p) for p in err["loc"]) or "input"
        parts.append(f"{loc}: {err['msg']}")
    return "; ".join(parts)


def load_brand_kit(path: Path | None, logo: Path | None = None) -> BrandKit:
    """A brand kit from JSON (logo path relative to the file); ``logo`` overrides its logo."""
    if path is None:
        return BrandKit(logo=logo)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        _known_kit_fields(data, path)
        kit = BrandKit.model_validate(data)
    except FileNotFoundError:
        raise InputError(f"brand kit {path} does not exist") from None
    except json.JSONDecodeError as exc:
        raise InputError(f"brand kit {path} is not valid JSON: {exc}") from None
    except ValidationError as exc:
        raise InputError(f"brand kit {path}: {describe(exc)}") from None
    if logo is not None:
        kit = kit.model_copy(update={"logo": logo})
    elif kit.logo is not None and not kit.logo.is_absolute():
        kit = kit.model_copy(update={"logo": path.parent / kit.logo})
    return kit


def _known_kit_fields(data: object, path: Path) -> None:
    """Refuse a kit file field adcraft does not know: a misspelt "deadline_requried" would
    otherwise be left out without a word, and the legal switch it meant to set stay off."""
    if not isinstance(data, dict):
        return
    known = list(BrandKit.model_fields)
    for key in data:
        if key not in known:
            near = difflib.get_close_matches(str(key), known, n=1)
            hint = f'did you mean "{near[0]}"? ' if near else ""
            raise InputError(
                f'brand kit {path}: unknown field "{key}" ({hint}known fields: {", ".join(known)})'
            )


def brief_from_flags(
    *,
    product_file: Path | None,
    product_id: str | None,
    title: str | None,
    description: str = "",
    selling_points: list[str] | None = None,
    offers: list[str] | None = None,
    price: float | None = None,
    regular_price: float | None = None,
    currency: str = "USD",
    price_period: str | None = None,
    price_min_term: int | None = None,
    cta: str | None = None,
    language: str = "en",
    image: str | None = None,
    brand: BrandKit | None = None,
) -> Brief:
    """The brief the CLI flags describe: a catalogue record, or the product given inline."""
    kit = brand or BrandKit()
    if product_file is not None:
        if product_id is None:
            raise InputError("--product-file needs --product-id")
        record = find_record(load_products(product_file), product_id)
        return brief_from_record(record, product_file.resolve().parent, kit)
    if not title:
        raise InputError("give --title (or --product-file and --product-id)")
    offer_list = offers or []
    if price_period and price is None:
        raise InputError("--price-period needs --price: give the price it is the period of")
    if price_min_term is not None and not price_period:
        raise InputError(
            "--price-min-term needs --price-period: say what the price is paid per (month, "
            "year…) so the term can be told"
        )
    try:
        return Brief(
            product_name=title,
            description=description,
            selling_points=tuple(selling_points or []),
            offer=offer_list[0] if offer_list else "",
            extra_offers=tuple(offer_list[1:]),
            price=(
                Price(amount=price, currency=currency, period=price_period, min_term=price_min_term)
                if price is not None
                else None
            ),
            regular_price=(
                Price(amount=regular_price, currency=currency)
                if regular_price is not None
                else None
            ),
            cta=cta,
            language=language,
            image=image,
            brand=kit,
        )
    except ValidationError as exc:
        raise InvalidBrief(describe(exc)) from None
