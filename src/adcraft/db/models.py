"""Tables. Every row that belongs to a customer carries ``tenant_id``; every query filters on it."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

# Stable constraint names so Alembic migrations match on SQLite and PostgreSQL alike.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

TASK_STATUSES = ("pending", "running", "completed", "failed")
FEEDBACK_KINDS = ("download", "edit", "regenerate", "report")


def new_id() -> str:
    """A random, unguessable id (122 bits)."""
    return uuid.uuid4().hex


def utcnow() -> datetime:
    """Timezone-aware now."""
    return datetime.now(UTC)


def as_utc(value: datetime) -> datetime:
    """A timestamp read back from the database, with its zone: SQLite returns them naive
    (they were written in UTC), PostgreSQL with their zone."""
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


class Base(DeclarativeBase):
    """Declarative base with naming conventions."""

    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map: ClassVar[dict[Any, Any]] = {dict[str, Any]: JSON, list[Any]: JSON}


def _id() -> Mapped[str]:
    return mapped_column(String(32), primary_key=True, default=new_id)


def _tenant() -> Mapped[str]:
    return mapped_column(String(32), ForeignKey("tenants.id", ondelete="CASCADE"), index=True)


def _created() -> Mapped[datetime]:
    return mapped_column(DateTime(timezone=True), default=utcnow)


class Tenant(Base):
    __tablename__ = "tenants"
    id: Mapped[str] = _id()
    name: Mapped[str] = mapped_column(String(200), unique=True)
    created_at: Mapped[datetime] = _created()


class ApiKey(Base):
    __tablename__ = "api_keys"
    id: Mapped[str] = _id()
    tenant_id: Mapped[str] = _tenant()
    prefix: Mapped[str] = mapped_column(String(16), unique=True)
    digest: Mapped[str] = mapped_column(String(64))
    """HMAC-SHA256(pepper, key) as hex; the key itself is never stored."""
    name: Mapped[str] = mapped_column(String(200), default="default")
    created_at: Mapped[datetime] = _created()
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    expires_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    """Set when the key was rotated: it keeps working until then, so clients can switch over."""


ROLES = ("admin", "editor", "reviewer", "viewer")


class User(Base):
    """A person of a tenant: signs in with email and password (argon2 hash), acts with a role.

    Email is unique across tenants, so signing in needs no tenant name.
    """

    __tablename__ = "users"
    id: Mapped[str] = _id()
    tenant_id: Mapped[str] = _tenant()
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(100), default="")
    role: Mapped[str] = mapped_column(String(20))
    password_hash: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = _created()


class WebSession(Base):
    """A signed-in browser: the cookie holds a random token, this row its HMAC digest.

    Either a person's (``user_id``) or an API key exchanged for a cookie (``api_key_id``), so the
    key never has to live in the browser. Removing the user or revoking the key ends it.
    """

    __tablename__ = "web_sessions"
    digest: Mapped[str] = mapped_column(String(64), primary_key=True)
    tenant_id: Mapped[str] = _tenant()
    user_id: Mapped[str | None] = mapped_column(
        String(32), ForeignKey("users.id", ondelete="CASCADE"), nullable=True, index=True
    )
    api_key_id: Mapped[str | None] = mapped_column(
        String(32), ForeignKey("api_keys.id", ondelete="CASCADE"), nullable=True
    )
    created_at: Mapped[datetime] = _created()
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)


class Invitation(Base):
    """An admin's invitation: whoever opens the link (token shown once) sets a password and
    joins the tenant with ``role``."""

    __tablename__ = "invitations"
    id: Mapped[str] = _id()
    tenant_id: Mapped[str] = _tenant()
    digest: Mapped[str] = mapped_column(String(64), unique=True)
    email: Mapped[str] = mapped_column(String(254))
    role: Mapped[str] = mapped_column(String(20))
    invited_by: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = _created()
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    accepted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class SignInThrottle(Base):
    """Recent wrong passwords for one email, and the lock they led to.

    Keyed by an HMAC of the email under the server pepper, written alike for emails with and
    without an account: no foreign key and no address in clear, so the table tells nothing about
    which emails exist. A successful sign-in deletes the row; rows past both times are swept.
    """

    __tablename__ = "sign_in_throttle"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    """Wrong passwords since the window opened."""
    window_ends_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    """When the count starts over (the first failure of the window plus the window's length)."""
    locked_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class AuditEntry(Base):
    """One admin action (tenant or key created, revoked, rotated, deleted): who, what, when.

    No foreign key to ``tenants``: the record of a tenant's deletion outlives the tenant.
    """

    __tablename__ = "audit_log"
    id: Mapped[str] = _id()
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    actor: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(50))
    target: Mapped[str] = mapped_column(String(200))
    tenant_id: Mapped[str | None] = mapped_column(String(32), nullable=True, index=True)
    detail: Mapped[dict[str, Any]] = mapped_column(default=dict)


class Asset(Base):
    """An uploaded or fetched file (product photo, logo, font) in the asset store."""

    __tablename__ = "assets"
    id: Mapped[str] = _id()
    tenant_id: Mapped[str] = _tenant()
    kind: Mapped[str] = mapped_column(String(20))
    key: Mapped[str] = mapped_column(String(300))
    content_type: Mapped[str] = mapped_column(String(100))
    bytes: Mapped[int] = mapped_column(Integer)
    width: Mapped[int | None] = mapped_column(Integer, nullable=True)
    height: Mapped[int | None] = mapped_column(Integer, nullable=True)
    filename: Mapped[str] = mapped_column(String(300), default="")
    caption: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = _created()


class Campaign(Base):
    __tablename__ = "campaigns"
    id: Mapped[str] = _id()
    tenant_id: Mapped[str] = _tenant()
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    landing_url: Mapped[str | None] = mapped_column(String(2048), nullable=True)
    """Where clicks on this campaign's served creatives go (unless the creative has its own)."""
    created_at: Mapped[datetime] = _created()
    archived_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    """Set while archived: hidden from the default campaign list, otherwise unchanged."""


class ShareLink(Base):
    """A read-only review link to a campaign's (or one task's) creatives, for people outside the
    team: the URL holds a random token shown once; this row keeps only its HMAC digest."""

    __tablename__ = "share_links"
    id: Mapped[str] = _id()
    tenant_id: Mapped[str] = _tenant()
    digest: Mapped[str] = mapped_column(String(64), unique=True)
    campaign_id: Mapped[str] = mapped_column(
        String(32), ForeignKey("campaigns.id", ondelete="CASCADE"), index=True
    )
    task_id: Mapped[str | None] = mapped_column(
        String(32), ForeignKey("tasks.id", ondelete="CASCADE"), nullable=True
    )
    """Set when the link shows one generated set only, not the whole campaign."""
    created_by: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = _created()
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class BrandKitRow(Base):
    __tablename__ = "brand_kits"
    id: Mapped[str] = _id()
    tenant_id: Mapped[str] = _tenant()
    name: Mapped[str] = mapped_column(String(200))
    colors: Mapped[list[Any]] = mapped_column(default=list)
    tone_words: Mapped[list[Any]] = mapped_column(default=list)
    banned_words: Mapped[list[Any]] = mapped_column(default=list)
    deadline_required: Mapped[bool] = mapped_column(Boolean, default=False)
    """A deal is shown with its deadline or not at all (see ``domain.brief.BrandKit``)."""
    logo_asset_id: Mapped[str | None] = mapped_column(String(32), nullable=True)
    heading_font_asset_id: Mapped[str | None] = mapped_column(String(32), nullable=True)
    body_font_asset_id: Mapped[str | None] = mapped_column(String(32), nullable=True)
    created_at: Mapped[datetime] = _created()


class Product(Base):
    __tablename__ = "products"
    __table_args__ = (UniqueConstraint("tenant_id", "sku"),)
    id: Mapped[str] = _id()
    tenant_id: Mapped[str] = _tenant()
    sku: Mapped[str] = mapped_column(String(200))
    """The catalogue's own id (``id`` in products.json)."""
    data: Mapped[dict[str, Any]] = mapped_column()
    image_asset_id: Mapped[str | None] = mapped_column(String(32), nullable=True)
    created_at: Mapped[datetime] = _created()


class BriefRow(Base):
    __tablename__ = "briefs"
    id: Mapped[str] = _id()
    tenant_id: Mapped[str] = _tenant()
    campaign_id: Mapped[str] = mapped_column(String(32), ForeignKey("campaigns.id"), index=True)
    data: Mapped[dict[str, Any]] = mapped_column()
    image_asset_id: Mapped[str | None] = mapped_column(String(32), nullable=True)
    brand_kit_id: Mapped[str | None] = mapped_column(String(32), nullable=True)
    created_at: Mapped[datetime] = _created()


class Task(Base):
    __tablename__ = "tasks"
    __table_args__ = (
        UniqueConstraint("tenant_id", "idempotency_key"),
        Index("ix_tasks_tenant_status", "tenant_id", "status"),
    )
    id: Mapped[str] = _id()
    tenant_id: Mapped[str] = _tenant()
    campaign_id: Mapped[str] = mapped_column(String(32), ForeignKey("campaigns.id"), index=True)
    brief_id: Mapped[str] = mapped_column(String(32), ForeignKey("briefs.id"))
    kind: Mapped[str] = mapped_column(String(20))
    """``generate`` (a new set) or ``render`` (a new version of one variant)."""
    status: Mapped[str] = mapped_column(String(20), default="pending")
    request: Mapped[dict[str, Any]] = mapped_column()
    steps_done: Mapped[int] = mapped_column(Integer, default=0)
    steps_total: Mapped[int] = mapped_column(Integer, default=0)
    current_step: Mapped[str] = mapped_column(String(200), default="queued")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    error: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    result: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    """Set-level outputs: warnings, contact sheet and product cut-out asset keys."""
    idempotency_key: Mapped[str | None] = mapped_column(String(200), nullable=True)
    created_at: Mapped[datetime] = _created()
    started_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    heartbeat_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    """Written every ``tasks.heartbeat_s`` by the attempt running it: stale means it is dead."""
    attempt_started_at: Mapped[datetime | None] = mapped_column(
        DateTime(timezone=True), nullable=True
    )
    """When the current attempt claimed the task (the hard time limit counts from here)."""
    queued_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    """When the task id was last handed to the queue."""


class CtrJob(Base):
    """A training of a tenant's CTR model, queued by ``POST /ctr/models`` and run in the
    background by the process that owns the analytics store (api/ctr_jobs.py)."""

    __tablename__ = "ctr_jobs"
    __table_args__ = (
        # One queued or running training per tenant: two would race for the next version. A
        # partial unique index makes the check atomic across API replicas (a second insert
        # fails and is answered 409).
        Index(
            "uq_ctr_jobs_one_active",
            "tenant_id",
            unique=True,
            sqlite_where=text("status IN ('queued', 'running')"),
            postgresql_where=text("status IN ('queued', 'running')"),
        ),
    )
    id: Mapped[str] = _id()
    tenant_id: Mapped[str] = _tenant()
    status: Mapped[str] = mapped_column(String(20), default="queued")
    """``queued``, ``running``, ``completed`` or ``failed``."""
    since: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    created_at: Mapped[datetime] = _created()
    started_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    heartbeat_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    """Written every ``tasks.heartbeat_s`` while the job is held: stale means its process died."""
    model_version: Mapped[str | None] = mapped_column(String(16), nullable=True)
    error: Mapped[str | None] = mapped_column(String(2000), nullable=True)
    """Why the job failed, in words."""


class WorkerRow(Base):
    """A live worker process (Celery worker or the local pool), by its heartbeat."""

    __tablename__ = "workers"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    runner: Mapped[str] = mapped_column(String(20))
    host: Mapped[str] = mapped_column(String(200))
    pid: Mapped[int] = mapped_column(Integer)
    queues: Mapped[str] = mapped_column(String(200))
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    heartbeat_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class TaskOutput(Base):
    """A store key a task wrote, recorded before the write: what to remove if the task fails."""

    __tablename__ = "task_outputs"
    task_id: Mapped[str] = mapped_column(
        String(32), ForeignKey("tasks.id", ondelete="CASCADE"), primary_key=True
    )
    key: Mapped[str] = mapped_column(String(300), primary_key=True)


class PreviewFile(Base):
    """A style preview's image in the store: kept for a while after it was shown, then removed
    by the sweeper unless a row made since names the same key (``tasks.preview_expiry``).

    Recorded before the file is written, so a preview cut short leaves no file nobody knows of.
    """

    __tablename__ = "preview_files"
    key: Mapped[str] = mapped_column(String(300), primary_key=True)
    tenant_id: Mapped[str] = _tenant()
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, index=True
    )
    """When the key was last shown in a preview (a preview of the same bytes renews it)."""


class CreativeRow(Base):
    __tablename__ = "creatives"
    __table_args__ = (
        UniqueConstraint("task_id", "pipeline_id"),
        Index("ix_creatives_tenant_campaign", "tenant_id", "campaign_id"),
    )
    id: Mapped[str] = _id()
    tenant_id: Mapped[str] = _tenant()
    campaign_id: Mapped[str] = mapped_column(String(32), ForeignKey("campaigns.id"))
    task_id: Mapped[str] = mapped_column(String(32), ForeignKey("tasks.id"), index=True)
    pipeline_id: Mapped[str] = mapped_column(String(40))
    """The pipeline's stable creative id within the set (unique per task: retries collapse)."""
    format: Mapped[str] = mapped_column(String(100))
    platform: Mapped[str] = mapped_column(String(200))
    width: Mapped[int] = mapped_column(Integer)
    height: Mapped[int] = mapped_column(Integer)
    variant: Mapped[int] = mapped_column(Integer)
    style: Mapped[str] = mapped_column(String(50))
    template: Mapped[str] = mapped_column(String(50))
    rank: Mapped[int] = mapped_column(Integer)
    current_version: Mapped[int] = mapped_column(Integer, default=1)
    landing_url: Mapped[str | None] = mapped_column(String(2048), nullable=True)
    created_at: Mapped[datetime] = _created()


class Version(Base):
    __tablename__ = "versions"
    __table_args__ = (
        UniqueConstraint("creative_id", "number"),
        UniqueConstraint("creative_id", "task_id"),
    )
    id: Mapped[str] = _id()
    tenant_id: Mapped[str] = _tenant()
    creative_id: Mapped[str] = mapped_column(String(32), ForeignKey("creatives.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    task_id: Mapped[str] = mapped_column(String(32), ForeignKey("tasks.id"))
    action: Mapped[str] = mapped_column(String(30))
    """generated, edit, swap_image, regenerate_text, regenerate_image."""
    image_key: Mapped[str] = mapped_column(String(300))
    image_format: Mapped[str] = mapped_column(String(10))
    bytes: Mapped[int] = mapped_column(Integer)
    score: Mapped[float] = mapped_column(Float)
    metrics: Mapped[dict[str, Any]] = mapped_column()
    copy_fields: Mapped[dict[str, Any]] = mapped_column("copy", JSON)
    platform_text: Mapped[dict[str, Any]] = mapped_column()
    copy_limits: Mapped[dict[str, Any]] = mapped_column()
    warnings: Mapped[list[Any]] = mapped_column()
    render: Mapped[dict[str, Any]] = mapped_column()
    """What re-renders this version: seed, copy variant, product image asset."""
    gates: Mapped[list[Any]] = mapped_column(default=list)
    """Quality-gate results (scoring.gates.GateResult as dicts)."""
    gates_passed: Mapped[bool] = mapped_column(Boolean, default=True)
    """Every gate passed: the gallery never shows a version that failed above one that passed."""
    layout: Mapped[list[Any] | None] = mapped_column(nullable=True)
    """Where the product and each text element are drawn: ``[{kind, box}]`` (None before
    migration 0013); what a hand adjustment of this size starts from."""
    created_at: Mapped[datetime] = _created()


class Feedback(Base):
    __tablename__ = "feedback"
    id: Mapped[str] = _id()
    tenant_id: Mapped[str] = _tenant()
    creative_id: Mapped[str] = mapped_column(String(32), ForeignKey("creatives.id"), index=True)
    version: Mapped[int | None] = mapped_column(Integer, nullable=True)
    kind: Mapped[str] = mapped_column(String(20))
    field: Mapped[str | None] = mapped_column(String(50), nullable=True)
    edit_distance: Mapped[float | None] = mapped_column(Float, nullable=True)
    data: Mapped[dict[str, Any]] = mapped_column()
    created_at: Mapped[datetime] = _created()


class ExperimentRow(Base):
    """An A/B experiment on one placement: arms, allocation policy and pre-registered design."""

    __tablename__ = "experiments"
    id: Mapped[str] = _id()
    tenant_id: Mapped[str] = _tenant()
    name: Mapped[str] = mapped_column(String(200))
    placement: Mapped[str] = mapped_column(String(64), index=True)
    policy: Mapped[str] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(String(16))
    """running, paused (serves the control only) or stopped (serves the control only)."""
    margin: Mapped[float] = mapped_column(Float)
    alpha: Mapped[float] = mapped_column(Float)
    tau: Mapped[float] = mapped_column(Float)
    guardrails: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_at: Mapped[datetime] = _created()
    stopped_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class ExperimentArmRow(Base):
    """One arm: a creative (and version) of the experiment's tenant; one arm is the control."""

    __tablename__ = "experiment_arms"
    id: Mapped[str] = _id()
    experiment_id: Mapped[str] = mapped_column(
        String(32), ForeignKey("experiments.id", ondelete="CASCADE"), index=True
    )
    tenant_id: Mapped[str] = _tenant()
    creative_id: Mapped[str] = mapped_column(String(32), ForeignKey("creatives.id"))
    version: Mapped[int | None] = mapped_column(Integer, nullable=True)
    control: Mapped[int] = mapped_column(Integer, default=0)
    weight: Mapped[float] = mapped_column(Float, default=1.0)
    name: Mapped[str] = mapped_column(String(100))
    position: Mapped[int] = mapped_column(Integer)


class ExperimentAssignmentRow(Base):
    """The arm a viewer got: assignment is sticky for the experiment's life."""

    __tablename__ = "experiment_assignments"
    experiment_id: Mapped[str] = mapped_column(
        String(32), ForeignKey("experiments.id", ondelete="CASCADE"), primary_key=True
    )
    user_hash: Mapped[str] = mapped_column(String(128), primary_key=True)
    arm_id: Mapped[str] = mapped_column(String(32))


class TenantProviderRow(Base):
    """A tenant's own provider choices; the LLM key is sealed with a key derived from the
    app secret (``adcraft.tenants.sealed``), never stored or returned in clear."""

    __tablename__ = "tenant_providers"
    tenant_id: Mapped[str] = mapped_column(
        String(32), ForeignKey("tenants.id", ondelete="CASCADE"), primary_key=True
    )
    llm_base_url: Mapped[str | None] = mapped_column(String(500), nullable=True)
    llm_model: Mapped[str | None] = mapped_column(String(200), nullable=True)
    llm_key_sealed: Mapped[str | None] = mapped_column(Text, nullable=True)
    default_remover: Mapped[str | None] = mapped_column(String(40), nullable=True)
    default_styles: Mapped[list[Any]] = mapped_column(JSON, default=list)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
