"""The image bank: the tenant's pictures found by meaning, plus the shared read-only demo bank.

Search is the bank's two-stage semantic search through the configured text encoder, so a query
in any of the encoder's languages finds a picture captioned in another.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Form, Path, Query, Request, Response, UploadFile

from adcraft.api.bank_schemas import (
    BankHitOut,
    BankImageOut,
    BankImagePatch,
    BankName,
    BankSearchOut,
    ImageId,
)
from adcraft.api.deps import BanksDep, ContainerDep, PrincipalDep
from adcraft.api.intake import read_upload
from adcraft.api.jsonbody import ParsedJSONRoute
from adcraft.api.links import signed_url
from adcraft.api.schemas import Page
from adcraft.api.textcheck import check_value, clean_name
from adcraft.container import Container
from adcraft.errors import EmptyBank, Forbidden, LinkRejected
from adcraft.imagery.bank.models import BankImage
from adcraft.imagery.bank.tenants import Scope, TenantBanks, Upload
from adcraft.store.signing import sign, verify

router = APIRouter(prefix="/bank", tags=["image bank"], route_class=ParsedJSONRoute)
_DEMO_LINK = "demo:"
_IMAGE_ID = Path(max_length=128, pattern=r"^[0-9A-Za-z][0-9A-Za-z._-]{0,127}$")
_READ_ONLY = "the shared demo bank is read-only: add your own copy of the picture to edit it"


def image_out(request: Request, c: Container, record: BankImage, bank: BankName) -> BankImageOut:
    """A record with a link to its bytes (storage keys stay inside)."""
    ctype = _ctype(record.key)
    name = f"{record.id}.{record.key.rsplit('.', 1)[-1]}"
    if bank == "own":
        url = signed_url(request, c, record.key, filename=name, content_type=ctype)
    else:
        # Demo bytes live in the demo bank's own folder: the link names the picture, not a key.
        token, _ = sign(
            c.secret,
            _DEMO_LINK + record.id,
            ttl_s=c.settings.store.signed_url_ttl_s,
            filename=name,
            content_type=ctype,
        )
        base = c.settings.server.public_url.rstrip("/") or str(request.base_url).rstrip("/")
        url = f"{base}/api/v1/bank/demo/files/{token}"
    return BankImageOut(
        id=record.id,
        bank=bank,
        caption=record.caption,
        keywords=list(record.keywords),
        hypotheses=list(record.hypotheses),
        width=record.width,
        height=record.height,
        has_alpha=record.has_alpha,
        source=record.source,
        editable=bank == "own",
        url=url,
    )


_CTYPES = {"jpg": "image/jpeg", "jpeg": "image/jpeg", "png": "image/png", "webp": "image/webp"}


def _ctype(key: str) -> str:
    return _CTYPES.get(key.rsplit(".", 1)[-1].lower(), "application/octet-stream")


def _words(text: str, sep: str) -> tuple[str, ...]:
    return tuple(w.strip() for w in text.split(sep) if w.strip())


@router.get("/images")
def list_images(
    request: Request,
    p: PrincipalDep,
    c: ContainerDep,
    banks: BanksDep,
    bank: BankName = "own",
    limit: Annotated[int, Query(ge=1, le=200)] = 48,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> Page[BankImageOut]:
    """The pictures of your bank (or of the shared demo bank), in the order they were added."""
    records, total = banks.records(p.tenant_id, bank, offset=offset, limit=limit)
    return Page(
        items=[image_out(request, c, r, bank) for r in records],
        total=total,
        limit=limit,
        offset=offset,
    )


@router.post(
    "/images",
    status_code=201,
    responses={413: {"description": "File too large"}, 422: {"description": "Rejected picture"}},
)
def add_image(
    request: Request,
    p: PrincipalDep,
    c: ContainerDep,
    banks: BanksDep,
    file: Annotated[UploadFile, File(description="A picture (png/jpeg/webp/...)")],
    caption: Annotated[
        str,
        Form(
            max_length=2000,
            description="What the picture shows; may be empty when the server has a captioner",
        ),
    ] = "",
    keywords: Annotated[str, Form(max_length=2000, description="Comma-separated")] = "",
    hypotheses: Annotated[
        str, Form(max_length=1000, description="Up to 3 usage phrases separated by '|'")
    ] = "",
) -> BankImageOut:
    """Add a picture to your bank: checked (size, focus, lettering), captioned, indexed."""
    for value, what in ((caption, "caption"), (keywords, "keywords"), (hypotheses, "hypotheses")):
        check_value(value, what)
    data = read_upload(file, c.settings.limits.max_upload_bytes, "the picture")
    record = banks.add(
        p.tenant_id,
        Upload(
            data=data,
            filename=clean_name(file.filename or "")[:200] or "picture",
            caption=caption,
            keywords=_words(keywords, ","),
            hypotheses=_words(hypotheses, "|")[:3],
        ),
    )
    return image_out(request, c, record, "own")


@router.get("/search")
def search_images(
    request: Request,
    p: PrincipalDep,
    c: ContainerDep,
    banks: BanksDep,
    q: Annotated[str, Query(min_length=1, max_length=500, description="Product, offer or idea")],
    description: Annotated[
        str | None, Query(max_length=500, description="What the picture should show")
    ] = None,
    scope: Annotated[Scope, Query(description="Which banks to search")] = "all",
    limit: Annotated[int, Query(ge=1, le=50)] = 12,
) -> BankSearchOut:
    """Pictures ranked by meaning: usage hypotheses first, then caption; any language the
    encoder knows finds captions written in another."""
    check_value(q, "q")
    note = None
    try:
        found = banks.search(
            p.tenant_id,
            q,
            description,
            scope=scope,
            top=limit,
        )
    except EmptyBank as exc:
        found, note = [], str(exc)
    hits = [
        BankHitOut(
            image=image_out(request, c, _record(banks, p.tenant_id, t.bank, t.hit.id), t.bank),
            score=t.hit.score,
            usage_score=t.hit.usage_score,
            description_score=t.hit.description_score,
            matches=t.hit.score >= banks.min_score,
        )
        for t in found
    ]
    if hits and not hits[0].matches:
        note = (
            f"no picture matches well (best score {hits[0].score:.2f}, a brief needs "
            f"{banks.min_score:.2f}): add a matching picture or upload a photo for the brief"
        )
    return BankSearchOut(query=q, hits=hits, threshold=banks.min_score, note=note)


def _record(banks: TenantBanks, tenant_id: str, bank: BankName, image_id: str) -> BankImage:
    return banks.get(tenant_id, bank, image_id)


@router.get("/images/{image_id}")
def get_image(
    image_id: Annotated[str, _IMAGE_ID],
    request: Request,
    p: PrincipalDep,
    c: ContainerDep,
    banks: BanksDep,
    bank: BankName = "own",
) -> BankImageOut:
    """One picture's text and a fresh link."""
    return image_out(request, c, banks.get(p.tenant_id, bank, image_id), bank)


@router.patch("/images/{image_id}")
def edit_image(
    image_id: Annotated[str, _IMAGE_ID],
    body: BankImagePatch,
    request: Request,
    p: PrincipalDep,
    c: ContainerDep,
    banks: BanksDep,
    bank: BankName = "own",
) -> BankImageOut:
    """Change a picture's caption, keywords or hypotheses; it is embedded again at once."""
    if bank == "demo":
        raise Forbidden(_READ_ONLY)
    if body.caption is not None:
        check_value(body.caption, "caption")
    record = banks.update(
        p.tenant_id,
        image_id,
        caption=body.caption,
        keywords=tuple(body.keywords) if body.keywords is not None else None,
        hypotheses=tuple(body.hypotheses) if body.hypotheses is not None else None,
    )
    return image_out(request, c, record, "own")


@router.delete("/images/{image_id}", status_code=204)
def delete_image(
    image_id: Annotated[str, _IMAGE_ID],
    p: PrincipalDep,
    banks: BanksDep,
    bank: BankName = "own",
) -> Response:
    """Remove a picture from your bank (record, vectors and bytes)."""
    if bank == "demo":
        raise Forbidden(_READ_ONLY)
    banks.delete(p.tenant_id, image_id)
    return Response(status_code=204)


@router.get(
    "/demo/files/{token}",
    response_class=Response,
    responses={
        200: {"content": {"image/webp": {}, "image/png": {}}},
        403: {"description": "Expired or forged link"},
    },
)
def demo_file(
    token: Annotated[str, Path(max_length=4096)], c: ContainerDep, banks: BanksDep
) -> Response:
    """A demo bank picture behind a signed, expiring link (for <img src>)."""
    ref, _filename, content_type = verify(c.secret, token)
    if not ref.startswith(_DEMO_LINK):
        raise LinkRejected("this link is not a demo bank picture link: request a new one")
    data, _ = banks.image_bytes("demo", "demo", ref[len(_DEMO_LINK) :])
    return Response(
        data, media_type=content_type, headers={"Cache-Control": "private, max-age=300"}
    )


__all__ = ["ImageId", "image_out", "router"]
