"""The warm model pool: a GPU worker loads each pipeline once and keeps it.

Every ``DiffusersGenerator`` / ``DiffusersPainter`` of a process asks the pool, so the API's
in-process runner, a Celery worker serving many tasks and the device check all reuse the
weights already on the GPU instead of loading them per task (tens of seconds for SDXL, minutes
for a 20B transformer). One worker per GPU: a pool holds the pipelines of one device.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from adcraft.imagery.diffusion import DiffusionSettings


@dataclass
class PoolEntry:
    """A loaded pipeline and the lock that lets one call at a time use it."""

    pipe: Any
    lock: threading.Lock = field(default_factory=threading.Lock)


_entries: dict[str, PoolEntry] = {}
_guard = threading.Lock()


def key(settings: DiffusionSettings, device: str, task: str) -> str:
    """What makes two pipelines interchangeable: weights, adapters, speed settings, device."""
    # style_captions only steer the prompt writer; they do not change the weights.
    fields = settings.model_dump(mode="json", exclude={"style_captions"})
    return f"{task}|{device}|{sorted(fields.items())!r}"


def get(settings: DiffusionSettings, device: str, task: str, load: Callable[[], Any]) -> PoolEntry:
    """The pooled pipeline for these settings, loaded with ``load()`` the first time."""
    k = key(settings, device, task)
    with _guard:
        entry = _entries.get(k)
        if entry is None:
            # Loading under the guard: two tasks asking at once must not load twice (VRAM).
            entry = PoolEntry(load())
            _entries[k] = entry
        return entry


def put(settings: DiffusionSettings, device: str, task: str, pipe: Any) -> PoolEntry:
    """Register an already built pipeline (the device check builds random-weight ones)."""
    entry = PoolEntry(pipe)
    with _guard:
        _entries[key(settings, device, task)] = entry
    return entry


def drop(settings: DiffusionSettings, device: str, task: str) -> None:
    """Forget a pipeline (its memory is freed once nothing else holds it)."""
    with _guard:
        _entries.pop(key(settings, device, task), None)


def clear() -> None:
    """Forget every pipeline."""
    with _guard:
        _entries.clear()


def size() -> int:
    """How many pipelines are warm."""
    with _guard:
        return len(_entries)
