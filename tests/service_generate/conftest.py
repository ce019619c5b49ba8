"""A real API with the tiny diffusion pipelines configured (CPU explicitly allowed)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from adcraft.api import create_app
from adcraft.config import Settings
from tests.imagery_diffusion.conftest import tiny_models
from tests.platform.conftest import SECRET, Stack, make_stack, settings_env
from tests.platform.servers import ServerThread

__all__ = ["tiny_models"]


def diffusion(models: dict[str, Path], **extra: Any) -> dict[str, Any]:
    """Settings of the tiny pipelines: 64 px, 2 steps, on CPU because the test allows it."""
    return {
        "model": str(models["sd"]),
        "inpaint_model": str(models["inpaint"]),
        "device": "cpu",
        "allow_cpu": True,
        "size": 64,
        "steps": 2,
        **extra,
    }


def start_stack(tmp: Path, diffusion_settings: dict[str, Any]) -> Iterator[Stack]:
    """The API with one in-process (thread) worker, so the pipelines load once."""
    s = Settings(
        environment="test",
        data_dir=tmp,
        tasks={"local_workers": 1, "local_mode": "thread"},
        security={"secret_key": SECRET},
        diffusion=diffusion_settings,
    )
    container, ka, kb = make_stack("local", s)
    with ServerThread(create_app(container)) as srv:
        yield Stack("local", srv.url, ka, kb, container, s, settings_env(s))
    container.close()


@pytest.fixture(scope="module")
def gen_stack(
    tmp_path_factory: pytest.TempPathFactory, tiny_models: dict[str, Path]
) -> Iterator[Stack]:
    yield from start_stack(tmp_path_factory.mktemp("gen-stack"), diffusion(tiny_models))
