"""``/metrics`` access: a bearer token (``server.metrics_token``) and/or a listener of its own on
``server.metrics_port``, so the scrape endpoint need not be reachable on the public API port."""

from __future__ import annotations

import hmac
import logging
import threading
from collections.abc import Callable, Iterable
from socketserver import ThreadingMixIn
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, generate_latest

log = logging.getLogger("adcraft.metrics")


def token_ok(authorization: str, token: str) -> bool:
    """True when no token is configured, or ``Authorization: Bearer <token>`` carries it."""
    if not token:
        return True
    scheme, _, given = authorization.strip().partition(" ")
    return scheme.lower() == "bearer" and hmac.compare_digest(
        given.strip().encode(), token.encode()
    )


class _Server(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass  # one line per scrape every 15 s is noise


StartResponse = Callable[[str, list[tuple[str, str]]], Any]


class MetricsListener:
    """``GET /metrics`` on its own port, in a thread beside the API (``adcraft serve``)."""

    def __init__(self, host: str, port: int, registry: CollectorRegistry, token: str) -> None:
        self._registry = registry
        self._token = token
        self._server = make_server(
            host, port, self._app, server_class=_Server, handler_class=_QuietHandler
        )
        self.port = self._server.server_port
        self._thread = threading.Thread(
            target=self._server.serve_forever, name="metrics-listener", daemon=True
        )

    def _app(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        if environ.get("PATH_INFO") != "/metrics":
            start_response("404 Not Found", [("Content-Type", "text/plain")])
            return [b"only /metrics is served on this port\n"]
        if not token_ok(environ.get("HTTP_AUTHORIZATION", ""), self._token):
            start_response(
                "401 Unauthorized",
                [("Content-Type", "text/plain"), ("WWW-Authenticate", 'Bearer realm="metrics"')],
            )
            return [b"send 'Authorization: Bearer <server.metrics_token>'\n"]
        body = generate_latest(self._registry)
        start_response("200 OK", [("Content-Type", CONTENT_TYPE_LATEST)])
        return [body]

    def start(self) -> MetricsListener:
        self._thread.start()
        log.info("metrics served on port %d", self.port)
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)
