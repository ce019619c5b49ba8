"""Composition root: settings in, wired services out. The only place that picks providers."""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from adcraft.config import Settings
from adcraft.db.engine import check_schema, make_engine, migrate, session_factory
from adcraft.db.models import utcnow
from adcraft.store.base import AssetStore, open_store
from adcraft.tasks.base import TaskRunner

if TYPE_CHECKING:
    from adcraft.imagery.bank.ports import VectorIndex
    from adcraft.imagery.bank.tenants import TenantBanks


@dataclass
class Container:
    """The services one process uses; built once per process by ``build``."""

    settings: Settings
    engine: Engine
    sessions: sessionmaker[Session]
    store: AssetStore
    secret: str
    runner: TaskRunner | None = None
    extras: dict[str, object] = field(default_factory=dict)
    clock: Callable[[], datetime] = field(default=utcnow)
    """Now, for rules that count time (the sign-in lockout): tests set a clock they move."""

    def close(self) -> None:
        """Stop the runner, close open image banks and database connections."""
        if self.runner is not None:
            self.runner.stop()
        banks = self.extras.pop("banks", None)
        if banks is not None:
            banks.close()  # type: ignore[attr-defined]
        self.engine.dispose()


def resolve_secret(settings: Settings) -> str:
    """The configured secret, or in development a random one kept in the data folder."""
    if not settings.uses_placeholder_secret:
        return settings.security.secret_key
    path = settings.data_dir / "secret.key"
    if path.exists():
        return path.read_text("utf-8").strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    value = secrets.token_urlsafe(48)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another process of this install wrote it first
        return path.read_text("utf-8").strip()
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(value)
    return value


def build_store(settings: Settings) -> AssetStore:
    """The asset store named by the settings."""
    s = settings.store
    options: dict[str, str] = {}
    if settings.store_url.startswith("s3://"):
        options = {
            "endpoint_url": s.s3_endpoint_url,
            "region": s.s3_region,
            "access_key_id": s.s3_access_key_id,
            "secret_access_key": s.s3_secret_access_key,
        }
    return open_store(settings.store_url, **options)


def build_runner(settings: Settings) -> TaskRunner:
    """The task runner named by the settings."""
    if settings.tasks.runner == "celery":
        from adcraft.tasks.celery_runner import CeleryRunner

        return CeleryRunner(settings)
    from adcraft.tasks.local import LocalRunner

    return LocalRunner(settings)


def build_banks(settings: Settings, store: AssetStore) -> TenantBanks:
    """The tenants' image banks with the configured encoder, index and captioner."""
    from adcraft.imagery.bank.config import shared_encoder
    from adcraft.imagery.bank.quality import QualityLimits
    from adcraft.imagery.bank.tenants import TenantBanks

    b = settings.bank

    def index(prefix: str, folder: Path) -> VectorIndex:
        from adcraft.providers.index_qdrant import QdrantIndex

        if b.qdrant_url:
            return QdrantIndex(url=b.qdrant_url, api_key=b.qdrant_api_key, prefix=prefix)
        return QdrantIndex(path=folder, prefix=b.collection_prefix)

    captioner = None
    if b.caption_url:
        from adcraft.providers.caption_openai import OpenAICaptioner

        captioner = OpenAICaptioner(b.caption_url, model=b.caption_model, api_key=b.caption_api_key)
    return TenantBanks(
        b.path or settings.data_dir / "banks",
        store=store,
        encoder=lambda: shared_encoder(b.encoder),
        index=index,
        demo_path=b.demo_path,
        # A demo bank built by `adcraft bank build --demo` against a server uses the plain
        # prefix; tenant banks get their own collections beside it.
        demo_prefix=b.collection_prefix,
        tenant_prefix=b.collection_prefix,
        min_score=b.min_score,
        captioner=captioner,
        limits=QualityLimits(min_side=b.min_side),
    )


def build(settings: Settings, *, with_runner: bool = True, migrate_db: bool = True) -> Container:
    """Wire database, store and (for the API process) the task runner."""
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    engine = make_engine(
        settings.database_url,
        pool_size=settings.database.pool_size,
        connect_timeout_s=settings.database.connect_timeout_s,
    )
    if migrate_db and settings.database.migrate_on_start:
        migrate(engine)
    elif migrate_db:
        check_schema(engine)  # a clear `adcraft migrate` error instead of a failing query later
    return Container(
        settings=settings,
        engine=engine,
        sessions=session_factory(engine),
        store=build_store(settings),
        secret=resolve_secret(settings),
        runner=build_runner(settings) if with_runner else None,
    )


def data_path(settings: Settings, *parts: str) -> Path:
    """A path inside the data folder."""
    return settings.data_dir.joinpath(*parts)
