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
        )
        if settings.moderation:
            moderator = OpenAIModeration(
                base_url=settings.base_url,
                api_key=key,
                model=settings.moderation_model,
                timeout_s=settings.timeout_s,
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
