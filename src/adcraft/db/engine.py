"""Engine, sessions and migrations. SQLite gets WAL and a busy timeout so workers can share it."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from adcraft.errors import DatabaseUnavailable, SchemaMissing

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def make_engine(url: str, *, pool_size: int = 5, connect_timeout_s: float = 5.0) -> Engine:
    """An engine for SQLite (file) or PostgreSQL, with liveness checks on checkout."""
    kwargs: dict[str, Any] = {"pool_pre_ping": True, "future": True}
    if url.startswith("sqlite"):
        if ":memory:" not in url and url.startswith("sqlite:///"):
            db_file = Path(url.removeprefix("sqlite:///"))
            db_file.parent.mkdir(parents=True, exist_ok=True)
            # Owner-only from the first byte: the file holds key digests and every tenant's data
            # (SQLite gives its -wal and -shm files the database file's mode).
            os.close(os.open(db_file, os.O_CREAT | os.O_RDWR, 0o600))
            db_file.chmod(0o600)
        kwargs["connect_args"] = {"timeout": 30, "check_same_thread": False}
    else:
        kwargs["pool_size"] = pool_size
        kwargs["max_overflow"] = pool_size
        kwargs["pool_timeout"] = connect_timeout_s
        if url.startswith("postgresql"):
            kwargs["connect_args"] = {"connect_timeout": max(1, round(connect_timeout_s))}
            url = url.replace("postgresql://", "postgresql+psycopg://", 1)
    engine = create_engine(url, **kwargs)
    if url.startswith("sqlite"):
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA busy_timeout=30000")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.close()


def session_factory(engine: Engine) -> sessionmaker[Session]:
    """Sessions that keep loaded values after commit (responses are built after commit)."""
    return sessionmaker(engine, expire_on_commit=False)


@contextmanager
def unit_of_work(factory: sessionmaker[Session]) -> Iterator[Session]:
    """A session that commits on success, rolls back on error and maps outages to 503."""
    session = factory()
    try:
        yield session
        session.commit()
    except (OperationalError, DBAPIError) as exc:
        session.rollback()
        if is_outage(exc):
            raise DatabaseUnavailable(
                "the metadata database is unreachable: retry in a few seconds"
            ) from exc
        raise
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


def is_outage(exc: BaseException) -> bool:
    """Whether a database error means 'cannot reach the server' rather than a bad query."""
    if isinstance(exc, DBAPIError) and exc.connection_invalidated:
        return True
    if isinstance(exc, OperationalError):
        msg = str(exc.orig).lower()
        return not any(w in msg for w in ("syntax", "no such table", "no such column"))
    return False


def ping(engine: Engine) -> bool:
    """True when a trivial query succeeds."""
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        return True
    except Exception:
        return False


def migrate(engine: Engine) -> None:
    """Bring the schema to the latest Alembic revision (run at startup)."""
    from alembic import command
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    try:
        with engine.begin() as conn:
            if conn.dialect.name == "postgresql":
                # Several API replicas may start together: one migrates, the others wait.
                conn.execute(text("SELECT pg_advisory_xact_lock(72010417)"))
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "head")
    except OperationalError as exc:
        raise DatabaseUnavailable(
            f"cannot migrate the database at {engine.url.render_as_string(hide_password=True)}: "
            f"{exc.orig}"
        ) from exc


def schema_revision(engine: Engine) -> tuple[str | None, str]:
    """(the database's Alembic revision or None, the latest revision this adcraft knows)."""
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

    head = ScriptDirectory(str(MIGRATIONS)).get_current_head() or ""
    try:
        with engine.connect() as conn:
            current = MigrationContext.configure(conn).get_current_revision()
    except OperationalError as exc:
        raise DatabaseUnavailable(
            f"cannot reach the database at {engine.url.render_as_string(hide_password=True)}: "
            f"{exc.orig}"
        ) from exc
    return current, head


def check_schema(engine: Engine) -> None:
    """Raise SchemaMissing unless the database is at the latest revision."""
    current, head = schema_revision(engine)
    if current != head:
        where = engine.url.render_as_string(hide_password=True)
        state = "has no adcraft schema" if current is None else f"is at revision {current}"
        raise SchemaMissing(
            f"the database at {where} {state} (this adcraft needs {head}): run `adcraft migrate`"
        )
