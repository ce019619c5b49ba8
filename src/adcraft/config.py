"""Platform settings: one object, read once in the entry point and passed down.

Sources, highest priority first: constructor arguments, ``ADCRAFT_*`` environment variables
(nested with ``__``, e.g. ``ADCRAFT_DATABASE__URL``), a TOML file named by ``ADCRAFT_CONFIG``
(or ``config_file=`` in code), then the defaults below. Every limit has a safe default.
"""

from __future__ import annotations

import os
from contextvars import ContextVar
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, Field, model_validator
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

from adcraft.errors import ConfigError
from adcraft.scoring.gates.settings import GateSettings

PLACEHOLDER_SECRETS = frozenset({"", "change-me", "changeme", "secret", "dev", "development"})
DEFAULT_SECRET = "change-me"
_CONFIG_FILE: ContextVar[Path | None] = ContextVar("adcraft_config_file", default=None)


class ServerSettings(BaseModel):
    """HTTP server."""

    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=1, le=65535)
    public_url: str = ""
    """Base URL clients use to reach the API (for signed links); empty: taken from each request."""
    cors_origins: list[str] = Field(default_factory=list)
    """Origins allowed to call the API from a browser; never '*' with credentials."""
    trusted_proxies: list[str] = Field(default_factory=list)
    """Addresses or CIDR networks of reverse proxies whose X-Forwarded-For is believed; empty:
    the TCP peer is the client."""
    metrics_token: str = ""
    """Bearer token ``/metrics`` requires; empty: open (keep it on an internal network)."""
    metrics_port: int = Field(default=0, ge=0, le=65535)
    """Serve ``/metrics`` on this port only (a separate listener of ``adcraft serve``); 0: on
    the API port."""
    log_format: Literal["text", "json"] = "text"
    """``json``: one JSON object per line with time, level, logger, request and task ids."""
    ready_timeout_s: float = Field(default=2.0, gt=0, le=60)
    """Each readiness check gives up (and counts as down) after this."""
    min_free_disk_mb: int = Field(default=512, ge=0)
    """``/readyz`` fails when the data folder's disk has less free space than this."""
    shutdown_timeout_s: float = Field(default=30.0, ge=1, le=3600)
    """On SIGTERM, progress streams end at once; requests still running after this are cut."""


class DatabaseSettings(BaseModel):
    """Metadata database: SQLite file by default, PostgreSQL by URL."""

    url: str = ""
    """SQLAlchemy URL; empty means ``sqlite:///<data_dir>/adcraft.db``."""
    pool_size: int = Field(default=5, ge=1)
    connect_timeout_s: float = Field(default=5.0, gt=0)
    migrate_on_start: bool = True


class StoreSettings(BaseModel):
    """Asset store: a local folder by default, any S3-compatible store by ``s3://bucket/prefix``."""

    url: str = ""
    """``file:///path`` or empty (``<data_dir>/assets``), or ``s3://bucket[/prefix]``."""
    s3_endpoint_url: str = ""
    """For MinIO and other S3-compatible services, e.g. ``http://minio:9000``."""
    s3_region: str = "us-east-1"
    s3_access_key_id: str = ""
    s3_secret_access_key: str = ""
    signed_url_ttl_s: int = Field(default=900, ge=10, le=7 * 24 * 3600)


class BankServiceSettings(BaseModel):
    """The tenants' image banks (``ADCRAFT_BANK__*``): encoder, index, captioner, demo bank."""

    path: Path | None = None
    """Where tenant banks live; empty means ``<data_dir>/banks`` (one folder per tenant)."""
    encoder: str = "use"
    """'use' (multilingual, default), 'minilm' (English) or a sentence-transformers folder."""
    qdrant_url: str | None = None
    """A Qdrant server; empty keeps each tenant's vectors in its folder (embedded local mode,
    one process only: run a server when several API processes serve the banks)."""
    qdrant_api_key: str | None = None
    collection_prefix: str = "adcraft_"
    demo_path: Path | None = None
    """A bank built by ``adcraft bank build --demo`` (the same encoder), shared read-only with
    every tenant; empty: no demo bank."""
    min_score: float = Field(default=0.35, ge=0.0, le=1.0)
    """A brief's picture is only taken from the bank at or above this search score. With the
    'use' encoder, matches in any of its languages score 0.52-0.64 and unrelated briefs 0.15-0.34
    on the committed 64-picture demo subset (docs/imagery.md)."""
    caption_url: str | None = None
    """An OpenAI-compatible endpoint with a vision model that captions uploads sent without
    one; empty: an upload needs a caption."""
    caption_model: str = "gpt-4o-mini"
    caption_api_key: str | None = None
    min_side: int = Field(default=128, ge=16, le=4096)
    """Quality gate: the short side of an added picture, in pixels."""


class DiffusionServiceSettings(BaseModel):
    """Generated pictures and painted scenes in the service (``ADCRAFT_DIFFUSION__*``).

    Off until ``model`` names a diffusers folder. The generate queue is the GPU workers' queue
    (``adcraft worker --queues generate`` starts one pinned process per ``tasks.gpu_devices``);
    without CUDA the service refuses generation unless ``allow_cpu`` is set explicitly.
    """

    model: str | None = None
    """A text-to-image pipeline folder (``save_pretrained``) or a hub id already cached."""
    inpaint_model: str | None = None
    """The pipeline that paints scenes around the product; empty: ``model`` (a plain
    text-to-image checkpoint paints by latent blending, an inpainting one is better)."""
    device: str = "cuda"
    dtype: Literal["auto", "float32", "float16", "bfloat16"] = "auto"
    allow_cpu: bool = False
    """Generate on CPU when there is no GPU: minutes per image at real sizes; tests and demos."""
    mode: Literal["default", "few_step"] = "default"
    """``few_step`` for a distilled model or LoRA (``adcraft.imagery.speed``)."""
    generator: str = "diffusers"
    """The ``image_source`` provider that paints pictures (``adcraft.wiring``)."""
    painter: str = "diffusers"
    """The ``painter`` provider that paints scenes (``adcraft.wiring``)."""
    steps: int = Field(default=30, ge=1, le=200)
    size: int = Field(default=1024, ge=16, le=4096)
    """Side of a generated picture; a scene of each aspect group has about this many pixels
    squared (``adcraft.imagery.aspect_scenes``)."""
    max_attempts: int = Field(default=3, ge=1, le=10)
    """A generated picture that fails the quality gates is painted again with a new seed up to
    this many times in all, then the task fails naming the gates."""
    gpu_visible_to_api: bool | None = None
    """Whether a GPU worker exists, for ``/capabilities`` and the refusal on CPU: None checks
    CUDA in the API process (right for the local pool); set True when Celery GPU workers run
    on other machines than the API."""

    @property
    def configured(self) -> bool:
        """True when a model is set."""
        return bool(self.model)


class TaskSettings(BaseModel):
    """Job execution."""

    runner: Literal["local", "celery"] = "local"
    local_workers: int = Field(default_factory=lambda: min(4, os.cpu_count() or 1), ge=1, le=64)
    """Workers inside ``adcraft serve`` (each renders one task at a time)."""
    local_mode: Literal["process", "thread"] = "process"
    """Processes keep rendering off the API's interpreter; threads start faster (tests)."""
    broker_url: str = "redis://127.0.0.1:6379/0"
    generate_queue: str = "generate"
    render_queue: str = "render"
    soft_time_limit_s: int = Field(default=600, ge=1)
    hard_time_limit_s: int = Field(default=660, ge=1)
    visibility_timeout_s: int = Field(default=3600, ge=1)
    """Redis redelivers an unacknowledged task after this; must exceed the hard time limit."""
    restore_interval_s: int = Field(default=10, ge=1)
    """How often workers look for tasks of dead workers past the visibility timeout."""
    max_attempts: int = Field(default=3, ge=1, le=20)
    retry_backoff_s: int = Field(default=8, ge=1, le=600)
    """Wait before the first retry of a task that met an outage; doubled for each next one
    (8 s, 16 s: a 3-attempt task rides out a ~24 s database or store outage)."""
    retry_backoff_max_s: int = Field(default=120, ge=1)
    gpu_devices: list[str] = Field(default_factory=list)
    """Device ids for GPU workers; ``adcraft worker`` starts one pinned process per device."""
    reserved_small_slots: int = Field(default=1, ge=0)
    """Local worker slots that tasks above ``small_task_creatives`` leave free, so a small task
    of any tenant starts at once while large ones fill the rest (never all slots of a pool)."""
    small_task_creatives: int = Field(default=12, ge=1)
    """Formats × variants up to which a task counts as small."""
    max_active_per_tenant: int = Field(default=50, ge=1)
    """Pending + running tasks a tenant may have before new ones are refused (429)."""
    heartbeat_s: float = Field(default=10.0, gt=0, le=300)
    """A running task, and every worker, writes a heartbeat this often."""
    stale_after_s: float = Field(default=40.0, gt=0, le=3600)
    """A running task (or worker) whose heartbeat is older than this is taken for dead."""
    sweep_interval_s: float = Field(default=10.0, gt=0, le=3600)
    """How often the sweeper looks for dead, overdue and lost tasks."""
    requeue_pending_after_s: float = Field(default=900.0, gt=0)
    """A task still pending this long after it was queued is queued again (a lost message)."""
    max_pending_s: float = Field(default=86_400.0, gt=0)
    """A task not started this long after it was created is failed."""
    preview_ttl_s: float = Field(default=1800.0, gt=0)
    """Style preview images are removed this long after they were shown (by the sweeper),
    unless a set or upload made since holds the same file."""

    @model_validator(mode="after")
    def _visibility_above_hard_limit(self) -> TaskSettings:
        if self.visibility_timeout_s <= self.hard_time_limit_s:
            raise ValueError(
                f"tasks.visibility_timeout_s ({self.visibility_timeout_s}) must be above "
                f"tasks.hard_time_limit_s ({self.hard_time_limit_s}), or Redis redelivers "
                "tasks that are still running"
            )
        if self.soft_time_limit_s > self.hard_time_limit_s:
            raise ValueError("tasks.soft_time_limit_s must not exceed tasks.hard_time_limit_s")
        if self.stale_after_s < 2 * self.heartbeat_s:
            raise ValueError(
                f"tasks.stale_after_s ({self.stale_after_s}) must be at least twice "
                f"tasks.heartbeat_s ({self.heartbeat_s}), or a live task looks dead"
            )
        return self


class LimitSettings(BaseModel):
    """Request, upload and usage limits (OWASP API4)."""

    max_request_bytes: int = Field(default=30 * 2**20, ge=1024)
    max_upload_bytes: int = Field(default=25 * 2**20, ge=1024)
    max_pixels: int = Field(default=50_000_000, ge=1)
    max_variants: int = Field(default=12, ge=1, le=24)
    max_formats: int = Field(default=60, ge=1)
    rate_limit_per_minute: int = Field(default=600, ge=1)
    """Requests per API key per minute (token bucket, burst = one tenth of a minute's budget)."""
    fetch_timeout_s: float = Field(default=5.0, gt=0)
    fetch_total_s: float = Field(default=20.0, gt=0)
    fetch_max_redirects: int = Field(default=3, ge=0, le=10)
    max_products_import: int = Field(default=1000, ge=1)
    redis_url: str = ""
    """Redis for rate-limit buckets shared by every API process (e.g. the broker's URL); empty:
    each process keeps its own buckets."""
    max_streams_per_key: int = Field(default=8, ge=1, le=1000)
    """Open progress streams (``GET /tasks/{id}/events``) per API key, per API process."""
    max_json_bytes: int = Field(default=2**20, ge=1024)
    """Cap on JSON (and any other non-upload) request bodies."""
    max_json_keys: int = Field(default=10_000, ge=10)
    """Object keys in one JSON body, all levels together."""
    max_json_depth: int = Field(default=32, ge=2, le=500)
    max_anonymous_body_bytes: int = Field(default=16 * 1024, ge=0)
    """Body cap for requests without a valid API key (they can only be refused)."""
    anonymous_rate_limit_per_minute: int = Field(default=120, ge=1)
    """Requests per client address per minute that fail authentication or send a body without
    a key (token bucket, burst = one tenth of a minute's budget)."""
    share_comments_per_minute: int = Field(default=10, ge=1)
    """Visitor comments per review link per minute (burst 10), beside the per-address limit."""
    body_idle_timeout_s: float = Field(default=15.0, gt=0)
    """Longest wait for the next chunk of a request body before answering 408."""
    body_total_timeout_s: float = Field(default=120.0, gt=0)
    """Longest time a whole request body may take to arrive."""


class SecuritySettings(BaseModel):
    """Secrets."""

    secret_key: str = DEFAULT_SECRET
    """Pepper for API-key hashes and the key for signed URLs. Required outside development."""
    admin_token: str = ""
    """Bearer token of the admin API (``/api/v1/admin``: tenants, keys, audit log); empty turns
    the admin API off (the CLI still works). At least 32 characters when set."""
    key_rotation_overlap_s: int = Field(default=86_400, ge=0, le=30 * 86_400)
    """After ``key rotate``, how long the old key keeps working beside the new one."""
    session_ttl_s: int = Field(default=12 * 3600, ge=60, le=30 * 86_400)
    """How long a browser sign-in lasts before the person signs in again."""
    invitation_ttl_s: int = Field(default=7 * 86_400, ge=60, le=90 * 86_400)
    """How long an invitation link can be used."""
    signin_max_failures: int = Field(default=5, ge=1, le=1000)
    """Wrong passwords in a row for one email (within ``signin_failure_window_s``) after which
    password sign-in with that email is refused (429) for ``signin_lockout_s``."""
    signin_failure_window_s: int = Field(default=15 * 60, ge=1, le=86_400)
    """How long failed sign-ins of one email keep counting from the first of them."""
    signin_lockout_s: int = Field(default=15 * 60, ge=1, le=86_400)
    """How long password sign-in with an email stays refused once it reached the limit."""
    oidc_issuer: str = ""
    """OpenID Connect single sign-on: the identity provider's issuer URL (its discovery document is
    ``<issuer>/.well-known/openid-configuration``); empty turns single sign-on off."""
    oidc_client_id: str = ""
    oidc_client_secret: str = ""
    oidc_name: str = "single sign-on"
    """What the sign-in button calls the provider ("Sign in with …")."""
    oidc_allow_http: bool = False
    """Accept an http:// issuer (a provider on this machine in development and tests only)."""

    @model_validator(mode="after")
    def _admin_token_long(self) -> SecuritySettings:
        if self.admin_token and len(self.admin_token) < 32:
            raise ValueError(
                "security.admin_token must be at least 32 characters (or empty to turn the "
                "admin API off)"
            )
        return self


class ProviderSettings(BaseModel):
    """Per-tenant provider overrides (``ADCRAFT_PROVIDERS__*``)."""

    allow_private_llm_urls: bool = False
    """Let tenants point the copywriter at private or loopback addresses (a self-hosted model
    on the same network). Off by default: the server would otherwise call into its own network
    for anyone with an API key."""
    llm_check_timeout_s: float = Field(default=10.0, gt=0, le=120)
    """The test call made when a tenant saves its LLM endpoint."""
    tenant_llm_timeout_s: float = Field(default=30.0, gt=0, le=600)
    tenant_llm_retries: int = Field(default=1, ge=0, le=10)
    """Retries per request on a tenant's endpoint before that variant falls back to the
    built-in writer (kept low: a dead endpoint must not hold a worker for minutes)."""


class EventsSettings(BaseModel):
    """Analytics events: transport, store, limits and privacy (``ADCRAFT_EVENTS__*``)."""

    enabled: bool = True
    store_url: str = ""
    """Empty: embedded chdb under ``<data_dir>/analytics``; ``http(s)://user:pass@host:8123/db``:
    a ClickHouse server through clickhouse-connect."""
    kafka_bootstrap: str = ""
    """Kafka ``host:port,...``: the API produces events; ``adcraft events consume`` stores them."""
    kafka_topic: str = "adcraft-events"
    kafka_group: str = "adcraft-events"
    kafka_instance_id: str = ""
    """Static group membership for ``adcraft events consume``: a restarted consumer with the
    same id takes its partitions back at once instead of waiting for the session to expire."""
    kafka_timeout_s: float = Field(default=10.0, gt=0, le=300)
    """How long ``POST /events`` waits for Kafka to acknowledge a batch before answering 503 with
    Retry-After; unacknowledged events are dropped from the producer then (the client resends
    them), so a broker that is down holds at most ``max_pending_events`` in memory."""
    retention_days: int = Field(default=400, ge=1, le=3650)
    """Table TTL: no event is kept longer, whatever the tenant setting."""
    tenant_retention_days: dict[str, int] = Field(default_factory=dict)
    """Shorter retention per tenant id, applied by ``adcraft events retention``."""
    max_batch_events: int = Field(default=1000, ge=1, le=10_000)
    max_batch_bytes: int = Field(default=4 * 2**20, ge=1024)
    """Bodies above this are refused with 413 before any parsing."""
    max_pending_events: int = Field(default=200_000, ge=1000)
    """Events accepted but not yet stored; beyond this the API answers 503 with Retry-After."""
    flush_interval_s: float = Field(default=0.5, gt=0, le=3600)
    """The direct writer inserts queued events this often..."""
    flush_batch_events: int = Field(default=20_000, ge=1)
    """... or as soon as this many are queued (bigger inserts are cheaper in ClickHouse)."""
    future_skew_s: int = Field(default=300, ge=0)
    """Event times further ahead than this are clamped to the receive time and flagged."""
    max_age_days: int = Field(default=30, ge=1)
    """Event times older than this are clamped to the receive time and flagged."""
    hash_rotation_days: int = Field(default=30, ge=1, le=3650)
    """Viewer hashes (IP + user agent) use a salt that changes every this many days."""
    impression_window_s: int = Field(default=1800, ge=1)
    """One impression per token per viewer within this window."""
    tracking_token_ttl_s: int = Field(default=30 * 86400, ge=60)
    bot_user_agents: list[str] = Field(
        default_factory=lambda: [
            "bot",
            "crawler",
            "spider",
            "slurp",
            "facebookexternalhit",
            "headless",
            "preview",
            "curl",
            "wget",
            "python-requests",
            "httpclient",
            "monitor",
        ]
    )
    """Case-insensitive substrings; a matching user agent records nothing."""


class CtrSettings(BaseModel):
    """The per-tenant CTR model trained from analytics events (``ADCRAFT_CTR__*``).

    Below the minimum, ``POST /api/v1/ctr/models`` is refused (422) naming it, or its training
    job fails saying so when only the training finds out (deleted creatives): with fewer
    impressions the out-of-fold AUC and calibration are noise. The defaults are those of
    ``adcraft ctr train`` (scoring/ctr/model.py)."""

    min_impressions: int = Field(default=10_000, ge=1)
    min_clicks: int = Field(default=200, ge=1)
    min_creatives: int = Field(default=10, ge=2)
    max_events: int = Field(default=5_000_000, ge=1000)
    """Impression and click events read for one training run; a longer window is refused
    (train on a shorter ``since``/``until``)."""
    text_dims: int = Field(default=8, ge=0, le=64)
    """Copy-wording features: the headline, body and call to action encoded with the image
    bank's text encoder (``bank.encoder``) and reduced to this many numbers; 0: none."""


class CatalogSettings(BaseModel):
    """Catalogue bulk runs (``ADCRAFT_CATALOG__*``)."""

    resume_interrupted: bool = True
    """At start (and while up), runs left 'running' by a stopped or dead server process are
    resumed; off: they are marked 'interrupted' and wait for ``resume``."""
    lease_s: float = Field(default=120.0, ge=1.0, le=3600.0)
    """Seconds before a silent worker's product, or a silent server's run, is taken over."""
    default_workers: int = Field(default=2, ge=1, le=256)
    """Worker processes of a run started, resumed or retried without ``workers``."""
    max_workers: int = Field(default=16, ge=1, le=256)
    """The most worker processes one request may ask for (each takes a core and ~400 MiB)."""

    @model_validator(mode="after")
    def _default_within_max(self) -> CatalogSettings:
        if self.default_workers > self.max_workers:
            raise ValueError("catalog.default_workers is above catalog.max_workers")
        return self


class Settings(BaseSettings):
    """Everything ``adcraft serve`` and ``adcraft worker`` need."""

    model_config = SettingsConfigDict(
        env_prefix="ADCRAFT_",
        env_nested_delimiter="__",
        extra="ignore",
        validate_default=True,
    )

    environment: Literal["development", "test", "production"] = "development"
    data_dir: Path = Path("adcraft-data")
    server: ServerSettings = ServerSettings()
    database: DatabaseSettings = DatabaseSettings()
    store: StoreSettings = StoreSettings()
    bank: BankServiceSettings = BankServiceSettings()
    tasks: TaskSettings = TaskSettings()
    limits: LimitSettings = LimitSettings()
    security: SecuritySettings = SecuritySettings()
    events: EventsSettings = EventsSettings()
    providers: ProviderSettings = ProviderSettings()
    gates: GateSettings = GateSettings()
    ctr: CtrSettings = CtrSettings()
    diffusion: DiffusionServiceSettings = DiffusionServiceSettings()
    catalog: CatalogSettings = CatalogSettings()

    @model_validator(mode="after")
    def _no_placeholder_secret(self) -> Settings:
        if (
            self.environment != "development"
            and self.security.secret_key.strip().lower() in PLACEHOLDER_SECRETS
        ):
            raise ValueError(
                f"security.secret_key is a placeholder in {self.environment}: set "
                "ADCRAFT_SECURITY__SECRET_KEY to a long random value "
                "(python -c 'import secrets; print(secrets.token_urlsafe(48))')"
            )
        if self.environment != "development" and len(self.security.secret_key) < 32:
            raise ValueError(
                "security.secret_key must be at least 32 characters outside development"
            )
        if "*" in self.server.cors_origins:
            raise ValueError("server.cors_origins must list origins, not '*'")
        return self

    @property
    def database_url(self) -> str:
        """The SQLAlchemy URL, defaulting to a SQLite file in the data folder."""
        return self.database.url or f"sqlite:///{(self.data_dir / 'adcraft.db').resolve()}"

    @property
    def store_url(self) -> str:
        """The asset store URL, defaulting to a folder in the data folder."""
        return self.store.url or (self.data_dir / "assets").resolve().as_uri()

    @property
    def uses_placeholder_secret(self) -> bool:
        """True when no real secret was configured (development only)."""
        return self.security.secret_key.strip().lower() in PLACEHOLDER_SECRETS

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        """Constructor, environment, then the TOML file named by ADCRAFT_CONFIG."""
        sources: list[PydanticBaseSettingsSource] = [init_settings, env_settings]
        toml = _CONFIG_FILE.get() or os.environ.get("ADCRAFT_CONFIG")
        if toml:
            sources.append(TomlConfigSettingsSource(settings_cls, toml_file=Path(toml)))
        return tuple(sources)


def load_settings(config_file: Path | None = None, **overrides: Any) -> Settings:
    """Read settings, turning validation errors into a ConfigError that names the field."""
    from pydantic import ValidationError

    if config_file is not None and not config_file.is_file():
        raise ConfigError(f"config file {config_file} does not exist")
    token = _CONFIG_FILE.set(config_file)
    try:
        return Settings(**overrides)
    except ValidationError as exc:
        lines = [f"{'.'.join(map(str, e['loc'])) or 'settings'}: {e['msg']}" for e in exc.errors()]
        raise ConfigError("invalid settings: " + "; ".join(lines)) from None
    finally:
        _CONFIG_FILE.reset(token)
