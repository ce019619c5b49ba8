"""Aspect groups, the gated picture source and the generation status: no model needed."""

from __future__ import annotations

import pytest
from PIL import Image

from adcraft.config import DiffusionServiceSettings
from adcraft.domain.aspect import GROUP_RATIO, aspect_group, group_size
from adcraft.domain.formats import default_registry
from adcraft.errors import GenerationFailed
from adcraft.imagery.gated_source import RESEED_STEP, GatedImageSource
from adcraft.imagery.source import ImageRequest, SourcedImage
from adcraft.scoring.gates import build_gates
from adcraft.scoring.gates.settings import default_gate_settings
from adcraft.wiring.diffusion import generation_status, picture_check


@pytest.mark.parametrize(
    ("size", "group"),
    [
        ((1080, 1080), "square"),
        ((300, 250), "square"),
        ((1080, 1350), "portrait"),
        ((1000, 1500), "tall"),  # 2:3 is nearer 9:16 than 4:5: a smaller crop
        ((1080, 1920), "tall"),
        ((160, 600), "tall"),
        ((1200, 628), "landscape"),
        ((1920, 1080), "landscape"),
        ((728, 90), "wide"),
        ((970, 250), "wide"),
    ],
)
def test_formats_fall_in_the_group_of_their_shape(size: tuple[int, int], group: str) -> None:
    assert aspect_group(*size) == group


def test_every_creative_format_gets_the_scene_needing_the_smallest_crop() -> None:
    for f in default_registry():
        if not (f.width and f.height):
            continue
        ratio = f.width / f.height
        # Cover-fit keeps min(r, g)/max(r, g) of the scene: the chosen group keeps the most.
        kept = {g: min(ratio, r) / max(ratio, r) for g, r in GROUP_RATIO.items()}
        assert kept[aspect_group(f.width, f.height)] == max(kept.values()), f.id


def test_group_canvas_has_the_group_shape_in_multiples_of_8() -> None:
    for group, ratio in GROUP_RATIO.items():
        w, h = group_size(group, 1024)  # type: ignore[arg-type]
        assert w % 8 == 0 and h % 8 == 0
        assert abs(w / h - ratio) / ratio < 0.05
        assert 0.9 < w * h / 1024**2 < 1.1


class Scripted:
    """Paints the pictures it is given, in order, recording the seeds asked for."""

    name = "scripted"

    def __init__(self, pictures: list[Image.Image]) -> None:
        self.pictures = pictures
        self.seeds: list[int] = []

    def get(self, request: ImageRequest) -> SourcedImage:
        self.seeds.append(request.seed)
        return SourcedImage(self.pictures[len(self.seeds) - 1], "a tent", "generated:scripted")


def _textured(value: int) -> Image.Image:
    """A mid-grey checkerboard: sharp and well exposed (passes blur and exposure)."""
    img = Image.new("RGB", (256, 256), (value, value, value))
    for y in range(0, 256, 8):
        for x in range((y // 8) % 2 * 8, 256, 16):
            img.paste((value + 60,) * 3, (x, y, x + 8, y + 8))
    return img


def test_a_picture_failing_the_gates_is_painted_again_with_a_new_seed() -> None:
    black = Image.new("RGB", (256, 256), (0, 0, 0))
    inner = Scripted([black, black, _textured(100)])
    source = GatedImageSource(inner, picture_check(build_gates(default_gate_settings())), 3)
    got = source.get(ImageRequest("Trail 3 Tent", seed=5))
    assert inner.seeds == [5, 5 + RESEED_STEP, 5 + 2 * RESEED_STEP]
    assert source.seed == 5 + 2 * RESEED_STEP and got.image is inner.pictures[2]
    assert [s for s, _ in source.rejected] == inner.seeds[:2]
    assert any("exposure" in w and "painted again" in w for w in got.warnings)


def test_a_picture_failing_every_attempt_is_a_clear_error() -> None:
    black = Image.new("RGB", (256, 256), (0, 0, 0))
    inner = Scripted([black] * 3)
    source = GatedImageSource(inner, picture_check(build_gates(default_gate_settings())), 3)
    with pytest.raises(GenerationFailed) as err:
        source.get(ImageRequest("Trail 3 Tent", seed=1))
    text = str(err.value)
    assert "failed the quality gates 3 times" in text and "exposure" in text
    assert "upload a photo" in text
    assert len(inner.seeds) == 3


def test_generation_status_names_why_it_is_unavailable(tmp_path: object) -> None:
    off = generation_status(DiffusionServiceSettings())
    assert not off.available and "ADCRAFT_DIFFUSION__MODEL" in off.reason
    cpu_only = DiffusionServiceSettings(model="some/hub-id")
    refused = generation_status(cpu_only, cuda=lambda: False)
    assert not refused.available and "ADCRAFT_DIFFUSION__ALLOW_CPU=true" in refused.reason
    allowed = DiffusionServiceSettings(model="some/hub-id", allow_cpu=True)
    assert generation_status(allowed, cuda=lambda: False).as_dict() == {
        "available": True,
        "device": "cpu",
    }
    assert generation_status(cpu_only, cuda=lambda: True).device == "gpu"
    missing = DiffusionServiceSettings(model="/nowhere/sdxl", allow_cpu=True)
    assert "not a diffusers pipeline folder" in generation_status(missing).reason
