"""Following work: task status, a Server-Sent Events stream of progress, and retry."""

from __future__ import annotations

import asyncio
import json
import time
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Header, Query, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import StreamingResponse
from sqlalchemy import func, select, update

from adcraft.api import submit
from adcraft.api.deps import ContainerDep, MetricsDep, PrincipalDep, SessionDep
from adcraft.api.limits import StreamSlots
from adcraft.api.lookup import get_owned
from adcraft.api.schemas import Page, TaskOut
from adcraft.api.server import draining
from adcraft.api.views import task_out
from adcraft.container import Container
from adcraft.db.models import Task
from adcraft.errors import Conflict, DatabaseUnavailable
from adcraft.tasks.sweeper import queue_of

router = APIRouter(prefix="/tasks", tags=["tasks"])
_POLL_S = 0.25
_HEARTBEAT_S = 15.0


@router.get("")
def list_tasks(
    request: Request,
    p: PrincipalDep,
    s: SessionDep,
    c: ContainerDep,
    campaign: Annotated[str | None, Query(max_length=64)] = None,
    status: Literal["pending", "running", "completed", "failed"] | None = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> Page[TaskOut]:
    """The tenant's tasks, newest first."""
    where = [Task.tenant_id == p.tenant_id]
    if campaign:
        where.append(Task.campaign_id == campaign)
    if status:
        where.append(Task.status == status)
    total = s.scalar(select(func.count()).select_from(Task).where(*where)) or 0
    rows = s.scalars(
        select(Task).where(*where).order_by(Task.created_at.desc()).limit(limit).offset(offset)
    ).all()
    return Page(
        items=[task_out(request, c, s, t) for t in rows], total=total, limit=limit, offset=offset
    )


@router.get("/{task_id}")
def get_task(
    task_id: str, request: Request, p: PrincipalDep, s: SessionDep, c: ContainerDep
) -> TaskOut:
    """Status, progress (steps done/total, current step), timings and error of a task."""
    return task_out(request, c, s, get_owned(s, Task, task_id, p.tenant_id, "task"))


def _snapshot(c: Container, request: Request, task_id: str) -> dict[str, object] | None:
    with c.sessions() as s:
        t = s.get(Task, task_id)
        if t is None:
            return None
        return task_out(request, c, s, t).model_dump(mode="json")


@router.get(
    "/{task_id}/events",
    response_class=StreamingResponse,
    responses={200: {"content": {"text/event-stream": {}}, "description": "SSE stream"}},
)
async def task_events(
    task_id: str,
    request: Request,
    p: PrincipalDep,
    c: ContainerDep,
    last_event_id: Annotated[str | None, Header(alias="Last-Event-ID", max_length=20)] = None,
) -> StreamingResponse:
    """Progress as Server-Sent Events: ``progress`` on each change, then ``completed``/``failed``.

    Each event's data is the task JSON (as GET /tasks/{id}). Browsers read it with fetch()
    and a stream reader, since EventSource cannot send the API key header.
    """

    def check() -> None:
        with c.sessions() as s:
            get_owned(s, Task, task_id, p.tenant_id, "task")

    await run_in_threadpool(check)
    deadline = time.monotonic() + c.settings.tasks.hard_time_limit_s * 2 + 60
    slots: StreamSlots = request.app.state.stream_slots
    stream_id = uuid.uuid4().hex
    # 429 past the per-key cap; given back when the stream ends (or at its deadline).
    slots.acquire(p.key_id, stream_id=stream_id, ttl_s=deadline - time.monotonic())

    async def stream() -> AsyncIterator[bytes]:
        try:
            async for chunk in _events():
                yield chunk
        finally:
            slots.release(p.key_id, stream_id=stream_id)

    async def _events() -> AsyncIterator[bytes]:
        seq = int(last_event_id) if last_event_id and last_event_id.isdigit() else 0
        last_body = ""
        last_sent = time.monotonic()
        yield b"retry: 2000\n\n"
        while time.monotonic() < deadline:
            if await request.is_disconnected():
                return
            if draining(request.app).is_set():
                # The server is stopping: end now; the client reconnects with Last-Event-ID.
                yield b": server shutting down, reconnect\n\n"
                return
            try:
                snap = await run_in_threadpool(_snapshot, c, request, task_id)
            except DatabaseUnavailable:
                snap = None
                yield b": database unavailable, retrying\n\n"
            if snap is not None:
                body = json.dumps(snap, separators=(",", ":"))
                terminal = snap["status"] in ("completed", "failed")
                compare = json.dumps({k: v for k, v in snap.items() if "url" not in k})
                if compare != last_body or terminal:
                    seq += 1
                    last_body = compare
                    event = snap["status"] if terminal else "progress"
                    yield f"id: {seq}\nevent: {event}\ndata: {body}\n\n".encode()
                    last_sent = time.monotonic()
                if terminal:
                    return
            if time.monotonic() - last_sent > _HEARTBEAT_S:
                yield b": keep-alive\n\n"
                last_sent = time.monotonic()
            await asyncio.sleep(_POLL_S)

    return StreamingResponse(
        stream(),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
    )


@router.post("/{task_id}/retry", status_code=202)
def retry_task(
    task_id: str,
    request: Request,
    response: Response,
    p: PrincipalDep,
    s: SessionDep,
    c: ContainerDep,
    m: MetricsDep,
) -> TaskOut:
    """Run a task's request again as a new task: any task that has not completed.

    A pending or running task is first marked failed, superseded by the new one: a late delivery
    of the old one is then skipped, a still-running attempt's result is discarded (its files
    removed), and it stops counting against the tenant's active-task quota.
    """
    old = get_owned(s, Task, task_id, p.tenant_id, "task")
    if old.status == "completed":
        raise Conflict(f"task {task_id} has completed; nothing to retry")
    if old.status in ("pending", "running"):
        _supersede(s, old)
    submit.check_quota(c, s, p.tenant_id)
    task = Task(
        tenant_id=p.tenant_id,
        campaign_id=old.campaign_id,
        brief_id=old.brief_id,
        kind=old.kind,
        status="pending",
        request=dict(old.request),
    )
    s.add(task)
    s.commit()
    submit.enqueue(c, s, task, queue_of(c.settings, task.kind, task.request), [task], m)
    response.headers["Location"] = f"/api/v1/tasks/{task.id}"
    return task_out(request, c, s, task)


def _supersede(s: SessionDep, old: Task) -> None:
    done = s.execute(
        update(Task)
        .where(Task.id == old.id, Task.status.in_(("pending", "running")))
        .values(
            status="failed",
            finished_at=datetime.now(UTC),
            current_step="failed",
            error={
                "type": "Superseded",
                "title": "task failed",
                "detail": f"stopped waiting: retried as a new task (was {old.status})",
            },
        )
    )
    if done.rowcount != 1:  # type: ignore[attr-defined]
        s.rollback()
        raise Conflict(f"task {old.id} changed state meanwhile: read it again")
    s.commit()
