"""``POST /creatives/upload``: a finished ad made elsewhere, e.g. the human-made control of an
experiment."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Form, Request, Response, UploadFile

from adcraft.api.deps import ContainerDep, PrincipalDep, SessionDep
from adcraft.api.intake import read_upload
from adcraft.api.review_log import states_of
from adcraft.api.routes.creatives import version_of
from adcraft.api.schemas import CreativeOut
from adcraft.api.textcheck import check_value
from adcraft.api.uploaded import UploadIn, create_uploaded
from adcraft.api.views import creative_out

router = APIRouter(prefix="/creatives", tags=["creatives"])


@router.post(
    "/upload",
    status_code=201,
    responses={
        404: {"description": "No such campaign"},
        413: {"description": "File too large"},
        422: {"description": "Not a JPEG/PNG/WebP, unknown format, wrong size or bad URL"},
    },
)
def upload_creative(
    request: Request,
    response: Response,
    p: PrincipalDep,
    s: SessionDep,
    c: ContainerDep,
    file: Annotated[UploadFile, File(description="The finished ad: JPEG, PNG or WebP")],
    format_id: Annotated[
        str, Form(max_length=100, description="The format it was made for (GET /formats)")
    ],
    landing_url: Annotated[
        str, Form(max_length=2048, description="Where clicks on it go (absolute http(s) URL)")
    ],
    name: Annotated[str, Form(max_length=200)] = "",
    campaign_id: Annotated[str | None, Form(max_length=64)] = None,
) -> CreativeOut:
    """Bring in a finished ad as a creative with one version (``origin: uploaded``).

    Its size must be the format's or the same aspect ratio (not below the format's minimum).
    It has no copy, metrics or gates and score 0; it is never re-rendered. Use its id as an
    experiment arm, typically the control.
    """
    for value, where in ((format_id, "format_id"), (name, "name"), (landing_url, "landing_url")):
        check_value(value, where)
    data = read_upload(file, c.settings.limits.max_upload_bytes, "the image")
    form = UploadIn(
        format_id=format_id,
        landing_url=landing_url,
        name=name,
        campaign_id=campaign_id or None,
        filename=file.filename or "",
    )
    row = create_uploaded(c, s, p.tenant_id, data, form)
    s.commit()
    response.headers["Location"] = f"/api/v1/creatives/{row.id}"
    return creative_out(request, c, row, version_of(s, row, None), 1, states_of(s, [row])[row.id])
