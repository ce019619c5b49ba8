"""Per-image memo: measure a picture once however many creatives and gates look at it.

Every variant of a creative set is made from one product picture, and each finished creative
is looked at by several gates and by the ranking (blur and exposure both need its grey copy,
the ranking and the duplicate gate both need its pHash). A re-render gates each creative on its
own, so the product picture's grey copy and unsafe-imagery check came once per creative.
:func:`per_image` keeps such a result with the image object it was computed from:

* keyed by the object itself (``id`` checked against a weak reference, since a PIL image
  cannot be hashed), so an entry goes when its image is freed and nothing is kept alive;
* one entry per image, one value per extra argument tuple (the arguments must be hashable);
* safe from threads (the service gates on worker threads): two threads meeting an image at
  once may both compute it, one result is kept, and both are the same;
* arrays in a result (alone or in a tuple) are made read-only, so a caller cannot change what
  the next caller is given.

Why a stale result cannot happen here: the result belongs to the image object, so an image
drawn on in place after it was measured would keep its old measure. The memoised functions are
only called by the gates and the ranking, on pictures that are finished by then: the product
picture (``Visual.image``, cut out and frozen when the set starts), each creative's image
(opened from its encoded bytes for the gates, ``pipeline.gate_input``) and a generated picture
being checked (a converted copy and the picture itself, not drawn on afterwards). Every
in-place drawing in adcraft (``paste``, ``putalpha``, ``ImageDraw``) is on a canvas or copy
before it becomes one of those. A new caller that draws on an image after measuring it must
pass a copy, or call the function's ``__wrapped__``.

Off switch: ``ADCRAFT_IMAGE_MEMO=0`` in the environment (read at import), or
:func:`set_memo_enabled` / :func:`memo_disabled` in code (the benchmark compares both in one
run). Off, every call computes afresh (arrays are still read-only, so results are the same).
"""

from __future__ import annotations

import functools
import os
import threading
import weakref
from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from typing import Any, Concatenate, Generic, ParamSpec, TypeVar

import numpy as np
from PIL import Image

P = ParamSpec("P")
R = TypeVar("R")

_enabled = os.environ.get("ADCRAFT_IMAGE_MEMO", "1").strip().lower() not in ("0", "off", "false")


def memo_enabled() -> bool:
    """Whether per-image results are kept."""
    return _enabled


def set_memo_enabled(enabled: bool) -> bool:
    """Turn the per-image memo on or off for the process; returns the previous setting.

    Turning it off does not empty the memos; results kept before are used again once it is on.
    """
    global _enabled
    previous, _enabled = _enabled, enabled
    return previous


@contextmanager
def memo_disabled() -> Iterator[None]:
    """Compute afresh inside the block (a benchmark's baseline; a check that the memo is
    not what changes a result)."""
    previous = set_memo_enabled(False)
    try:
        yield
    finally:
        set_memo_enabled(previous)


def freeze(value: R) -> R:
    """``value`` with its arrays (alone or in a tuple, nested) made read-only."""
    if isinstance(value, np.ndarray):
        value.setflags(write=False)
    elif isinstance(value, tuple):
        for v in value:
            freeze(v)
    return value


_MISSING: Any = object()


class PerImage(Generic[P, R]):
    """A function of a PIL image (and hashable arguments) whose results are kept per image."""

    def __init__(self, fn: Callable[Concatenate[Image.Image, P], R]) -> None:
        self.__wrapped__ = fn
        functools.update_wrapper(self, fn)
        # id(image) -> (weak reference to that image, {argument key: result})
        self._entries: dict[int, tuple[weakref.ref[Image.Image], dict[Hashable, R]]] = {}
        # Re-entrant: a freed image's callback may run on this thread inside a locked block.
        self._lock = threading.RLock()

    def __call__(self, image: Image.Image, /, *args: P.args, **kwargs: P.kwargs) -> R:
        """The kept result for this image object and arguments, computed on first use."""
        if not _enabled:
            return freeze(self.__wrapped__(image, *args, **kwargs))
        key = id(image)
        arg_key: Hashable = (args, tuple(sorted(kwargs.items()))) if kwargs else args
        with self._lock:
            entry = self._entries.get(key)
            if entry is not None and entry[0]() is image:
                found = entry[1].get(arg_key, _MISSING)
                if found is not _MISSING:
                    return found  # type: ignore[no-any-return]
        value = freeze(self.__wrapped__(image, *args, **kwargs))  # outside the lock: may be slow
        with self._lock:
            entry = self._entries.get(key)
            if entry is None or entry[0]() is not image:  # none yet, or a freed image's id
                ref = weakref.ref(image, functools.partial(self._forget, key))
                entry = (ref, {})
                self._entries[key] = entry
            return entry[1].setdefault(arg_key, value)

    def _forget(self, key: int, ref: weakref.ref[Image.Image]) -> None:
        with self._lock:
            entry = self._entries.get(key)
            if entry is not None and entry[0] is ref:  # not a newer image given the same id
                del self._entries[key]

    def __len__(self) -> int:
        """How many images have results kept."""
        with self._lock:
            return len(self._entries)

    def clear(self) -> None:
        """Forget every kept result."""
        with self._lock:
            self._entries.clear()


def per_image(fn: Callable[Concatenate[Image.Image, P], R]) -> PerImage[P, R]:
    """Keep ``fn``'s result per image object (see the module notes for when that is safe)."""
    return PerImage(fn)
