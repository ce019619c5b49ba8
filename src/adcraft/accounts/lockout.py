"""Per-email lockout of password sign-in after too many wrong passwords in a row.

The counter lives in the database (``sign_in_throttle``), not in the Redis buckets of
api/limits.py, because:

* every API process already shares the database and reads it on every sign-in (the user row),
  while Redis is optional and its limiter falls back to per-process buckets when Redis is down:
  fine for a request rate, but a lockout that quietly became per-process would give an attacker
  one budget per process;
* a lock must outlive a restart or a deploy, and be visible to an operator (``user.lockout`` in
  the audit log, written in the same transaction).

Emails with and without an account are counted, locked and answered alike, and the row is keyed
by an HMAC of the email, so neither the answers nor the table reveal which emails exist. Times
come from the caller (the container's clock), so tests move time instead of sleeping.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import case, delete, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from adcraft.config import SecuritySettings
from adcraft.db.models import SignInThrottle, as_utc
from adcraft.db.tenants import digest
from adcraft.errors import SignInLocked
from adcraft.problem_codes import too_many


@dataclass(frozen=True)
class Policy:
    """How many wrong passwords within what window lock password sign-in, and for how long."""

    max_failures: int
    window: timedelta
    lockout: timedelta

    @classmethod
    def of(cls, security: SecuritySettings) -> Policy:
        return cls(
            security.signin_max_failures,
            timedelta(seconds=security.signin_failure_window_s),
            timedelta(seconds=security.signin_lockout_s),
        )


def throttle_key(pepper: str, email: str) -> str:
    """The row key of an email as typed (trimmed, lower case, like a stored email): an HMAC, so
    the table holds no addresses, and malformed ones are counted like any other."""
    return digest(pepper, f"signin:{email.strip().lower()}")


def check(session: Session, key: str, now: datetime) -> None:
    """Raise SignInLocked (with the seconds left) while the email's lock holds."""
    until = session.scalar(select(SignInThrottle.locked_until).where(SignInThrottle.key == key))
    if until is None or as_utc(until) <= now:
        return
    wait = max(1, math.ceil((as_utc(until) - now).total_seconds()))
    if wait < 60:
        raise too_many("sign_in_locked_seconds", retry_after=wait, kind=SignInLocked, seconds=wait)
    minutes = math.ceil(wait / 60)
    raise too_many("sign_in_locked_minutes", retry_after=wait, kind=SignInLocked, minutes=minutes)


def record_failure(session: Session, key: str, now: datetime, policy: Policy) -> bool:
    """Count one wrong password; True when it reached the limit and locked the email now."""
    row = SignInThrottle.__table__
    # One atomic statement, so failures sent at once to several processes all count: the first
    # failure of a window inserts, later ones add one, a window that ended starts over at one.
    insert: Any = (postgresql if session.get_bind().dialect.name == "postgresql" else sqlite).insert
    stmt = insert(row).values(key=key, failures=1, window_ends_at=now + policy.window)
    fresh = row.c.window_ends_at <= now
    session.execute(
        stmt.on_conflict_do_update(
            index_elements=[row.c.key],
            set_={
                "failures": case((fresh, 1), else_=row.c.failures + 1),
                "window_ends_at": case(
                    (fresh, stmt.excluded.window_ends_at), else_=row.c.window_ends_at
                ),
            },
        )
    )
    # Conditional, so of two failures racing past the limit only one locks (and is audited).
    # The count restarts: once the lock ends the person has the full number of tries again.
    locked = session.execute(
        update(SignInThrottle)
        .where(SignInThrottle.key == key, SignInThrottle.failures >= policy.max_failures)
        .values(failures=0, window_ends_at=now, locked_until=now + policy.lockout)
    )
    return bool(locked.rowcount == 1)  # type: ignore[attr-defined]


def record_success(session: Session, key: str, now: datetime) -> None:
    """Forget the email's failures; sweep rows whose window and lock have both ended."""
    session.execute(delete(SignInThrottle).where(SignInThrottle.key == key))
    session.execute(
        delete(SignInThrottle).where(
            SignInThrottle.window_ends_at < now,
            or_(SignInThrottle.locked_until.is_(None), SignInThrottle.locked_until < now),
        )
    )
