"""Request-size cap (streaming, 413) and per-key token-bucket rate limits (429)."""

from __future__ import annotations

import json
import threading
import time
import uuid
from collections import OrderedDict

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from adcraft.api.errors import PayloadTooLarge, RateLimited


class _TooLarge(Exception):
    pass


class BodyLimitMiddleware:
    """Refuse bodies above ``max_bytes``: by Content-Length up front, else while streaming.

    FastAPI has no global body cap; counting bytes as they arrive stops a chunked upload
    without buffering it.
    """

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        scope.setdefault("state", {})["request_id"] = _request_id(scope)
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None:
            try:
                too_big = int(declared) > self.max_bytes
            except ValueError:
                too_big = False
            if too_big:
                await self._refuse(scope, send)
                return
        seen = 0
        started = False

        async def counted() -> Message:
            nonlocal seen
            msg = await receive()
            if msg["type"] == "http.request":
                seen += len(msg.get("body", b""))
                if seen > self.max_bytes:
                    # An HTTPException survives FastAPI's body parsing (other errors become
                    # 400) and reaches the problem handler as a 413.
                    raise HTTPException(413, detail=self._detail())
            return msg

        async def tracked(msg: Message) -> None:
            nonlocal started
            if msg["type"] == "http.response.start":
                started = True
            await send(msg)

        try:
            await self.app(scope, counted, tracked)
        except _TooLarge:
            if not started:
                await self._refuse(scope, send)

    def _detail(self) -> str:
        return f"the request body is above the {self.max_bytes:,} byte limit: send a smaller file"

    async def _refuse(self, scope: Scope, send: Send) -> None:
        body = json.dumps(
            {
                "type": "https://adcraft.dev/problems/payload-too-large",
                "title": "Payload too large",
                "status": 413,
                "detail": self._detail(),
                "instance": scope.get("path", ""),
                "request_id": scope.get("state", {}).get("request_id"),
            }
        ).encode()
        await send(
            {
                "type": "http.response.start",
                "status": 413,
                "headers": [
                    (b"content-type", b"application/problem+json"),
                    (b"content-length", str(len(body)).encode()),
                    (b"connection", b"close"),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})


def _request_id(scope: Scope) -> str:
    raw: bytes = dict(scope.get("headers") or []).get(b"x-request-id", b"")
    given = raw.decode("latin-1")
    if given and len(given) <= 64 and given.replace("-", "").isalnum():
        return given
    return uuid.uuid4().hex


class RateLimiter:
    """Token buckets per key: ``per_minute`` sustained, bursts of a tenth of that (min 10)."""

    def __init__(self, per_minute: int, max_keys: int = 100_000) -> None:
        self.rate = per_minute / 60.0
        self.burst = float(max(10, per_minute // 10))
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()
        self._lock = threading.Lock()
        self._max_keys = max_keys

    def check(self, key: str) -> None:
        """Take one token or raise RateLimited with the wait until the next one."""
        now = time.monotonic()
        with self._lock:
            tokens, last = self._buckets.pop(key, (self.burst, now))
            tokens = min(self.burst, tokens + (now - last) * self.rate)
            if tokens < 1.0:
                self._buckets[key] = (tokens, now)
                wait = (1.0 - tokens) / self.rate
                raise RateLimited(
                    f"rate limit of {round(self.rate * 60)} requests per minute reached: "
                    f"retry in {wait:.1f} s",
                    retry_after=wait,
                )
            self._buckets[key] = (tokens - 1.0, now)
            while len(self._buckets) > self._max_keys:
                self._buckets.popitem(last=False)


def payload_too_large(limit: int, what: str) -> PayloadTooLarge:
    """The error for an upload above its cap."""
    return PayloadTooLarge(
        f"{what} is above the {limit / 2**20:.0f} MiB limit: send a smaller file"
    )
