"""Writing a creative set: images, cut-out, manifest.json and a contact sheet — all or nothing.

Files are written into a hidden temporary folder beside the destination and moved into place only
when everything has been written, so an error never leaves a half-written output folder.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any

from PIL import Image, ImageDraw, ImageFont

from adcraft._version import __version__
from adcraft.compose import LOGO_FILE, PRODUCT_FILE, THUMB_SIDE, Job, Made
from adcraft.domain.brief import Brief
from adcraft.domain.creative import Creative, CreativeSet, DuplicateNote, ImageOrigin, Injection
from adcraft.errors import OutputError
from adcraft.layout.typography import (
    clean_text,
    drawable,
    get_font,
    paragraph_direction,
    resolve_face,
)
from adcraft.notes import NOT_PUBLISHABLE, parse_blocking
from adcraft.notes import parse as parse_note
from adcraft.render.text import line_art
from adcraft.scoring.gates.base import GateResult, failures, passed_all

MANIFEST = "manifest.json"
CONTACT_SHEET = "contact-sheet.png"
_EXT = {"jpeg": "jpg", "png": "png", "webp": "webp"}

Ranked = Sequence[tuple[Made, float, tuple[str, ...]]]


def file_name(m: Made) -> str:
    """Upload-friendly name: platform format, size, variant and style."""
    w, h = m.fmt.size
    return (
        f"{m.fmt.id}_{w}x{h}_v{m.variant.index + 1}-{m.variant.style.name}.{_EXT[m.image_format]}"
    )


SCORE_PREFIX = "score: "
"""Prefix of the warnings that carry the score's reasons (``adcraft.scoring.reasons``)."""


def truncated_fields(m: Made) -> tuple[str, ...]:
    """Every field cut to fit: on-image ones by name, platform text as 'platform:<name>'."""
    return tuple(m.copy.truncated) + tuple(f"platform:{n}" for n in m.platform_truncated)


def to_creative_set(
    brief: Brief,
    seed: int,
    ranked: Ranked,
    warnings: Sequence[str],
    image_source: ImageOrigin | None = None,
    injections: Sequence[Injection] = (),
    gates: Mapping[str, Sequence[GateResult]] | None = None,
    duplicates: Sequence[DuplicateNote] = (),
) -> CreativeSet:
    """Build the ranked CreativeSet value (no files yet); ``gates``: results by creative id."""
    creatives: list[Creative] = []
    for rank, (m, score, reasons) in enumerate(ranked, start=1):
        metrics = dict(sorted(m.metrics.items()))
        checks = tuple((gates or {}).get(m.id, ()))
        creatives.append(
            Creative(
                id=m.id,
                format=m.fmt.id,
                platform=m.fmt.platform,
                width=m.layout.width,
                height=m.layout.height,
                file=file_name(m),
                bytes=len(m.data),
                image_format=m.image_format,
                style=m.variant.style.name,
                template=m.variant.template.id,
                variant=m.variant.index + 1,
                rank=rank,
                score=score,
                copy_fields=m.copy.fields,
                platform_text=m.platform_text,
                elements=m.layout.elements,
                background=m.layout.background,
                metrics=metrics,
                warnings=tuple(m.warnings)
                + tuple(f"{NOT_PUBLISHABLE}{r}" for r in m.publishable_reasons)
                + tuple(f"truncated: {f}" for f in truncated_fields(m))
                + tuple(f"gate: {r}" for r in failures(checks))
                + tuple(f"{SCORE_PREFIX}{r}" for r in reasons),
                publishable=m.publishable,
                publishable_reasons=m.publishable_reasons,
                truncated=truncated_fields(m),
                injections=tuple(injections),
                gates=checks,
                passed_gates=passed_all(checks),
            )
        )
    all_warnings = list(dict.fromkeys([*warnings, *(w for m, _, _ in ranked for w in m.warnings)]))
    return CreativeSet(
        brief_title=brief.product_name,
        language=brief.language,
        seed=seed,
        creatives=tuple(creatives),
        warnings=tuple(all_warnings),
        injections=tuple(injections),
        image_source=image_source,
        duplicates=tuple(duplicates),
    )


def manifest_dict(cs: CreativeSet, ranked: Ranked, job: Job) -> dict[str, Any]:
    """The manifest.json contract read by other tools."""
    by_id = {m.id: m for m, _, _ in ranked}
    creatives = []
    for c in cs.creatives:
        m = by_id[c.id]
        item = c.model_dump(mode="json", by_alias=True, exclude_none=True)
        item["key_facts"] = list(m.copy.key_facts)
        item["missing_facts"] = list(m.copy.missing_facts)
        item["truncated"] = list(truncated_fields(m))
        item["dropped_fields"] = list(m.layout.dropped_fields)
        item["arrangement"] = m.layout.arrangement
        item["publishable_notes"] = [asdict(parse_blocking(r)) for r in c.publishable_reasons]
        item["warning_notes"] = [
            asdict(parse_note(w)) for w in c.warnings if not w.startswith(SCORE_PREFIX)
        ]
        creatives.append(item)
    visual = job.visual
    return {
        "adcraft_version": __version__,
        "brief": job.brief.model_dump(mode="json", exclude={"image"}),
        "seed": cs.seed,
        "language": cs.language,
        "palette": job.palette.__dict__,
        "product": None
        if visual is None
        else {
            "src": PRODUCT_FILE,
            "cutout": visual.has_cutout,
            "remover": visual.remover,
            "dominant_colors": list(visual.dominant_colors),
        },
        "image_source": None if cs.image_source is None else cs.image_source.model_dump(),
        "contact_sheet": CONTACT_SHEET,
        "warnings": list(cs.warnings),
        "injections": [i.model_dump() for i in cs.injections],
        "claims": [c.as_dict() for c in job.claim_context().claims],
        "duplicates": [d.model_dump() for d in cs.duplicates],
        "creatives": creatives,
    }


def write_output(cs: CreativeSet, ranked: Ranked, job: Job, out_dir: Path) -> CreativeSet:
    """Write everything to ``out_dir`` atomically and return the set with paths filled in."""
    out_dir = out_dir.resolve()
    parent = out_dir.parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
        if out_dir.exists() and not out_dir.is_dir():
            raise OutputError(f"output path {out_dir} exists and is not a folder")
        tmp = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.", dir=parent))
    except OSError as exc:
        raise OutputError(f"cannot write to {out_dir}: {exc.strerror}") from exc
    try:
        by_id = {m.id: m for m, _, _ in ranked}
        for c in cs.creatives:
            (tmp / c.file).write_bytes(by_id[c.id].data)
        if job.visual is not None:
            job.visual.image.save(tmp / PRODUCT_FILE, optimize=False)
        if job.logo is not None:
            job.logo.save(tmp / LOGO_FILE)
        if job.scene is not None:
            job.scene.image.save(tmp / job.scene.src, optimize=False)
        for group_scene in (job.scenes or {}).values():
            group_scene.image.save(tmp / group_scene.src, optimize=False)
        # A review image, not a deliverable: the fastest zlib level halves its cost (0.77 ->
        # 0.37 s CPU for a 2400x6172 sheet of 234 creatives) for a file ~20 % larger.
        contact_sheet(cs, ranked).save(tmp / CONTACT_SHEET, compress_level=1)
        manifest = manifest_dict(cs, ranked, job)
        (tmp / MANIFEST).write_text(
            json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8"
        )
        _swap_in(tmp, out_dir)
    except OSError as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        raise OutputError(f"cannot write to {out_dir}: {exc.strerror or exc}") from exc
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return cs.model_copy(
        update={"out_dir": str(out_dir), "contact_sheet": str(out_dir / CONTACT_SHEET)}
    )


def _swap_in(tmp: Path, out_dir: Path) -> None:
    """Replace out_dir with tmp; the old contents are removed only after the move succeeded."""
    if not out_dir.exists():
        os.replace(tmp, out_dir)
        return
    old = out_dir.with_name(f".{out_dir.name}.old")
    shutil.rmtree(old, ignore_errors=True)
    os.replace(out_dir, old)
    os.replace(tmp, out_dir)
    shutil.rmtree(old, ignore_errors=True)


def _draw_title(
    sheet: Image.Image, at: tuple[int, int], title: str, count: int, language: str, width: int
) -> None:
    """The sheet's heading: the brief's title in its own script and direction, with the same
    per-run font fallback as the creatives (a Hebrew, Japanese or symbol-laden title never shows
    tofu), then the English count. The two are drawn apart, as isolated runs, so a
    right-to-left title is not reordered with the English words around it."""
    size = 22
    x, y = at
    gap = round(size * 0.3)  # the word space between the runs (cleaning trims a leading one)
    for text, lang in ((title, language), (f"— {count} creatives, best first", "en")):
        text, _ = clean_text(text)
        face = resolve_face(text, "Inter", "bold", lang)
        art = line_art(face.id, size, drawable(text, face), paragraph_direction(lang) == "rtl")
        sheet.paste((34, 34, 34), (x + art.dx, y + art.dy), art.mask)
        if art.color is not None:  # colour emoji in the title
            sheet.paste(art.color.convert(sheet.mode), (x + art.dx, y + art.dy), art.color)
        x += round(art.advance) + gap
        if x > at[0] + width:
            break


def contact_sheet(cs: CreativeSet, ranked: Ranked, width: int = 2400) -> Image.Image:
    """One image with every creative, a row per variant (best variant first), labelled."""
    thumbs = {m.id: m.thumbnail for m, _, _ in ranked}
    rows: dict[int, list[Creative]] = {}
    for c in cs.creatives:
        rows.setdefault(c.variant, []).append(c)
    pad, label_h, cell, min_w = 16, 44, THUMB_SIDE, 170
    font = get_font("Inter-Regular", 14)
    lines: list[list[tuple[Creative, Image.Image, int]]] = []
    for variant in rows:  # dict order = rank order of each variant's best creative
        line: list[tuple[Creative, Image.Image, int]] = []
        x = pad
        for c in sorted(rows[variant], key=lambda c: (c.width / c.height, c.format)):
            t = thumbs[c.id].copy()
            t.thumbnail((cell, cell))
            slot = max(t.width, min_w)  # room for the label under narrow banners
            if x + slot + pad > width and line:
                lines.append(line)
                line, x = [], pad
            line.append((c, t, slot))
            x += slot + pad
        lines.append(line)
    heights = [max(t.height for _, t, _ in ln) + label_h + pad for ln in lines]
    sheet = Image.new("RGB", (width, 60 + sum(heights) + pad), (236, 236, 232))
    draw = ImageDraw.Draw(sheet)
    _draw_title(sheet, (pad, 18), cs.brief_title, len(cs.creatives), cs.language, width - 2 * pad)
    y = 60
    for ln, h in zip(lines, heights, strict=True):
        x = pad
        for c, t, slot in ln:
            sheet.paste(t, (x, y))
            label = _fit_label(f"#{c.rank} {c.format}", font, slot)
            draw.text((x, y + t.height + 4), label, font=font, fill="#333")
            sub = _fit_label(f"v{c.variant} {c.style} · {c.score:.0f}", font, slot)
            draw.text((x, y + t.height + 22), sub, font=font, fill="#666")
            x += slot + pad
        y += h
    return sheet


def _fit_label(text: str, font: ImageFont.FreeTypeFont, width: int) -> str:
    """Cut a label with an ellipsis so it stays under its thumbnail."""
    if font.getlength(text) <= width:
        return text
    while text and font.getlength(text + "…") > width:
        text = text[:-1]
    return text + "…"
