"""`adcraft generate --image-source bank|generate` and `--background-image`, run as a user would."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli_checks import assert_clean_failure
from tests.e2e.test_devset import run_cli
from tests.manifest_checks import check_set

BRIEF = ["--title", "Fresh strawberries delivered", "--offer", "20% off your first box"]
TENT = Path(__file__).resolve().parents[2] / "src/adcraft/data/examples/images/tent-trail3.jpg"


def test_bank_picture_from_the_command_line(bank_folder: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    done = run_cli(
        "generate", *BRIEF, "--image-source", "bank", "--bank", str(bank_folder),
        "--image-description", "a strawberry", "--formats", "1:1,9:16", "--variants", "1",
        "--seed", "3", "--out", str(out),
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    manifest = json.loads((out / "manifest.json").read_text("utf-8"))
    assert manifest["image_source"]["source"] == "bank:1f353"
    assert "bank:1f353" in done.stderr  # the small-render warning is shown
    report = check_set(out)
    assert report.creatives == 2 and not report.problems, report.problems


def test_background_image_from_the_command_line(tmp_path: Path) -> None:
    out = tmp_path / "out"
    done = run_cli(
        "generate", *BRIEF, "--image", str(TENT), "--background-image", str(TENT),
        "--formats", "1.91:1,4:5", "--variants", "1", "--out", str(out),
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    manifest = json.loads((out / "manifest.json").read_text("utf-8"))
    for c in manifest["creatives"]:
        assert c["background"]["kind"] == "image"
        assert (out / c["background"]["params"]["src"]).exists()
    assert not check_set(out).problems


def test_generated_picture_from_the_command_line(
    tiny_models: dict[str, Path], tmp_path: Path
) -> None:
    out = tmp_path / "out"
    done = run_cli(
        "generate", *BRIEF, "--image-source", "generate", "--model", str(tiny_models["sd"]),
        "--device", "cpu", "--allow-cpu", "--steps", "2", "--generate-size", "64",
        "--formats", "1:1,9:16", "--variants", "1", "--out", str(out),
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    manifest = json.loads((out / "manifest.json").read_text("utf-8"))
    assert manifest["image_source"]["source"] == "generated:sd"


def test_empty_bank(tmp_path: Path) -> None:
    bank = tmp_path / "bank"
    bank.mkdir()
    (bank / "bank.json").write_text('{"format": 1, "encoder": "use", "dim": 512, "images": []}')
    out = tmp_path / "out"
    done = run_cli(
        "generate", *BRIEF, "--image-source", "bank", "--bank", str(bank), "--out", str(out)
    )
    assert_clean_failure(done, out, "is empty", "adcraft bank add")


def test_no_bank_at_the_path(tmp_path: Path) -> None:
    out = tmp_path / "out"
    missing = tmp_path / "no-bank-here"
    done = run_cli(
        "generate", *BRIEF, "--image-source", "bank", "--bank", str(missing), "--out", str(out)
    )
    assert_clean_failure(done, out, "no image bank", str(missing))
    assert not missing.exists()  # a typo must not leave an empty bank behind


def test_missing_model_path(tmp_path: Path) -> None:
    pytest.importorskip("diffusers", reason="needs the 'diffusion' extra")
    out = tmp_path / "out"
    done = run_cli(
        "generate", *BRIEF, "--image-source", "generate", "--model", str(tmp_path / "nowhere"),
        "--device", "cpu", "--allow-cpu", "--out", str(out),
    )  # fmt: skip
    assert_clean_failure(done, out, "nowhere", "does not exist")


def test_cpu_without_allow_cpu(tiny_models: dict[str, Path], tmp_path: Path) -> None:
    out = tmp_path / "out"
    done = run_cli(
        "generate", *BRIEF, "--image-source", "generate", "--model", str(tiny_models["sd"]),
        "--device", "cpu", "--out", str(out),
    )  # fmt: skip
    assert_clean_failure(done, out, "cpu", "--allow-cpu")


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--image-source", "generate"], ["needs a model", "--model"]),
        (["--image-source", "stock"], ["unknown image source", "photo, bank, generate"]),
        (["--image-source", "bank", "--image", str(TENT)], ["--image", "only one"]),
        (["--background-image", "missing-scene.png"], ["missing-scene.png"]),
    ],
)
def test_bad_source_options(args: list[str], words: list[str], tmp_path: Path) -> None:
    out = tmp_path / "out"
    done = run_cli("generate", *BRIEF, *args, "--out", str(out))
    assert_clean_failure(done, out, *words)
