"""Finished ads made elsewhere (a designer's control) brought in as creatives.

An uploaded creative is stored like a generated one — a creative row with one version whose
image lives in the asset store — so the creatives list, signed links, experiments, serving and
tracking treat it the same way. What differs is recorded in the version: ``action`` is
``uploaded``, there is no copy, no layout metrics, no gates and score 0 (adcraft measured
nothing), and no render parameters, so nothing can re-render it.

Rows need a task: the upload is recorded as a ``upload`` task that is completed when it is
created (no worker ever sees it).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePosixPath

from sqlalchemy.orm import Session

from adcraft.api.limits import payload_too_large
from adcraft.api.lookup import get_owned
from adcraft.api.routes.tracking import check_landing_url
from adcraft.api.textcheck import clean_name
from adcraft.container import Container
from adcraft.db.models import BriefRow, Campaign, CreativeRow, Task, Version
from adcraft.domain.formats import Format, default_registry
from adcraft.errors import Conflict, ImageInputError, InputError
from adcraft.imagery.load import probe_image
from adcraft.problem_codes import refuse

ORIGIN = "uploaded"
"""``Version.action`` (and ``origin`` in the API) of an uploaded finished image."""
UPLOAD_TASK = "upload"
UPLOADED_SCORE = 0.0
"""Uploaded images get no layout score: 0 sorts them after generated creatives."""

# Pillow format -> the version's image_format (the names the signed links use).
_IMAGE_FORMATS = {"JPEG": "jpeg", "PNG": "png", "WEBP": "webp"}


@dataclass(frozen=True)
class UploadIn:
    """The checked form fields of an upload (the image bytes travel separately)."""

    format_id: str
    landing_url: str
    name: str = ""
    campaign_id: str | None = None
    filename: str = ""


def _looks_like_ad_image(data: bytes) -> bool:
    """The file starts with a JPEG, PNG or WebP signature."""
    return data.startswith((b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n")) or (
        data[:4] == b"RIFF" and data[8:12] == b"WEBP"
    )


def creative_format(format_id: str) -> Format:
    """An image format of the registry: an id, an alias (``1:1``) or an IAB size, as generation
    takes them."""
    fmt = default_registry()[format_id]  # UnknownFormat with suggestions
    if fmt.kind != "creative":
        raise InputError(f"format {fmt.id!r} is a {fmt.kind} format, not an ad creative format")
    return fmt


def check_fits(width: int, height: int, fmt: Format, name: str) -> None:
    """The image is the format's size, or the same shape scaled, and not below its minimum.

    "Same shape" allows the height to differ by one pixel from width × format height ÷ format
    width, the rounding a design tool makes when it exports at another scale.
    """
    fw, fh = fmt.size
    if (width, height) == (fw, fh):
        return
    if abs(height * fw - width * fh) > fw:
        raise refuse(
            "ad_image_wrong_shape",
            name=name,
            width=width,
            height=height,
            format=fmt.id,
            format_width=fw,
            format_height=fh,
        )
    min_w, min_h = fmt.min_width or 0, fmt.min_height or 0
    if width < min_w or height < min_h:
        raise refuse(
            "ad_image_too_small",
            name=name,
            width=width,
            height=height,
            min_width=min_w,
            min_height=min_h,
            format=fmt.id,
            format_width=fw,
            format_height=fh,
        )


def refuse_rerender(version: Version, creative_id: str) -> None:
    """409 for edits and new looks of an uploaded finished image."""
    if version.action == ORIGIN:
        raise Conflict(
            f"creative {creative_id} is an uploaded finished image: adcraft has no copy or "
            "layout to edit or re-render; upload a new image instead"
        )


def create_uploaded(
    c: Container, s: Session, tenant_id: str, data: bytes, form: UploadIn
) -> CreativeRow:
    """Check the image from its header against the format, store it, and add the rows.

    No pixel is decoded here (``probe_image`` reads the header), as for every upload to the API.
    """
    fmt = creative_format(form.format_id)
    landing = check_landing_url(form.landing_url)
    limit = c.settings.limits.max_upload_bytes
    shown = clean_name(form.filename) or "the image"
    if len(data) > limit:
        raise payload_too_large(limit, shown)
    if not _looks_like_ad_image(data):
        # Said before Pillow reads it: its message would offer GIF, TIFF and BMP too.
        raise refuse("ad_image_not_supported", kind=ImageInputError, name=shown)
    header = probe_image(data, shown, max_pixels=c.settings.limits.max_pixels)
    image_format = _IMAGE_FORMATS.get(header.format)
    if image_format is None:
        raise refuse(
            "ad_image_wrong_type", kind=ImageInputError, name=shown, image_format=header.format
        )
    check_fits(header.width, header.height, fmt, shown)
    name = form.name.strip() or PurePosixPath(clean_name(form.filename)).stem or fmt.id
    if form.campaign_id:
        campaign = get_owned(s, Campaign, form.campaign_id, tenant_id, "campaign")
    else:
        campaign = Campaign(tenant_id=tenant_id, name=name[:200])
        s.add(campaign)
        s.flush()
    record = {"format_id": fmt.id, "name": name, "filename": clean_name(form.filename)[:300]}
    brief = BriefRow(tenant_id=tenant_id, campaign_id=campaign.id, data={ORIGIN: record})
    s.add(brief)
    s.flush()
    task = Task(
        tenant_id=tenant_id,
        campaign_id=campaign.id,
        brief_id=brief.id,
        kind=UPLOAD_TASK,
        status="completed",
        request={ORIGIN: record},
        steps_done=1,
        steps_total=1,
        current_step=ORIGIN,
        result={"warnings": []},
    )
    s.add(task)
    s.flush()
    key = c.store.put(tenant_id, data, header.ext, header.content_type)
    row = CreativeRow(
        tenant_id=tenant_id,
        campaign_id=campaign.id,
        task_id=task.id,
        pipeline_id=ORIGIN,
        format=fmt.id,
        platform=fmt.platform,
        width=header.width,
        height=header.height,
        variant=1,
        style=ORIGIN,
        template=ORIGIN,
        rank=1,
        current_version=1,
        landing_url=landing,
    )
    s.add(row)
    s.flush()
    s.add(
        Version(
            tenant_id=tenant_id,
            creative_id=row.id,
            number=1,
            task_id=task.id,
            action=ORIGIN,
            image_key=key,
            image_format=image_format,
            bytes=len(data),
            score=UPLOADED_SCORE,
            metrics={},
            copy_fields={},
            platform_text={},
            copy_limits={},
            warnings=[],
            render={ORIGIN: record},
            gates=[],
            gates_passed=True,
        )
    )
    s.flush()
    return row
