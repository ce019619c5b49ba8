"""Tiny pipelines saved once per session; every test loads them through the real providers."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("diffusers", reason="needs the 'diffusion' extra (torch, diffusers, peft)")
pytest.importorskip("peft", reason="needs the 'diffusion' extra (torch, diffusers, peft)")

from tests.imagery_diffusion.tiny import save_tiny_lora, save_tiny_pipeline


@pytest.fixture(scope="session")
def tiny_models(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Paths of a tiny text-to-image pipeline, a tiny inpainting one and LoRAs for them."""
    import torch

    torch.set_num_threads(2)
    root = tmp_path_factory.mktemp("tiny-models")
    return {
        "sd": save_tiny_pipeline(root / "sd"),
        "inpaint": save_tiny_pipeline(root / "sd-inpaint", inpaint=True),
        "lora": save_tiny_lora(root / "lora"),
        "lora_other_base": save_tiny_lora(root / "lora-other", channels=(8, 16)),
    }
