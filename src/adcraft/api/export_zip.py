"""The layout of a downloaded set: what a media buyer unpacks and uploads.

    README.txt                         what is inside and what the flags mean
    manifest.json                      every creative: file, size, rank, score, review state,
                                       publishability, shortened fields, copy, platform text
    copy.csv                           the same copy, one row per creative (spreadsheet-safe)
    sheets/meta_ads_bulk.csv           Meta Ads Manager bulk import (publishable creatives only)
    sheets/google_ads_editor.csv       Google Ads Editor import, one responsive display ad
    <platform>/variant-<n>/<rank>_<platform_format_WxH_vN>.<ext>

Files are ranked best first across the set (publishable before non-publishable, then score),
and byte-identical images in one platform's variant folder are stored once: the manifest lists
every format such a file serves.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from adcraft.api.links import preset_of, upload_name
from adcraft.api.views import (
    content_digest,
    edited_not_as_typed,
    note_out,
    publishable_of,
    score_reasons_of,
)
from adcraft.db.models import CreativeRow, Version
from adcraft.notes import parse_blocking

README = """adcraft creative set {task}

Folders: one per ad platform, then one per variant. File names start with the creative's rank in
the whole set (01 = best), then platform_format_WIDTHxHEIGHT_vVARIANT.

manifest.json lists every creative with its file, rank, score, review state, whether it passed
the publishability check (and why not), the fields it shows other than as they were typed
(shortened), its on-image copy and the platform text to paste beside it. An image that serves
several formats of one platform (e.g. Meta feed square and carousel square) is stored once and
listed under each format.

copy.csv has the same copy, one row per creative, safe to open in a spreadsheet.

sheets/ has bulk-upload sheets for Meta Ads Manager and Google Ads Editor (the same columns as
a catalogue export; see docs/catalog.md). They list only creatives that passed the
publishability check and were not rejected in review; images are named by their path in this
ZIP (upload them to the ad account first, or replace the paths with their URLs); Link and
Final URL are the campaign's landing page (empty when the campaign has none). A text longer
than the platform allows is left empty, never cut.
{warnings}"""


@dataclass
class Entry:
    """One file of the ZIP and the creatives it serves."""

    path: str
    key: str
    creatives: list[dict[str, Any]] = field(default_factory=list)


def ranked(items: list[tuple[CreativeRow, Version]]) -> list[tuple[CreativeRow, Version]]:
    """Best first: publishable before not, then by score (ties by format for stable names)."""
    return sorted(items, key=lambda rv: (not publishable_of(rv[1])[0], -rv[1].score, rv[0].format))


def layout(
    items: list[tuple[CreativeRow, Version]], states: Mapping[str, str]
) -> tuple[list[Entry], dict[str, Any]]:
    """The image files of the ZIP and its manifest."""
    entries: dict[tuple[str, int, str], Entry] = {}
    creatives: list[dict[str, Any]] = []
    for rank, (r, v) in enumerate(ranked(items), start=1):
        platform = preset_of(r.format)
        digest = content_digest(v.image_key)
        slot = (platform, r.variant, digest)
        if slot not in entries:
            name = upload_name(r.format, r.width, r.height, r.variant, v.image_format)
            path = f"{platform}/variant-{r.variant}/{rank:02d}_{name}"
            entries[slot] = Entry(path=path, key=v.image_key)
        ok, reasons = publishable_of(v)
        record: dict[str, Any] = {
            "creative_id": r.id,
            "file": entries[slot].path,
            "format": r.format,
            "platform": r.platform,
            "width": r.width,
            "height": r.height,
            "variant": r.variant,
            "version": v.number,
            "rank": rank,
            "score": v.score,
            "score_reasons": [r.model_dump() for r in score_reasons_of(v)],
            "review_state": states.get(r.id, "draft"),
            "publishable": ok,
            "publishable_reasons": reasons,
            "publishable_notes": [note_out(parse_blocking(x)).model_dump() for x in reasons],
            "shortened": edited_not_as_typed(r.format, v),
            "copy": dict(v.copy_fields),
            "platform_text": dict(v.platform_text),
        }
        entries[slot].creatives.append(record)
        creatives.append(record)
    return list(entries.values()), {"creatives": creatives}


def readme(task_id: str, manifest: dict[str, Any], sheet_gaps: Sequence[str] = ()) -> str:
    """README.txt, naming anything that needs a look before upload."""
    lines = [f"- sheets: {gap}" for gap in sheet_gaps]
    for c in manifest["creatives"]:
        if not c["publishable"]:
            lines.append(f"- {c['file']}: not publishable: {'; '.join(c['publishable_reasons'])}")
        if c["shortened"]:
            lines.append(f"- {c['file']}: shows {', '.join(c['shortened'])} other than typed")
    warnings = ("\nCheck before upload:\n" + "\n".join(lines) + "\n") if lines else ""
    return README.format(task=task_id, warnings=warnings)


def manifest_bytes(task_id: str, manifest: dict[str, Any]) -> bytes:
    return json.dumps({"task_id": task_id, **manifest}, ensure_ascii=False, indent=1).encode()
