"""`generate` with a newly painted picture: a tiny random diffusers pipeline on CPU."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PIL import Image

from adcraft import Brief, generate
from adcraft.imagery.diffusion import DiffusionSettings
from adcraft.imagery.generated_source import GeneratedImageSource
from adcraft.imagery.source import ImageRequest

pytest.importorskip("diffusers", reason="needs the 'diffusion' extra")

BRIEF = Brief(product_name="Trail 3 Tent", offer="20% off all tents this weekend")


def _source(model: Path) -> GeneratedImageSource:
    from adcraft.providers.gen_diffusers import DiffusersGenerator

    settings = DiffusionSettings(model=str(model), device="cpu", allow_cpu=True)
    return GeneratedImageSource(DiffusersGenerator(settings), steps=2, width=64, height=64)


def test_prompt_comes_from_the_description_or_the_product(tiny_models: dict[str, Path]) -> None:
    source = _source(tiny_models["sd"])
    described = source.prompt(ImageRequest("Trail 3 Tent", "a green tent", seed=1))
    assert described.startswith("a green tent, isolated on a plain light studio background")
    assert "photo of Trail 3 Tent" in source.prompt(ImageRequest("Trail 3 Tent"))


def test_generated_picture_makes_the_creatives(
    tiny_models: dict[str, Path], tmp_path: Path
) -> None:
    source = _source(tiny_models["sd"])
    runs = []
    for name in ("a", "b"):
        out = tmp_path / name
        result = generate(
            BRIEF,
            formats=["1:1", "9:16", "1.91:1"],
            variants=1,
            seed=5,
            out_dir=out,
            image_source=source,
            image_description="a green tent",
            workers=1,
        )
        manifest = json.loads((out / "manifest.json").read_text("utf-8"))
        runs.append({c["file"]: (out / c["file"]).read_bytes() for c in manifest["creatives"]})
    origin = manifest["image_source"]
    assert origin["source"] == "generated:sd" and origin["key"] is None
    assert origin["description"].startswith("a green tent")
    assert len(result.creatives) == 3
    for c in manifest["creatives"]:
        product = next(e for e in c["elements"] if e["kind"] == "product")
        assert Image.open(out / product["src"]).mode == "RGBA"
    assert runs[0] == runs[1]  # same seed: same painting, same bytes
