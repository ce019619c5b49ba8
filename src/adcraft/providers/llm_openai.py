"""OpenAI-compatible chat provider (hosted APIs, vLLM, Ollama, llama.cpp server, gateways).

Uses the official ``openai`` SDK with its own retries switched off: this adapter retries 429,
5xx, timeouts and dropped connections itself, with exponential backoff and jitter, honouring
the server's ``Retry-After``; a semaphore caps requests in flight; SDK errors become
:mod:`adcraft.copywriting.ports` errors. Structured output is tried in order json_schema →
json_object → plain text, and a server that refuses one is not asked for it again.
"""

from __future__ import annotations

import email.utils
import random
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Literal

from adcraft.copywriting.ports import ChatMessage, Completion
from adcraft.errors import (
    ProviderError,
    ProviderRateLimited,
    ProviderTimeout,
    ProviderUnavailable,
)
from adcraft.providers.public_http import RefusedAddress, public_only_client

JsonMode = Literal["auto", "json_schema", "json_object", "off"]
_MODES: tuple[str, ...] = ("json_schema", "json_object", "off")


def _import_openai() -> Any:
    try:
        import openai
    except ImportError as exc:
        raise ProviderUnavailable(
            "the OpenAI-compatible provider needs the openai SDK: pip install 'adcraft[llm]'"
        ) from exc
    return openai


def retry_after_seconds(
    headers: Mapping[str, str] | None, now: float | None = None
) -> float | None:
    """Seconds a ``Retry-After`` (or ``retry-after-ms``) header asks to wait, if any."""
    if not headers:
        return None
    ms = headers.get("retry-after-ms")
    if ms:
        try:
            return max(0.0, float(ms) / 1000)
        except ValueError:
            pass
    raw = headers.get("retry-after")
    if not raw:
        return None
    try:
        return max(0.0, float(raw))
    except ValueError:
        when = email.utils.parsedate_to_datetime(raw) if raw else None
        if when is None:
            return None
        return max(0.0, when.timestamp() - (now if now is not None else time.time()))


class OpenAIChat:
    """A chat model behind any OpenAI-compatible ``/v1/chat/completions`` endpoint."""

    name = "openai"

    def __init__(
        self,
        *,
        model: str,
        base_url: str | None = None,
        api_key: str = "",
        timeout_s: float = 30.0,
        max_retries: int = 3,
        backoff_s: float = 1.0,
        max_backoff_s: float = 30.0,
        concurrency: int = 5,
        json_mode: JsonMode = "auto",
        max_tokens: int = 800,
        temperature: float = 0.7,
        sleep: Callable[[float], None] = time.sleep,
        public_only: bool = False,
    ) -> None:
        openai = _import_openai()
        # Kept so the pipeline can send this adapter to worker processes (see __getstate__).
        self._init = {
            "model": model,
            "base_url": base_url,
            "api_key": api_key,
            "timeout_s": timeout_s,
            "max_retries": max_retries,
            "backoff_s": backoff_s,
            "max_backoff_s": max_backoff_s,
            "concurrency": concurrency,
            "json_mode": json_mode,
            "max_tokens": max_tokens,
            "temperature": temperature,
            "sleep": sleep,
            "public_only": public_only,
        }
        self.model = model
        self.name = f"openai:{model}"
        self.max_retries = max_retries
        self.backoff_s = backoff_s
        self.max_backoff_s = max_backoff_s
        self.max_tokens = max_tokens
        self.temperature = temperature
        self._sleep = sleep
        self._gate = threading.BoundedSemaphore(concurrency)
        self._modes = list(_MODES if json_mode == "auto" else (json_mode,))
        self._mode_lock = threading.Lock()
        self._openai = openai
        # Local servers accept any key, but the SDK insists on one.
        self._client = openai.OpenAI(
            api_key=api_key or "not-needed",
            base_url=base_url,
            timeout=timeout_s,
            max_retries=0,
            http_client=_http_client(timeout_s, public_only),
        )

    def __getstate__(self) -> dict[str, Any]:
        """Only the settings: each process builds its own client, semaphore and locks."""
        return dict(self._init)

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__init__(**state)  # type: ignore[misc]

    def complete(
        self,
        messages: Sequence[ChatMessage],
        *,
        schema: Mapping[str, Any] | None = None,
        temperature: float | None = None,
        seed: int | None = None,
    ) -> Completion:
        """One chat completion, retried on transient failures; JSON-constrained when possible."""
        started = time.perf_counter()
        retries = 0
        while True:
            mode = self._modes[0] if schema is not None else "off"
            try:
                resp = self._call(messages, mode, schema, temperature, seed)
            except self._openai.BadRequestError as exc:
                if mode != "off" and self._downgrade(mode, exc):
                    continue
                raise ProviderError(
                    self.name, f"the server rejected the request: {_msg(exc)}"
                ) from exc
            except self._openai.AuthenticationError as exc:
                raise ProviderError(
                    self.name,
                    f"authentication failed (HTTP {getattr(exc, 'status_code', 401)}): the API "
                    "key was refused; check ADCRAFT_LLM_API_KEY or the tenant's LLM key",
                ) from exc
            except self._openai.NotFoundError as exc:
                raise ProviderError(
                    self.name,
                    f"not found: check ADCRAFT_LLM_BASE_URL (usually ends in /v1) and that "
                    f"model {self.model!r} exists on the server ({_msg(exc)})",
                ) from exc
            except (
                self._openai.RateLimitError,
                self._openai.InternalServerError,
                self._openai.APIStatusError,
            ) as exc:
                status = getattr(exc, "status_code", 0)
                transient = status == 429 or status >= 500
                wait = retry_after_seconds(_headers(exc))
                if not transient:
                    raise ProviderError(self.name, f"HTTP {status}: {_msg(exc)}") from exc
                if retries >= self.max_retries:
                    if status == 429:
                        raise ProviderRateLimited(self.name, wait) from exc
                    raise ProviderError(
                        self.name, f"HTTP {status} after {retries} retries: {_msg(exc)}"
                    ) from exc
                self._sleep(self._delay(retries, wait))
                retries += 1
                continue
            except self._openai.APITimeoutError as exc:
                if retries >= self.max_retries:
                    raise ProviderTimeout(
                        self.name,
                        f"no answer within the timeout after {retries} retries: "
                        "raise ADCRAFT_LLM_TIMEOUT_S or check the server",
                    ) from exc
                self._sleep(self._delay(retries, None))
                retries += 1
                continue
            except self._openai.APIConnectionError as exc:
                if isinstance(exc.__cause__, RefusedAddress):  # refused, not down: no retry helps
                    raise ProviderError(self.name, str(exc.__cause__)) from exc
                if retries >= self.max_retries:
                    raise ProviderError(
                        self.name,
                        f"cannot connect: is the server at ADCRAFT_LLM_BASE_URL up? ({_msg(exc)})",
                    ) from exc
                self._sleep(self._delay(retries, None))
                retries += 1
                continue
            except (self._openai.OpenAIError, ValueError) as exc:  # e.g. a body that is not JSON
                raise ProviderError(self.name, f"unusable answer: {_msg(exc)}") from exc
            return self._completion(resp, mode, retries, started)

    def _call(
        self,
        messages: Sequence[ChatMessage],
        mode: str,
        schema: Mapping[str, Any] | None,
        temperature: float | None,
        seed: int | None,
    ) -> Any:
        kwargs: dict[str, Any] = {}
        if mode == "json_schema" and schema is not None:
            kwargs["response_format"] = {
                "type": "json_schema",
                "json_schema": {"name": "ad_copy", "schema": dict(schema), "strict": True},
            }
        elif mode == "json_object":
            kwargs["response_format"] = {"type": "json_object"}
        if seed is not None:
            kwargs["seed"] = seed
        with self._gate:  # held only while a request is in flight, never during backoff
            return self._client.chat.completions.create(
                model=self.model,
                messages=[dict(m) for m in messages],
                temperature=self.temperature if temperature is None else temperature,
                max_tokens=self.max_tokens,
                **kwargs,
            )

    def _downgrade(self, mode: str, exc: Exception) -> bool:
        """Drop a structured-output mode the server refused; False when none is left to try."""
        text = _msg(exc).lower()
        if not any(w in text for w in ("response_format", "json", "schema", "unsupported")):
            return False
        with self._mode_lock:
            if self._modes and self._modes[0] == mode and len(self._modes) > 1:
                self._modes.pop(0)
        return True

    def _delay(self, retry: int, retry_after: float | None) -> float:
        if retry_after is not None:
            return min(retry_after, self.max_backoff_s)
        base = self.backoff_s * (2**retry)
        return float(min(self.max_backoff_s, base * (0.5 + random.random() / 2)))

    def _completion(self, resp: Any, mode: str, retries: int, started: float) -> Completion:
        try:
            choice = resp.choices[0]
            text = choice.message.content or ""
        except (AttributeError, IndexError, TypeError) as exc:
            raise ProviderError(self.name, "the answer has no message content") from exc
        return Completion(
            text=text,
            model=str(getattr(resp, "model", self.model) or self.model),
            structured=mode != "off",
            finish_reason=getattr(choice, "finish_reason", None),
            latency_s=time.perf_counter() - started,
            retries=retries,
        )


class OpenAIModeration:
    """The ``/v1/moderations`` endpoint as a :class:`~adcraft.copywriting.ports.Moderator`."""

    name = "openai-moderation"

    def __init__(
        self,
        *,
        base_url: str | None,
        api_key: str,
        model: str,
        timeout_s: float,
        public_only: bool = False,
    ) -> None:
        openai = _import_openai()
        self._openai = openai
        self.model = model
        self._client = openai.OpenAI(
            api_key=api_key or "not-needed",
            base_url=base_url,
            timeout=timeout_s,
            max_retries=2,
            http_client=_http_client(timeout_s, public_only),
        )

    def flagged(self, text: str) -> tuple[str, ...]:
        """Categories the moderation model flags in text."""
        try:
            result = self._client.moderations.create(model=self.model, input=text).results[0]
        except self._openai.OpenAIError as exc:
            raise ProviderError(self.name, f"moderation failed: {_msg(exc)}") from exc
        if not result.flagged:
            return ()
        cats = result.categories.model_dump() if hasattr(result.categories, "model_dump") else {}
        return tuple(sorted(k for k, v in cats.items() if v)) or ("flagged",)


def _http_client(timeout_s: float, public_only: bool) -> Any:
    """None (the SDK's own client), or one that connects to checked public addresses only
    (:mod:`adcraft.providers.public_http`: a tenant's endpoint, against DNS rebinding)."""
    return public_only_client(timeout_s) if public_only else None


def _headers(exc: Exception) -> Mapping[str, str] | None:
    response = getattr(exc, "response", None)
    headers = getattr(response, "headers", None)
    return headers if headers is not None else None


def _msg(exc: Exception) -> str:
    return str(getattr(exc, "message", None) or exc)[:300]
