"""The uvicorn server of ``adcraft serve``, with a bounded, draining shutdown.

uvicorn waits for every open connection before it stops, and a progress stream stays open until
its task ends: one open stream kept ``adcraft serve`` from exiting for minutes. On shutdown this
server first sets the app's ``draining`` event — progress streams end at their next poll (within
a quarter of a second) with a comment telling the client to reconnect, which the web app does
with ``Last-Event-ID`` against another replica — then lets uvicorn close the rest, cutting
whatever still runs after ``server.shutdown_timeout_s``. Running tasks are not waited for: the
local pool's workers stop and their tasks resume at the next start or on another replica (the
sweeper queues them again once their heartbeat is stale); Celery workers stop on their own.
"""

from __future__ import annotations

import logging
import threading
from typing import Any

import uvicorn
from fastapi import FastAPI

log = logging.getLogger("adcraft.api")


def draining(app: FastAPI) -> threading.Event:
    """Set once the server has begun to shut down (routes with long responses watch it)."""
    event: threading.Event = app.state.draining
    return event


class DrainingServer(uvicorn.Server):
    """``uvicorn.Server`` that sets ``app.state.draining`` before it closes connections."""

    def __init__(self, config: uvicorn.Config, app: FastAPI) -> None:
        super().__init__(config)
        self._app = app

    async def shutdown(self, sockets: Any = None) -> None:
        log.info("shutting down: ending progress streams")
        draining(self._app).set()
        await super().shutdown(sockets=sockets)


def server_for(
    app: FastAPI, *, host: str, port: int, log_level: str, timeout_s: float
) -> DrainingServer:
    """The server ``adcraft serve`` runs (forwarded headers are the app's business)."""
    config = uvicorn.Config(
        app,
        host=host,
        port=port,
        log_level=log_level,
        # Our handler (adcraft.logs) formats uvicorn's lines too, with time and request id.
        log_config=None,
        # X-Forwarded-For is believed only from server.trusted_proxies, by the app itself.
        proxy_headers=False,
        timeout_graceful_shutdown=max(1, round(timeout_s)),
    )
    return DrainingServer(config, app)
