"""Pseudonyms instead of personal data: no raw IP or user id reaches the event store.

A viewer (IP + user agent) is hashed with a salt derived from the secret and the current
rotation period, so the same viewer gets a new hash every period and old hashes cannot be
linked to new ones without the secret. User ids (API callers) are hashed per tenant.
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import datetime


def _salt(secret: str, period: int) -> bytes:
    return hmac.new(secret.encode(), f"viewer-salt:{period}".encode(), hashlib.sha256).digest()


def rotation_period(at: datetime, rotation_days: int) -> int:
    """The index of the salt period ``at`` falls in."""
    return int(at.timestamp() // (rotation_days * 86400))


def viewer_hash(secret: str, ip: str, user_agent: str, at: datetime, rotation_days: int) -> str:
    """A 32-hex pseudonym of a viewer, stable within one salt period."""
    salt = _salt(secret, rotation_period(at, rotation_days))
    return hmac.new(salt, f"{ip}\n{user_agent}".encode(), hashlib.sha256).hexdigest()[:32]


def user_hash(secret: str, tenant_id: str, user_id: str) -> str:
    """A 32-hex pseudonym of a tenant's user (e.g. an API key id)."""
    message = f"user:{tenant_id}:{user_id}".encode()
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()[:32]


def is_bot(user_agent: str, patterns: list[str]) -> bool:
    """True for an empty user agent or one containing any of the (lower-case) patterns."""
    ua = user_agent.lower().strip()
    return not ua or any(p.lower() in ua for p in patterns)
