"""The demo bank's captions: renders matched to CLDR annotations by code point, whatever the
zero padding, variation selectors or skin tones; cached packages are not fetched again."""

from __future__ import annotations

import json
from pathlib import Path

from PIL import Image

from adcraft.imagery.bank.demo import demo_captions, fetch_packages


def _fake_packages(root: Path) -> tuple[Path, Path]:
    renders = root / "fluent-emoji-3d" / "assets"
    renders.mkdir(parents=True)
    for stem in ("0023-fe0f-20e3", "1f44b-1f3fd", "1f353", "1f3f4-e0067_e0062_e0073_e0063_e0074"):
        Image.new("RGBA", (4, 4)).save(renders / f"{stem}.webp")
    data = [
        {"label": "keycap: #", "hexcode": "0023-FE0F-20E3", "tags": ["keycap"], "subgroup": 97},
        {
            "label": "waving hand",
            "hexcode": "1F44B",
            "tags": ["hello", "wave"],
            "subgroup": 16,
            "skins": [{"label": "waving hand: medium skin tone", "hexcode": "1F44B-1F3FD"}],
        },
        {"label": "strawberry", "hexcode": "1F353", "tags": ["berry", "fruit"], "subgroup": 42},
        {
            "label": "flag: Scotland",
            "hexcode": "1F3F4-E0067-E0062-E0073-E0063-E0074-E007F",
            "tags": ["flag"],
            "subgroup": 100,
        },
    ]
    base = root / "emojibase-data"
    for lang, rows in (("en", data), ("ru", [{**data[2], "label": "клубника", "tags": ["ягода"]}])):
        (base / lang).mkdir(parents=True)
        (base / lang / "data.json").write_text(json.dumps(rows), "utf-8")
    subgroups = [
        {"key": k, "order": o}
        for k, o in (
            ("keycap", 97),
            ("hand-fingers-open", 16),
            ("food-fruit", 42),
            ("subdivision-flag", 100),
        )
    ]
    (base / "en" / "messages.json").write_text(json.dumps({"subgroups": subgroups}), "utf-8")
    return renders, base


def test_captions_match_every_render(tmp_path: Path) -> None:
    renders, base = _fake_packages(tmp_path)
    by_file = {e["file"]: e for e in demo_captions(renders, base)}
    assert by_file["0023-fe0f-20e3.webp"]["caption"] == "keycap: #"
    hand = by_file["1f44b-1f3fd.webp"]
    assert hand["caption"] == "waving hand: medium skin tone" and "hello" in hand["keywords"]
    berry = by_file["1f353.webp"]
    assert berry["i18n"]["ru"] == "клубника, ягода"
    assert "strawberry" in berry["keywords"][-1] or berry["caption"] == "strawberry"
    assert berry["hypotheses"][0] == "fresh produce and grocery delivery featuring strawberry"
    assert by_file["1f3f4-e0067_e0062_e0073_e0063_e0074.webp"]["caption"] == "flag: Scotland"


def test_cached_packages_are_reused_without_npm(tmp_path: Path, monkeypatch: object) -> None:
    renders, base = _fake_packages(tmp_path)
    import shutil

    monkeypatch.setattr(shutil, "which", lambda name: None)  # type: ignore[attr-defined]
    assert fetch_packages(tmp_path) == (renders, base)
