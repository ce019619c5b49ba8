"""Catalog settings read from the environment by every process (workers included).

ADCRAFT_CATALOG_ALLOW_LOOPBACK=1 lets image fetches and webhook deliveries reach 127.0.0.1
and ::1. It exists for tests and local development only: it is never set from a request,
and with it unset the SSRF rules refuse every private, local or reserved address.
"""

from __future__ import annotations

import os

LOOPBACK = ("127.0.0.1", "::1")


def allow_loopback() -> bool:
    """The explicit dev/test switch is on."""
    return os.environ.get("ADCRAFT_CATALOG_ALLOW_LOOPBACK", "").strip().lower() in ("1", "true")


def fetch_allow_addresses() -> tuple[str, ...]:
    """Addresses exempt from the public-address rule: loopback only, only when switched on."""
    return LOOPBACK if allow_loopback() else ()
