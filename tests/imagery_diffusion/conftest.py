"""Tiny pipelines saved once per session; every test loads them through the real providers."""

from __future__ import annotations

from pathlib import Path

import pytest

NEEDS = "needs the 'diffusion' extra: pip install 'adcraft[diffusion]'"


@pytest.fixture(scope="session")
def tiny_models(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Paths of tiny text-to-image and inpainting pipelines, LoRAs, ControlNets, IP-Adapters."""
    for module in ("torch", "diffusers", "transformers", "peft"):
        pytest.importorskip(module, reason=NEEDS)
    import torch

    from tests.imagery_diffusion.tiny import (
        save_tiny_controlnet,
        save_tiny_ip_adapter,
        save_tiny_lora,
        save_tiny_pipeline,
    )

    torch.set_num_threads(2)
    root = tmp_path_factory.mktemp("tiny-models")
    return {
        "sd": save_tiny_pipeline(root / "sd"),
        "inpaint": save_tiny_pipeline(root / "sd-inpaint", inpaint=True),
        "lora": save_tiny_lora(root / "lora"),
        "lora_other_base": save_tiny_lora(root / "lora-other", channels=(8, 16)),
        "controlnet": save_tiny_controlnet(root / "controlnet"),
        "controlnet_other_base": save_tiny_controlnet(root / "cn-other", channels=(8, 16)),
        # Halves the control image three times where the tiny VAE halves once: for SD's 8x.
        "controlnet_other_factor": save_tiny_controlnet(root / "cn-8x", conditioning=(4, 8, 8, 8)),
        "ip_adapter": save_tiny_ip_adapter(root / "ip-adapter"),
        "ip_adapter_other_base": save_tiny_ip_adapter(root / "ipa-other", channels=(8, 16)),
        "ip_adapter_other_encoder": save_tiny_ip_adapter(root / "ipa-enc", encoder_embed=16),
    }
