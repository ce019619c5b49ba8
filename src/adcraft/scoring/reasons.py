"""Score reasons with stable codes, so a client can say them in its own language.

Every reason a ranker gives is written from one template of :data:`TEMPLATES` (English, as the
CLI, the CSV and older clients show it). :func:`parse` reads such a text back — also one stored
before codes existed — as a :class:`Reason`: the code, the numbers in it and the points it added
or took away (the " (+8)" the quality ranker appends). A text no template made is code
``other``, shown as it is.

Numbers come back as plain values: a share as a fraction (``"34%"`` -> 0.34), a contrast ratio
as its first term (``"3.9:1"`` -> 3.9), points signed. Words that are not numbers (the CTR
model's name of a feature) stay English in ``params["what"]``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from adcraft.coded_text import CodedText

#: code -> English template (``str.format``). Codes are part of the API: never rename one.
TEMPLATES: dict[str, str] = {
    # Quality ranker, hard penalties.
    "text_overlap": "text boxes overlap by {px:.0f} px",
    "text_overflow": "text overflows its box",
    "cut_off": "{n:.0f} element(s) cut off by the canvas edge",
    "outside_safe_zone": "{n:.0f} element(s) outside the safe zone",
    "low_contrast": "contrast {ratio:.1f}:1 below {target:g}:1",
    "text_over_product": "text covers {share:.0%} of the product",
    "missing_facts": "{n:.0f} key fact(s) missing",
    "truncated_fields": "{n:.0f} text field(s) truncated",
    # Quality ranker, soft terms.
    "good_alignment": "good alignment",
    "loose_alignment": "loose alignment",
    "calm_background": "calm background under text",
    "busy_background": "busy background",
    "balanced_composition": "balanced composition",
    "lopsided_composition": "lopsided composition",
    "uses_free_space": "uses the free space",
    "covers_salient_area": "layout covers salient product area",
    "light_on_text": "light on text",
    "text_share": "text covers {share:.0%} of the image",
    "high_contrast": "high contrast {ratio:.1f}:1",
    "sharp_product": "sharp product",
    "soft_product": "soft product photo",
    "well_exposed_product": "well exposed product",
    "badly_exposed_product": "badly exposed product",
    "clipping": "blown highlights or crushed shadows",
    # CTR ranker.
    "no_ctr_model": "no CTR model trained yet: ranked by the quality score",
    "predicted_ctr": "predicted CTR {ctr:.2%}",
    "ctr_history_more": "its own history: {share:.0%} more clicks than its features predict",
    "ctr_history_fewer": "its own history: {share:.0%} fewer clicks than its features predict",
    "ctr_effect": "{what}: {delta} points of CTR",
}

CODES: tuple[str, ...] = (*TEMPLATES, "other")
"""Every code a client may meet (``other``: a text no template made)."""

_NUMBER = r"[+\-−]?\d+(?:\.\d+)?%?"
_POINTS = re.compile(r"(?P<body>.*) \((?P<points>[+\-−]\d+(?:\.\d+)?)\)")


_TEXT = CodedText(TEMPLATES, lambda name: ".+" if name == "what" else _NUMBER)


def say(code: str, **params: object) -> str:
    """The English text of a reason."""
    return _TEXT.say(code, **params)


def points(x: float) -> str:
    """Points as the reasons show them: "+8", "−25" (a real minus sign)."""
    return f"+{x:.0f}" if x >= 0 else f"−{abs(x):.0f}"


def _value(text: str) -> float:
    text = text.replace("−", "-")
    if text.endswith("%"):
        return float(text[:-1]) / 100
    return float(text)


@dataclass(frozen=True)
class Reason:
    """One score reason: its code, numbers, points (None: none said) and English text."""

    code: str
    text: str
    points: float | None = None
    params: dict[str, float | str] = field(default_factory=dict)


def parse(text: str) -> Reason:
    """The reason a ranker wrote as ``text``; code ``other`` when no template made it."""
    body, pts = text, None
    m = _POINTS.fullmatch(text)
    if m is not None:
        body, pts = m.group("body"), _value(m.group("points"))
    found = _TEXT.read(body)
    if found is None:
        return Reason(code="other", text=text, points=pts)
    code, raw = found
    params: dict[str, float | str] = {
        name: value if name == "what" else _value(value) for name, value in raw.items()
    }
    return Reason(code=code, text=text, points=pts, params=params)
