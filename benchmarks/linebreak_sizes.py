"""What the line-breaking rules cost in text size in narrow banners.

    PYTHONPATH=src python benchmarks/linebreak_sizes.py

Fits every name, offer and selling point of tests/corpus/products.json (Inter Bold, two lines,
9 px minimum) into text boxes the size of a narrow banner's (200x42, 185x42, 300x50 and
420x70 for 320x50, 300x50, 468x60 and 728x90), once with the language rules and once breaking
at every space, and prints per box how many texts differ in size, how many fit at no size, the
smallest and mean size ratio (rules / spaces only) and the largest drops.
"""

from __future__ import annotations

import json
import statistics
from pathlib import Path

from adcraft.layout import linebreak, typography
from adcraft.layout.typography import fit_text, resolve_face

CORPUS = Path(__file__).resolve().parents[1] / "tests" / "corpus" / "products.json"
BOXES = {"320x50": (200, 42, 22), "300x50": (185, 42, 22), "468x60": (300, 50, 26)}
BOXES["728x90"] = (420, 70, 32)
Result = dict[tuple[str, str, str], tuple[int | None, tuple[str, ...] | None]]


def _spaces_only(
    text: str, language: str, names: tuple[str, ...] = (), *, loose: bool = False
) -> tuple[linebreak.Atom, ...]:
    words = [w for w in linebreak.BREAKING_SPACE.split(text.strip()) if w]
    return tuple(linebreak.Atom(w, i > 0, False) for i, w in enumerate(words))


def _fit_all(phrases: list[tuple[str, str]], rules: bool) -> Result:
    typography._fit.cache_clear()
    typography.linebreak.atoms = _RULES if rules else _spaces_only  # type: ignore[assignment]
    out: Result = {}
    for fmt, (w, h, top) in BOXES.items():
        for lang, text in phrases:
            face = resolve_face(text, "Inter", "bold", lang)
            kw = {"box_w": w, "box_h": h, "max_size": top, "min_size": 9, "max_lines": 2}
            f = fit_text(text, face, language=lang, **kw)  # type: ignore[arg-type]
            out[fmt, lang, text] = (f.size, f.lines) if f else (None, None)
    typography.linebreak.atoms = _RULES  # type: ignore[assignment]
    return out


_RULES = linebreak.atoms


def main() -> None:
    records = json.loads(CORPUS.read_text("utf-8"))
    phrases = [
        (p["language"], t)
        for p in records
        for t in [p["name"], *p.get("offers", []), *p.get("selling_points", [])]
        # Chinese and Japanese have no spaces: "spaces only" would not break them at all.
        if not p["language"].startswith(("zh", "ja"))
    ]
    rules, spaces = _fit_all(phrases, True), _fit_all(phrases, False)
    print(f"{len(phrases)} texts")
    for fmt in BOXES:
        keys = [k for k in rules if k[0] == fmt]
        sizes = [(rules[k][0], spaces[k][0]) for k in keys]
        ratios = [a / b for a, b in sizes if a is not None and b is not None]
        differ = [k for k in keys if rules[k][0] != spaces[k][0]]
        print(
            f"{fmt}: differ {len(differ)}, no size fits {sum(rules[k][0] is None for k in keys)}"
            f" (spaces only {sum(spaces[k][0] is None for k in keys)}), ratio min"
            f" {min(ratios):.2f} mean {statistics.mean(ratios):.3f}"
        )
        worst = sorted(differ, key=lambda k: (rules[k][0] or 0) / (spaces[k][0] or 1))[:3]
        for k in worst:
            print(f"    {k[1]} {k[2]!r}: {rules[k][0]} px {rules[k][1]} vs {spaces[k][0]} px")


if __name__ == "__main__":
    main()
