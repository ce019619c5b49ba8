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

from adcraft.copywriting.injection import neutralize_brief
from adcraft.copywriting.limits import measure
from adcraft.copywriting.locale import capitalize_first, end_headline, end_sentence
from adcraft.copywriting.offline import Copywriter, FieldSpec, is_headline
from adcraft.copywriting.phrasing import Material, benefit_lines, gather, tidy
from adcraft.copywriting.safety import banned_in
from adcraft.domain.brief import Brief
from adcraft.domain.formats import Format

_NOT_ALONE = frozenset({"deadline", "promo_code", "price"})

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
    brief = neutralize_brief(brief)[0]
    m = gather(brief)
    for name, limit in fmt.text_limits.items():
        spec = FieldSpec(name, f"{fmt.platform} {name}", limit, counting)  # type: ignore[arg-type]
        if name in _LISTS:
            most, least = _LISTS[name]
            lists[name] = _distinct(writer, brief, spec, most, _more(m, name), m.banned)
            if len(lists[name]) < least:
                short[name] = len(lists[name])
        elif name.startswith("path"):
            # The first part names the product, the second what it is good for.
            taken = set(single.values())
            first = name == "path1"
            pool = _paths(m, spec, names=first) + ([] if first else _paths(m, spec, names=True))
            single[name] = next((p for p in pool if p not in taken), "")
        else:
            single[name] = writer.write(brief, [spec], variant=0, n_variants=1).fields[name]
    return TextAd(fmt.id, lists, single, dict(fmt.text_limits), short)


def _more(m: Material, name: str) -> list[str]:
    """More assets from the brief's own words, after the copywriter's variants: each claim,
    selling point and name alone for headlines; sentences and benefit lines for descriptions."""
    if name == "headline":
        return [
            # A deadline or a code alone ("until Sunday") does not say what is offered.
            *(tidy(c.text, m.lang) for c in m.claims if c.kind not in _NOT_ALONE),
            *(capitalize_first(p, m.lang) for p in m.points),
            *m.offer_forms,
            *(e for x in m.extras for e in x),
            *m.names,
        ]
    lines = benefit_lines(m.points, m.lang)
    return [
        *(end_sentence(f, m.lang) for f in m.offer_forms),
        *m.sentences,
        *lines,
    ]


def _paths(m: Material, spec: FieldSpec, *, names: bool) -> list[str]:
    """Display-path parts as slugs: from the product name, or from the selling points."""
    out = []
    for text in m.names if names else m.points:
        slug = regex.sub(r"[^\p{L}\p{N}]+", "-", text).strip("-")
        words = slug.split("-")
        # The longest run of whole words that fits: a path is never cut inside a word.
        for k in range(len(words), 0, -1):
            part = "-".join(words[:k])
            if part and spec.fits(part) and not banned_in(part, m.banned):
                out.append(part)
                break
    return list(dict.fromkeys(out))


def _distinct(
    writer: Copywriter,
    brief: Brief,
    spec: FieldSpec,
    most: int,
    more: Sequence[str],
    banned: Sequence[str],
) -> list[str]:
    """Up to ``most`` different texts for one field: one per variant, then the brief's own
    phrases; repeats, texts over the limit and texts with a banned word are skipped."""
    out: list[str] = []
    seen: set[str] = set()

    def add(text: str) -> None:
        if is_headline(spec.name):
            text = end_headline(text, brief.language)
        if text and spec.fits(text) and _key(text) not in seen and not banned_in(text, banned):
            seen.add(_key(text))
            out.append(text)

    # A few more variants than assets: some angles give the same short text.
    tries = min(most, 8)
    for v in range(tries):
        add(writer.write(brief, [spec], variant=v, n_variants=tries).fields[spec.name])
    for text in more:
        if len(out) >= most:
            break
        add(text)
    return out[:most]


def text_formats(formats: Sequence[Format]) -> list[Format]:
    """The text-only formats among ``formats``."""
    return [f for f in formats if f.kind == "text"]
