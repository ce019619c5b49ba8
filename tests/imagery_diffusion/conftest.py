"""Tiny pipelines saved once per session; every test loads them through the real providers."""

from __future__ import annotations

from pathlib import Path

import pytest

NEEDS = "needs the 'diffusion' extra: pip install 'adcraft[diffusion]'"


@pytest.fixture(scope="session")
def tiny_models(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Paths of a tiny text-to-image pipeline, a tiny inpainting one and LoRAs for them."""
    for module in ("torch", "diffusers", "transformers", "peft"):
        pytest.importorskip(module, reason=NEEDS)
    import torch

    from tests.imagery_diffusion.tiny import save_tiny_lora, save_tiny_pipeline

    torch.set_num_threads(2)
    root = tmp_path_factory.mktemp("tiny-models")
    return {
        "sd": save_tiny_pipeline(root / "sd"),
        "inpaint": save_tiny_pipeline(root / "sd-inpaint", inpaint=True),
        "lora": save_tiny_lora(root / "lora"),
        "lora_other_base": save_tiny_lora(root / "lora-other", channels=(8, 16)),
    }
