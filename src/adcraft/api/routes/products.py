"""The product catalogue, importable from a products.json file (with its images)."""

from __future__ import annotations

import json
from pathlib import PurePosixPath
from typing import Annotated, Any

from fastapi import APIRouter, File, Query, Request, Response, UploadFile
from pydantic import ValidationError
from sqlalchemy import func, or_, select

from adcraft.api.deps import ContainerDep, PrincipalDep, SessionDep
from adcraft.api.intake import ingest_image, read_upload
from adcraft.api.jsonbody import ParsedJSONRoute
from adcraft.api.lookup import get_owned, optional_owned
from adcraft.api.schemas import ImportResult, Page, ProductIn, ProductOut
from adcraft.api.textcheck import check_value
from adcraft.api.views import notes_of, product_out
from adcraft.db.models import Asset, Product
from adcraft.errors import AdcraftError, InputError
from adcraft.notes import say as say_note
from adcraft.problem_codes import refuse
from adcraft.products import describe

router = APIRouter(prefix="/products", tags=["products"], route_class=ParsedJSONRoute)


def _data(body: ProductIn) -> dict[str, Any]:
    data = body.model_dump(mode="json", exclude={"sku", "image_asset_id"})
    for key in ("price", "regular_price"):
        # A one-off price is stored as before: amount and currency.
        for part in ("period", "min_term"):
            if isinstance(data.get(key), dict) and data[key].get(part) is None:
                data[key].pop(part, None)
    return data


def _check_image(s: SessionDep, tenant_id: str, asset_id: str | None) -> None:
    asset = optional_owned(s, Asset, asset_id, tenant_id, "image asset")
    if asset is not None and asset.kind not in ("image", "logo"):
        raise InputError(f"asset {asset.id} is a {asset.kind}, not an image")


@router.post("", status_code=201)
def create_product(
    body: ProductIn, request: Request, p: PrincipalDep, s: SessionDep, c: ContainerDep
) -> ProductOut:
    """Add a product to the catalogue."""
    _check_image(s, p.tenant_id, body.image_asset_id)
    if s.scalar(
        select(Product.id).where(Product.tenant_id == p.tenant_id, Product.sku == body.sku)
    ):
        raise refuse("sku_exists", sku=body.sku)
    row = Product(
        tenant_id=p.tenant_id, sku=body.sku, data=_data(body), image_asset_id=body.image_asset_id
    )
    s.add(row)
    s.commit()
    return product_out(request, c, s, row)


@router.get("")
def list_products(
    request: Request,
    p: PrincipalDep,
    s: SessionDep,
    c: ContainerDep,
    q: Annotated[str | None, Query(max_length=200, description="Text in sku or name")] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> Page[ProductOut]:
    """The tenant's catalogue."""
    where = [Product.tenant_id == p.tenant_id]
    if q:
        pattern = f"%{q.strip()}%"
        where.append(
            or_(Product.sku.ilike(pattern), Product.data["name"].as_string().ilike(pattern))
        )
    total = s.scalar(select(func.count()).select_from(Product).where(*where)) or 0
    rows = s.scalars(
        select(Product).where(*where).order_by(Product.sku).limit(limit).offset(offset)
    ).all()
    return Page(
        items=[product_out(request, c, s, r) for r in rows], total=total, limit=limit, offset=offset
    )


@router.get("/{product_id}")
def get_product(
    product_id: str, request: Request, p: PrincipalDep, s: SessionDep, c: ContainerDep
) -> ProductOut:
    """One product."""
    return product_out(request, c, s, get_owned(s, Product, product_id, p.tenant_id, "product"))


@router.put("/{product_id}")
def replace_product(
    product_id: str,
    body: ProductIn,
    request: Request,
    p: PrincipalDep,
    s: SessionDep,
    c: ContainerDep,
) -> ProductOut:
    """Replace a product's fields."""
    row = get_owned(s, Product, product_id, p.tenant_id, "product")
    _check_image(s, p.tenant_id, body.image_asset_id)
    clash = s.scalar(
        select(Product.id).where(
            Product.tenant_id == p.tenant_id, Product.sku == body.sku, Product.id != row.id
        )
    )
    if clash:
        raise refuse("sku_taken", sku=body.sku)
    row.sku, row.data, row.image_asset_id = body.sku, _data(body), body.image_asset_id
    s.commit()
    return product_out(request, c, s, row)


@router.delete("/{product_id}", status_code=204, response_class=Response)
def delete_product(product_id: str, p: PrincipalDep, s: SessionDep) -> Response:
    """Remove a product from the catalogue (past briefs keep their own copy)."""
    s.delete(get_owned(s, Product, product_id, p.tenant_id, "product"))
    s.commit()
    return Response(status_code=204)


def _record(raw: Any, i: int) -> ProductIn:
    if not isinstance(raw, dict):
        raise refuse("product_not_object", number=i + 1)
    fields = {k: raw[k] for k in ProductIn.model_fields if k in raw and k != "image_asset_id"}
    fields["sku"] = str(raw.get("sku") or raw.get("id") or "")
    try:
        return ProductIn.model_validate(fields)
    except ValidationError as exc:
        raise refuse(
            "product_invalid", product=fields["sku"] or i + 1, reason=describe(exc)
        ) from None


@router.post("/import")
def import_products(
    request: Request,
    p: PrincipalDep,
    s: SessionDep,
    c: ContainerDep,
    file: Annotated[UploadFile, File(description="products.json: a JSON list of products")],
    images: Annotated[
        list[UploadFile] | None, File(description="Image files named as in the catalogue")
    ] = None,
) -> ImportResult:
    """Create or update products from a products.json file; all or nothing."""
    lim = c.settings.limits
    try:
        raw = json.loads(read_upload(file, lim.max_upload_bytes, "products file"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise refuse("products_file_not_json", reason=str(exc)) from None
    if not isinstance(raw, list):
        raise refuse("products_file_not_list")
    check_value(raw, "products file")
    if len(raw) > lim.max_products_import:
        raise refuse("too_many_products", count=len(raw), max=lim.max_products_import)
    by_name = {PurePosixPath(f.filename or "").name: f for f in images or []}
    created = updated = 0
    warnings: list[str] = []
    rows: list[Product] = []
    try:
        for i, item in enumerate(raw):
            rec = _record(item, i)
            image_id = None
            image_ref = item.get("image") if isinstance(item, dict) else None
            if image_ref:
                upload = by_name.get(PurePosixPath(str(image_ref)).name)
                if upload is None:
                    warnings.append(say_note("import_image_missing", sku=rec.sku, image=image_ref))
                else:
                    upload.file.seek(0)
                    data = read_upload(upload, lim.max_upload_bytes, str(image_ref))
                    image_id = ingest_image(c, s, p.tenant_id, data, filename=str(image_ref)).id
            row = s.scalar(
                select(Product).where(Product.tenant_id == p.tenant_id, Product.sku == rec.sku)
            )
            if row is None:
                row = Product(tenant_id=p.tenant_id, sku=rec.sku, data=_data(rec))
                s.add(row)
                created += 1
            else:
                row.data = _data(rec)
                updated += 1
            row.image_asset_id = image_id or row.image_asset_id
            s.flush()
            rows.append(row)
        s.commit()
    except AdcraftError:
        s.rollback()
        raise
    return ImportResult(
        created=created,
        updated=updated,
        products=[product_out(request, c, s, r) for r in rows],
        warnings=warnings,
        warning_notes=notes_of(warnings),
    )
