"""Text-only ads: the assets of a Google responsive search ad (or any format without an image).

A responsive search ad is uploaded as lists: 3-15 headlines of 30 characters and 2-4
descriptions of 90 characters (Google counts a CJK character twice), plus two display-path
parts of 15. Google combines them at serving time, so each asset must read on its own and no
two may be the same. The copywriter writes one variant per asset and the distinct ones are kept.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import regex

from adcraft.copywriting.limits import measure
from adcraft.copywriting.offline import Copywriter, FieldSpec
from adcraft.domain.brief import Brief
from adcraft.domain.formats import Format

# (field in formats.json text_limits, how many assets Google accepts at most, at least)
_LISTS: dict[str, tuple[int, int]] = {"headline": (15, 3), "description": (4, 2)}


@dataclass(frozen=True)
class TextAd:
    """The text assets of one text-only ad: several per list field, one per single field."""

    format_id: str
    lists: dict[str, list[str]] = field(default_factory=dict)
    single: dict[str, str] = field(default_factory=dict)
    limits: dict[str, int] = field(default_factory=dict)
    short: dict[str, int] = field(default_factory=dict)
    """List fields with fewer distinct assets than the platform's minimum: how many were found."""

    def as_dict(self) -> dict[str, object]:
        """JSON-ready: each list with each asset's counted length and the field's limit."""
        out: dict[str, object] = {"format": self.format_id}
        for name, items in self.lists.items():
            out[name + "s"] = [
                {"text": t, "length": measure(t, "width"), "limit": self.limits[name]}
                for t in items
            ]
        for name, text in self.single.items():
            out[name] = {"text": text, "length": measure(text, "width"), "limit": self.limits[name]}
        if self.short:
            out["short"] = dict(self.short)
        return out


def _key(text: str) -> str:
    return regex.sub(r"[^\p{L}\p{N}]+", " ", text.casefold()).strip()


def write_text_ad(writer: Copywriter, brief: Brief, fmt: Format) -> TextAd:
    """Every text asset of a text-only format, each within its limit, no two alike."""
    counting = "width" if fmt.platform.lower().startswith("google") else "graphemes"
    lists: dict[str, list[str]] = {}
    single: dict[str, str] = {}
    short: dict[str, int] = {}
    for name, limit in fmt.text_limits.items():
        spec = FieldSpec(name, f"{fmt.platform} {name}", limit, counting)  # type: ignore[arg-type]
        if name in _LISTS:
            most, least = _LISTS[name]
            lists[name] = _distinct(writer, brief, spec, most)
            if len(lists[name]) < least:
                short[name] = len(lists[name])
        else:
            single[name] = writer.write(brief, [spec], variant=0, n_variants=1).fields[name]
    return TextAd(fmt.id, lists, single, dict(fmt.text_limits), short)


def _distinct(writer: Copywriter, brief: Brief, spec: FieldSpec, most: int) -> list[str]:
    """Up to ``most`` different texts for one field: one per variant, repeats skipped."""
    out: list[str] = []
    seen: set[str] = set()
    # A few more variants than assets: some angles give the same short text.
    tries = most * 2
    for v in range(tries):
        text = writer.write(brief, [spec], variant=v, n_variants=tries).fields[spec.name]
        if text and spec.fits(text) and _key(text) not in seen:
            seen.add(_key(text))
            out.append(text)
        if len(out) >= most:
            break
    return out


def text_formats(formats: Sequence[Format]) -> list[Format]:
    """The text-only formats among ``formats``."""
    return [f for f in formats if f.kind == "text"]
