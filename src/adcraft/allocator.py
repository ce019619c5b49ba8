"""Keep freed image buffers in the process instead of handing them back to the kernel.

Every creative allocates a few canvas-sized buffers (3-5 MB each at 1080 px). glibc serves
blocks that large with fresh ``mmap`` calls and unmaps them when freed, so the next creative
page-faults all of that memory back in: 200 000 page faults and 5-10 ms of kernel time per
1080x1080 creative. Raising the mmap and trim thresholds lets freed buffers be reused.

Only for processes adcraft owns (the CLI, its render workers): a library should not retune
its caller's allocator.
"""

from __future__ import annotations

import ctypes
import ctypes.util

_M_TRIM_THRESHOLD = -1
_M_TOP_PAD = -2
_M_MMAP_THRESHOLD = -3


def keep_freed_buffers() -> bool:
    """Tune glibc's malloc for repeated large allocations; False where there is no glibc."""
    name = ctypes.util.find_library("c")
    try:
        libc = ctypes.CDLL(name or "libc.so.6")
        mallopt = libc.mallopt
    except (OSError, AttributeError):
        return False  # not glibc (macOS, musl, Windows): nothing to tune
    ok = mallopt(_M_MMAP_THRESHOLD, 64 << 20) == 1
    ok &= mallopt(_M_TRIM_THRESHOLD, 256 << 20) == 1
    ok &= mallopt(_M_TOP_PAD, 64 << 20) == 1
    return bool(ok)
