"""Downloads of a whole set (or one variant): a ZIP named for ad platforms, and copy as CSV."""

from __future__ import annotations

import csv
import io
import zipfile
from typing import Annotated, Any

from fastapi import APIRouter, Query
from fastapi.responses import Response
from sqlalchemy import and_, select

from adcraft.analytics.events import EventType
from adcraft.api import export_zip
from adcraft.api.analytics_deps import AnalyticsDep, creative_fields, record_many
from adcraft.api.deps import ContainerDep, PrincipalDep, SessionDep
from adcraft.api.links import upload_name
from adcraft.api.lookup import get_owned
from adcraft.api.review_log import shortlist_of, states_of
from adcraft.bulk_sheets import Sheets, build_sheets
from adcraft.db.models import BriefRow, Campaign, CreativeRow, Feedback, Task, Version
from adcraft.errors import Conflict, NotFound
from adcraft.spreadsheet import spreadsheet_safe
from adcraft.store.disposition import content_disposition

router = APIRouter(prefix="/tasks/{task_id}", tags=["downloads"])


def _set(
    s: SessionDep, tenant_id: str, task_id: str, variant: int | None
) -> list[tuple[CreativeRow, Version]]:
    task = get_owned(s, Task, task_id, tenant_id, "task")
    if task.kind != "generate":
        raise Conflict("downloads are per generated set: use the generate task's id")
    if task.status != "completed":
        raise Conflict(f"task {task_id} is {task.status}: download when it has completed")
    where = [CreativeRow.task_id == task.id, CreativeRow.tenant_id == tenant_id]
    if variant is not None:
        where.append(CreativeRow.variant == variant)
    rows = s.execute(
        select(CreativeRow, Version)
        .join(
            Version,
            and_(
                Version.creative_id == CreativeRow.id,
                Version.number == CreativeRow.current_version,
            ),
        )
        .where(*where)
        .order_by(CreativeRow.variant, CreativeRow.format)
    ).all()
    if not rows:
        raise NotFound(f"task {task_id} has no creatives for variant {variant}")
    return [(r, v) for r, v in rows]


def _csv(items: list[tuple[CreativeRow, Version]], paths: dict[str, str] | None = None) -> bytes:
    """One row per creative; ``paths`` names each creative's file inside a ZIP."""
    platform_fields = sorted({k for _, v in items for k in v.platform_text})
    image_fields = sorted({k for _, v in items for k in v.copy_fields})
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(
        ["file", "format", "platform", "width", "height", "variant", "version", "score"]
        + platform_fields
        + [f"image_{f}" for f in image_fields]
    )
    for r, v in items:
        row: list[object] = (
            [
                (paths or {}).get(r.id)
                or upload_name(r.format, r.width, r.height, r.variant, v.image_format),
                r.format,
                r.platform,
                r.width,
                r.height,
                r.variant,
                v.number,
                v.score,
            ]
            + [v.platform_text.get(f, "") for f in platform_fields]
            + [v.copy_fields.get(f, "") for f in image_fields]
        )
        # Copy comes from offers and catalogues: a cell like =HYPERLINK(...) must stay text.
        w.writerow([spreadsheet_safe(cell) for cell in row])
    return ("\ufeff" + buf.getvalue()).encode("utf-8")  # BOM: Excel opens UTF-8 correctly


def _record(
    s: SessionDep, tenant_id: str, items: list[tuple[CreativeRow, Version]], via: str
) -> None:
    s.add_all(
        Feedback(
            tenant_id=tenant_id,
            creative_id=r.id,
            version=v.number,
            kind="download",
            data={"via": via},
        )
        for r, v in items
    )
    s.commit()


def _events(
    a: AnalyticsDep, p: PrincipalDep, items: list[tuple[CreativeRow, Version]], via: str
) -> None:
    record_many(
        a, p, [(EventType.EXPORT, {"via": via}, creative_fields(r, v.number)) for r, v in items]
    )


def _sheets(s: SessionDep, tenant_id: str, task_id: str, manifest: dict[str, Any]) -> Sheets:
    """The set's bulk sheets, as one product named after the brief's product, linked to the
    campaign's landing page, with images by their path in the ZIP."""
    task = get_owned(s, Task, task_id, tenant_id, "task")
    campaign = s.get(Campaign, task.campaign_id)
    brief = s.get(BriefRow, task.brief_id)
    product = {
        "product_id": str((brief.data if brief else {}).get("product_name") or task_id),
        "link": (campaign.landing_url if campaign else None) or "",
        "creatives": [{**c, "url": c["file"]} for c in manifest["creatives"]],
    }
    return build_sheets([product], campaign.name if campaign else f"adcraft {task_id[:8]}")


@router.get(
    "/download.zip", response_class=Response, responses={200: {"content": {"application/zip": {}}}}
)
def download_zip(
    task_id: str,
    p: PrincipalDep,
    s: SessionDep,
    c: ContainerDep,
    a: AnalyticsDep,
    variant: Annotated[int | None, Query(ge=1, le=100)] = None,
    shortlisted_only: Annotated[
        bool, Query(description="Only the creatives on the team's shortlist")
    ] = False,
) -> Response:
    """The set's current versions in folders per platform and variant, ranked, each image once,
    with README.txt, manifest.json and copy.csv (see adcraft.api.export_zip)."""
    items = _set(s, p.tenant_id, task_id, variant)
    if shortlisted_only:
        picked = shortlist_of(s, p.tenant_id, [r.id for r, _ in items])
        items = [(r, v) for r, v in items if r.id in picked]
        if not items:
            raise NotFound(f"task {task_id} has no shortlisted creatives")
    files, manifest = export_zip.layout(items, states_of(s, [r for r, _ in items]))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_STORED) as zf:
        zf.writestr("manifest.json", export_zip.manifest_bytes(task_id, manifest))
        paths = {m["creative_id"]: m["file"] for m in manifest["creatives"]}
        zf.writestr("copy.csv", _csv(items, paths))
        sheets = _sheets(s, p.tenant_id, task_id, manifest)
        zf.writestr("sheets/meta_ads_bulk.csv", sheets.meta)
        zf.writestr("sheets/google_ads_editor.csv", sheets.google)
        zf.writestr("README.txt", export_zip.readme(task_id, manifest, sheets.gaps))
        for entry in files:
            zf.writestr(entry.path, c.store.get(entry.key))
    _record(s, p.tenant_id, items, "zip")
    _events(a, p, items, "zip")
    suffix = (f"-v{variant}" if variant else "") + ("-shortlist" if shortlisted_only else "")
    return Response(
        buf.getvalue(),
        media_type="application/zip",
        headers={"Content-Disposition": content_disposition(f"adcraft-{task_id[:8]}{suffix}.zip")},
    )


@router.get("/copy.csv", response_class=Response, responses={200: {"content": {"text/csv": {}}}})
def download_csv(
    task_id: str,
    p: PrincipalDep,
    s: SessionDep,
    a: AnalyticsDep,
    variant: Annotated[int | None, Query(ge=1, le=100)] = None,
) -> Response:
    """Platform text fields (primary text, headlines...) and on-image copy, one row per image."""
    items = _set(s, p.tenant_id, task_id, variant)
    _events(a, p, items, "csv")
    return Response(
        _csv(items),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": content_disposition(f"adcraft-{task_id[:8]}-copy.csv")},
    )
