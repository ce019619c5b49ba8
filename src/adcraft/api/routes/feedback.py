"""Feedback: downloads, manual edits (edit distance), regenerations, problem reports."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query
from sqlalchemy import select

from adcraft.analytics.events import EventType
from adcraft.api.analytics_deps import AnalyticsDep, creative_fields, record
from adcraft.api.deps import PrincipalDep, SessionDep, require
from adcraft.api.editdistance import normalised, ratio
from adcraft.api.jsonbody import ParsedJSONRoute
from adcraft.api.lookup import get_owned
from adcraft.api.routes.creatives import version_of
from adcraft.api.schemas import FeedbackIn, FeedbackOut
from adcraft.db.models import CreativeRow, Feedback
from adcraft.problem_codes import refuse

router = APIRouter(prefix="/feedback", tags=["feedback"], route_class=ParsedJSONRoute)
_EVENT_KINDS = {
    "edit": EventType.EDIT,
    "regenerate": EventType.REGENERATE,
    "download": EventType.DOWNLOAD,
}


def _out(f: Feedback) -> FeedbackOut:
    return FeedbackOut(
        id=f.id,
        creative_id=f.creative_id,
        kind=f.kind,
        version=f.version,
        field=f.field,
        edit_distance=f.edit_distance,
        data=f.data,
        created_at=f.created_at,
    )


@router.post("", status_code=201)
def record_feedback(
    body: FeedbackIn, p: PrincipalDep, s: SessionDep, a: AnalyticsDep
) -> FeedbackOut:
    """Record one piece of feedback on a creative (edits get their edit distance computed)."""
    if body.kind != "download":
        require(p, "edit")  # anyone may record a download (it exports an approved version)
    row = get_owned(s, CreativeRow, body.creative_id, p.tenant_id, "creative")
    version = body.version or row.current_version
    version_of(s, row, version)  # must exist
    data: dict[str, object] = {}
    distance = None
    if body.kind == "edit":
        if body.field is None or body.final_text is None:
            raise refuse("feedback_edit_incomplete")
        first = version_of(s, row, 1)
        generated = {**first.platform_text, **first.copy_fields}
        if body.field not in generated:
            raise refuse("field_not_in_creative", field=body.field, fields=str(sorted(generated)))
        distance = normalised(generated[body.field], body.final_text)
        data = {
            "final_text": body.final_text,
            "generated_text": generated[body.field],
            "edit_ratio": ratio(generated[body.field], body.final_text),
        }
    elif body.kind == "regenerate":
        data = {"what": body.what or "text"}
    elif body.kind == "report":
        if not (body.message or "").strip():
            raise refuse("report_needs_message")
        data = {"message": body.message}
    fb = Feedback(
        tenant_id=p.tenant_id,
        creative_id=row.id,
        version=version,
        kind=body.kind,
        field=body.field,
        edit_distance=distance,
        data=data,
    )
    s.add(fb)
    s.commit()
    kind = _EVENT_KINDS.get(body.kind)
    if kind is not None:
        props: dict[str, str | int | float | bool | None] = {"field": body.field}
        if distance is not None:
            props["edit_distance"] = round(distance, 4)
        if body.kind == "regenerate":
            props["what"] = body.what or "text"
        record(a, p, kind, props=props, **creative_fields(row, version))
    return _out(fb)


@router.get("")
def list_feedback(
    p: PrincipalDep,
    s: SessionDep,
    creative_id: Annotated[str | None, Query(max_length=64)] = None,
    kind: Literal["download", "edit", "regenerate", "report"] | None = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> list[FeedbackOut]:
    """The tenant's feedback, newest first."""
    where = [Feedback.tenant_id == p.tenant_id]
    if creative_id:
        where.append(Feedback.creative_id == creative_id)
    if kind:
        where.append(Feedback.kind == kind)
    rows = s.scalars(
        select(Feedback).where(*where).order_by(Feedback.created_at.desc()).limit(limit)
    ).all()
    return [_out(f) for f in rows]
