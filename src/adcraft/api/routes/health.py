"""Liveness, readiness and Prometheus metrics."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse, Response
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from adcraft.api.deps import ContainerDep, MetricsDep
from adcraft.api.problems import PROBLEM
from adcraft.api.schemas import Health
from adcraft.db.engine import ping

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
    """Database, asset store and task queue all answer; 503 otherwise (with which one failed)."""

    def check() -> dict[str, bool]:
        return {
            "database": ping(c.engine),
            "store": c.store.ping(),
            "queue": c.runner.ping() if c.runner is not None else False,
        }

    checks = await run_in_threadpool(check)
    if all(checks.values()):
        return JSONResponse(Health(status="ok", checks=checks).model_dump())
    down = ", ".join(k for k, ok in checks.items() if not ok)
    return JSONResponse(
        {
            "type": "https://adcraft.dev/problems/not-ready",
            "title": "Service unavailable",
            "status": 503,
            "detail": f"not ready: {down} unavailable",
            "instance": request.url.path,
            "status_text": "unavailable",
            "checks": checks,
        },
        status_code=503,
        media_type=PROBLEM,
        headers={"Retry-After": "5"},
    )


@router.get("/metrics", response_class=Response, responses={200: {"content": {"text/plain": {}}}})
async def metrics(m: MetricsDep) -> Response:
    """Prometheus text format."""
    body = await run_in_threadpool(generate_latest, m.registry)
    return Response(body, media_type=CONTENT_TYPE_LATEST)
