"""A GPU out of memory fails the task naming it; the worker stays up and runs the next task.

The provider is registered here, in the test: the real diffusers generator on the tiny
pipeline, whose UNet raises ``torch.cuda.OutOfMemoryError`` on its first forward pass, so
the error travels the real path (pipeline -> oom_guard -> task failure)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest

from adcraft.wiring import register, unregister
from tests.platform.conftest import Stack, wait_task
from tests.service_generate.conftest import diffusion, start_stack

pytest.importorskip("diffusers", reason="needs the 'diffusion' extra")

BRIEF = {"product_name": "Trail 3 Tent", "offer": "20% off all tents this weekend"}
_armed = {"oom": True}


def _oom_once(module: Any, args: Any) -> None:
    import torch

    if _armed["oom"]:
        _armed["oom"] = False
        raise torch.cuda.OutOfMemoryError("CUDA out of memory. Tried to allocate 20.00 GiB")


@pytest.fixture()
def oom_stack(tmp_path: Path, tiny_models: dict[str, Path]) -> Iterator[Stack]:
    @register("image_source", "test-oom")
    def _factory(options: Mapping[str, Any]) -> Any:
        from adcraft.wiring.diffusion import diffusers_picture_source

        source = diffusers_picture_source(options)
        unet = source.generator.load().unet
        handle = unet.register_forward_pre_hook(_oom_once)
        _hooks.append(handle)
        return source

    _hooks: list[Any] = []
    _armed["oom"] = True
    try:
        yield from start_stack(tmp_path, diffusion(tiny_models, generator="test-oom"))
    finally:
        for h in _hooks:
            h.remove()
        unregister("image_source", "test-oom")


def test_out_of_memory_fails_the_task_and_the_next_one_runs(oom_stack: Stack) -> None:
    a = oom_stack.a
    body = {"brief": BRIEF, "image_source": "generate", "formats": ["1:1"], "variants": 1}
    first = wait_task(a, a.post("/generate", json=body).json()["id"], timeout=300)
    assert first["status"] == "failed", first
    assert first["error"]["type"] == "OutOfMemory"
    assert "ran out of memory" in first["error"]["detail"]
    assert "lower width/height" in first["error"]["detail"]
    assert first["attempts"] == 1  # not retried: the same request would run out again
    second = wait_task(a, a.post("/generate", json=body).json()["id"], timeout=300)
    assert second["status"] == "completed", second
