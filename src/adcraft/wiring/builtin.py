"""The providers adcraft ships, registered by name. Each factory imports its own deps."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from adcraft.wiring.registry import register


@register("copywriter", "builtin")
def builtin_copywriter(options: Mapping[str, Any]) -> Any:
    """The offline template copywriter."""
    from adcraft.copywriting.offline import BuiltinCopywriter

    return BuiltinCopywriter()


@register("copywriter", "openai")
def openai_copywriter(options: Mapping[str, Any]) -> Any:
    """An OpenAI-compatible chat model (hosted or a local server), from ``LLMSettings``."""
    return _llm_copywriter("openai", options["settings"])


@register("copywriter", "llamacpp")
def llamacpp_copywriter(options: Mapping[str, Any]) -> Any:
    """A local GGUF model through llama.cpp, from ``LLMSettings``."""
    return _llm_copywriter("llamacpp", options["settings"])


def _llm_copywriter(name: str, settings: Any) -> Any:
    from adcraft.copywriting.writer import LLMCopywriter

    moderator = None
    if name == "openai":
        from adcraft.providers.llm_openai import OpenAIChat, OpenAIModeration

        key = settings.api_key.get_secret_value()
        model: Any = OpenAIChat(
            model=settings.model,
            base_url=settings.base_url,
            api_key=key,
            timeout_s=settings.timeout_s,
            max_retries=settings.max_retries,
            backoff_s=settings.backoff_s,
            max_backoff_s=settings.max_backoff_s,
            concurrency=settings.concurrency,
            json_mode=settings.json_mode,
            max_tokens=settings.max_tokens,
            temperature=settings.temperature,
            public_only=settings.public_only,
        )
        if settings.moderation:
            moderator = OpenAIModeration(
                base_url=settings.base_url,
                api_key=key,
                model=settings.moderation_model,
                timeout_s=settings.timeout_s,
                public_only=settings.public_only,
            )
    else:  # llamacpp
        from adcraft.providers.llm_llamacpp import LlamaCppChat

        model = LlamaCppChat(
            settings.gguf_path,
            n_ctx=settings.n_ctx,
            n_threads=settings.n_threads,
            max_tokens=settings.max_tokens,
            temperature=settings.temperature,
        )
    mode = settings.mode if settings.mode != "auto" else ("hook" if name == "llamacpp" else "full")
    if mode == "hook":
        from adcraft.copywriting.hook import HookCopywriter

        return HookCopywriter(model)
    return LLMCopywriter(
        model,
        max_attempts=settings.max_attempts,
        max_repairs=settings.max_repairs,
        moderator=moderator,
        datamark=settings.spotlight == "datamark",
    )


@register("ranker", "quality")
def quality_ranker(options: Mapping[str, Any]) -> Any:
    """The transparent built-in quality ranker."""
    from adcraft.scoring.rank import QualityRanker

    return QualityRanker()


@register("ranker", "ctr")
def ctr_ranker(options: Mapping[str, Any]) -> Any:
    """Predicted CTR from the tenant's latest model (quality score until one is trained)."""
    import os
    from pathlib import Path

    from adcraft.scoring.ctr.ranker import CtrRanker

    # The service passes the tenant and its data folder; the CLI names them in the environment.
    data_dir = Path(options.get("data_dir") or os.environ.get("ADCRAFT_DATA_DIR", "adcraft-data"))
    tenant = str(options.get("tenant") or os.environ.get("ADCRAFT_CTR_TENANT", "default"))
    return CtrRanker.from_registry(data_dir, tenant)


@register("gate", "blur")
def blur_gate(options: Mapping[str, Any]) -> Any:
    """Variance of the Laplacian of the product picture and of the creative."""
    from adcraft.scoring.gates.image import BlurGate

    s = options["settings"]
    return BlurGate(s.blur_min_product, s.blur_min_creative)


@register("gate", "exposure")
def exposure_gate(options: Mapping[str, Any]) -> Any:
    """Mean luminance of the product picture and of the creative: not too dark or bright."""
    from adcraft.scoring.gates.image import ExposureGate

    s = options["settings"]
    return ExposureGate(s.dark_below, s.bright_above)


@register("gate", "nsfw")
def nsfw_gate(options: Mapping[str, Any]) -> Any:
    """NudeNet's packaged detector, explicit classes only; off without the gates extra."""
    import importlib.util

    from adcraft.scoring.gates.nsfw import NsfwGate

    if importlib.util.find_spec("nudenet") is None:
        return None

    s = options["settings"]
    return NsfwGate(s.nsfw_min_score, s.nsfw_classes)


@register("gate", "text")
def text_gate(options: Mapping[str, Any]) -> Any:
    """The copy safety filters on what the creative shows."""
    from adcraft.scoring.gates.text import TextGate

    return TextGate()


@register("gate", "duplicate")
def duplicate_gate(options: Mapping[str, Any]) -> Any:
    """Perceptual-hash near-duplicates within a format."""
    from adcraft.scoring.gates.duplicate import DuplicateGate

    return DuplicateGate(options["settings"].duplicate_max_distance)


@register("gate", "clipscore")
def clipscore_gate(options: Mapping[str, Any]) -> Any:
    """CLIPScore against the product text; off (None) without a model path."""
    s = options["settings"]
    if s.clip_model_path is None:
        return None
    from adcraft.scoring.gates.clip import ClipScoreGate, clip_scorer

    return ClipScoreGate(clip_scorer(s.clip_model_path), s.clip_min_score)
