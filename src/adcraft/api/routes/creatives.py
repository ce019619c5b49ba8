"""Ranked creatives, their images and signed links."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from sqlalchemy import and_, func, select

from adcraft.analytics.events import EventType
from adcraft.api.analytics_deps import AnalyticsDep, creative_fields, record
from adcraft.api.creative_search import CreativeQuery
from adcraft.api.deps import ContainerDep, PrincipalDep, SessionDep
from adcraft.api.links import CTYPES, signed_url, upload_name
from adcraft.api.lookup import get_owned
from adcraft.api.review_log import shortlist_of, states_of
from adcraft.api.schemas import CreativeOut, FeedbackSummary, Page, SignedUrl
from adcraft.api.views import creative_out, version_counts
from adcraft.db.models import BriefRow, CreativeRow, Feedback, Task, Version
from adcraft.domain.formats import default_registry
from adcraft.domain.review import ReviewState
from adcraft.errors import NotFound
from adcraft.store.disposition import content_disposition

router = APIRouter(prefix="/creatives", tags=["creatives"])


def version_of(s: SessionDep, row: CreativeRow, number: int | None) -> Version:
    """A version of a creative (the current one by default)."""
    v = s.scalar(
        select(Version).where(
            Version.creative_id == row.id, Version.number == (number or row.current_version)
        )
    )
    if v is None:
        raise NotFound(f"creative {row.id} has no version {number}")
    return v


@router.get("")
def list_creatives(
    request: Request,
    p: PrincipalDep,
    s: SessionDep,
    c: ContainerDep,
    campaign: Annotated[str | None, Query(max_length=64)] = None,
    task: Annotated[str | None, Query(max_length=64, description="The generate task's id")] = None,
    format: Annotated[
        str | None, Query(max_length=100, description="Format id or alias, e.g. 1:1")
    ] = None,
    variant: Annotated[int | None, Query(ge=1, le=100)] = None,
    q: Annotated[
        str | None,
        Query(max_length=200, description="Words of the copy or product name (all must appear)"),
    ] = None,
    product: Annotated[
        str | None, Query(max_length=200, description="Product name (part of it) or product id")
    ] = None,
    language: Annotated[
        str | None, Query(max_length=16, description="The brief's language, e.g. ru or pt-BR")
    ] = None,
    state: Annotated[ReviewState | None, Query(description="Review state")] = None,
    top: Annotated[int | None, Query(ge=1, le=200, description="Only the N best")] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> Page[CreativeOut]:
    """Creatives ranked best first by the score of their current version, with metrics;
    narrowed by set, campaign, format, variant, words of the copy, product, language and
    review state."""
    where = [CreativeRow.tenant_id == p.tenant_id]
    if campaign:
        where.append(CreativeRow.campaign_id == campaign)
    if task:
        where.append(CreativeRow.task_id == task)
    if format:
        where.append(CreativeRow.format == default_registry()[format].id)
    if variant:
        where.append(CreativeRow.variant == variant)
    joined = and_(
        Version.creative_id == CreativeRow.id, Version.number == CreativeRow.current_version
    )
    query = CreativeQuery(q or "", product or "", language or "")
    if not query.empty or state is not None:
        return _search(request, s, c, p.tenant_id, where, query, state, top, limit, offset)
    total = s.scalar(select(func.count()).select_from(CreativeRow).where(*where)) or 0
    if top is not None:
        limit, offset, total = min(limit, top), 0, min(total, top)
    rows = s.execute(
        select(CreativeRow, Version)
        .join(Version, joined)
        .where(*where)
        # The ranking's order (scoring/ranking.py): passing every gate first, then score.
        .order_by(
            Version.gates_passed.desc(), Version.score.desc(), CreativeRow.rank, CreativeRow.id
        )
        .limit(limit)
        .offset(offset)
    ).all()
    counts = version_counts(s, [r[0].id for r in rows])
    states = states_of(s, [r for r, _ in rows])
    picked = shortlist_of(s, p.tenant_id, [r.id for r, _ in rows])
    items = [
        creative_out(request, c, r, v, counts.get(r.id, 1), states[r.id], r.id in picked)
        for r, v in rows
    ]
    return Page(items=items, total=total, limit=limit, offset=offset)


def _search(
    request: Request,
    s: SessionDep,
    c: ContainerDep,
    tenant_id: str,
    where: list[Any],
    query: CreativeQuery,
    state: ReviewState | None,
    top: int | None,
    limit: int,
    offset: int,
) -> Page[CreativeOut]:
    # The SQL filters narrow the rows; the words, product and language are matched in Python
    # (api/creative_search.py) and the review state is derived from each creative's log.
    joined = and_(
        Version.creative_id == CreativeRow.id, Version.number == CreativeRow.current_version
    )
    rows = s.execute(
        select(CreativeRow, Version, BriefRow.data, Task.request)
        .join(Version, joined)
        .join(Task, Task.id == CreativeRow.task_id)
        .join(BriefRow, BriefRow.id == Task.brief_id)
        .where(*where)
        .order_by(
            Version.gates_passed.desc(), Version.score.desc(), CreativeRow.rank, CreativeRow.id
        )
    ).all()
    hits = [(r, v) for r, v, brief, req in rows if query.matches(r, v, brief or {}, req or {})]
    states = states_of(s, [r for r, _ in hits])
    if state is not None:
        hits = [(r, v) for r, v in hits if states[r.id] == state]
    if top is not None:
        hits, limit, offset = hits[:top], min(limit, top), 0
    page = hits[offset : offset + limit]
    counts = version_counts(s, [r.id for r, _ in page])
    picked = shortlist_of(s, tenant_id, [r.id for r, _ in page])
    items = [
        creative_out(request, c, r, v, counts.get(r.id, 1), states[r.id], r.id in picked)
        for r, v in page
    ]
    return Page(items=items, total=len(hits), limit=limit, offset=offset)


@router.get("/{creative_id}")
def get_creative(
    creative_id: str, request: Request, p: PrincipalDep, s: SessionDep, c: ContainerDep
) -> CreativeOut:
    """One creative with its current version."""
    row = get_owned(s, CreativeRow, creative_id, p.tenant_id, "creative")
    v = version_of(s, row, None)
    n = version_counts(s, [row.id]).get(row.id, 1)
    picked = row.id in shortlist_of(s, p.tenant_id, [row.id])
    return creative_out(request, c, row, v, n, states_of(s, [row])[row.id], picked)


@router.get(
    "/{creative_id}/image",
    response_class=Response,
    responses={200: {"content": {"image/jpeg": {}, "image/png": {}, "image/webp": {}}}},
)
def creative_image(
    creative_id: str,
    p: PrincipalDep,
    s: SessionDep,
    c: ContainerDep,
    a: AnalyticsDep,
    version: Annotated[int | None, Query(ge=1, le=100_000)] = None,
    download: bool = False,
) -> Response:
    """The image bytes of the current (or a given) version."""
    row = get_owned(s, CreativeRow, creative_id, p.tenant_id, "creative")
    v = version_of(s, row, version)
    if download:  # a single-image download counts as adopting the creative
        record(a, p, EventType.DOWNLOAD, props={"via": "image"}, **creative_fields(row, v.number))
    name = upload_name(row.format, row.width, row.height, row.variant, v.image_format)
    return Response(
        c.store.get(v.image_key),
        media_type=CTYPES[v.image_format],
        headers={
            "Content-Disposition": content_disposition(name, inline=not download),
            "Cache-Control": "private, max-age=3600",
        },
    )


@router.get("/{creative_id}/url")
def creative_url(
    creative_id: str,
    request: Request,
    p: PrincipalDep,
    s: SessionDep,
    c: ContainerDep,
    version: Annotated[int | None, Query(ge=1, le=100_000)] = None,
    ttl_s: Annotated[int | None, Query(ge=10, le=7 * 24 * 3600)] = None,
) -> SignedUrl:
    """A short-lived signed download link for the image (no API key needed to open it)."""
    row = get_owned(s, CreativeRow, creative_id, p.tenant_id, "creative")
    v = version_of(s, row, version)
    ttl = min(ttl_s or c.settings.store.signed_url_ttl_s, c.settings.store.signed_url_ttl_s)
    name = upload_name(row.format, row.width, row.height, row.variant, v.image_format)
    url = signed_url(
        request, c, v.image_key, filename=name, content_type=CTYPES[v.image_format], ttl_s=ttl
    )
    return SignedUrl(url=url, expires_in_s=ttl)


@router.get("/{creative_id}/feedback")
def creative_feedback(creative_id: str, p: PrincipalDep, s: SessionDep) -> FeedbackSummary:
    """Downloads, edits (mean edit distance), regenerations and reports for a creative."""
    row = get_owned(s, CreativeRow, creative_id, p.tenant_id, "creative")
    rows = s.execute(
        select(Feedback.kind, func.count(), func.avg(Feedback.edit_distance))
        .where(Feedback.creative_id == row.id)
        .group_by(Feedback.kind)
    ).all()
    by_kind = {str(k): (int(n), avg) for k, n, avg in rows}
    edit = by_kind.get("edit", (0, None))
    return FeedbackSummary(
        downloads=by_kind.get("download", (0, None))[0],
        edits=edit[0],
        regenerations=by_kind.get("regenerate", (0, None))[0],
        reports=by_kind.get("report", (0, None))[0],
        mean_edit_distance=round(float(edit[1]), 4) if edit[1] is not None else None,
    )


__all__ = ["router", "signed_url", "version_of"]
