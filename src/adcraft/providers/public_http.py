"""An httpx transport that connects only to public addresses, checked at each connection.

A tenant's LLM endpoint is checked when it is saved and again when a task starts, but the HTTP
client resolved the name once more when it connected: a name that answered a public address to
the check and 127.0.0.1 (or a cloud metadata address) a moment later — DNS rebinding — sent the
tenant's prompt, and its API key, into the server's own network. Here the name is resolved once
per request, every address must be public, and the connection goes to the checked address
itself, with the Host header and TLS SNI (and so the certificate check) for the original name,
as :mod:`adcraft.imagery.fetch` does for product images.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Collection
from typing import Any

import httpx

from adcraft.imagery import fetch


class RefusedAddress(httpx.ConnectError):
    """The host resolves to a non-public address (or not at all): nothing was sent. An httpx
    connection error, so clients report it as one; callers do not retry it."""


class PublicOnlyTransport(httpx.BaseTransport):
    """Sends each request to a checked public address of its host; see the module text.

    ``resolver`` replaces DNS (tests; default :func:`adcraft.imagery.fetch.system_resolver`).
    ``allow_addresses`` exempts exact addresses from the public-address rule, for tests that
    talk to a server on 127.0.0.1; it must never be filled from user input.
    """

    def __init__(
        self,
        *,
        resolver: fetch.Resolver | None = None,
        allow_addresses: Collection[str] = (),
        **transport: Any,
    ) -> None:
        self._resolver = resolver
        self._allowed = {ipaddress.ip_address(a) for a in allow_addresses}
        self._inner = httpx.HTTPTransport(**transport)

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        host = request.url.host
        port = request.url.port or (443 if request.url.scheme == "https" else 80)
        try:
            ip = self._checked_address(host, port)
        except ValueError as exc:
            raise RefusedAddress(str(exc), request=request) from None
        # httpx set the Host header from the original URL when it built the request.
        request.url = request.url.copy_with(host=ip)
        request.extensions = {**request.extensions, "sni_hostname": host}
        return self._inner.handle_request(request)

    def _checked_address(self, host: str, port: int) -> str:
        resolve = self._resolver or fetch.system_resolver
        try:
            addresses = [ipaddress.ip_address(a) for a in resolve(host, port)]
        except (OSError, ValueError) as exc:
            raise ValueError(f"cannot resolve {host!r} ({exc})") from None
        if not addresses:
            raise ValueError(f"{host!r} resolves to no address")
        refused = [
            a for a in addresses if a not in self._allowed and not fetch.is_public_address(a)
        ]
        if refused:
            raise ValueError(
                f"{host} resolves to a private address ({refused[0]}) at connection time; "
                "only public endpoints are called for tenants"
            )
        return str(addresses[0])

    def close(self) -> None:
        self._inner.close()


def public_only_client(timeout_s: float, **transport: Any) -> httpx.Client:
    """An httpx client for the OpenAI SDK that reaches public addresses only."""
    return httpx.Client(
        transport=PublicOnlyTransport(**transport), timeout=timeout_s, follow_redirects=True
    )
