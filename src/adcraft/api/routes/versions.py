"""Versions: edit copy or swap the image and re-render the variant in every size; go back."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.exceptions import RequestValidationError
from sqlalchemy import select

from adcraft.api import submit
from adcraft.api.deps import ContainerDep, MetricsDep, PrincipalDep, SessionDep
from adcraft.api.editdistance import normalised, ratio
from adcraft.api.intake import fetch_image, ingest_image
from adcraft.api.jsonbody import ParsedJSONRoute
from adcraft.api.lookup import get_owned
from adcraft.api.review_log import shortlist_of, states_of
from adcraft.api.routes.creatives import version_of
from adcraft.api.routes.edit_preview import check_per_size
from adcraft.api.schemas import CreativeOut, RestoreIn, TaskOut, VersionIn, VersionOut
from adcraft.api.uploaded import refuse_rerender
from adcraft.api.views import creative_out, task_out, version_counts, version_out
from adcraft.container import Container
from adcraft.copywriting.injection import strip_injections
from adcraft.copywriting.limits import measure
from adcraft.copywriting.safety import banned_in
from adcraft.db.models import BrandKitRow, BriefRow, CreativeRow, Feedback, Task, Version
from adcraft.db.variants import variant_sizes
from adcraft.errors import NotFound
from adcraft.problem_codes import refuse
from adcraft.tasks.generated import new_look
from adcraft.tasks.sweeper import queue_of

router = APIRouter(
    prefix="/creatives/{creative_id}", tags=["versions"], route_class=ParsedJSONRoute
)


@router.get("/versions")
def list_versions(
    creative_id: str, request: Request, p: PrincipalDep, s: SessionDep, c: ContainerDep
) -> list[VersionOut]:
    """Every version of a creative, oldest first."""
    row = get_owned(s, CreativeRow, creative_id, p.tenant_id, "creative")
    rows = s.scalars(
        select(Version).where(Version.creative_id == row.id).order_by(Version.number)
    ).all()
    return [version_out(request, c, row, v) for v in rows]


@router.get("/versions/{number}")
def get_version(
    creative_id: str,
    number: int,
    request: Request,
    p: PrincipalDep,
    s: SessionDep,
    c: ContainerDep,
) -> VersionOut:
    """One version of a creative."""
    row = get_owned(s, CreativeRow, creative_id, p.tenant_id, "creative")
    return version_out(request, c, row, version_of(s, row, number) if number >= 1 else _none(row))


def _none(row: CreativeRow) -> Version:
    raise NotFound(f"creative {row.id} has no version 0: versions start at 1")


def _brand_words(s: SessionDep, row: CreativeRow) -> tuple[str, ...]:
    """The banned words of the brand kit the creative's brief was made with."""
    task = s.get(Task, row.task_id)
    brief = s.get(BriefRow, task.brief_id) if task is not None else None
    if brief is None:
        return ()
    words = list((brief.data.get("brand") or {}).get("banned_words") or [])
    if brief.brand_kit_id is not None:
        kit = s.get(BrandKitRow, brief.brand_kit_id)
        if kit is not None and kit.tenant_id == row.tenant_id:
            words += list(kit.banned_words)
    return tuple(dict.fromkeys(w for w in words if isinstance(w, str) and w.strip()))


def _refuse_unsafe(edits: dict[str, str], banned: tuple[str, ...]) -> None:
    """422 naming the field and the word when an edit uses a banned word or instructs a model.

    The errors list has the shape of a validation error (``loc`` ends with the field name), so
    the web app shows each reason beside its field.
    """
    errors: list[dict[str, Any]] = []
    for name, text in edits.items():
        for word in banned_in(text, banned):
            msg = f'contains "{word}", a word the brand kit bans: rephrase without it'
            errors.append({"loc": ("body", "copy", name), "msg": msg, "type": "banned_word"})
        for found in strip_injections(text)[1]:
            msg = f'"{found.sentence}" reads as an instruction to a model: remove it'
            errors.append({"loc": ("body", "copy", name), "msg": msg, "type": "injection"})
    if errors:
        raise RequestValidationError(errors)


def _check_edits(cur: Version, edits: dict[str, str]) -> dict[str, str]:
    if not edits:
        raise refuse("edit_needs_copy")
    known = set(cur.copy_fields) | set(cur.platform_text)
    out: dict[str, str] = {}
    for name, text in edits.items():
        if name not in known:
            raise refuse("field_not_in_creative", field=name, fields=str(sorted(known)))
        text = " ".join(text.split()) if name != "body" else text.strip()
        limit = cur.copy_limits.get(name)
        if limit is not None and measure(text) > limit:
            raise refuse("copy_too_long", field=name, length=measure(text), max=limit)
        out[name] = text
    return out


def _check_per_size_edits(edits: dict[str, str]) -> dict[str, str]:
    """Per-size texts are checked against that size when it is rendered (``pin``)."""
    return {
        name: " ".join(text.split()) if name != "body" else text.strip()
        for name, text in edits.items()
    }


def _next_render(
    c: Container,
    s: SessionDep,
    row: CreativeRow,
    cur: Version,
    body: VersionIn,
    banned: tuple[str, ...] = (),
) -> tuple[dict[str, Any], list[Any]]:
    tenant_id = row.tenant_id
    render = dict(cur.render)
    created: list[Any] = []
    # Each size keeps its own hand adjustment whichever size a new version starts from.
    render["placement_by_format"] = _placements(s, row)
    if body.action == "edit":
        _refuse_unsafe(body.copy_fields, banned)
        render["overrides"] = {
            **dict(render.get("overrides") or {}),
            **_check_edits(cur, body.copy_fields),
        }
        if body.copy_by_format:
            check_per_size(
                variant_sizes(s, row.tenant_id, row.task_id, row.variant), body.copy_by_format
            )
            by_format = {
                k: dict(v) for k, v in dict(render.get("overrides_by_format") or {}).items()
            }
            for fmt, edits in body.copy_by_format.items():
                _refuse_unsafe(edits, banned)
                by_format[fmt] = {**by_format.get(fmt, {}), **_check_per_size_edits(edits)}
            render["overrides_by_format"] = by_format
    elif body.action == "swap_image":
        if (body.image_asset_id is None) == (body.image_url is None):
            raise refuse("swap_image_needs_one")
        if body.image_url is not None:
            asset = ingest_image(c, s, tenant_id, fetch_image(c, str(body.image_url)))
            created.append(asset)
        else:
            found = submit.image_asset(s, tenant_id, body.image_asset_id)
            assert found is not None
            asset = found
        render["image_asset_id"] = asset.id
    elif body.action == "place":
        if body.placement is None:
            raise refuse("place_needs_placement")
        if row.template == "logo":
            raise refuse("logo_nothing_to_move")
        placements = dict(render["placement_by_format"])
        if body.placement.is_identity():
            placements.pop(row.format, None)  # back to the engine's own layout
        else:
            placements[row.format] = body.placement.model_dump()
        render["placement_by_format"] = placements
    elif body.action == "regenerate_text":
        render["copy_variant"] = int(render["copy_variant"]) + int(render["n_variants"])
        render["overrides"] = {}
    else:
        # A new look: new seeds recorded in the version; a generated picture or a painted
        # scene is painted again with its new seed by the worker.
        render = new_look(render)
    return render, created


def _placements(s: SessionDep, row: CreativeRow) -> dict[str, Any]:
    """Every size's hand adjustment, as its current version draws it."""
    out: dict[str, Any] = {}
    for size in variant_sizes(s, row.tenant_id, row.task_id, row.variant):
        own = dict(version_of(s, size, None).render.get("placement_by_format") or {})
        if own.get(size.format):
            out[size.format] = own[size.format]
    return out


def _feedback(tenant_id: str, row: CreativeRow, s: SessionDep, body: VersionIn) -> list[Feedback]:
    if body.action == "edit":
        first = version_of(s, row, 1)
        original = {**first.platform_text, **first.copy_fields}
        return [
            Feedback(
                tenant_id=tenant_id,
                creative_id=row.id,
                version=row.current_version,
                kind="edit",
                field=name,
                edit_distance=normalised(original.get(name, ""), text),
                data={
                    "final_text": text,
                    "generated_text": original.get(name, ""),
                    "edit_ratio": ratio(original.get(name, ""), text),
                },
            )
            for name, text in body.copy_fields.items()
        ]
    if body.action.startswith("regenerate"):
        what = body.action.removeprefix("regenerate_")
        return [
            Feedback(
                tenant_id=tenant_id,
                creative_id=row.id,
                version=row.current_version,
                kind="regenerate",
                data={"what": what},
            )
        ]
    return []


@router.post("/versions", status_code=202)
def create_version(
    creative_id: str,
    body: VersionIn,
    request: Request,
    response: Response,
    p: PrincipalDep,
    s: SessionDep,
    c: ContainerDep,
    m: MetricsDep,
) -> TaskOut:
    """Queue a re-render of this creative's variant in every size of its set (a new version;
    ``place`` re-renders this size only).

    ``edit`` keeps earlier edits and applies ``copy``; ``place`` moves the product and the
    text block of this creative's size (``placement``, checked by the worker against the
    layout's guarantees); ``swap_image`` uses another product photo; ``regenerate_text`` asks
    for new copy, ``regenerate_image`` for a new look. Edits and regenerations are recorded as
    feedback (edit distance against the generated text).
    """
    row = get_owned(s, CreativeRow, creative_id, p.tenant_id, "creative")
    cur = version_of(s, row, None)
    refuse_rerender(cur, row.id)
    submit.check_quota(c, s, p.tenant_id)
    banned = _brand_words(s, row) if body.action == "edit" else ()
    render, created = _next_render(c, s, row, cur, body, banned)
    source = s.get(Task, row.task_id)
    assert source is not None
    task = Task(
        tenant_id=p.tenant_id,
        campaign_id=row.campaign_id,
        brief_id=source.brief_id,
        kind="render",
        status="pending",
        request={
            "creative_id": row.id,
            "action": body.action,
            "source_task_id": row.task_id,
            "variant": row.variant,
            "copy": body.copy_fields,
            "render": render,
        },
    )
    s.add(task)
    feedback = _feedback(p.tenant_id, row, s, body)
    s.add_all(feedback)
    s.commit()
    queue = queue_of(c.settings, "render", task.request)
    submit.enqueue(c, s, task, queue, [*feedback, task, *created], m)
    response.headers["Location"] = f"/api/v1/tasks/{task.id}"
    return task_out(request, c, s, task)


@router.post("/restore")
def restore_version(
    creative_id: str,
    body: RestoreIn,
    request: Request,
    p: PrincipalDep,
    s: SessionDep,
    c: ContainerDep,
) -> CreativeOut:
    """Make an earlier version current again, for every size of the variant."""
    row = get_owned(s, CreativeRow, creative_id, p.tenant_id, "creative")
    target = version_of(s, row, body.version)
    for sib in variant_sizes(s, p.tenant_id, row.task_id, row.variant):
        same = s.scalar(
            select(Version.number).where(
                Version.creative_id == sib.id, Version.task_id == target.task_id
            )
        )
        if same is not None:
            sib.current_version = same
    s.commit()
    n = version_counts(s, [row.id]).get(row.id, 1)
    picked = row.id in shortlist_of(s, p.tenant_id, [row.id])
    return creative_out(request, c, row, target, n, states_of(s, [row])[row.id], picked)
