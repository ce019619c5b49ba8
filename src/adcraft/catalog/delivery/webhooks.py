"""Webhooks: signed POSTs on run events, retried with exponential backoff, every attempt logged,
any delivery replayable.

Signature (the scheme Stripe and Slack use): header ``Adcraft-Signature: t=<unix seconds>,
v1=<hex HMAC-SHA256 of "<t>.<raw body>" keyed by the webhook's secret>``. The receiver
recomputes it and refuses a timestamp older than its tolerance, so a captured request cannot
be replayed later by someone else.

Every target URL passes the image fetcher's SSRF rules when registered and again before each
attempt (DNS may change): http(s) only, no credentials, public addresses only. Loopback is
reachable only with the explicit ADCRAFT_CATALOG_ALLOW_LOOPBACK=1 test/dev switch.
"""

from __future__ import annotations

import hashlib
import hmac
import http.client
import ipaddress
import json
import secrets
import sqlite3
import time
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from adcraft.catalog.settings import fetch_allow_addresses
from adcraft.errors import InputError, NotFound, UnsafeURL
from adcraft.imagery.fetch import _check, _PinnedHTTPS, display_url, system_resolver

SIGNATURE_HEADER = "Adcraft-Signature"
EVENTS = ("run.started", "run.paused", "run.cancelled", "run.completed", "product.failed")
SCHEMA = """
CREATE TABLE IF NOT EXISTS webhooks (
    id TEXT PRIMARY KEY,
    url TEXT NOT NULL,
    secret TEXT NOT NULL,
    events TEXT NOT NULL,
    created_at REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS deliveries (
    id TEXT PRIMARY KEY,
    webhook_id TEXT NOT NULL,
    event TEXT NOT NULL,
    body TEXT NOT NULL,
    status TEXT NOT NULL,          -- pending, delivered, failed
    attempts INTEGER NOT NULL DEFAULT 0,
    created_at REAL NOT NULL,
    delivered_at REAL
);
CREATE TABLE IF NOT EXISTS delivery_attempts (
    delivery_id TEXT NOT NULL,
    attempt INTEGER NOT NULL,
    at REAL NOT NULL,
    http_status INTEGER,
    error TEXT,
    PRIMARY KEY (delivery_id, attempt)
);
"""
Poster = Callable[[str, bytes, dict[str, str], float], int]
"""(url, body, headers, timeout) -> HTTP status; raises OSError on network failure."""


def sign(secret: str, timestamp: int, body: bytes) -> str:
    """The signature header value for ``body`` sent at ``timestamp``."""
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return f"t={timestamp},v1={mac.hexdigest()}"


def verify(
    secret: str, header: str, body: bytes, *, tolerance_s: int = 300, now: float | None = None
) -> bool:
    """True when ``header`` signs ``body`` with ``secret`` and is fresh (receivers use this)."""
    try:
        parts = dict(p.split("=", 1) for p in header.split(","))
        ts = int(parts["t"])
    except (KeyError, ValueError):
        return False
    if abs((now if now is not None else time.time()) - ts) > tolerance_s:
        return False
    expected = sign(secret, ts, body).split("v1=", 1)[1]
    return hmac.compare_digest(expected, parts.get("v1", ""))


def check_target(url: str) -> None:
    """Refuse a webhook URL the SSRF rules refuse (private, local, reserved, bad scheme)."""
    allow = {ipaddress.ip_address(a) for a in fetch_allow_addresses()}
    try:
        _check(url, system_resolver, allow)
    except UnsafeURL:
        raise
    except InputError as exc:  # cannot resolve: same answer, it cannot be a target
        raise UnsafeURL(f"webhook URL {display_url(url)}: {exc}") from None


def http_post(url: str, body: bytes, headers: dict[str, str], timeout: float) -> int:
    """POST to the checked address itself (no second DNS answer); redirects are not followed."""
    allow = {ipaddress.ip_address(a) for a in fetch_allow_addresses()}
    target = _check(url, system_resolver, allow)
    parts = urlsplit(url)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    conn: http.client.HTTPConnection
    if target.scheme == "https":
        conn = _PinnedHTTPS(target.ip, target.port, target.host, timeout)
    else:
        conn = http.client.HTTPConnection(target.ip, target.port, timeout=timeout)
    try:
        conn.putrequest("POST", path, skip_host=True, skip_accept_encoding=True)
        for key, value in {
            "Host": target.host_header,
            "Content-Type": "application/json",
            "Content-Length": str(len(body)),
            "User-Agent": "adcraft-webhooks/1",
            "Connection": "close",
            **headers,
        }.items():
            conn.putheader(key, value)
        conn.endheaders(body)
        resp = conn.getresponse()
        resp.read(65536)
        return resp.status
    except http.client.HTTPException as exc:
        raise OSError(f"bad HTTP answer: {exc}") from exc
    finally:
        conn.close()


@dataclass(frozen=True)
class Backoff:
    """Delays between attempts: ``base_s * 2**(attempt-1)``, capped; ``attempts`` in all."""

    attempts: int = 6
    base_s: float = 1.0
    cap_s: float = 300.0

    def delay(self, attempt: int) -> float:
        """Seconds to wait after failed attempt number ``attempt`` (1-based)."""
        return float(min(self.cap_s, self.base_s * 2 ** (attempt - 1)))


def _retryable(status: int) -> bool:
    """5xx, 408 and 429 are worth another try; other 4xx answers will not change."""
    return status >= 500 or status in (408, 429)


class Webhooks:
    """Registered webhooks and their delivery log, in a SQLite file."""

    def __init__(
        self,
        path: Path,
        *,
        backoff: Backoff | None = None,
        post: Poster = http_post,
        sleep: Callable[[float], None] = time.sleep,
        timeout_s: float = 10.0,
    ) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(path, timeout=60, isolation_level=None, check_same_thread=False)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.executescript(SCHEMA)
        self.backoff = backoff or Backoff()
        self._post = post
        self._sleep = sleep
        self._timeout = timeout_s

    def close(self) -> None:
        """Close the database."""
        self._db.close()

    def add(
        self, url: str, events: Iterable[str] = EVENTS, secret: str | None = None
    ) -> dict[str, Any]:
        """Register a webhook (URL checked now); the secret is returned once, here."""
        wanted = sorted(set(events))
        unknown = [e for e in wanted if e not in EVENTS]
        if unknown or not wanted:
            raise InputError(f"unknown webhook events {unknown}: choose from {', '.join(EVENTS)}")
        check_target(url)
        hook = {
            "id": uuid.uuid4().hex[:16],
            "url": url,
            "secret": secret or secrets.token_hex(32),
            "events": wanted,
        }
        self._db.execute(
            "INSERT INTO webhooks (id, url, secret, events, created_at) VALUES (?,?,?,?,?)",
            (hook["id"], url, hook["secret"], json.dumps(wanted), time.time()),
        )
        return hook

    def hooks(self) -> list[dict[str, Any]]:
        """Webhooks without their secrets."""
        rows = self._db.execute("SELECT id, url, events FROM webhooks ORDER BY created_at")
        return [{"id": r[0], "url": r[1], "events": json.loads(r[2])} for r in rows]

    def remove(self, hook_id: str) -> bool:
        """Delete a webhook; False when there was none."""
        return bool(self._db.execute("DELETE FROM webhooks WHERE id=?", (hook_id,)).rowcount)

    def emit(self, event: str, data: dict[str, Any]) -> list[str]:
        """Queue ``event`` for every webhook subscribed to it, deliver, return delivery ids."""
        ids = []
        for hook_id, events in self._db.execute("SELECT id, events FROM webhooks").fetchall():
            if event not in json.loads(events):
                continue
            did = uuid.uuid4().hex[:16]
            body = json.dumps(
                {"id": did, "event": event, "created": int(time.time()), "data": data},
                ensure_ascii=False,
                sort_keys=True,
            )
            self._db.execute(
                "INSERT INTO deliveries (id, webhook_id, event, body, status, created_at) "
                "VALUES (?,?,?,?,?,?)",
                (did, hook_id, event, body, "pending", time.time()),
            )
            ids.append(did)
        for did in ids:
            self.deliver(did)
        return ids

    def deliver(self, delivery_id: str) -> str:
        """Attempt a delivery until a 2xx, a final refusal, or the attempts run out."""
        row = self._db.execute(
            "SELECT d.body, d.attempts, w.url, w.secret FROM deliveries d "
            "JOIN webhooks w ON w.id = d.webhook_id WHERE d.id=?",
            (delivery_id,),
        ).fetchone()
        if row is None:
            raise NotFound(f"no webhook delivery {delivery_id!r}")
        body, done, url, secret = row[0].encode(), int(row[1]), row[2], row[3]
        for n in range(1, self.backoff.attempts + 1):
            attempt = done + n
            status: int | None = None
            error: str | None = None
            try:
                headers = {SIGNATURE_HEADER: sign(secret, int(time.time()), body)}
                status = self._post(url, body, headers, self._timeout)
            except UnsafeURL as exc:
                error = str(exc)
                self._log(delivery_id, attempt, None, error, "failed")
                return "failed"  # the target turned private: never retried
            except (OSError, InputError) as exc:
                error = f"{type(exc).__name__}: {exc}"
            if status is not None and 200 <= status < 300:
                self._log(delivery_id, attempt, status, None, "delivered")
                return "delivered"
            final = n == self.backoff.attempts or (status is not None and not _retryable(status))
            self._log(delivery_id, attempt, status, error, "failed" if final else "pending")
            if final:
                return "failed"
            self._sleep(self.backoff.delay(n))
        return "failed"

    def replay(self, delivery_id: str) -> str:
        """Send a delivery again (same event id and body, a fresh signature)."""
        self._db.execute("UPDATE deliveries SET status='pending' WHERE id=?", (delivery_id,))
        return self.deliver(delivery_id)

    def deliveries(self, hook_id: str | None = None) -> list[dict[str, Any]]:
        """The delivery log, newest first, each with its attempts."""
        sql = (
            "SELECT id, webhook_id, event, status, attempts, created_at, delivered_at "
            "FROM deliveries"
        )
        args: tuple[Any, ...] = ()
        if hook_id:
            sql += " WHERE webhook_id=?"
            args = (hook_id,)
        keys = ("id", "webhook_id", "event", "status", "attempts", "created_at", "delivered_at")
        out = [
            dict(zip(keys, r, strict=True))
            for r in self._db.execute(sql + " ORDER BY created_at DESC", args)
        ]
        for d in out:
            d["log"] = [
                {"attempt": a, "at": at, "http_status": st, "error": err}
                for a, at, st, err in self._db.execute(
                    "SELECT attempt, at, http_status, error FROM delivery_attempts "
                    "WHERE delivery_id=? ORDER BY attempt",
                    (d["id"],),
                )
            ]
        return out

    def _log(
        self, delivery_id: str, attempt: int, status: int | None, error: str | None, state: str
    ) -> None:
        now = time.time()
        self._db.execute("BEGIN IMMEDIATE")
        self._db.execute(
            "INSERT OR REPLACE INTO delivery_attempts (delivery_id, attempt, at, http_status, "
            "error) VALUES (?,?,?,?,?)",
            (delivery_id, attempt, now, status, error),
        )
        self._db.execute(
            "UPDATE deliveries SET status=?, attempts=?, delivered_at=? WHERE id=?",
            (state, attempt, now if state == "delivered" else None, delivery_id),
        )
        self._db.execute("COMMIT")
