"""Edit preview: how an edited field will appear in every size of the variant, before saving."""

from __future__ import annotations

from fastapi import APIRouter

from adcraft.api.deps import PrincipalDep, SessionDep
from adcraft.api.lookup import get_owned
from adcraft.api.routes.creatives import version_of
from adcraft.api.schemas import EditPreviewIn, EditPreviewOut, FieldPreviewOut, SizePreviewOut
from adcraft.api.uploaded import refuse_rerender
from adcraft.db.models import BriefRow, CreativeRow, Task
from adcraft.db.variants import variant_sizes
from adcraft.problem_codes import refuse
from adcraft.tasks.edit_preview import preview_size

router = APIRouter(prefix="/creatives/{creative_id}", tags=["versions"])


def check_per_size(sizes: list[CreativeRow], by_format: dict[str, dict[str, str]]) -> None:
    """Per-size texts must name sizes of this variant."""
    known = {r.format for r in sizes}
    unknown = sorted(set(by_format) - known)
    if unknown:
        raise refuse(
            "copy_by_format_unknown", unknown=", ".join(unknown), sizes=", ".join(sorted(known))
        )


@router.post("/edit-preview")
def edit_preview(
    creative_id: str, body: EditPreviewIn, p: PrincipalDep, s: SessionDep
) -> EditPreviewOut:
    """Each edited field as every size of the variant will show it: verbatim, shortened (with
    the shortened text) or not shown. Saving the same edit gives exactly these texts."""
    row = get_owned(s, CreativeRow, creative_id, p.tenant_id, "creative")
    refuse_rerender(version_of(s, row, None), row.id)
    if not body.copy_fields and not body.copy_by_format:
        raise refuse("edit_preview_needs_copy")
    sizes = variant_sizes(s, row.tenant_id, row.task_id, row.variant)
    check_per_size(sizes, body.copy_by_format)
    task = s.get(Task, row.task_id)
    brief = s.get(BriefRow, task.brief_id) if task is not None else None
    language = str((brief.data if brief is not None else {}).get("language", "en"))
    out: list[SizePreviewOut] = []
    changed = 0
    for size in sizes:
        edits = {**body.copy_fields, **body.copy_by_format.get(size.format, {})}
        fields = [
            FieldPreviewOut(name=f.name, where=f.where, limit=f.limit, status=f.status, text=f.text)
            for f in preview_size(size.template, size.format, edits, language)
        ]
        changed += any(f.status != "fits" for f in fields)
        out.append(
            SizePreviewOut(
                creative_id=size.id,
                format=size.format,
                width=size.width,
                height=size.height,
                fields=fields,
            )
        )
    return EditPreviewOut(sizes=out, changed=changed)
