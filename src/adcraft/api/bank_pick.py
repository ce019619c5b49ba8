"""A brief's product picture from the image bank: the one the user picked, or the one semantic
search of the brief finds above the threshold. The picture becomes an asset of the tenant, so
the worker renders it like any uploaded photo (and the set stays reproducible if the bank
changes later)."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from adcraft.api.intake import ingest_image
from adcraft.api.schemas import GenerateIn
from adcraft.container import Container
from adcraft.db.models import Asset
from adcraft.imagery.bank.models import BankImage
from adcraft.imagery.bank.tenants import TenantBanks, Which


def brief_query(fields: dict[str, Any]) -> tuple[str, str]:
    """(product/offer text, picture description) searched for a brief."""
    name = str(fields.get("product_name") or "").strip()
    offer = str(fields.get("offer") or "").strip()
    category = str(fields.get("category") or "").strip()
    product = " — ".join(p for p in (name, offer) if p)
    described = f"a picture of {name}" + (f" ({category})" if category else "")
    return product, described


def _pick(
    banks: TenantBanks, tenant_id: str, body: GenerateIn, fields: dict[str, Any]
) -> tuple[Which, BankImage, dict[str, Any]]:
    """(bank, record, what was chosen): the picked picture or the best match of the brief."""
    if body.bank_image is not None:
        which, image_id = body.bank_image.bank, body.bank_image.id
        record = banks.get(tenant_id, which, image_id)
        return which, record, {"bank": which, "id": record.id, "picked": True}
    product, described = brief_query(fields)
    hit = banks.choose(tenant_id, product, described, seed=body.seed)
    which, record = hit.bank, banks.get(tenant_id, hit.bank, hit.hit.id)
    chosen: dict[str, Any] = {
        "bank": which,
        "id": record.id,
        "picked": False,
        "score": hit.hit.score,
        "query": product,
    }
    return which, record, chosen


def bank_image_bytes(
    c: Container, banks: TenantBanks, tenant_id: str, body: GenerateIn, fields: dict[str, Any]
) -> bytes:
    """The bank picture's bytes for this brief, not kept as an asset (a style preview)."""
    which, record, _ = _pick(banks, tenant_id, body, fields)
    data, _ = banks.image_bytes(tenant_id, which, record.id)
    return data


def bank_asset(
    c: Container,
    s: Session,
    banks: TenantBanks,
    tenant_id: str,
    body: GenerateIn,
    fields: dict[str, Any],
) -> tuple[Asset, dict[str, Any]]:
    """The tenant asset holding the bank picture for this brief, and what was chosen (kept with
    the task so the user sees which picture and why)."""
    which, record, chosen = _pick(banks, tenant_id, body, fields)
    data, _ = banks.image_bytes(tenant_id, which, record.id)
    name = f"bank-{record.id}"
    asset = ingest_image(c, s, tenant_id, data, filename=name, caption=record.caption)
    chosen["caption"] = record.caption
    return asset, chosen
