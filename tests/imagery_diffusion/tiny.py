"""Tiny randomly initialised Stable Diffusion pipelines built from config (no download)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

_CHARS = "abcdefghijklmnopqrstuvwxyz0123456789,.!?-'"


def _tokenizer(folder: Path) -> Any:
    """A character-level CLIP tokenizer: every character is a token, no merges."""
    from transformers import CLIPTokenizer

    folder.mkdir(parents=True, exist_ok=True)
    vocab = {"<|startoftext|>": 0, "<|endoftext|>": 1}
    for c in _CHARS:
        vocab[c] = len(vocab)
        vocab[c + "</w>"] = len(vocab)
    (folder / "vocab.json").write_text(json.dumps(vocab), "utf-8")
    (folder / "merges.txt").write_text("#version: 0.2\n", "utf-8")
    return CLIPTokenizer(
        str(folder / "vocab.json"), str(folder / "merges.txt"), model_max_length=32
    )


def tiny_unet(*, channels: tuple[int, int] = (4, 8), in_channels: int = 4) -> Any:
    """A two-level UNet with cross-attention, a few thousand parameters."""
    from diffusers import UNet2DConditionModel

    return UNet2DConditionModel(
        block_out_channels=channels,
        layers_per_block=1,
        sample_size=16,
        in_channels=in_channels,
        out_channels=4,
        down_block_types=("DownBlock2D", "CrossAttnDownBlock2D"),
        up_block_types=("CrossAttnUpBlock2D", "UpBlock2D"),
        cross_attention_dim=32,
        norm_num_groups=2,
        attention_head_dim=2,
    )


def save_tiny_pipeline(
    folder: Path, *, inpaint: bool = False, channels: tuple[int, int] = (4, 8), seed: int = 0
) -> Path:
    """Build a tiny SD (or SD-inpainting) pipeline and save it as a diffusers folder."""
    import torch
    from diffusers import (
        AutoencoderKL,
        DDIMScheduler,
        StableDiffusionInpaintPipeline,
        StableDiffusionPipeline,
    )
    from transformers import CLIPTextConfig, CLIPTextModel

    torch.manual_seed(seed)
    tokenizer = _tokenizer(folder.parent / f"{folder.name}-tokenizer")
    unet = tiny_unet(channels=channels, in_channels=9 if inpaint else 4)
    vae = AutoencoderKL(
        block_out_channels=(4, 8),
        in_channels=3,
        out_channels=3,
        down_block_types=("DownEncoderBlock2D", "DownEncoderBlock2D"),
        up_block_types=("UpDecoderBlock2D", "UpDecoderBlock2D"),
        latent_channels=4,
        norm_num_groups=2,
        sample_size=32,
    )
    text_encoder = CLIPTextModel(
        CLIPTextConfig(
            bos_token_id=0,
            eos_token_id=1,
            pad_token_id=1,
            hidden_size=32,
            intermediate_size=37,
            num_attention_heads=4,
            num_hidden_layers=2,
            vocab_size=len(tokenizer.get_vocab()),
            max_position_embeddings=32,
        )
    )
    scheduler = DDIMScheduler(
        beta_start=0.00085,
        beta_end=0.012,
        beta_schedule="scaled_linear",
        clip_sample=False,
        set_alpha_to_one=False,
        steps_offset=1,
    )
    cls = StableDiffusionInpaintPipeline if inpaint else StableDiffusionPipeline
    pipe = cls(
        unet=unet,
        vae=vae,
        text_encoder=text_encoder,
        tokenizer=tokenizer,
        scheduler=scheduler,
        safety_checker=None,
        feature_extractor=None,
        requires_safety_checker=False,
    )
    pipe.save_pretrained(folder)
    return folder


def save_tiny_lora(folder: Path, *, channels: tuple[int, int] = (4, 8), rank: int = 2) -> Path:
    """LoRA weights for the tiny UNet's attention layers, saved the way diffusers loads them."""
    import torch
    from diffusers import StableDiffusionPipeline
    from diffusers.utils import convert_state_dict_to_diffusers
    from peft import LoraConfig
    from peft.utils import get_peft_model_state_dict

    torch.manual_seed(1)
    unet = tiny_unet(channels=channels)
    unet.add_adapter(
        LoraConfig(
            r=rank,
            lora_alpha=rank,
            init_lora_weights="gaussian",
            target_modules=["to_q", "to_k", "to_v", "to_out.0"],
        )
    )
    # Gaussian init leaves lora_B at zero (a no-op adapter); give it weight so it shows.
    with torch.no_grad():
        for name, param in unet.named_parameters():
            if "lora_B" in name:
                param.normal_(0, 0.5)
    layers = convert_state_dict_to_diffusers(get_peft_model_state_dict(unet))
    StableDiffusionPipeline.save_lora_weights(folder, unet_lora_layers=layers)
    return folder


def save_tiny_controlnet(
    folder: Path, *, channels: tuple[int, int] = (4, 8), conditioning: tuple[int, ...] = (4, 8)
) -> Path:
    """A ControlNet for the tiny UNet (``ControlNetModel.from_unet``), saved as a folder.

    ``conditioning`` sets how many times the control image is halved: two levels (2x) match
    the tiny VAE's factor. The zero convolutions a new ControlNet starts with make it a no-op;
    they are given random weights so the control image visibly changes the result.
    """
    import torch
    from diffusers import ControlNetModel

    torch.manual_seed(2)
    # The ControlNet reads the 4-channel latents even for a 9-channel inpainting UNet.
    controlnet = ControlNetModel.from_unet(
        tiny_unet(channels=channels), conditioning_embedding_out_channels=conditioning
    )
    with torch.no_grad():
        for name, param in controlnet.named_parameters():
            if name.startswith(("controlnet_down_blocks", "controlnet_mid_block")) or (
                "conv_out" in name
            ):
                param.normal_(0, 0.5)
    controlnet.save_pretrained(folder)
    return folder


def save_tiny_ip_adapter(
    folder: Path, *, channels: tuple[int, int] = (4, 8), embed: int = 8, encoder_embed: int = 8
) -> Path:
    """IP-Adapter weights for the tiny UNet and a tiny CLIP image encoder next to them.

    Laid out like the published IP-Adapter repositories: ``ip-adapter.safetensors`` with the
    image projection (``image_proj.*``) and one key/value pair per cross-attention layer
    (``ip_adapter.{1,3,5..}.to_k_ip``), and ``image_encoder/``. Returns the weights file.
    """
    import torch
    from safetensors.torch import save_file
    from transformers import CLIPVisionConfig, CLIPVisionModelWithProjection

    torch.manual_seed(3)
    folder.mkdir(parents=True, exist_ok=True)
    encoder = CLIPVisionModelWithProjection(
        CLIPVisionConfig(
            hidden_size=8,
            intermediate_size=16,
            projection_dim=encoder_embed,
            num_hidden_layers=1,
            num_attention_heads=2,
            image_size=32,
            patch_size=8,
        )
    )
    encoder.save_pretrained(folder / "image_encoder")
    cross = 32  # the tiny UNet's cross_attention_dim; 4 image tokens of that width
    tensors = {
        "image_proj.proj.weight": torch.randn(cross * 4, embed),
        "image_proj.proj.bias": torch.zeros(cross * 4),
        "image_proj.norm.weight": torch.ones(cross),
        "image_proj.norm.bias": torch.zeros(cross),
    }
    key = 1
    for name in tiny_unet(channels=channels).attn_processors:
        if name.endswith("attn1.processor"):
            continue  # self-attention gets no image tokens
        if name.startswith("mid_block"):
            width = channels[-1]
        elif name.startswith("up_blocks"):
            width = channels[::-1][int(name[len("up_blocks.")])]
        else:
            width = channels[int(name[len("down_blocks.")])]
        tensors[f"ip_adapter.{key}.to_k_ip.weight"] = torch.randn(width, cross)
        tensors[f"ip_adapter.{key}.to_v_ip.weight"] = torch.randn(width, cross)
        key += 2
    save_file(tensors, str(folder / "ip-adapter.safetensors"))
    return folder / "ip-adapter.safetensors"
