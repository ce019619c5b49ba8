"""The port an LLM copywriter talks through, and the errors its adapters raise.

A provider adapter (``adcraft.providers.llm_openai``, ``llm_llamacpp``) turns a list of chat
messages into a :class:`Completion` and maps its SDK's errors onto the tree below, so the
copywriter never sees a vendor exception:

    AdcraftError
    └── ProviderError              the model server failed or answered something unusable
        ├── ProviderRateLimited            429 after every retry; carries the server's Retry-After
        └── ProviderTimeout        no answer within the timeout (a hung server)
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal, Protocol, TypedDict, runtime_checkable

Role = Literal["system", "user", "assistant"]


class ChatMessage(TypedDict):
    """One turn of a chat conversation, in the OpenAI wire shape."""

    role: Role
    content: str


@dataclass(frozen=True)
class Completion:
    """What a chat model answered, with how it was produced."""

    text: str
    model: str = ""
    structured: bool = False
    """Whether the server was asked for schema-constrained or JSON-mode output and accepted."""
    finish_reason: str | None = None
    latency_s: float = 0.0
    retries: int = 0
    """HTTP-level retries (429/5xx/timeouts) the adapter made before this answer."""


@runtime_checkable
class ChatModel(Protocol):
    """A chat model: messages (and an optional JSON schema to follow) in, a completion out."""

    name: str

    def complete(
        self,
        messages: Sequence[ChatMessage],
        *,
        schema: Mapping[str, Any] | None = None,
        temperature: float | None = None,
        seed: int | None = None,
    ) -> Completion:
        """Answer the conversation; raise a :class:`ProviderError` when the server fails."""
        ...


@runtime_checkable
class Moderator(Protocol):
    """An optional moderation service (e.g. the OpenAI moderation endpoint)."""

    name: str

    def flagged(self, text: str) -> tuple[str, ...]:
        """Names of the categories the text was flagged for; empty when it is acceptable."""
        ...
