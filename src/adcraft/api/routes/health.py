"""Liveness, readiness and Prometheus metrics."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse, Response
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from adcraft.api.deps import ContainerDep, MetricsDep
from adcraft.api.metrics_server import token_ok
from adcraft.api.problems import PROBLEM
from adcraft.api.readiness import Readiness
from adcraft.api.schemas import Health, ReadyCheck
from adcraft.container import Container
from adcraft.errors import NotFound, Unauthorized

router = APIRouter(tags=["health"])


@router.get("/healthz")
def healthz() -> Health:
    """The process is up (no dependencies checked)."""
    return Health(status="ok")


@router.get(
    "/readyz",
    responses={503: {"description": "A dependency is down", "model": Health}},
)
async def readyz(request: Request, c: ContainerDep) -> Response:
    """Database, queue, live workers, free disk, asset and event stores; 503 naming what failed."""

    results = await run_in_threadpool(_readiness(request, c).run)
    checks = {r.name: r.ok for r in results}
    details = {r.name: ReadyCheck(state=r.state, detail=r.detail, ms=r.ms) for r in results}
    if all(checks.values()):
        return JSONResponse(Health(status="ok", checks=checks, details=details).model_dump())
    down = "; ".join(f"{r.name}: {r.detail}" for r in results if not r.ok)
    return JSONResponse(
        {
            "type": "https://adcraft.dev/problems/not-ready",
            "title": "Service unavailable",
            "status": 503,
            "detail": f"not ready: {down}",
            "instance": request.url.path,
            "status_text": "unavailable",
            "checks": checks,
            "details": {k: v.model_dump() for k, v in details.items()},
        },
        status_code=503,
        media_type=PROBLEM,
        headers={"Retry-After": "5"},
    )


def _readiness(request: Request, c: Container) -> Readiness:
    """The app's checks, made once (it remembers checks still running from earlier probes)."""
    state = request.app.state
    if getattr(state, "readiness", None) is None:
        state.readiness = Readiness(c, lambda: getattr(state, "analytics", None))
    readiness: Readiness = state.readiness
    return readiness


@router.get("/metrics", response_class=Response, responses={200: {"content": {"text/plain": {}}}})
async def metrics(request: Request, m: MetricsDep, c: ContainerDep) -> Response:
    """Prometheus text format (behind server.metrics_token; absent when on server.metrics_port)."""
    server = c.settings.server
    if server.metrics_port:
        raise NotFound(f"metrics are served on port {server.metrics_port}, not on the API port")
    if not token_ok(request.headers.get("authorization", ""), server.metrics_token):
        raise Unauthorized("send 'Authorization: Bearer <server.metrics_token>' to read /metrics")
    body = await run_in_threadpool(generate_latest, m.registry)
    return Response(body, media_type=CONTENT_TYPE_LATEST)
