"""Checks run before a tenant's overrides are saved, and again before a task uses them."""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

from adcraft.config import ProviderSettings
from adcraft.errors import ProviderError, ProviderUnavailable
from adcraft.problem_codes import refuse
from adcraft.tenants.providers import TenantLLM, TenantProviders

TENANT_REMOVERS = ("studio", "u2netp")
"""Removers a tenant may pick: ``onnx:<path>`` names a file on the server, so it stays an
operator setting."""


def check_base_url(url: str, settings: ProviderSettings) -> None:
    """An http(s) URL whose host resolves to public addresses (unless private ones are allowed)."""
    from adcraft.imagery.fetch import is_public_address, system_resolver

    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise refuse("llm_url_invalid", url=url)
    if parts.username or parts.password:
        raise refuse("llm_url_credentials")
    if settings.allow_private_llm_urls:
        return
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
        addresses = system_resolver(parts.hostname, port)
    except (OSError, ValueError) as exc:
        raise refuse("llm_url_unresolved", host=parts.hostname, reason=str(exc)) from None
    private = [a for a in addresses if not is_public_address(ipaddress.ip_address(a))]
    if private:
        raise refuse("llm_url_private", host=parts.hostname, address=private[0])


def check_llm(llm: TenantLLM, settings: ProviderSettings) -> None:
    """A real test call to the endpoint: one short chat completion must come back."""
    from adcraft.providers.llm_openai import OpenAIChat

    check_base_url(llm.base_url, settings)
    chat = OpenAIChat(
        model=llm.model,
        base_url=llm.base_url,
        api_key=llm.api_key,
        timeout_s=settings.llm_check_timeout_s,
        max_retries=0,
        json_mode="off",
        max_tokens=16,
        temperature=0.0,
        public_only=not settings.allow_private_llm_urls,
    )
    try:
        done = chat.complete([{"role": "user", "content": "Reply with the single word OK."}])
    except ProviderError as exc:
        raise refuse("llm_test_failed", reason=str(exc)) from None
    except TimeoutError:  # pragma: no cover - the SDK maps timeouts, this is a safety net
        raise refuse("llm_test_timeout") from None
    if not done.text.strip():
        raise refuse("llm_test_empty")


def check_remover(name: str) -> None:
    """A remover tenants may choose, installed on this server."""
    from adcraft.imagery.removers import get_remover

    if name not in TENANT_REMOVERS:
        raise refuse("remover_not_allowed", name=name, choices=", ".join(TENANT_REMOVERS))
    try:
        get_remover(name)
    except ProviderUnavailable as exc:
        raise refuse("remover_not_installed", name=name, reason=str(exc)) from None


def check_all(value: TenantProviders, settings: ProviderSettings) -> None:
    """Every check for a save: styles by name, the remover, then the LLM test call."""
    from adcraft.layout.styles import get_style

    for style in value.default_styles:
        get_style(style)
    if value.default_remover is not None:
        check_remover(value.default_remover)
    if value.llm is not None:
        check_llm(value.llm, settings)
