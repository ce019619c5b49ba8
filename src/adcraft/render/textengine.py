"""Which text engine Pillow has, found once at start-up, and fonts that work with either.

Pillow shapes and reorders text with libraqm, which needs libfribidi at run time. Without it,
asking for a text direction raised ``KeyError`` deep inside every worker. Now:

* with raqm, fonts use it (the normal case);
* without it, text in scripts that need no shaping (Latin, Cyrillic, Greek, CJK...) is laid out
  with Pillow's basic engine (the set's manifest says so in its warnings), and text that needs
  shaping or right-to-left order (Arabic, Hebrew, Indic, Thai...) stops with a clear error naming
  the missing library and how to install it.

``ADCRAFT_TEXT_ENGINE=basic`` forces the fallback (to try it on a machine that has raqm).
"""

from __future__ import annotations

import logging
import os
from functools import cache
from pathlib import Path
from typing import Any

import regex
from PIL import ImageFont, features

from adcraft.errors import TextEngineUnavailable
from adcraft.notes import say

INSTALL_HINT = (
    "install libfribidi (Debian/Ubuntu: apt-get install libfribidi0; Fedora: dnf install "
    "fribidi; macOS: brew install fribidi) and start adcraft again"
)
BASIC_WARNING = say("text_engine_basic")  # ends with INSTALL_HINT
_NEEDS_SHAPING = regex.compile(
    r"[\p{Script=Arabic}\p{Script=Hebrew}\p{Script=Syriac}\p{Script=Thaana}\p{Script=Nko}"
    r"\p{Script=Devanagari}\p{Script=Bengali}\p{Script=Gurmukhi}\p{Script=Gujarati}"
    r"\p{Script=Oriya}\p{Script=Tamil}\p{Script=Telugu}\p{Script=Kannada}\p{Script=Malayalam}"
    r"\p{Script=Sinhala}\p{Script=Thai}\p{Script=Lao}\p{Script=Tibetan}\p{Script=Myanmar}"
    r"\p{Script=Khmer}\p{Script=Mongolian}]"
)


@cache
def has_raqm() -> bool:
    """Whether Pillow can shape text here (raqm with fribidi), unless forced off."""
    if os.environ.get("ADCRAFT_TEXT_ENGINE", "").strip().lower() == "basic":
        return False
    ok = bool(features.check_feature("raqm")) and features.check_feature("fribidi") is not False
    if not ok:
        logging.getLogger("adcraft.render").warning("%s", BASIC_WARNING)
    return ok


def engine_name() -> str:
    """``raqm`` or ``basic``."""
    return "raqm" if has_raqm() else "basic"


def needs_shaping(text: str) -> bool:
    """Whether ``text`` has characters the basic engine cannot lay out correctly."""
    return _NEEDS_SHAPING.search(text) is not None


def check_text(text: str) -> None:
    """Raise TextEngineUnavailable when ``text`` cannot be drawn with the engine available."""
    if not has_raqm() and needs_shaping(text):
        sample = _NEEDS_SHAPING.search(text)
        char = sample.group() if sample else "?"
        raise TextEngineUnavailable(
            f"text in this script ({char!r}, U+{ord(char):04X}) needs the raqm text engine, "
            f"which is missing: {INSTALL_HINT}"
        )


class _BasicFont(ImageFont.FreeTypeFont):
    """A face on Pillow's basic engine that accepts the raqm-only arguments the layout passes
    (a left-to-right direction, features, language) and refuses text that needs shaping."""

    @staticmethod
    def _plain(text: Any, kwargs: dict[str, Any]) -> dict[str, Any]:
        if isinstance(text, str):
            check_text(text)
        direction = kwargs.pop("direction", None)
        if direction not in (None, "ltr"):
            raise TextEngineUnavailable(
                f"{direction} text needs the raqm text engine, which is missing: {INSTALL_HINT}"
            )
        kwargs.pop("features", None)
        kwargs.pop("language", None)
        return kwargs

    def getlength(self, text: Any, *args: Any, **kwargs: Any) -> float:
        return super().getlength(text, *args, **self._plain(text, kwargs))

    def getbbox(self, text: Any, *args: Any, **kwargs: Any) -> tuple[float, float, float, float]:
        return super().getbbox(text, *args, **self._plain(text, kwargs))

    def getmask2(self, text: Any, *args: Any, **kwargs: Any) -> Any:
        return super().getmask2(text, *args, **self._plain(text, kwargs))


def open_font(path: str | Path, size: int) -> ImageFont.FreeTypeFont:
    """A face at ``size`` px on the best engine available."""
    if has_raqm():
        return ImageFont.truetype(str(path), size, layout_engine=ImageFont.Layout.RAQM)
    return _BasicFont(str(path), size, layout_engine=ImageFont.Layout.BASIC)
