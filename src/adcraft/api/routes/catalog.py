"""Catalogue scale over HTTP: feeds in, bulk runs with per-product status, webhooks, exports.

Runs execute in worker processes started by this server (see adcraft.catalog.service); their
state is a SQLite file per tenant under ``<data_dir>/catalog``.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, File, Form, Query, UploadFile
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, Field, HttpUrl, ValidationError

from adcraft.api.deps import ContainerDep, PrincipalDep
from adcraft.catalog.bulk.rules import parse_rule
from adcraft.catalog.bulk.runner import state_path
from adcraft.catalog.bulk.spec import RunSpec
from adcraft.catalog.delivery.export import destination, export_run
from adcraft.catalog.delivery.webhooks import EVENTS, Webhooks
from adcraft.catalog.feeds.importer import Dialect, FeedOptions, ImportReport
from adcraft.catalog.service import CatalogService
from adcraft.container import Container
from adcraft.errors import NotFound

router = APIRouter(prefix="/catalog", tags=["catalog"])


def service(c: Container) -> CatalogService:
    """The process's catalog service (one per container)."""
    svc = c.extras.get("catalog")
    if not isinstance(svc, CatalogService):
        s = c.settings.catalog
        svc = CatalogService(
            c.settings.data_dir / "catalog",
            lease_s=s.lease_s,
            resume_interrupted=s.resume_interrupted,
            default_workers=s.default_workers,
            max_workers=s.max_workers,
        )
        c.extras["catalog"] = svc
    return svc


class FeedOut(BaseModel):
    """A stored feed and what reading it found."""

    feed_id: str
    report: ImportReport


class FeedFromUrl(BaseModel):
    """A feed to fetch (public http(s) addresses only)."""

    url: HttpUrl
    dialect: Dialect | None = None
    mapping: dict[str, str] = Field(default_factory=dict)
    currency: str | None = Field(default=None, pattern=r"^[A-Z]{3}$")
    language: str = "en"


@router.post("/feeds", status_code=201)
def upload_feed(
    p: PrincipalDep,
    c: ContainerDep,
    file: Annotated[UploadFile, File(description="Merchant Center XML/TSV, Shopify/Meta CSV")],
    dialect: Annotated[Dialect | None, Form()] = None,
    currency: Annotated[str | None, Form(pattern=r"^[A-Z]{3}$")] = None,
    language: Annotated[str, Form()] = "en",
) -> FeedOut:
    """Upload a feed; it is read whole and every skipped row is reported."""
    svc = service(c)
    feed_id = svc.save_feed(p.tenant_id, file.file, None)
    options = FeedOptions(dialect=dialect, currency=currency, language=language)
    return FeedOut(feed_id=feed_id, report=svc.check_feed(p.tenant_id, feed_id, options))


@router.post("/feeds/fetch", status_code=201)
def fetch_feed(body: FeedFromUrl, p: PrincipalDep, c: ContainerDep) -> FeedOut:
    """Fetch a feed from a public URL (the SSRF rules apply) and report on it."""
    svc = service(c)
    feed_id = svc.save_feed(p.tenant_id, None, str(body.url))
    options = FeedOptions.model_validate(body.model_dump(exclude={"url"}))
    return FeedOut(feed_id=feed_id, report=svc.check_feed(p.tenant_id, feed_id, options))


class RunIn(BaseModel):
    """A bulk run: a stored feed x formats x variants x rules."""

    feed_id: str
    formats: list[str] = Field(default_factory=lambda: ["meta_feed_square"], min_length=1)
    variants: int = Field(default=2, ge=1, le=24)
    styles: list[str] | None = None
    rules: list[str] = Field(default_factory=list, max_length=50)
    seed: int = 0
    image_format: Literal["jpeg", "png", "webp"] = "jpeg"
    workers: int | None = Field(default=None, ge=1)
    """Worker processes (at most ``catalog.max_workers``); default ``catalog.default_workers``."""
    dialect: Dialect | None = None
    currency: str | None = Field(default=None, pattern=r"^[A-Z]{3}$")
    language: str = "en"
    paused: bool = False
    """True: queue the products and start nothing until ``resume`` (read the report first)."""


@router.post("/runs", status_code=202)
def start_run(body: RunIn, p: PrincipalDep, c: ContainerDep) -> dict[str, Any]:
    """Queue every product of the feed; worker processes start at once."""
    try:
        spec = RunSpec(
            formats=tuple(body.formats),
            variants=body.variants,
            styles=tuple(body.styles) if body.styles else None,
            seed=body.seed,
            image_format=body.image_format,
            rules=tuple(parse_rule(r) for r in body.rules),
        )
    except ValidationError as exc:
        # Said as the request's own validation errors (by field, in the page's language).
        raise RequestValidationError(
            [{**e, "loc": ("body", *e["loc"])} for e in exc.errors()]
        ) from None
    options = FeedOptions(dialect=body.dialect, currency=body.currency, language=body.language)
    svc = service(c)
    run_id, _ = svc.start_run(
        p.tenant_id, body.feed_id, options, spec, body.workers, paused=body.paused
    )
    return svc.run_view(p.tenant_id, run_id)


@router.get("/runs")
def list_runs(
    p: PrincipalDep, c: ContainerDep, limit: Annotated[int, Query(ge=1, le=500)] = 100
) -> list[dict[str, Any]]:
    """The tenant's runs, newest first, with status and progress counts."""
    return service(c).runs(p.tenant_id, limit)


def _view(svc: CatalogService, tenant: str, run_id: str) -> dict[str, Any]:
    try:
        return svc.run_view(tenant, run_id)
    except LookupError:
        raise NotFound(f"no run {run_id!r}") from None


@router.get("/runs/{run_id}")
def get_run(run_id: str, p: PrincipalDep, c: ContainerDep) -> dict[str, Any]:
    """Status, progress counts, the import report and the worker processes of a run."""
    return _view(service(c), p.tenant_id, run_id)


@router.get("/runs/{run_id}/products")
def run_products(
    run_id: str,
    p: PrincipalDep,
    c: ContainerDep,
    status: Annotated[str | None, Query(pattern=r"^[a-z]+$")] = None,
    limit: Annotated[int | None, Query(ge=1, le=5000)] = None,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> list[dict[str, Any]]:
    """Per-product status (pending, running, completed, failed, cancelled) and errors, in feed
    order; ``limit``/``offset`` page through a large catalogue."""
    svc = service(c)
    _view(svc, p.tenant_id, run_id)
    st = svc.state(p.tenant_id)
    try:
        return st.items(run_id, status, limit, offset)
    finally:
        st.close()


class ExportIn(BaseModel):
    """Where to export: a folder on the server or s3://bucket/prefix; the public base URL."""

    target: str = Field(min_length=1, max_length=1000)
    base_url: str = ""
    campaign: str = ""


@router.post("/runs/{run_id}/export")
def export(run_id: str, body: ExportIn, p: PrincipalDep, c: ContainerDep) -> dict[str, Any]:
    """Copy the run's creatives in the stable layout and write the bulk-upload sheets.

    A folder target is taken inside the tenant's catalog folder (exports/<target>)."""
    svc = service(c)
    _view(svc, p.tenant_id, run_id)
    folder = svc.folder(p.tenant_id)
    if body.target.startswith("s3://"):
        s = c.settings.store
        dest = destination(
            body.target,
            endpoint_url=s.s3_endpoint_url,
            region_name=s.s3_region,
            aws_access_key_id=s.s3_access_key_id,
            aws_secret_access_key=s.s3_secret_access_key,
        )
    else:
        safe = body.target.strip("/").replace("..", "_")
        dest = destination(str(folder / "exports" / safe))
    res = export_run(folder, run_id, dest, base_url=body.base_url, campaign=body.campaign)
    return {
        "products": res.products,
        "files": res.files,
        "target": body.target,
        "sheet_gaps": res.gaps,
    }


class RunAction(BaseModel):
    """How many workers to restart with (resume and retry)."""

    workers: int | None = Field(default=None, ge=1)
    """At most ``catalog.max_workers``; omitted: the count the run last ran with."""


@router.post("/runs/{run_id}/{action}")
def run_action(
    run_id: str, action: str, p: PrincipalDep, c: ContainerDep, body: RunAction | None = None
) -> dict[str, Any]:
    """pause, resume, cancel, or retry (the failed products only); 409 when the run's state
    does not allow it (a finished run is not paused, a run without failures not retried).
    resume and retry take ``{"workers": n}``; 422 above ``catalog.max_workers``."""
    return service(c).control(p.tenant_id, run_id, action, (body or RunAction()).workers)


class WebhookIn(BaseModel):
    """A webhook: a public https URL and the events to send there."""

    url: str = Field(min_length=1, max_length=2000)
    events: list[str] = Field(default_factory=lambda: list(EVENTS))


def _hooks(svc: CatalogService, tenant: str) -> Webhooks:
    return Webhooks(state_path(svc.folder(tenant)))


@router.post("/webhooks", status_code=201)
def add_webhook(body: WebhookIn, p: PrincipalDep, c: ContainerDep) -> dict[str, Any]:
    """Register a webhook; its signing secret is shown only in this answer."""
    hooks = _hooks(service(c), p.tenant_id)
    try:
        return hooks.add(body.url, body.events)
    finally:
        hooks.close()


@router.get("/webhooks")
def list_webhooks(p: PrincipalDep, c: ContainerDep) -> list[dict[str, Any]]:
    """Registered webhooks (without secrets)."""
    hooks = _hooks(service(c), p.tenant_id)
    try:
        return hooks.hooks()
    finally:
        hooks.close()


@router.delete("/webhooks/{hook_id}", status_code=204)
def delete_webhook(hook_id: str, p: PrincipalDep, c: ContainerDep) -> None:
    """Remove a webhook."""
    hooks = _hooks(service(c), p.tenant_id)
    try:
        if not hooks.remove(hook_id):
            raise NotFound(f"no webhook {hook_id!r}")
    finally:
        hooks.close()


@router.get("/webhooks/deliveries")
def deliveries(
    p: PrincipalDep, c: ContainerDep, webhook: str | None = None
) -> list[dict[str, Any]]:
    """The delivery log: every attempt with its HTTP status or error."""
    hooks = _hooks(service(c), p.tenant_id)
    try:
        return hooks.deliveries(webhook)
    finally:
        hooks.close()


@router.post("/webhooks/deliveries/{delivery_id}/replay")
def replay(delivery_id: str, p: PrincipalDep, c: ContainerDep) -> dict[str, str]:
    """Send a delivery again (same event id, fresh signature)."""
    hooks = _hooks(service(c), p.tenant_id)
    try:
        return {"status": hooks.replay(delivery_id)}
    finally:
        hooks.close()
