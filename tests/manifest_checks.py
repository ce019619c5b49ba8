"""Independent checks of a written creative set, from manifest.json and the image files alone.

These do not trust the engine's own metrics: they re-measure text with the recorded font and size,
re-compute overlaps from the boxes, occlusion from the cut-out file, safe zones from the platform
spec and contrast from the rendered pixels.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import regex
from fontTools.ttLib import TTFont
from PIL import Image, ImageFilter, ImageFont

from adcraft.layout.emoji import EMOJI_ID, SCALE, STRIKE
from adcraft.layout.typography import font_path

TEXT = {"headline", "body", "cta", "price", "badge", "disclaimer"}
BLOCKING = TEXT | {"logo"}
# Generic aspect names a user may ask for; they carry no platform rules.
ALIASES = {
    "1:1": (1080, 1080),
    "4:5": (1080, 1350),
    "9:16": (1080, 1920),
    "1.91:1": (1200, 628),
    "16:9": (1920, 1080),
    "2:3": (1000, 1500),
}
SHARED_FORMATS = Path(__file__).resolve().parents[2] / "shared" / "formats.json"


@dataclass
class Report:
    """Problems found in one creative set."""

    creatives: int = 0
    problems: list[str] = field(default_factory=list)

    def add(self, creative: dict[str, Any], what: str) -> None:
        self.problems.append(f"{creative['file']}: {what}")


def _luminance(rgb: np.ndarray) -> np.ndarray:
    c = rgb.astype(np.float64) / 255.0
    lin = np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)
    return 0.2126 * lin[..., 0] + 0.7152 * lin[..., 1] + 0.0722 * lin[..., 2]


def contrast(a: str, b: str) -> float:
    """WCAG 2 contrast ratio of two '#rrggbb' colors."""
    la, lb = (
        float(_luminance(np.array([int(h[i : i + 2], 16) for i in (1, 3, 5)]))) for h in (a, b)
    )
    hi, lo = max(la, lb), min(la, lb)
    return (hi + 0.05) / (lo + 0.05)


def _spec_formats() -> dict[str, dict[str, Any]]:
    src = SHARED_FORMATS if SHARED_FORMATS.exists() else None
    if src is None:
        from importlib import resources

        raw = resources.files("adcraft.data").joinpath("formats.json").read_text("utf-8")
    else:
        raw = src.read_text("utf-8")
    specs = {f["id"]: f for f in json.loads(raw)}
    zero = {"top": 0.0, "bottom": 0.0, "left": 0.0, "right": 0.0}
    for alias, (w, h) in ALIASES.items():
        specs[alias] = {"width": w, "height": h, "safe_zone": zero, "max_file_kb": None}
    return specs


def _inside(box: list[int], rect: tuple[int, int, int, int]) -> bool:
    x, y, w, h = box
    rx, ry, rw, rh = rect
    return x >= rx and y >= ry and x + w <= rx + rw and y + h <= ry + rh


def _inter(a: list[int], b: list[int]) -> int:
    w = min(a[0] + a[2], b[0] + b[2]) - max(a[0], b[0])
    h = min(a[1] + a[3], b[1] + b[3]) - max(a[1], b[1])
    return max(0, w) * max(0, h)


def check_set(out: Path, *, pixel_contrast: bool = True) -> Report:
    """Check every creative of the set written to ``out``."""
    manifest = json.loads((out / "manifest.json").read_text("utf-8"))
    formats = _spec_formats()
    report = Report()
    for c in manifest["creatives"]:
        report.creatives += 1
        fmt = formats[c["format"]]
        w, h = fmt["width"], fmt["height"]
        if (c["width"], c["height"]) != (w, h):
            report.add(c, f"size {c['width']}x{c['height']} is not the spec's {w}x{h}")
        img = Image.open(out / c["file"])
        if img.size != (w, h):
            report.add(c, f"image is {img.size}, expected {(w, h)}")
        if fmt.get("max_file_kb") and c["bytes"] > fmt["max_file_kb"] * 1024:
            report.add(c, f"{c['bytes']} bytes over the {fmt['max_file_kb']} KB cap")
        z = fmt["safe_zone"]
        x0, y0 = round(w * z["left"]), round(h * z["top"])
        safe = (x0, y0, w - round(w * z["right"]) - x0, h - round(h * z["bottom"]) - y0)
        els = c["elements"]
        blocking = [e for e in els if e["kind"] in BLOCKING]
        for e in blocking:
            for b in (e["box"], e.get("plate_box")):
                if b and not _inside(b, safe):
                    report.add(c, f"{e['kind']} {b} leaves the safe zone {safe}")
        for i, a in enumerate(blocking):
            for b in blocking[i + 1 :]:
                if _inter(a["box"], b["box"]):
                    report.add(c, f"{a['kind']} overlaps {b['kind']}")
        _check_text_fit(c, els, report)
        _check_text_cap(c, els, w, h, report)
        _check_occlusion(out, c, els, report)
        rgb = np.asarray(img.convert("RGB"))
        for e in els:
            if e["kind"] not in TEXT:
                continue
            ratio = contrast(e["color"], e["background_color"])
            if ratio < 4.5:
                report.add(c, f"{e['kind']} contrast {ratio:.2f} < 4.5 (recorded colors)")
            if pixel_contrast:
                measured = _pixel_contrast(rgb, e)
                if measured < 4.4:
                    report.add(c, f"{e['kind']} pixel contrast {measured:.2f} < 4.5")
    return report


# Google Ads policy "Responsive ad requirements" (answer 6363786): text, logos with text
# included, may cover at most 20 % of a responsive display image.
RDA_TEXT_CAP = 0.2


def _check_text_cap(
    c: dict[str, Any], els: list[dict[str, Any]], w: int, h: int, report: Report
) -> None:
    if not c["format"].startswith("google_rda_") or not c.get("publishable", True):
        return
    mask = np.zeros((h, w), dtype=bool)
    for e in els:
        if e["kind"] in TEXT or e["kind"] == "logo":
            x, y, bw, bh = e["box"]
            mask[max(0, y) : max(0, y + bh), max(0, x) : max(0, x + bw)] = True
    share = float(mask.mean())
    if share > RDA_TEXT_CAP:
        report.add(c, f"publishable, but text covers {share:.1%} of a responsive display image")


def _check_text_fit(c: dict[str, Any], els: list[dict[str, Any]], report: Report) -> None:
    for e in els:
        if e["kind"] not in TEXT:
            continue
        lines = e.get("lines") or []
        if not lines:
            report.add(c, f"{e['kind']} has no lines")
            continue
        # Every letter, digit and mark must be drawn, list separators at a line break too
        # (dropped, "%20 İNDİRİM" / "DAHİLİ ÖĞÜTÜCÜ" reads as one phrase).
        norm = lambda s: re.sub(r"\s+", "", s)  # noqa: E731
        if norm(_unhyphenated(lines, e["text"])) != norm(e["text"]):
            report.add(c, f"{e['kind']} lines {lines!r} lose text of {e['text']!r}")
        # Characters the main face lacks are drawn from the fallback faces the manifest names.
        faces = [e["font"], *e.get("fallback_fonts", ())]
        drawn = frozenset().union(*(_cmap(f) for f in faces))
        # Variation selectors pick a presentation and draw nothing themselves.
        missing = {ch for ch in "".join(lines) if not ch.isspace()} - drawn - {"\ufe0e", "\ufe0f"}
        if missing:
            report.add(c, f"{e['kind']} has characters its font cannot draw: {sorted(missing)}")
        font = ImageFont.truetype(str(font_path(e["font"])), e["font_size"])
        _, _, bw, bh = e["box"]
        for line in lines:
            lw = _line_width(line, faces, e["font_size"], e.get("direction", "ltr"))
            if lw > bw + 1:
                report.add(c, f"{e['kind']} line {line!r} is {lw:.0f}px in a {bw}px box")
        ascent, descent = font.getmetrics()
        block = e["line_height"] * (len(lines) - 1) + ascent + descent
        if block > bh + 1:
            report.add(c, f"{e['kind']} needs {block}px height, box has {bh}px")


def _unhyphenated(lines: list[str], text: str) -> str:
    """The lines joined, without the hyphens line breaking added at line ends."""
    out = ""
    for i, line in enumerate(lines):
        # A hyphen the text itself has at that point is kept; one added by breaking is not.
        kept = "".join((out + line).split()) in "".join(text.split())
        if i < len(lines) - 1 and line.endswith("-") and not kept:
            line = line[:-1]
        out += line
    return out


def _line_width(line: str, faces: list[str], size: int, direction: str) -> float:
    """Advance width of a line drawn run by run: each character in the first face that maps
    it (spaces and marks in the run they sit in); a colour emoji at the emoji face's bitmap
    strike, scaled to the text size."""
    runs: list[tuple[str, str]] = []
    emoji_width = 0.0
    for cluster in regex.findall(r"\X", line):
        if EMOJI_ID in faces and _is_emoji(cluster, faces):
            strike = _font(EMOJI_ID, STRIKE).getlength(cluster.replace("\ufe0f", ""))
            emoji_width += strike * size * SCALE / STRIKE
            runs.append(("", EMOJI_ID))  # text on either side is shaped apart
            continue
        for ch in cluster:
            face = next((f for f in faces if ch in _cmap(f)), faces[0])
            if runs and (face == runs[-1][1] or (ch.isspace() and ch in _cmap(runs[-1][1]))):
                runs[-1] = (runs[-1][0] + ch, runs[-1][1])
            else:
                runs.append((ch, face))
    text = sum(_font(f, size).getlength(t, direction=direction) for t, f in runs if t)
    return text + emoji_width


def _is_emoji(cluster: str, faces: list[str]) -> bool:
    """Whether a grapheme cluster is a colour emoji: the emoji face maps all of it, and it
    asks for emoji (U+FE0F, a sequence, an emoji-by-default pictograph) or no text face of the
    element maps it."""
    parts = cluster.replace("\ufe0f", "")
    if not parts or cluster.endswith("\ufe0e") or any(c not in _cmap(EMOJI_ID) for c in parts):
        return False
    if len(cluster) > 1 or regex.match(r"\p{Emoji_Presentation}", cluster):
        return True
    return not any(cluster in _cmap(f) for f in faces if f != EMOJI_ID)


@cache
def _font(face_id: str, size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(font_path(face_id)), size)


@cache
def _cmap(face_id: str) -> frozenset[str]:
    """Characters a font file maps to glyphs, read with fontTools (not the engine's parser)."""
    with TTFont(str(font_path(face_id)), lazy=True) as font:
        return frozenset(chr(cp) for cp in font.getBestCmap())


def _cutout_alpha(path: Path) -> Image.Image:
    """The cut-out's alpha, decoded once per set (every creative of a set shares one cut-out)."""
    key = (str(path), path.stat().st_mtime_ns)
    if _ALPHA[0] != key:
        with Image.open(path) as img:
            _ALPHA[:] = [key, img.getchannel("A")]
    alpha: Image.Image = _ALPHA[1]
    return alpha


_ALPHA: list[Any] = [None, None]


def _check_occlusion(
    out: Path, c: dict[str, Any], els: list[dict[str, Any]], report: Report
) -> None:
    product = next((e for e in els if e["kind"] == "product"), None)
    if product is None:
        return
    x, y, w, h = product["box"]
    alpha = np.asarray(_cutout_alpha(out / product["src"]).resize((w, h))) > 127
    area = int(alpha.sum())
    if area == 0:
        return
    covered = np.zeros_like(alpha)
    for e in els:
        if e["kind"] in BLOCKING:
            for bx, by, bw, bh in [e["box"]] + ([e["plate_box"]] if e.get("plate_box") else []):
                covered[
                    max(0, by - y) : max(0, by - y + bh), max(0, bx - x) : max(0, bx - x + bw)
                ] = True
    share = float((alpha & covered).sum()) / area
    if share > 0.02:
        report.add(c, f"text covers {share:.1%} of the product")


def _pixel_contrast(rgb: np.ndarray, e: dict[str, Any]) -> float:
    """Contrast of the ink against the real pixels around the glyphs (1st percentile).
    Colour emoji keep their own colours: their boxes (from the manifest) are left out."""
    x, y, w, h = e["box"]
    if e.get("plate_box") == e["box"]:
        # A button: look only at the straight middle of the plate, not its rounded ends.
        x, w, y, h = x + h // 2, w - h, y + 2, h - 4
    region = rgb[y : y + h, x : x + w]
    if region.size == 0:
        return 0.0
    not_emoji = np.ones(region.shape[:2], dtype=bool)
    for mark in e.get("emoji") or ():
        ex, ey, ew, eh = mark["box"]
        # One pixel of margin for the resampled bitmap's soft edge.
        not_emoji[
            max(0, ey - y - 1) : max(0, ey - y + eh + 1),
            max(0, ex - x - 1) : max(0, ex - x + ew + 1),
        ] = False
    if not not_emoji.any():
        return 21.0  # nothing but emoji: no text colour to check
    ink = np.array([int(e["color"][i : i + 2], 16) for i in (1, 3, 5)])
    # A pixel at least 40% of the way from the typical ground color to the ink is glyph or
    # glyph edge (thin strokes of small text never reach the pure ink color).
    ref = np.median(region[not_emoji].reshape(-1, 3), axis=0)
    spread = max(1.0, float(np.abs(ref - ink).sum()))
    near_ink = np.abs(region.astype(int) - ink).sum(axis=2) < 0.6 * spread
    # Anti-aliased glyph edges blend ink and ground: keep a 2px band away from any ink.
    mask = Image.fromarray((~near_ink).astype(np.uint8) * 255).filter(ImageFilter.MinFilter(5))
    ground = region[(np.asarray(mask) > 0) & not_emoji]
    if len(ground) < 0.1 * int(not_emoji.sum()):
        return 0.0  # almost everything looks like ink: the text cannot stand out
    lum = _luminance(ground)
    li = float(_luminance(ink))
    ratios = (np.maximum(lum, li) + 0.05) / (np.minimum(lum, li) + 0.05)
    return float(np.percentile(ratios, 1))


def check_claims(out: Path, expected: list[dict[str, Any]] | None = None) -> Report:
    """Claims and words of every creative, re-read from the *rendered lines* in manifest.json.

    Fails a creative that shows a claim the brief does not make, a claim without its
    qualifier, a number whose meaning changed or a cut word; and a creative whose recorded
    ``publishable`` verdict disagrees with this re-check, or a non-publishable creative ranked
    above a publishable one. ``expected`` (the corpus' expected claims) replaces the engine's
    parse of the brief, so the brief side of the comparison does not depend on the parser.
    """
    from adcraft.copywriting.claimcheck import (
        ClaimContext,
        beside_pill,
        build_context,
        code_faults,
        cut_faults,
        text_faults,
    )
    from adcraft.copywriting.claims import Claim
    from adcraft.copywriting.locale import all_ctas, format_price
    from adcraft.domain.brief import Price

    manifest = json.loads((out / "manifest.json").read_text("utf-8"))
    brief = manifest["brief"]
    price = brief.get("price") or {}
    regular = brief.get("regular_price") or {}
    # A recurring price is a claim of its own ("9,99 €/Monat"): shown bare, it is a fault.
    texts = tuple(
        format_price(Price(**p), brief["language"]) if p else "" for p in (price, regular)
    )
    ctx = build_context(
        language=brief["language"],
        product_name=brief["product_name"],
        description=brief.get("description", ""),
        offer=brief.get("offer", ""),
        extra_offers=brief.get("extra_offers", []),
        selling_points=brief.get("selling_points", []),
        price_amount=price.get("amount"),
        currency=price.get("currency"),
        regular_amount=regular.get("amount"),
        extra_words=sorted(all_ctas(brief["language"]) | {brief.get("cta") or ""}),
        price_period=price.get("period"),
        price_texts=(texts[0], texts[1]),
    )
    # Which discount needs which code comes from the brief field each is written in, which the
    # expected claims do not record: that check keeps the engine's parse of the brief.
    parsed = ctx
    if expected is not None:
        claims = tuple(
            Claim(
                kind=e["kind"],
                text=e["text"],
                value=e.get("value"),
                currency=e.get("currency"),
                period=e.get("period"),
                scope=e.get("scope"),
                condition=e.get("condition"),
                code=e.get("code"),
                n=e.get("n"),
                m=e.get("m"),
                threshold=e.get("threshold"),
            )
            for e in expected
        ) + tuple(c for c in ctx.claims if c.source in ("price", "regular price"))
        ctx = ClaimContext(
            language=ctx.language,
            claims=claims,
            free_numbers=ctx.free_numbers,
            vocabulary=ctx.vocabulary,
            brief_text=ctx.brief_text,
            default_currency=ctx.default_currency,
        )
    report = Report()
    seen_held = False
    for c in manifest["creatives"]:
        report.creatives += 1
        faults: list[str] = []
        on_image: dict[str, str] = {}
        for e in c["elements"]:
            if e["kind"] not in TEXT:
                continue
            lines = e.get("lines") or []
            shown = e.get("text") or ""
            if re.sub(r"\s+", "", "".join(lines)) != re.sub(r"\s+", "", shown):
                shown = " ".join(lines)  # the drawn lines are what a reader sees
            faults += cut_faults(shown, ctx, field=e["kind"])
            on_image[e["kind"]] = shown
        for name, shown in on_image.items():
            # The price pill is read with the copy drawn beside it ("From £49" under the
            # headline that names the route), as the engine reads it.
            faults += text_faults(shown, ctx, field=name, beside=beside_pill(name, on_image))
        platform = {f"platform {k}": v for k, v in (c.get("platform_text") or {}).items()}
        for name, text in platform.items():
            faults += text_faults(text, ctx, field=name)
        faults += code_faults(on_image, parsed) + code_faults(platform, parsed)
        for f in dict.fromkeys(faults):
            report.add(c, f)
        if faults and c.get("publishable", True):
            report.add(c, "recorded as publishable, but the re-check finds faults")
        if not c.get("publishable", True):
            seen_held = True
        elif seen_held:
            report.add(c, "a publishable creative ranks below a non-publishable one")
    return report
