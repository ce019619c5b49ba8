"""Providers by name: one registry that the CLI, the API and the workers all resolve through.

Adding a provider is one module and one registration::

    from adcraft.wiring import register

    @register("ranker", "ctr")
    def _ctr(options: Mapping[str, object]) -> Ranker:
        return CtrRanker(...)

Selecting it is configuration (``--copy-provider``, ``ADCRAFT_LLM_PROVIDER``,
``ADCRAFT_RANKER``), never an ``if`` in a command or a task.
"""

from adcraft.wiring.registry import (
    KINDS,
    Factory,
    Kind,
    create,
    create_copywriter,
    create_ranker,
    names,
    register,
    unregister,
)

__all__ = [
    "KINDS",
    "Factory",
    "Kind",
    "create",
    "create_copywriter",
    "create_ranker",
    "names",
    "register",
    "unregister",
]
