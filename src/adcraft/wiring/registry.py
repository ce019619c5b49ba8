"""The provider registry: factories by kind and name, built-ins registered on first use."""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, Literal, get_args

from adcraft.errors import InputError

Kind = Literal[
    "copywriter", "ranker", "remover", "image_source", "painter", "encoder", "index", "gate"
]
KINDS: tuple[str, ...] = get_args(Kind)
Factory = Callable[[Mapping[str, Any]], Any]
"""Builds a provider from options (settings objects, paths...); raises AdcraftError if it
cannot (missing extra, bad settings), so every caller reports it the same way."""

_factories: dict[str, dict[str, Factory]] = {k: {} for k in KINDS}
_guard = threading.Lock()
_builtins_loaded = False


MODULES_ENV = "ADCRAFT_PROVIDER_MODULES"
"""Comma-separated modules imported with the built-ins: each registers its providers. The
environment reaches every process (CLI, API, spawned and Celery workers) alike."""


def _load_builtins() -> None:
    global _builtins_loaded
    if not _builtins_loaded:
        _builtins_loaded = True
        # Imported here: the built-ins register themselves and import their own heavy deps
        # lazily, inside their factories.
        import importlib
        import os

        from adcraft.wiring import builtin, diffusion  # noqa: F401

        for module in filter(None, os.environ.get(MODULES_ENV, "").split(",")):
            try:
                importlib.import_module(module.strip())
            except ImportError as exc:
                raise InputError(f"{MODULES_ENV}: cannot import {module.strip()!r}: {exc}") from exc


def register(kind: Kind, name: str, *, replace: bool = False) -> Callable[[Factory], Factory]:
    """Decorator: register ``factory`` as provider ``name`` of ``kind``."""
    if kind not in KINDS:
        raise ValueError(f"unknown provider kind {kind!r}: one of {', '.join(KINDS)}")

    def add(factory: Factory) -> Factory:
        with _guard:
            if name in _factories[kind] and not replace:
                raise ValueError(f"a {kind} provider named {name!r} is already registered")
            _factories[kind][name] = factory
        return factory

    return add


def unregister(kind: Kind, name: str) -> None:
    """Remove a provider (tests that register their own)."""
    with _guard:
        _factories[kind].pop(name, None)


def names(kind: Kind) -> list[str]:
    """The registered provider names of a kind, sorted."""
    _load_builtins()
    with _guard:
        return sorted(_factories[kind])


def create(kind: Kind, name: str, options: Mapping[str, Any] | None = None) -> Any:
    """Build provider ``name`` of ``kind``; an unknown name is a clear input error."""
    _load_builtins()
    with _guard:
        factory = _factories[kind].get(name)
    if factory is None:
        raise InputError(f"unknown {kind} provider {name!r}: choose from {', '.join(names(kind))}")
    return factory(options or {})


RANKER_ENV = "ADCRAFT_RANKER"
COPYWRITER_ENV = "ADCRAFT_LLM_PROVIDER"


def configured(kind: Kind) -> str:
    """The provider name this process's configuration selects for ``kind``."""
    import os

    if kind == "ranker":
        return os.environ.get(RANKER_ENV, "quality")
    if kind == "copywriter":
        return os.environ.get(COPYWRITER_ENV, "builtin")
    return ""


def create_ranker(
    name: str | None = None, *, tenant: str | None = None, data_dir: Path | None = None
) -> Any:
    """The configured ranker (``ADCRAFT_RANKER``, default ``quality``): the CLI's pipeline and
    the API's workers rank through this one call.

    With a ``tenant`` and its ``data_dir`` (the service) and no ranker configured, a tenant
    with a trained CTR model is ranked by it (``ctr``), any other by the quality score.
    """
    import os

    chosen = name or os.environ.get(RANKER_ENV)
    options: dict[str, Any] = {}
    if tenant is not None and data_dir is not None:
        options = {"tenant": tenant, "data_dir": data_dir}
        if chosen is None:
            from adcraft.scoring.ctr.latest import latest_version

            chosen = "ctr" if latest_version(data_dir, tenant) is not None else None
    return create("ranker", chosen or "quality", options)


def create_copywriter(provider: str | None = None, settings: Any = None) -> Any:
    """The copywriter for a provider name (default: ``LLMSettings.provider``, env
    ADCRAFT_LLM_*), for the CLI and the generate worker alike."""
    import os

    from pydantic import ValidationError

    from adcraft.errors import ProviderUnavailable

    if provider is None and settings is None:
        # A registered name outside LLMSettings' choices is selected by the same variable.
        provider = os.environ.get(COPYWRITER_ENV) or None
    if provider is not None and provider not in _NEEDS_LLM_SETTINGS:
        return create("copywriter", provider, {"settings": settings})
    if settings is None:
        try:
            from adcraft.copywriting.settings import LLMSettings
        except ImportError:
            if provider is None:
                return create("copywriter", "builtin")  # no LLM extra: nothing to configure
            raise ProviderUnavailable(
                f"provider {provider!r} needs the LLM extra: pip install 'adcraft[llm]'"
            ) from None
        try:
            settings = LLMSettings() if provider is None else LLMSettings(provider=provider)
        except ValidationError as exc:
            raise InputError(f"LLM settings: {exc.errors()[0]['msg']}") from None
    return create("copywriter", provider or settings.provider, {"settings": settings})


_NEEDS_LLM_SETTINGS = ("openai", "llamacpp")
