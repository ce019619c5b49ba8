"""Adding a provider is one module and one registration: providers defined and registered
here, in the test, are chosen by configuration and reach the CLI and the pipeline's ranking."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from adcraft.copywriting.offline import BuiltinCopywriter
from adcraft.errors import InputError
from adcraft.wiring import create, create_ranker, names, register, unregister


class ShoutingCopywriter(BuiltinCopywriter):
    """The built-in copy, counted: proves this provider wrote it."""

    name = "test-shout"
    calls = 0

    def write(self, *args: Any, **kwargs: Any) -> Any:
        ShoutingCopywriter.calls += 1
        return super().write(*args, **kwargs)


ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture()
def test_providers() -> Iterator[None]:
    @register("copywriter", "test-shout")
    def _copy(options: Mapping[str, Any]) -> ShoutingCopywriter:
        return ShoutingCopywriter()

    yield
    unregister("copywriter", "test-shout")


def test_builtins_are_registered() -> None:
    assert {"builtin", "openai", "llamacpp"} <= set(names("copywriter"))
    assert "quality" in names("ranker")
    assert create_ranker().name == "quality"


def test_unknown_name_is_a_clear_input_error() -> None:
    with pytest.raises(InputError, match="unknown ranker provider 'nope': choose from"):
        create("ranker", "nope")


def test_a_name_is_registered_once(test_providers: None) -> None:
    with pytest.raises(ValueError, match="already registered"):
        register("copywriter", "test-shout")(lambda options: ShoutingCopywriter())


def test_registered_providers_reach_the_cli(
    test_providers: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import tests.wiring.flat_ranker  # noqa: F401 - its one line registers the ranker
    from adcraft.cli import app

    monkeypatch.setenv("ADCRAFT_RANKER", "test-flat")
    ShoutingCopywriter.calls = 0
    out = tmp_path / "out"
    result = CliRunner().invoke(
        app,
        ["generate", "--title", "Trail tent", "--offer", "20% off", "--formats", "1:1",
         "--variants", "1", "--workers", "1", "--copy-provider", "test-shout",
         "--out", str(out)],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert ShoutingCopywriter.calls >= 1
    manifest = json.loads((out / "manifest.json").read_text("utf-8"))
    assert [c["score"] for c in manifest["creatives"]] == [42.0]


def test_unknown_copy_provider_on_the_cli_is_exit_2(tmp_path: Path) -> None:
    from adcraft.cli import app

    result = CliRunner().invoke(
        app,
        ["generate", "--title", "Trail tent", "--formats", "1:1", "--variants", "1",
         "--copy-provider", "nope", "--out", str(tmp_path / "o")],
    )  # fmt: skip
    assert result.exit_code == 2
    assert "unknown copywriter provider 'nope'" in result.output


def test_a_provider_module_reaches_another_process(tmp_path: Path) -> None:
    """Named in ADCRAFT_PROVIDER_MODULES, the module registers its provider in a separate
    process (here the CLI; the API's spawned and Celery workers read the same variable)."""
    out = tmp_path / "out"
    env = os.environ | {
        "ADCRAFT_PROVIDER_MODULES": "tests.wiring.flat_ranker",
        "ADCRAFT_RANKER": "test-flat",
    }
    done = subprocess.run(
        [sys.executable, "-m", "adcraft", "generate", "--title", "Trail tent", "--formats",
         "1:1", "--variants", "1", "--out", str(out)],
        capture_output=True, text=True, timeout=600, env=env, cwd=ROOT,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    manifest = json.loads((out / "manifest.json").read_text("utf-8"))
    assert [c["score"] for c in manifest["creatives"]] == [42.0]
