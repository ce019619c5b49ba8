"""`generate` with its picture from the image bank: the fixture bank, real search, real render."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
from PIL import Image

from adcraft import Brief, generate
from adcraft.imagery.bank.source import BankImageSource
from adcraft.imagery.bank.store import Bank
from tests.manifest_checks import check_set

FORMATS = ["1:1", "9:16", "1.91:1"]
STRAWBERRIES = Brief(product_name="Fresh strawberries delivered", offer="20% off your first box")


def _manifest(out: Path) -> dict:  # type: ignore[type-arg]
    return json.loads((out / "manifest.json").read_text("utf-8"))


def test_creatives_use_a_bank_image(numpy_bank: Bank, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = generate(
        STRAWBERRIES,
        formats=FORMATS,
        variants=2,
        seed=3,
        out_dir=out,
        image_source=BankImageSource(numpy_bank),
        workers=1,
    )
    manifest = _manifest(out)
    origin = manifest["image_source"]
    assert origin["source"] == "bank:1f353", origin  # the strawberry render
    assert origin["description"] == "strawberry"
    assert origin["key"] == numpy_bank.images["1f353"].key
    assert result.image_source is not None and result.image_source.source == "bank:1f353"
    assert any("bank:1f353" in w for w in result.warnings)  # 256 px render: the size warning
    for c in manifest["creatives"]:
        product = next(e for e in c["elements"] if e["kind"] == "product")
        cutout = Image.open(out / product["src"])
        assert cutout.mode == "RGBA"
        alpha = np.asarray(cutout.getchannel("A"))
        assert alpha.min() == 0 and alpha.max() == 255  # a real cut-out, not an opaque block
    report = check_set(out)
    assert report.creatives == 6 and not report.problems, report.problems


def test_same_seed_same_pick_and_bytes(numpy_bank: Bank, tmp_path: Path) -> None:
    runs = []
    for name in ("a", "b"):
        out = tmp_path / name
        generate(
            STRAWBERRIES,
            formats=["1:1"],
            variants=1,
            seed=11,
            out_dir=out,
            image_source=BankImageSource(numpy_bank),
            image_description="a basket of fruit",
            workers=1,
        )
        manifest = _manifest(out)
        files = {c["file"]: (out / c["file"]).read_bytes() for c in manifest["creatives"]}
        runs.append((manifest["image_source"], files))
    assert runs[0] == runs[1]


def test_different_seeds_can_pick_differently(numpy_bank: Bank) -> None:
    source = BankImageSource(numpy_bank)
    # Two close candidates (a beer and a party popper): the seeded draw takes both.
    brief = Brief(product_name="Summer party", offer="30% off drinks")
    picks = set()
    for seed in range(4):
        result = generate(brief, formats=["1:1"], variants=1, seed=seed, image_source=source)
        assert result.image_source is not None
        picks.add(result.image_source.source)
    assert len(picks) >= 2, picks


def test_an_image_source_replaces_the_brief_photo(numpy_bank: Bank, tmp_path: Path) -> None:
    photo = tmp_path / "photo.png"
    Image.new("RGB", (600, 600), (250, 250, 250)).save(photo)
    brief = STRAWBERRIES.model_copy(update={"image": photo})
    result = generate(brief, formats=["1:1"], variants=1, image_source=BankImageSource(numpy_bank))
    assert result.image_source is not None and result.image_source.source.startswith("bank:")
    assert result.warnings[0] == "the product photo is not used: the picture comes from bank"
