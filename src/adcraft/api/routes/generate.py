"""Submitting a brief: ``202`` with a task to follow; ``Idempotency-Key`` makes retries safe."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Form, Header, Request, Response, UploadFile
from fastapi.exceptions import RequestValidationError
from pydantic import ValidationError

from adcraft.api import submit
from adcraft.api.bank_pick import bank_asset, bank_image_bytes
from adcraft.api.deps import ContainerDep, MetricsDep, PrincipalDep, SessionDep, get_banks
from adcraft.api.generation import check_generation, generation_request
from adcraft.api.intake import fetch_image, ingest_image, read_upload
from adcraft.api.jsonbody import ParsedJSONRoute
from adcraft.api.links import signed_url
from adcraft.api.schemas import GenerateIn, StyleImageOut, StylePreviewOut, TaskOut
from adcraft.api.views import notes_of, task_out
from adcraft.container import Container
from adcraft.db.models import Task
from adcraft.db.tenants import Principal
from adcraft.notes import say as say_note
from adcraft.problem_codes import refuse
from adcraft.tasks.style_preview import render_style_preview
from adcraft.tasks.sweeper import queue_of

router = APIRouter(tags=["generate"], route_class=ParsedJSONRoute)
IdempotencyKey = Annotated[
    str | None,
    Header(
        alias="Idempotency-Key",
        max_length=200,
        description="Repeat a request with the same key to get the same task, not a second one",
    ),
]
_RESPONSES: dict[int | str, dict[str, object]] = {
    413: {"description": "Upload or body too large"},
    422: {"description": "Invalid brief, format or image"},
    429: {"description": "Rate limit or too many active tasks"},
    503: {"description": "Queue or database unavailable; retry"},
}


@router.post("/generate", status_code=202, responses=_RESPONSES)
def generate(
    body: GenerateIn,
    request: Request,
    response: Response,
    p: PrincipalDep,
    s: SessionDep,
    c: ContainerDep,
    m: MetricsDep,
    idempotency_key: IdempotencyKey = None,
) -> TaskOut:
    """Queue a generation task for a brief (image by URL, asset id or catalogue product)."""
    return _submit(body, None, request, response, p, s, c, m, idempotency_key)


@router.post("/generate/upload", status_code=202, responses=_RESPONSES)
def generate_upload(
    request: Request,
    response: Response,
    p: PrincipalDep,
    s: SessionDep,
    c: ContainerDep,
    m: MetricsDep,
    request_json: Annotated[
        str, Form(alias="request", description="The GenerateIn body as a JSON string")
    ],
    image: Annotated[UploadFile | None, File(description="Product photo")] = None,
    idempotency_key: IdempotencyKey = None,
) -> TaskOut:
    """Like POST /generate, with the product photo uploaded in the same multipart request."""
    try:
        body = GenerateIn.model_validate_json(request_json)
    except ValidationError as exc:
        raise RequestValidationError(
            [{**e, "loc": ("body", "request", *e["loc"])} for e in exc.errors()]
        ) from None
    data = (
        read_upload(image, c.settings.limits.max_upload_bytes, "the product image")
        if image is not None
        else None
    )
    return _submit(body, data, request, response, p, s, c, m, idempotency_key)


@router.post(
    "/generate/preview",
    responses={
        422: {"description": "Invalid brief, style, format or image"},
        429: {"description": "Rate limit"},
        503: {"description": "Database or store unavailable; retry"},
    },
)
def generate_preview(
    body: GenerateIn, request: Request, p: PrincipalDep, s: SessionDep, c: ContainerDep
) -> StylePreviewOut:
    """One size of the brief in each style, rendered now: the styles asked for (or those a set
    of ``variants`` would use), in the first of ``formats`` that needs no logo, with the
    request's seed and image format. Nothing is saved but the images (no campaign, brief or
    task); they are removed after ``tasks.preview_ttl_s``. A generated picture or painted scene
    is made only when the set is generated: the preview shows the style's own background."""
    from_bank = body.image_source == "bank" or body.bank_image is not None
    generated = body.image_source == "generate"
    sources = sum(x is not None for x in (body.image_url, body.image_asset_id))
    if sources + from_bank + generated > 1:
        raise refuse("one_product_image_preview")
    fields, product_image = submit.brief_fields(s, p.tenant_id, body)
    kit = submit.brand_kit(s, p.tenant_id, body.brand_kit_id)
    formats = submit.check_render_options(c, body, bool(kit and kit.logo_asset_id))
    image_id = product_image
    image: bytes | None = None
    warnings: list[str] = []
    if body.image_url is not None:
        image = fetch_image(c, str(body.image_url))
    elif body.image_asset_id is not None:
        asset_row = submit.image_asset(s, p.tenant_id, body.image_asset_id)
        image_id = asset_row.id if asset_row else None
    elif from_bank:
        image = bank_image_bytes(c, get_banks(c), p.tenant_id, body, fields)
    if generated or body.background == "scene":
        image_id = None if generated else image_id
        warnings.append(say_note("preview_scene_later"))
    made = render_style_preview(
        s,
        c.sessions,
        c.store,
        c.settings,
        p.tenant_id,
        fields,
        formats=formats,
        styles=body.styles,
        variants=body.variants,
        seed=body.seed,
        image_format=body.image_format,
        image_asset_id=image_id,
        image=image,
        brand_kit_id=kit.id if kit else None,
    )
    return StylePreviewOut(
        format=made.format.id,
        width=made.format.width,
        height=made.format.height,
        seed=body.seed,
        images=[
            StyleImageOut(
                style=i.style,
                url=signed_url(
                    request,
                    c,
                    i.key,
                    filename=f"preview-{i.style}-{i.width}x{i.height}.{i.key.rsplit('.', 1)[-1]}",
                    content_type=i.content_type,
                ),
                width=i.width,
                height=i.height,
                image_format=i.image_format,
                bytes=i.bytes,
            )
            for i in made.images
        ],
        warnings=[*warnings, *made.warnings],
        warning_notes=notes_of([*warnings, *made.warnings]),
        expires_in_s=int(c.settings.tasks.preview_ttl_s),
    )


def _submit(
    body: GenerateIn,
    upload: bytes | None,
    request: Request,
    response: Response,
    p: Principal,
    s: SessionDep,
    c: Container,
    m: MetricsDep,
    key: str | None,
) -> TaskOut:
    digest = submit.fingerprint(body, upload)
    found = submit.existing_task(s, p.tenant_id, key)
    if found is not None:
        response.headers["Idempotent-Replayed"] = "true"
        return task_out(request, c, s, submit.replay(found, digest))
    submit.check_quota(c, s, p.tenant_id)
    from_bank = body.image_source == "bank" or body.bank_image is not None
    generated = body.image_source == "generate"
    sources = sum(x is not None for x in (upload, body.image_url, body.image_asset_id))
    if sources + from_bank + generated > 1:
        raise refuse("one_product_image")
    check_generation(c, body)
    fields, product_image = submit.brief_fields(s, p.tenant_id, body)
    kit = submit.brand_kit(s, p.tenant_id, body.brand_kit_id)
    formats = submit.check_render_options(c, body, bool(kit and kit.logo_asset_id))
    created: list[object] = []
    bank_choice: dict[str, object] = {}
    image_id = product_image
    if upload is not None or body.image_url is not None:
        data = upload if upload is not None else fetch_image(c, str(body.image_url))
        asset = ingest_image(c, s, p.tenant_id, data, filename="product")
        created.append(asset)
        image_id = asset.id
    elif body.image_asset_id is not None:
        asset_row = submit.image_asset(s, p.tenant_id, body.image_asset_id)
        image_id = asset_row.id if asset_row else None
    elif from_bank:
        bank_row, bank_choice = bank_asset(c, s, get_banks(c), p.tenant_id, body, fields)
        created.append(bank_row)
        image_id = bank_row.id
    campaign = submit.campaign_for(s, p.tenant_id, body, str(fields["product_name"]))
    if body.campaign_id is None:
        created.append(campaign)
    brief = submit.new_brief(p.tenant_id, campaign, fields, image_id, kit.id if kit else None)
    s.add(brief)
    s.flush()
    task = Task(
        tenant_id=p.tenant_id,
        campaign_id=campaign.id,
        brief_id=brief.id,
        kind="generate",
        status="pending",
        request={
            "formats": formats,
            "styles": body.styles,
            "variants": body.variants,
            "seed": body.seed,
            "image_format": body.image_format,
            "fingerprint": digest,
            **({"bank_image": bank_choice} if from_bank else {}),
            **generation_request(body),
        },
        idempotency_key=key,
    )
    s.add(task)
    created += [brief, task]
    raced = submit.commit_task(s, p.tenant_id, key)
    if raced is not None:
        response.headers["Idempotent-Replayed"] = "true"
        return task_out(request, c, s, submit.replay(raced, digest))
    submit.enqueue(c, s, task, queue_of(c.settings, "generate", task.request), created, m)
    response.headers["Location"] = f"/api/v1/tasks/{task.id}"
    return task_out(request, c, s, task)
