"""Rows to response bodies (signed links filled in, storage keys left out)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from fastapi import Request
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from adcraft.api.links import CTYPES, signed_url, upload_name
from adcraft.api.schemas import (
    AssetOut,
    BrandKitOut,
    CopyProviderOut,
    CreativeOut,
    InjectionOut,
    LayoutBoxOut,
    LookOut,
    NoteOut,
    ProblemOut,
    ProductOut,
    Progress,
    ReviewStateName,
    ScoreReasonOut,
    TaskOut,
    VersionOut,
)
from adcraft.api.uploaded import ORIGIN
from adcraft.container import Container
from adcraft.copywriting.injection import injections_in
from adcraft.db.models import Asset, BrandKitRow, CreativeRow, Product, Task, Version
from adcraft.layout.placement import Placement
from adcraft.notes import NOT_PUBLISHABLE, Note, parse_blocking
from adcraft.notes import parse as parse_note
from adcraft.output import SCORE_PREFIX
from adcraft.scoring.gates.base import GateResult
from adcraft.scoring.reasons import parse as parse_reason


def task_out(request: Request, c: Container, session: Session, t: Task) -> TaskOut:
    """A task with progress, timings and outcome."""
    total = max(t.steps_total, 0)
    fraction = 1.0 if t.status == "completed" else (t.steps_done / total if total else 0.0)
    wait = (t.started_at - t.created_at).total_seconds() if t.started_at else None
    duration = (
        (t.finished_at - t.started_at).total_seconds() if t.finished_at and t.started_at else None
    )
    result = t.result or {}
    n = 0
    if t.status == "completed":
        n = (
            session.scalar(select(func.count()).select_from(Version).where(Version.task_id == t.id))
            or 0
        )
    sheet = result.get("contact_sheet_key")
    return TaskOut(
        id=t.id,
        kind=t.kind,
        status=t.status,
        campaign_id=t.campaign_id,
        progress=Progress(
            done=t.steps_done, total=total, step=t.current_step, fraction=round(fraction, 4)
        ),
        attempts=t.attempts,
        error=ProblemOut(**t.error) if t.error else None,
        created_at=t.created_at,
        started_at=t.started_at,
        finished_at=t.finished_at,
        queue_wait_s=round(wait, 3) if wait is not None else None,
        duration_s=round(duration, 3) if duration is not None else None,
        warnings=list(result.get("warnings", [])),
        warning_notes=notes_of(result.get("warnings", [])),
        injections=[InjectionOut(**i) for i in result.get("injections", [])]
        or _injections(result.get("warnings", [])),
        creatives=n,
        contact_sheet_url=signed_url(
            request, c, sheet, filename="contact-sheet.png", content_type="image/png"
        )
        if sheet
        else None,
        request={k: v for k, v in t.request.items() if k not in ("render", "fingerprint")},
        copy_provider=CopyProviderOut(**result["copy"]) if result.get("copy") else None,
    )


def current_versions(session: Session, rows: list[CreativeRow]) -> dict[str, Version]:
    """The current version of each creative, in one query."""
    if not rows:
        return {}
    pairs = [(r.id, r.current_version) for r in rows]
    found = session.scalars(
        select(Version).where(Version.creative_id.in_([p[0] for p in pairs]))
    ).all()
    want = dict(pairs)
    return {v.creative_id: v for v in found if want.get(v.creative_id) == v.number}


def version_counts(session: Session, ids: list[str]) -> dict[str, int]:
    """How many versions each creative has."""
    if not ids:
        return {}
    rows = session.execute(
        select(Version.creative_id, func.count())
        .where(Version.creative_id.in_(ids))
        .group_by(Version.creative_id)
    ).all()
    return {str(k): int(n) for k, n in rows}


def creative_out(
    request: Request,
    c: Container,
    row: CreativeRow,
    v: Version,
    n_versions: int,
    review_state: ReviewStateName = "draft",
    shortlisted: bool = False,
) -> CreativeOut:
    """A creative with its current version's copy, score and image link."""
    name = upload_name(row.format, row.width, row.height, row.variant, v.image_format)
    publishable, reasons = publishable_of(v)
    return CreativeOut(
        id=row.id,
        campaign_id=row.campaign_id,
        task_id=row.task_id,
        origin="uploaded" if v.action == ORIGIN else "generated",
        name=str((v.render or {}).get(ORIGIN, {}).get("name", "")),
        format=row.format,
        platform=row.platform,
        width=row.width,
        height=row.height,
        variant=row.variant,
        style=row.style,
        template=row.template,
        rank=row.rank,
        score=v.score,
        metrics=v.metrics,
        copy_fields=v.copy_fields,
        copy_limits=v.copy_limits,
        platform_text=v.platform_text,
        warnings=list(v.warnings),
        score_reasons=score_reasons_of(v),
        warning_notes=warning_notes_of(v),
        injections=_injections(v.warnings),
        version=v.number,
        versions=n_versions,
        file_name=name,
        image_url=signed_url(
            request, c, v.image_key, filename=name, content_type=CTYPES[v.image_format]
        ),
        image_sha256=content_digest(v.image_key),
        shortened=edited_not_as_typed(row.format, v),
        review_state=review_state,
        shortlisted=shortlisted,
        created_at=row.created_at,
        publishable=publishable,
        publishable_reasons=reasons,
        publishable_notes=[note_out(parse_blocking(r)) for r in reasons],
        passed_gates=v.gates_passed,
        gates=[GateResult.model_validate(g) for g in v.gates or []],
        layout=[LayoutBoxOut.model_validate(b) for b in v.layout or []],
        placement=placement_of(row.format, v),
    )


def placement_of(format_id: str, v: Version) -> Placement | None:
    """The hand adjustment this version draws its size with, if any."""
    placed = dict((v.render or {}).get("placement_by_format") or {}).get(format_id)
    return Placement.model_validate(placed) if placed else None


def score_reasons_of(v: Version) -> list[ScoreReasonOut]:
    """The version's score reasons (its ``score: …`` warnings) with their codes."""
    out = []
    for w in v.warnings:
        if w.startswith(SCORE_PREFIX):
            r = parse_reason(w.removeprefix(SCORE_PREFIX))
            out.append(ScoreReasonOut(code=r.code, text=r.text, points=r.points, params=r.params))
    return out


def note_out(n: Note) -> NoteOut:
    return NoteOut(code=n.code, text=n.text, params=n.params, blocks=n.blocks)


def notes_of(warnings: Iterable[str]) -> list[NoteOut]:
    """Set-level warnings (of a run, a preview, an import, an experiment) with their codes."""
    return [note_out(parse_note(w)) for w in warnings]


def warning_notes_of(v: Version) -> list[NoteOut]:
    """The version's warnings other than score reasons, with their codes."""
    return [note_out(parse_note(w)) for w in v.warnings if not w.startswith(SCORE_PREFIX)]


def publishable_of(v: Version) -> tuple[bool, list[str]]:
    """The version's publishability verdict and its reasons."""
    reasons = [w.removeprefix(NOT_PUBLISHABLE) for w in v.warnings if w.startswith(NOT_PUBLISHABLE)]
    return v.metrics.get("publishable", 1.0) >= 0.5, reasons


def edited_not_as_typed(format_id: str, v: Version) -> list[str]:
    """The marketer's edited fields that this size shows differently, so a card can say so."""
    render = v.render or {}
    by_format = dict(render.get("overrides_by_format") or {})
    wanted = {**dict(render.get("overrides") or {}), **dict(by_format.get(format_id) or {})}
    out = []
    for name, text in wanted.items():
        shown = [d[name] for d in (v.copy_fields, v.platform_text) if name in d]
        if not shown or any(s != text for s in shown):
            out.append(name)
    return sorted(out)


def content_digest(key: str) -> str:
    """The SHA-256 of an asset's bytes, read from its content-addressed key."""
    return key.rsplit("/", 1)[-1].split(".", 1)[0]


def version_out(request: Request, c: Container, row: CreativeRow, v: Version) -> VersionOut:
    """One version of a creative."""
    name = upload_name(row.format, row.width, row.height, row.variant, v.image_format)
    return VersionOut(
        number=v.number,
        action=v.action,
        current=v.number == row.current_version,
        task_id=v.task_id,
        created_at=v.created_at,
        score=v.score,
        metrics=v.metrics,
        copy_fields=v.copy_fields,
        copy_limits=v.copy_limits,
        platform_text=v.platform_text,
        warnings=list(v.warnings),
        score_reasons=score_reasons_of(v),
        warning_notes=warning_notes_of(v),
        injections=_injections(v.warnings),
        image_format=v.image_format,
        bytes=v.bytes,
        image_url=signed_url(
            request, c, v.image_key, filename=name, content_type=CTYPES[v.image_format]
        ),
        look=look_out(v.render),
    )


def look_out(render: dict[str, Any]) -> LookOut | None:
    """The seeds recorded in a version's render parameters."""
    if "seed" not in render:
        return None
    picture = render.get("picture") or {}
    scene = render.get("scene") or {}
    return LookOut(
        seed=int(render["seed"]),
        count=int(render.get("look", 0)),
        picture_seed=picture.get("seed"),
        picture_source=picture.get("source"),
        scene_seed=scene.get("seed"),
        scene_groups=sorted(scene.get("keys") or {}),
    )


def asset_out(request: Request, c: Container, a: Asset) -> AssetOut:
    """An asset with a signed link."""
    return AssetOut(
        id=a.id,
        kind=a.kind,
        content_type=a.content_type,
        bytes=a.bytes,
        width=a.width,
        height=a.height,
        filename=a.filename,
        caption=a.caption,
        created_at=a.created_at,
        url=signed_url(
            request, c, a.key, filename=a.filename or f"{a.id}", content_type=a.content_type
        ),
    )


def _asset_link(
    request: Request, c: Container, session: Session, asset_id: str | None
) -> str | None:
    if asset_id is None:
        return None
    a = session.get(Asset, asset_id)
    if a is None:
        return None
    return signed_url(request, c, a.key, filename=a.filename or a.id, content_type=a.content_type)


def brand_kit_out(request: Request, c: Container, session: Session, k: BrandKitRow) -> BrandKitOut:
    """A brand kit."""
    return BrandKitOut(
        id=k.id,
        name=k.name,
        colors=list(k.colors),
        tone_words=list(k.tone_words),
        banned_words=list(k.banned_words),
        deadline_required=k.deadline_required,
        logo_asset_id=k.logo_asset_id,
        heading_font_asset_id=k.heading_font_asset_id,
        body_font_asset_id=k.body_font_asset_id,
        created_at=k.created_at,
        logo_url=_asset_link(request, c, session, k.logo_asset_id),
    )


def product_out(request: Request, c: Container, session: Session, p: Product) -> ProductOut:
    """A catalogue product."""
    return ProductOut(
        id=p.id,
        sku=p.sku,
        created_at=p.created_at,
        image_asset_id=p.image_asset_id,
        image_url=_asset_link(request, c, session, p.image_asset_id),
        **{k: v for k, v in p.data.items() if k in _PRODUCT_FIELDS},
    )


_PRODUCT_FIELDS = (
    "name",
    "description",
    "selling_points",
    "offers",
    "price",
    "regular_price",
    "language",
    "category",
)


def _injections(warnings: Iterable[str]) -> list[InjectionOut]:
    """The prompt-injection sentences named in a record's warnings."""
    return [InjectionOut(**i.model_dump()) for i in injections_in(warnings)]
