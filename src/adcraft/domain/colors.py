"""A brand colour typed in any common CSS notation, made ``#rrggbb``.

Accepted: ``#rgb``, ``#rrggbb`` (also without the ``#``), ``#rgba``/``#rrggbbaa`` when fully
opaque, ``rgb()``/``rgba()`` with numbers or percentages (comma- or space-separated, an alpha after
``/`` or a fourth comma), ``hsl()``/``hsla()`` (hue in degrees, ``deg``, ``turn``, ``rad`` or
``grad``) and the 148 CSS colour names (Pillow's table). A colour with transparency is refused: a
brand colour is drawn opaque, so the message says so instead of dropping the alpha silently.
"""

from __future__ import annotations

import math
import re

import numpy as np
from PIL import ImageColor

_HEX = re.compile(r"#?([0-9a-f]{3,4}|[0-9a-f]{6}|[0-9a-f]{8})")
_FUNC = re.compile(r"(rgba?|hsla?)\((.*)\)")
_NUM = re.compile(r"([+-]?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?)(%|deg|grad|rad|turn)?")
_HUE_UNITS = {None: 1.0, "deg": 1.0, "grad": 0.9, "rad": 180 / math.pi, "turn": 360.0}
HINT = "use #rrggbb, #rgb, rgb(), hsl() or a CSS colour name such as navy"


def _hex(r: float, g: float, b: float) -> str:
    return "#" + "".join(f"{min(255, max(0, math.floor(v + 0.5))):02x}" for v in (r, g, b))


def _number(token: str, value: str) -> tuple[float, str | None]:
    m = _NUM.fullmatch(token)
    if m is None:
        raise ValueError(f"{value!r} is not a colour: {token!r} is not a number ({HINT})")
    return float(m.group(1)), m.group(2)


def _alpha(token: str, value: str) -> None:
    a, unit = _number(token, value)
    if unit not in (None, "%"):
        raise ValueError(f"{value!r} is not a colour: the alpha {token!r} has a unit ({HINT})")
    if (a / 100 if unit == "%" else a) < 1:
        raise ValueError(
            f"{value!r} is partly transparent (alpha {token}): a brand colour must be opaque,"
            " give it without alpha or with alpha 1"
        )


def _function(name: str, args: str, value: str) -> str:
    if "," in args:
        parts = [p.strip() for p in args.split(",")]
        alpha = parts[3] if len(parts) == 4 else None
        channels = parts[:3] if len(parts) in (3, 4) else []
    else:
        main, slash, alpha_part = args.partition("/")
        channels = main.split()
        alpha = alpha_part.strip() if slash else None
    if len(channels) != 3 or (alpha is not None and not alpha):
        raise ValueError(f"{value!r} is not a colour: {name}() takes three values ({HINT})")
    if alpha is not None:
        _alpha(alpha, value)
    nums = [_number(c, value) for c in channels]
    if name.startswith("rgb"):
        out = []
        for (v, unit), token in zip(nums, channels, strict=True):
            if unit not in (None, "%"):
                raise ValueError(f"{value!r} is not a colour: {token!r} has a unit ({HINT})")
            top = 100.0 if unit == "%" else 255.0
            if not 0 <= v <= top:
                raise ValueError(
                    f"{value!r} is not a colour: {token} is outside 0–{top:g}{unit or ''}"
                )
            out.append(v * 255 / 100 if unit == "%" else v)
        return _hex(*out)
    (h, hue_unit), (s, s_unit), (lum, l_unit) = nums
    if hue_unit == "%" or s_unit != "%" or l_unit != "%":
        raise ValueError(
            f"{value!r} is not a colour: hsl() takes a hue and two percentages ({HINT})"
        )
    if not (0 <= s <= 100 and 0 <= lum <= 100):
        raise ValueError(f"{value!r} is not a colour: a percentage is outside 0–100%")
    # CSS Color 4's conversion in single precision, as Chromium does it, so the form (which asks
    # the browser) and the API give the same #rrggbb (checked against Chromium on 4 910 colours).
    f = np.float32
    hue = f(h * _HUE_UNITS[hue_unit]) % f(360)
    light = f(lum) / f(100)
    a = f(s) / f(100) * min(light, f(1) - light)
    out = []
    for n in (0, 8, 4):
        k = (f(n) + hue / f(30)) % f(12)
        c = light - a * max(min(k - f(3), f(9) - k, f(1)), f(-1))
        out.append(float(math.floor(c * f(255) + f(0.5))))
    return _hex(*out)


def to_hex(value: str) -> str:
    """``value`` as ``#rrggbb`` (lower case); ValueError naming the value and what is accepted."""
    text = value.strip().lower()
    if text in ImageColor.colormap:
        rgb = ImageColor.getrgb(text)
        return _hex(rgb[0], rgb[1], rgb[2])
    if text == "transparent":
        raise ValueError(f"{value!r} is transparent: a brand colour must be opaque")
    m = _HEX.fullmatch(text)
    if m is not None and (text.startswith("#") or len(m.group(1)) in (3, 6)):
        digits = m.group(1)
        if len(digits) in (3, 4):
            digits = "".join(d * 2 for d in digits)
        if len(digits) == 8:
            if digits[6:] != "ff":
                raise ValueError(
                    f"{value!r} is partly transparent (alpha #{digits[6:]}): a brand colour"
                    " must be opaque, give it as #rrggbb"
                )
            digits = digits[:6]
        return "#" + digits
    f = _FUNC.fullmatch(text)
    if f is not None:
        return _function(f.group(1), f.group(2).strip(), value)
    raise ValueError(f"{value!r} is not a colour: {HINT}")
