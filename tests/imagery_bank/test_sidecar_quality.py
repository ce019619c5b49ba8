"""Sidecar captions (CSV/JSON) and the ingest-time picture checks."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image, ImageDraw, ImageFilter, ImageFont

from adcraft.errors import BankError
from adcraft.imagery.bank.hypotheses import derive_hypotheses
from adcraft.imagery.bank.quality import check_image
from adcraft.imagery.bank.sidecar import read_sidecar
from tests.imagery_bank.conftest import FIXTURES

FONT = Path(__file__).resolve().parents[2] / "src/adcraft/render/fonts/Inter-Regular.ttf"


def test_csv_sidecar(tmp_path: Path) -> None:
    path = tmp_path / "captions.csv"
    path.write_text(
        "file,caption,keywords,hypotheses\n"
        "a.png,A red apple,fruit; apple,grocery ads|juice bars\n"
        "sub/b.jpg,Blue car,,\n",
        "utf-8",
    )
    entries = read_sidecar(path)
    assert entries["a.png"].keywords == ("fruit", "apple")
    assert entries["a.png"].hypotheses == ("grocery ads", "juice bars")
    assert entries["b.jpg"].caption == "Blue car" and entries["b.jpg"].keywords == ()


def test_json_sidecar_mapping_and_list(tmp_path: Path) -> None:
    mapping = tmp_path / "m.json"
    mapping.write_text('{"a.png": "An apple", "b.png": {"caption": "A car", "keywords": ["auto"]}}')
    entries = read_sidecar(mapping)
    assert entries["a.png"].caption == "An apple"
    assert entries["b.png"].keywords == ("auto",)
    assert len(read_sidecar(FIXTURES / "captions.json")) == 64


@pytest.mark.parametrize(
    ("text", "message"),
    [("{not json", "not valid JSON"), ('[{"caption": "no file"}]', "entry 1: file")],
)
def test_bad_sidecar_says_what_is_wrong(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "captions.json"
    path.write_text(text)
    with pytest.raises(BankError, match=message):
        read_sidecar(path)


def test_three_hypotheses_name_the_subject() -> None:
    hyps = derive_hypotheses("hot beverage", ["coffee", "tea", "cafe"])
    assert len(hyps) == 3
    assert all("hot beverage" in h for h in hyps)
    assert "café or coffee shop" in hyps[0]
    hinted = derive_hypotheses("strawberry", ["fruit"], hints=["grocery delivery"])
    assert hinted[0] == "grocery delivery featuring strawberry"


def test_fixture_renders_pass_every_check() -> None:
    for path in sorted(FIXTURES.glob("*.webp")):
        assert check_image(Image.open(path)) is None, path.name


def test_too_small_blurred_and_text_are_refused() -> None:
    render = Image.open(FIXTURES / "1f353.webp").convert("RGBA")
    small = check_image(render.resize((96, 96)))
    assert small is not None and small.startswith("too small: 96x96")
    blurred = check_image(render.filter(ImageFilter.GaussianBlur(4)))
    assert blurred is not None and blurred.startswith("blurred")
    page = Image.new("RGB", (800, 600), "white")
    draw = ImageDraw.Draw(page)
    font = ImageFont.truetype(str(FONT), 28)
    for row in range(12):
        draw.text((30, 20 + row * 45), "Terms and conditions apply to every offer", "black", font)
    text = check_image(page)
    assert text is not None and text.startswith("mostly text")


def test_busy_photo_is_not_mistaken_for_text() -> None:
    photo = Image.effect_noise((640, 480), 60).convert("RGB")
    reason = check_image(photo)
    assert reason is None or not reason.startswith("mostly text")
