"""The allocator tuning is applied on glibc and is a harmless no-op elsewhere."""

from __future__ import annotations

import platform

from adcraft.allocator import keep_freed_buffers


def test_tuning_applies_on_glibc() -> None:
    applied = keep_freed_buffers()
    assert applied is (platform.libc_ver()[0] == "glibc")
    assert keep_freed_buffers() is applied  # idempotent
