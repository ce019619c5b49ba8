"""create_app(container): routes under /api/v1, one error handler, limits and metrics."""

from __future__ import annotations

import gc
import logging
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from functools import partial

from fastapi import APIRouter, FastAPI
from fastapi.middleware.cors import CORSMiddleware

from adcraft._version import __version__
from adcraft.accounts.service import authenticate_session
from adcraft.analytics.service import start_analytics
from adcraft.api import accesslog, problems
from adcraft.api.admission import AdmissionMiddleware
from adcraft.api.ctr_jobs import CtrTrainer
from adcraft.api.limits import RedisStreamSlots, StreamSlots, make_limiter
from adcraft.api.metrics import Metrics, MetricsMiddleware
from adcraft.api.metrics_server import MetricsListener
from adcraft.api.routes import (
    admin,
    analytics,
    assets,
    auth,
    bank,
    brand_kits,
    campaigns,
    catalog,
    creatives,
    ctr,
    edit_preview,
    events,
    experiments,
    exports,
    feedback,
    files,
    generate,
    health,
    keys,
    meta,
    products,
    provider_settings,
    review,
    shares,
    sso,
    tasks,
    tracking,
    uploads,
    users,
    versions,
)
from adcraft.container import Container
from adcraft.db.tenants import Principal, authenticate

log = logging.getLogger("adcraft.api")
API_PREFIX = "/api/v1"
_PROBLEM_SCHEMA = {
    "description": "Error (application/problem+json)",
    "content": {
        "application/problem+json": {
            "schema": {
                "type": "object",
                "properties": {
                    "type": {"type": "string"},
                    "title": {"type": "string"},
                    "status": {"type": "integer"},
                    "detail": {"type": "string"},
                    "instance": {"type": "string"},
                    "request_id": {"type": "string"},
                },
            }
        }
    },
}


def create_app(container: Container) -> FastAPI:
    """The FastAPI application over a built container (the runner starts with the app)."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if container.runner is not None:
            container.runner.start()
        # Bulk runs a stopped or dead server left 'running' are taken over (or marked
        # interrupted); the sweep goes on, since a dead server's lease runs out only later.
        bulk = catalog.service(container)
        bulk.start_recovery()
        app.state.analytics = start_analytics(
            container.settings, container.secret, container.sessions
        )
        # CTR training reads the analytics store, which this process owns (api/ctr_jobs.py).
        app.state.ctr_trainer = CtrTrainer(
            container.sessions, container.settings, app.state.analytics.store
        )
        server = container.settings.server
        listener = (
            MetricsListener(
                server.host, server.metrics_port, app.state.metrics.registry, server.metrics_token
            ).start()
            if server.metrics_port
            else None
        )
        # What exists now lives as long as the app (modules, routes, pools, settings). Frozen,
        # it is left out of full garbage collections, which otherwise rescan it for every
        # burst of request objects: they took over half the CPU of a 1000-event batch.
        gc.freeze()
        try:
            yield
        finally:
            gc.unfreeze()  # collectable again once the app is gone (tests start many apps)
            if listener is not None:
                listener.stop()
            app.state.ctr_trainer.stop()
            app.state.analytics.stop()
            bulk.stop()  # its runs are handed back, for the next server to resume
            if container.runner is not None:
                container.runner.stop()

    production = container.settings.environment == "production"
    server = container.settings.server
    if production and not server.metrics_token and not server.metrics_port:
        log.warning(
            "/metrics is open on the API port: set server.metrics_token or server.metrics_port"
        )
    app = FastAPI(
        # Swagger UI and ReDoc load their scripts from a CDN: never on the production origin,
        # where the web app keeps its API key. The OpenAPI document stays at /openapi.json.
        docs_url=None if production else "/docs",
        redoc_url=None if production else "/redoc",
        title="adcraft",
        version=__version__,
        description="Automated ad creatives: submit a brief, follow the task, fetch ranked "
        "creatives, edit and re-render with every version kept. Errors are "
        "application/problem+json. Authenticate with 'Authorization: Bearer <API key>'.",
        lifespan=lifespan,
        responses={
            401: _PROBLEM_SCHEMA,
            404: _PROBLEM_SCHEMA,
            422: _PROBLEM_SCHEMA,
            429: _PROBLEM_SCHEMA,
            503: _PROBLEM_SCHEMA,
        },
    )
    app.state.container = container
    app.state.draining = threading.Event()  # set by api/server.py when shutdown begins
    accesslog.install()
    app.state.metrics = Metrics(container.sessions, container.settings)
    lim = container.settings.limits
    app.state.rate_limiter = make_limiter(lim.rate_limit_per_minute, lim.redis_url, "key")
    app.state.share_comment_limiter = make_limiter(
        lim.share_comments_per_minute, lim.redis_url, "share"
    )
    app.state.stream_slots = (
        RedisStreamSlots(lim.max_streams_per_key, lim.redis_url)
        if lim.redis_url
        else StreamSlots(lim.max_streams_per_key)
    )
    problems.install(app)

    api = APIRouter(prefix=API_PREFIX)
    for module in (
        meta,
        campaigns,
        generate,
        tasks,
        exports,
        creatives,
        uploads,
        versions,
        edit_preview,
        review,
        feedback,
        assets,
        bank,
        brand_kits,
        products,
        files,
        events,
        analytics,
        tracking,
        catalog,
        experiments,
        ctr,
        provider_settings,
        admin,
        auth,
        sso,
        users,
        keys,
        shares,
    ):
        api.include_router(module.router)
    api.include_router(experiments.serve_router)
    api.include_router(shares.public)  # review links: the token is the credential
    api.include_router(health.router, include_in_schema=False)
    app.include_router(api)
    app.include_router(health.router)
    app.include_router(tracking.public)  # signed impression pixel and click redirect
    from adcraft.api.web import mount_web

    mount_web(app)  # the marketers' web app at /, last so API routes win

    if container.settings.server.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=container.settings.server.cors_origins,
            allow_methods=["GET", "POST", "PUT", "PATCH", "DELETE"],
            allow_headers=[
                "Authorization",
                "X-API-Key",
                "X-CSRF-Token",
                "Content-Type",
                "Idempotency-Key",
            ],
        )
    app.add_middleware(MetricsMiddleware, metrics=app.state.metrics)
    # Outermost: decide who calls from the headers, and refuse bodies, before anything reads them.
    app.add_middleware(
        AdmissionMiddleware,
        limits=container.settings.limits,
        authenticate=partial(_authenticate, container),
        trusted_proxies=tuple(container.settings.server.trusted_proxies),
        admin_token=container.settings.security.admin_token,
        metrics_token=container.settings.server.metrics_token,
        authenticate_session=partial(_authenticate_session, container),
        # Event batches are read and parsed by their route, in a thread, under their own cap.
        raw_body_routes={f"{API_PREFIX}/events": container.settings.events.max_batch_bytes},
    )
    return app


def _authenticate_session(container: Container, token: str) -> Principal | None:
    with container.sessions() as session:
        return authenticate_session(session, token, container.secret)


def _authenticate(container: Container, key: str) -> Principal | None:
    with container.sessions() as session:
        return authenticate(session, key, container.secret)
