"""Backgrounds: solid, gradients, podium, spotlight, shapes, pattern, and a scene image.

``plan_background`` is pure: it turns a style, a palette and the product's place into a
``Background`` value (kind, colors, params) that is stored in the manifest, so any renderer can
rebuild it. ``paint`` turns that value into pixels. Smooth fields are computed at a fraction of
the output size and upscaled: they carry no detail, and this keeps painting to a few ms.

A scene image (a painted scene or any picture the user gives) is the ``image`` kind:
``plan_scene_background`` records the file and the crop that cover-fits it into the format,
and ``paint`` finds the pixels by the scene's content hash (see ``remember_scene``).
"""

from __future__ import annotations

import hashlib
import math
import random
import threading
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

import numpy as np
from PIL import Image, ImageDraw, ImageFilter

from adcraft.domain.creative import Background, Layout
from adcraft.layout.styles import Style
from adcraft.render.color import Palette, hex_to_rgb, mix, retone, rgb_to_hex
from adcraft.render.resample import upscale

_DOWNSCALE = 4
SCENE_FILE = "background-scene.png"
SCENE_MAX_SIDE = 2560
"""Scenes are kept at most this long: enough to cover the largest format (1920 px) sharply."""


def plan_background(style: Style, palette: Palette, layout: Layout, seed: int) -> Background:
    """Decide the background of one creative (pure, deterministic for a seed)."""
    w, h = layout.width, layout.height
    product = layout.element("product")
    cx, cy = (0.5, 0.45)
    if product is not None:
        x, y, pw, ph = product.box
        cx, cy = (x + pw / 2) / w, (y + ph / 2) / h
    rng = random.Random(seed)
    palette = retone(palette, dark=style.dark)
    ground = palette.background
    params: dict[str, Any] = {}
    kind = style.background
    if kind == "solid":
        return Background(kind="solid", colors=(ground,))
    if kind == "radial":
        glow = mix(ground, palette.accent, 0.22)
        params = {"center": [round(cx, 4), round(cy, 4)], "radius": 0.75}
        return Background(kind="radial", colors=(glow, mix(ground, "#000000", 0.35)), params=params)
    if kind == "linear":
        angle = rng.choice((20, 35, 145, 160))
        start = mix(ground, palette.accent, 0.3)
        return Background(
            kind="linear", colors=(start, mix(ground, "#000000", 0.3)), params={"angle": angle}
        )
    if kind == "spotlight":
        base = mix(ground, "#000000", 0.45)
        light = mix(ground, "#ffffff", 0.12)
        params = {"center": [round(cx, 4), round(cy, 4)], "radius": 0.55}
        return Background(kind="spotlight", colors=(light, base), params=params)
    if kind == "podium":
        bottom = mix(ground, palette.surface, 0.8)
        podium = mix(palette.surface, "#000000", 0.06)
        params = {"podium": _podium_box(layout), "podium_color": podium}
        return Background(kind="podium", colors=(ground, bottom), params=params)
    if kind == "shapes":
        base = palette.background
        colors = (base, mix(palette.accent, base, 0.55), mix(palette.surface, base, 0.2))
        circles = _circles(rng, layout)
        return Background(kind="shapes", colors=colors, params={"circles": circles})
    if kind == "pattern":
        base = palette.background
        dot = mix(base, palette.ink, 0.09)
        step = max(8, round(min(w, h) * 0.035))
        return Background(kind="pattern", colors=(base, dot), params={"step": step})
    return Background(kind="solid", colors=(palette.background,))


def vary_background(bg: Background, look: int, seed: int) -> Background:
    """The style's background moved to look ``look`` (a "new look" of a version): the same
    recipe and colours with a different placement, angle, tint or scale. Each look differs
    from the one before it (the steps cycle through distinct values), so a new look never
    repeats the previous one's pixels. Look 0 is ``bg`` itself."""
    if look <= 0 or bg.kind == "image":
        return bg
    rng = random.Random(f"{seed}:{look}")
    step_no = (look - 1) % 6 + 1  # 1..6: consecutive looks always take different steps
    params = dict(bg.params)
    if bg.kind == "solid":
        # A solid ground becomes a faint two-tone wash of itself, at a look-dependent angle.
        tint = "#ffffff" if sum(hex_to_rgb(bg.colors[0])) < 384 else "#000000"
        return Background(
            kind="linear",
            colors=(mix(bg.colors[0], tint, 0.06 + 0.02 * step_no), bg.colors[0]),
            params={"angle": (20, 145, 35, 160, 325, 200)[step_no - 1]},
        )
    if bg.kind in ("radial", "spotlight"):
        cx, cy = params.get("center", (0.5, 0.5))
        turn = 2.4 * step_no  # about the golden angle: the glow walks around its place
        params["center"] = [
            round(min(1.0, max(0.0, cx + 0.14 * math.cos(turn))), 4),
            round(min(1.0, max(0.0, cy + 0.14 * math.sin(turn))), 4),
        ]
        params["radius"] = round(float(params.get("radius", 0.7)) * (0.8 + 0.08 * step_no), 4)
    elif bg.kind == "linear":
        params["angle"] = (int(params.get("angle", 90)) + 47 * step_no) % 360
    elif bg.kind == "podium":
        top, bottom = bg.colors
        shade = mix(bottom, "#000000" if look % 2 else "#ffffff", 0.05 + 0.02 * step_no)
        return Background(kind="podium", colors=(top, shade), params=params)
    elif bg.kind == "pattern":
        params["step"] = int(params.get("step", 24)) + 2 * step_no
    elif bg.kind == "shapes":
        circles = [list(c) for c in params.get("circles", [])]
        for c in circles[1:]:  # the blob behind the product stays; the corner ones move
            c[0] = round(c[0] + rng.uniform(-0.15, 0.15), 4)
            c[1] = round(c[1] + rng.uniform(-0.15, 0.15), 4)
        params["circles"] = circles
    return bg.model_copy(update={"params": params})


def _podium_box(layout: Layout) -> list[int]:
    """An ellipse the product stands on: as wide as the product, at its base."""
    product = layout.element("product")
    if product is None:
        w, h = layout.width, layout.height
        return [round(w * 0.2), round(h * 0.78), round(w * 0.6), round(h * 0.1)]
    x, y, pw, ph = product.box
    ew = round(pw * 1.25)
    eh = max(6, round(ew * 0.18))
    return [x + pw // 2 - ew // 2, y + ph - eh // 2, ew, eh]


def _circles(rng: random.Random, layout: Layout) -> list[list[float]]:
    """Soft blobs around the product (or corners for text-led designs), as canvas fractions."""
    out: list[list[float]] = []
    product = layout.element("product")
    if product is not None:
        x, y, pw, ph = product.box
        cx, cy = (x + pw / 2) / layout.width, (y + ph / 2) / layout.height
        r = 0.42 * max(pw / layout.width, ph / layout.height)
        out.append([round(cx, 4), round(cy, 4), round(r, 4), 1])
    for _ in range(3):
        corner = rng.choice(((0.0, 0.0), (1.0, 0.0), (0.0, 1.0), (1.0, 1.0)))
        jitter = (rng.uniform(-0.08, 0.08), rng.uniform(-0.08, 0.08))
        out.append(
            [
                round(corner[0] + jitter[0], 4),
                round(corner[1] + jitter[1], 4),
                round(rng.uniform(0.12, 0.22), 4),
                rng.choice((1, 2)),
            ]
        )
    return out


def paint(bg: Background, size: tuple[int, int]) -> Image.Image:
    """Render a Background value to an RGB image of ``size``."""
    w, h = size
    if bg.kind == "solid":
        return Image.new("RGB", size, hex_to_rgb(bg.colors[0]))
    if bg.kind in ("radial", "spotlight"):
        cx, cy = bg.params.get("center", (0.5, 0.5))
        return _radial(
            size, bg.colors[0], bg.colors[1], cx, cy, float(bg.params.get("radius", 0.7))
        )
    if bg.kind == "linear":
        return _linear(size, bg.colors[0], bg.colors[1], int(bg.params.get("angle", 90)))
    if bg.kind == "podium":
        img = _linear(size, bg.colors[0], bg.colors[1], 90)
        _draw_podium(img, bg.params["podium"], bg.params["podium_color"])
        return img
    if bg.kind == "shapes":
        return _shapes(size, bg)
    if bg.kind == "pattern":
        return _pattern(size, bg.colors[0], bg.colors[1], int(bg.params.get("step", 24)))
    if bg.kind == "image":
        key = str(bg.params.get("sha256"))
        with _LOCK:
            scene = _SCENES.get(key)
        if scene is not None:
            return _cover(scene, key, tuple(bg.params["crop"]), size)
    return Image.new("RGB", (w, h), hex_to_rgb(bg.colors[0]))


def _small(size: tuple[int, int]) -> tuple[int, int]:
    return max(2, size[0] // _DOWNSCALE), max(2, size[1] // _DOWNSCALE)


def _two_tone(mask: Image.Image, size: tuple[int, int], a: str, b: str) -> Image.Image:
    """Blend from color a (mask 0) to color b (mask 255), the mask upscaled smoothly to ``size``.

    The upscaled one-band mask becomes a palette image whose 256 entries run from a to b, so
    one palette lookup colours it: about half the time of three per-band lookups and a merge,
    and far cheaper than compositing or upscaling a three-band image.
    """
    full = upscale(mask, size)
    ca, cb = hex_to_rgb(a), hex_to_rgb(b)
    full.putpalette(
        [round(ca[i] + (cb[i] - ca[i]) * v / 255) for v in range(256) for i in range(3)]
    )
    return full.convert("RGB")


def _linear(size: tuple[int, int], a: str, b: str, angle: int) -> Image.Image:
    """A linear gradient from a to b; angle 90 runs top to bottom."""
    sw, sh = _small(size)
    ramp = Image.linear_gradient("L").rotate(
        90 - angle, resample=Image.Resampling.BILINEAR, expand=False
    )
    # Crop the rotated ramp's centre so its corners (filled black by rotate) stay out of view.
    ramp = ramp.crop((48, 48, 208, 208)).resize((sw, sh), Image.Resampling.BILINEAR)
    return _two_tone(ramp, size, a, b)


def _radial(
    size: tuple[int, int], inner: str, outer: str, cx: float, cy: float, radius: float
) -> Image.Image:
    """A radial glow centred on (cx, cy) (canvas fractions), fading to ``outer``."""
    sw, sh = _small(size)
    diameter = max(2, round(2 * radius * max(sw, sh)))
    ring = _RING.resize((diameter, diameter), Image.Resampling.BILINEAR)
    mask = Image.new("L", (sw, sh), 255)
    mask.paste(ring, (round(cx * sw - diameter / 2), round(cy * sh - diameter / 2)))
    return _two_tone(mask, size, inner, outer)


def _smoothstep_lut() -> list[int]:
    # Pillow's radial gradient reaches 255 only in the corners (181 at the edge midpoints);
    # rescale so the glow ends on the inscribed circle, with a smoothstep falloff.
    out = []
    for v in range(256):
        t = min(1.0, v / 181.0)
        out.append(round(255 * t * t * (3 - 2 * t)))
    return out


_RING = Image.radial_gradient("L").point(_smoothstep_lut())


def _draw_podium(img: Image.Image, box: list[int], color: str) -> None:
    """A flat ellipse with a lighter top edge, under the product."""
    x, y, w, h = box
    draw = ImageDraw.Draw(img)
    fill = hex_to_rgb(color)
    draw.ellipse((x, y, x + w, y + h), fill=fill)
    rim = hex_to_rgb(mix(color, "#ffffff", 0.35))
    draw.ellipse((x, y, x + w, y + h), outline=rim, width=max(1, h // 14))


def _shapes(size: tuple[int, int], bg: Background) -> Image.Image:
    """Soft blurred circles over a flat base."""
    sw, sh = _small(size)
    base = Image.new("RGB", (sw, sh), hex_to_rgb(bg.colors[0]))
    draw = ImageDraw.Draw(base)
    m = max(sw, sh)
    for cx, cy, r, tone in bg.params.get("circles", []):
        color = hex_to_rgb(bg.colors[int(tone)])
        rr = r * m
        draw.ellipse((cx * sw - rr, cy * sh - rr, cx * sw + rr, cy * sh + rr), fill=color)
    base = base.filter(ImageFilter.GaussianBlur(max(1.0, m * 0.01)))
    return upscale(base, size)


def _pattern(size: tuple[int, int], base: str, dot: str, step: int) -> Image.Image:
    """A quiet dot grid: texture without noise under the text."""
    tile = Image.new("RGB", (step, step), hex_to_rgb(base))
    r = max(1, step // 10)
    ImageDraw.Draw(tile).ellipse(
        (step // 2 - r, step // 2 - r, step // 2 + r, step // 2 + r), fill=hex_to_rgb(dot)
    )
    w, h = size
    row = Image.new("RGB", (w + step, step))
    for x in range(0, w + step, step):
        row.paste(tile, (x, 0))
    img = Image.new("RGB", size)
    for y in range(0, h, step):
        img.paste(row, (0, y))
    return img


# --- scene images --------------------------------------------------------------------------


@dataclass(frozen=True)
class Scene:
    """A background picture shared by every creative of a set."""

    image: Image.Image
    """RGB, at most SCENE_MAX_SIDE on its long side."""
    sha256: str
    """Content hash: names the pixels in the Background value without carrying them."""
    color: str
    """Mean colour: the fallback fill, and the Background's recorded colour."""
    focus: tuple[float, float] = (0.5, 0.5)
    """The point of the scene (fractions) kept nearest the product: where a painter put it."""
    src: str = SCENE_FILE
    """File name written beside the creatives."""


def scene_file(group: str) -> str:
    """The file name of an aspect group's scene, written beside the creatives."""
    return f"background-scene-{group}.png"


def make_scene(image: Image.Image, *, focus: tuple[float, float] = (0.5, 0.5)) -> Scene:
    """A Scene from any image: flattened to RGB and capped in size."""
    rgb = image.convert("RGB")
    if max(rgb.size) > SCENE_MAX_SIDE:
        rgb.thumbnail((SCENE_MAX_SIDE, SCENE_MAX_SIDE), Image.Resampling.LANCZOS)
    digest = hashlib.sha256(f"{rgb.size}".encode() + rgb.tobytes()).hexdigest()[:16]
    mean = np.asarray(rgb.reduce(max(1, min(rgb.size) // 64)), dtype=np.float64)
    color = rgb_to_hex(mean.reshape(-1, 3).mean(axis=0))
    return Scene(image=rgb, sha256=digest, color=color, focus=focus)


# Scene pixels by content hash, for ``paint``: a Background stays a small serialisable value
# (it is stored in the manifest and sent between processes), so it names its scene instead of
# holding it. Each worker process registers the scene of its job before drawing.
_SCENES: OrderedDict[str, Image.Image] = OrderedDict()
_MAX_SCENES = 4
_LOCK = threading.Lock()
"""The API's thread-mode workers share these caches."""


def remember_scene(scene: Scene) -> None:
    """Make a scene's pixels available to ``paint`` in this process."""
    with _LOCK:
        _SCENES[scene.sha256] = scene.image
        _SCENES.move_to_end(scene.sha256)
        while len(_SCENES) > _MAX_SCENES:
            _SCENES.popitem(last=False)


def plan_scene_background(scene: Scene, layout: Layout) -> Background:
    """Cover-fit the scene into the format, its focus point as close to the product as the
    crop allows (the canvas centre stands in for text-led designs)."""
    w, h = layout.width, layout.height
    sw, sh = scene.image.size
    target = (w / 2, h / 2)
    product = layout.element("product")
    if product is not None:
        x, y, pw, ph = product.box
        target = (x + pw / 2, y + ph / 2)
    scale = max(w / sw, h / sh)
    cw, ch = w / scale, h / scale
    left = _clamp(scene.focus[0] * sw - target[0] / scale, 0.0, sw - cw)
    top = _clamp(scene.focus[1] * sh - target[1] / scale, 0.0, sh - ch)
    crop = [round(left, 2), round(top, 2), round(cw, 2), round(ch, 2)]
    params: dict[str, Any] = {
        "src": scene.src,
        "size": [sw, sh],
        "crop": crop,
        "focus": [round(scene.focus[0], 4), round(scene.focus[1], 4)],
        "sha256": scene.sha256,
    }
    return Background(kind="image", colors=(scene.color,), params=params)


def _clamp(value: float, low: float, high: float) -> float:
    return min(max(value, low), max(low, high))


_COVERED: OrderedDict[tuple[str, tuple[float, ...], tuple[int, int]], Image.Image] = OrderedDict()
_MAX_COVERED = 8


def _cover(
    scene: Image.Image, sha256: str, crop: tuple[float, ...], size: tuple[int, int]
) -> Image.Image:
    """The crop ``[x, y, w, h]`` (scene pixels) resized to the canvas. Cached: every variant of
    a set draws the same crop at the same size, and upscaling a photo is the slow part."""
    key = (sha256, crop, size)
    with _LOCK:
        hit = _COVERED.get(key)
    if hit is None:
        x, y, cw, ch = crop
        # The crop was rounded for the manifest: keep it inside the scene.
        box = (max(0.0, x), max(0.0, y), min(scene.width, x + cw), min(scene.height, y + ch))
        hit = scene.resize(size, Image.Resampling.LANCZOS, box=box)
        with _LOCK:
            _COVERED[key] = hit
            while len(_COVERED) > _MAX_COVERED:
                _COVERED.popitem(last=False)
    # The renderer draws on the canvas it gets: never hand out the cached image itself.
    return hit.copy()
