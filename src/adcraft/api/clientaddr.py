"""The calling client's address: the TCP peer, or X-Forwarded-For only behind a trusted proxy.

Anyone can send ``X-Forwarded-For``; believing it would let a client pick the address its rate
limit is counted under. The header is read only when the peer itself is a configured proxy, and
then from the right (the hops our proxies appended), stopping at the first untrusted address.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Sequence
from functools import lru_cache

from starlette.types import Scope

_Net = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=64)
def parse_networks(cidrs: tuple[str, ...]) -> tuple[_Net, ...]:
    """Networks from strings such as ``10.0.0.0/8`` or ``127.0.0.1`` (a single host)."""
    return tuple(ipaddress.ip_network(c.strip(), strict=False) for c in cidrs if c.strip())


def _trusted(address: str, nets: Sequence[_Net]) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in net for net in nets)


def client_address(scope: Scope, trusted_proxies: tuple[str, ...]) -> str:
    """The address to count a client's requests under."""
    client = scope.get("client")
    peer = str(client[0]) if client else "unknown"
    nets = parse_networks(trusted_proxies)
    if not nets or not _trusted(peer, nets):
        return peer
    raw = b",".join(v for k, v in scope.get("headers") or [] if k == b"x-forwarded-for")
    hops = [h.strip() for h in raw.decode("latin-1").split(",") if h.strip()]
    for hop in reversed(hops):
        if not _trusted(hop, nets):
            try:
                return str(ipaddress.ip_address(hop))
            except ValueError:
                return peer  # a garbled hop: count it under the proxy, not a made-up name
    return hops[0] if hops else peer
