"""Request admission: who is calling is decided from the headers before any body is read.

The outermost middleware. For each HTTP request it

1. authenticates the API key from ``Authorization``/``X-API-Key``, or else the browser session
   cookie (in a worker thread: it is a database read) and leaves the principal in the request
   state for the routes (deps.get_principal checks the CSRF token and the role's permission);
2. rate-limits, per client address, requests that fail authentication or carry a body without a
   key (the address is the TCP peer, or ``X-Forwarded-For`` only behind a trusted proxy);
3. caps the body by who is calling and what it is: a tiny cap without a valid key, 1 MiB for JSON
   and other non-upload bodies, the upload cap for multipart forms — by ``Content-Length`` before
   reading a byte, else while counting the chunks as they arrive;
4. ends bodies that arrive too slowly (408) — an idle gap between chunks or the whole body;
5. parses JSON bodies in a worker thread within key and depth limits (see jsonbody.py);
6. stamps every response with the request id and the security headers (``nosniff``, a CSP,
   ``Cache-Control``) unless the route set its own.
"""

from __future__ import annotations

import hmac
import json
import math
import time
import uuid
from collections.abc import Callable
from typing import Any

import anyio
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from adcraft.api.clientaddr import client_address
from adcraft.api.cookies import session_token_from_headers
from adcraft.api.jsonbody import PARSED_JSON, JSONLimitExceeded, parse_json
from adcraft.api.limits import make_limiter
from adcraft.api.textcheck import ControlCharacter, check_url
from adcraft.config import LimitSettings
from adcraft.db.tenants import Principal
from adcraft.errors import InputError, TooManyRequests
from adcraft.logs import REQUEST_ID
from adcraft.problem_codes import refuse

PRINCIPAL = "adcraft.principal"
"""Key in ``scope['state']`` for the authenticated caller (absent: no valid key)."""

_BODY_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
_ANONYMOUS = "a request without a valid API key"
_API_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; sandbox"
_DOCS_CSP = (
    "default-src 'self'; script-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net; "
    "style-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net; img-src 'self' data: "
    "https://fastapi.tiangolo.com; frame-ancestors 'none'"
)

Authenticator = Callable[[str], Principal | None]


class _SlowBody(Exception):
    pass


def api_key_from_headers(headers: dict[bytes, bytes]) -> str:
    """The key from ``Authorization: Bearer`` or ``X-API-Key``; empty when neither is sent."""
    auth = headers.get(b"authorization", b"").decode("latin-1").strip()
    if auth[:7].lower() == "bearer ":
        return auth[7:].strip()
    return headers.get(b"x-api-key", b"").decode("latin-1").strip()


def _same(given: str, token: bytes) -> bool:
    return bool(token) and hmac.compare_digest(given.encode(), token)


def request_id(headers: dict[bytes, bytes]) -> str:
    """The caller's X-Request-ID when it is short and plain, else a fresh one."""
    given = headers.get(b"x-request-id", b"").decode("latin-1")
    if given and len(given) <= 64 and given.replace("-", "").isalnum():
        return given
    return uuid.uuid4().hex


class AdmissionMiddleware:
    """See the module docstring; ``authenticate`` maps a key to its principal (or None)."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        limits: LimitSettings,
        authenticate: Authenticator,
        trusted_proxies: tuple[str, ...] = (),
        docs_paths: tuple[str, ...] = ("/docs", "/redoc"),
        raw_body_routes: dict[str, int] | None = None,
        admin_token: str = "",
        metrics_token: str = "",
        authenticate_session: Authenticator | None = None,
    ) -> None:
        self.app = app
        self.authenticate_session = authenticate_session
        """Maps a browser session token (the cookie) to its principal, when no key is sent."""
        self.admin_token = admin_token.encode()
        self.metrics_token = metrics_token.encode()
        self.limits = limits
        self.authenticate = authenticate
        self.trusted_proxies = trusted_proxies
        self.docs_paths = docs_paths
        self.raw_body_routes = raw_body_routes or {}
        """Paths that read and parse their own (bigger) bodies, with the cap for each."""
        self.client_limiter = make_limiter(
            limits.anonymous_rate_limit_per_minute, limits.redis_url, "client"
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        state = scope.setdefault("state", {})
        rid = request_id(headers)
        state["request_id"] = rid
        send = self._stamped(scope, send, rid)
        token = REQUEST_ID.set(rid)  # every log line of this request carries it
        try:
            await self._admit(scope, receive, send, headers, state)
        finally:
            REQUEST_ID.reset(token)

    async def _admit(
        self,
        scope: Scope,
        receive: Receive,
        send: Send,
        headers: dict[bytes, bytes],
        state: dict[str, Any],
    ) -> None:

        try:
            check_url(scope.get("path", ""), scope.get("query_string", b""))
        except ControlCharacter as exc:
            await _problem(scope, send, 422, str(exc), {})
            return
        key = api_key_from_headers(headers)
        principal = await self._principal(key) if key else None
        if not key and self.authenticate_session is not None:
            token = session_token_from_headers(headers)
            principal = await self._principal(token, self.authenticate_session) if token else None
        if principal is not None:
            state[PRINCIPAL] = principal
        # The admin token is admitted like a key (the admin routes check it again); a wrong
        # guess at it is throttled like any failed authentication.
        admin = bool(key) and (
            _same(key, self.admin_token)
            # A scraper's token is no API key: never throttle it as a failed authentication.
            or (scope.get("path") == "/metrics" and _same(key, self.metrics_token))
        )
        has_body = scope["method"] in _BODY_METHODS or _declared(headers) not in (None, 0)
        if principal is None and not admin and (key or has_body):
            try:
                self.client_limiter.check(client_address(scope, self.trusted_proxies))
            except TooManyRequests as exc:
                await _problem(
                    scope,
                    send,
                    429,
                    str(exc),
                    {"retry-after": str(max(1, math.ceil(exc.retry_after)))},
                    code=exc.code,
                    params=exc.params,
                )
                return

        cap, what = self._cap(scope.get("path", ""), headers, principal, admin)
        declared = _declared(headers)
        if declared is not None and declared > cap:
            # Refused from the headers: not one byte of the body is read.
            too_large = _too_large(cap, what)
            await _problem(
                scope,
                send,
                413,
                too_large.detail,
                {"connection": "close"},
                code=too_large.code,
                params=too_large.params,
            )
            return
        receive = self._guarded(receive, cap, what)
        raw_route = scope.get("path", "") in self.raw_body_routes
        if principal is not None and has_body and _is_json(headers) and not raw_route:
            try:
                body = await _read_all(receive)
            except HTTPException as exc:
                await _problem(
                    scope,
                    send,
                    exc.status_code,
                    str(exc.detail),
                    {"connection": "close"},
                    code=getattr(exc, "code", None),
                    params=getattr(exc, "params", None),
                )
                return
            if body:
                try:
                    state[PARSED_JSON] = await anyio.to_thread.run_sync(self._parse, body)
                except (JSONLimitExceeded, ControlCharacter) as exc:
                    await _problem(scope, send, 422, str(exc), {})
                    return
                except ValueError:
                    pass  # malformed: FastAPI reports it as 400 with the position
            receive = _replay(body)
        await self.app(scope, receive, send)

    async def _principal(
        self, key: str, authenticate: Authenticator | None = None
    ) -> Principal | None:
        if len(key) > 200:
            return None
        try:
            return await anyio.to_thread.run_sync(authenticate or self.authenticate, key)
        except Exception:
            # The database is down: the route's own authentication answers 503 for it.
            return None

    def _cap(
        self, path: str, headers: dict[bytes, bytes], principal: Principal | None, admin: bool
    ) -> tuple[int, str]:
        lim = self.limits
        if principal is None and not admin:
            return lim.max_anonymous_body_bytes, _ANONYMOUS
        ctype = headers.get(b"content-type", b"").decode("latin-1").lower()
        if path in self.raw_body_routes:
            return self.raw_body_routes[path], "the request body"
        if ctype.startswith("multipart/form-data"):
            return lim.max_request_bytes, "the upload"
        return min(lim.max_json_bytes, lim.max_request_bytes), "the request body"

    def _parse(self, body: bytes) -> Any:
        return parse_json(
            body, max_keys=self.limits.max_json_keys, max_depth=self.limits.max_json_depth
        )

    def _guarded(self, receive: Receive, cap: int, what: str) -> Receive:
        """``receive`` that counts body bytes against ``cap`` and times out slow bodies."""
        lim = self.limits
        seen = 0
        deadline = time.monotonic() + lim.body_total_timeout_s

        complete = False

        async def guarded() -> Message:
            nonlocal seen, complete
            if complete:
                # After the body, responses (files, event streams) wait here for the client to
                # go away: no timeout applies to that.
                return await receive()
            wait = min(lim.body_idle_timeout_s, deadline - time.monotonic())
            with anyio.move_on_after(max(0.0, wait)) as scope:
                msg = await receive()
            if scope.cancelled_caught:
                # An HTTPException survives FastAPI's body parsing and reaches the problem
                # handler with its status; other errors would become a generic 400.
                raise _coded(408, refuse("body_too_slow"))
            if msg["type"] == "http.request":
                seen += len(msg.get("body", b""))
                if seen > cap:
                    raise _too_large(cap, what)
                complete = not msg.get("more_body", False)
            else:
                complete = True
            return msg

        return guarded

    def _stamped(self, scope: Scope, send: Send, rid: str) -> Send:
        path: str = scope.get("path", "")
        is_docs = path.startswith(self.docs_paths)

        async def stamped(msg: Message) -> None:
            if msg["type"] == "http.response.start":
                headers = list(msg.get("headers") or [])
                names = {k.lower() for k, _ in headers}
                extra = [(b"x-request-id", rid.encode())]
                if b"x-content-type-options" not in names:
                    extra.append((b"x-content-type-options", b"nosniff"))
                if b"content-security-policy" not in names:
                    extra.append(
                        (b"content-security-policy", (_DOCS_CSP if is_docs else _API_CSP).encode())
                    )
                if b"cache-control" not in names:
                    extra.append((b"cache-control", b"no-store"))
                msg = {**msg, "headers": headers + extra}
            await send(msg)

        return stamped


def _declared(headers: dict[bytes, bytes]) -> int | None:
    raw = headers.get(b"content-length")
    if raw is None:
        return None
    try:
        return int(raw)
    except ValueError:
        return None


def _is_json(headers: dict[bytes, bytes]) -> bool:
    ctype = headers.get(b"content-type", b"").decode("latin-1").split(";")[0].strip().lower()
    return ctype == "application/json" or ctype.endswith("+json")


class CodedRefusal(HTTPException):
    """A refusal of the body (413 above its cap, 408 too slow) with its code and values (an
    HTTPException, so it survives FastAPI's body parsing: see ``_guarded``)."""

    def __init__(self, status: int, detail: str, code: str, params: dict[str, str | int | float]):
        super().__init__(status, detail=detail)
        self.code = code
        self.params = params


def _coded(status: int, err: InputError) -> CodedRefusal:
    assert err.code is not None
    return CodedRefusal(status, str(err), err.code, dict(err.params))


# A body above its cap, by what it is: a signed-in marketer's upload or JSON (a cap in MiB),
# a request without a valid key (a cap under 1 MiB, said in bytes).
_TOO_LARGE_CODES = {"the upload": "upload_too_big", "the request body": "request_too_big"}


def _too_large(cap: int, what: str) -> CodedRefusal:
    if what == _ANONYMOUS:
        return _coded(413, refuse("anonymous_request_too_big", max_bytes=cap))
    return _coded(413, refuse(_TOO_LARGE_CODES[what], max_mib=f"{cap / 2**20:g}"))


async def _read_all(receive: Receive) -> bytes:
    chunks: list[bytes] = []
    while True:
        msg = await receive()
        if msg["type"] == "http.disconnect":
            break
        chunks.append(msg.get("body", b""))
        if not msg.get("more_body", False):
            break
    return b"".join(chunks)


def _replay(body: bytes) -> Receive:
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        # After the body, wait like a real connection would (until the client goes away).
        await anyio.sleep_forever()
        return {"type": "http.disconnect"}  # pragma: no cover

    return replay


_TITLES = {408: "Request timeout", 413: "Payload too large", 422: "Unprocessable content"}
_TITLES[429] = "Too many requests"


async def _problem(
    scope: Scope,
    send: Send,
    status: int,
    detail: str,
    headers: dict[str, str],
    *,
    code: str | None = None,
    params: dict[str, str | int | float] | None = None,
) -> None:
    """A problem+json answer sent by the middleware itself (the app never sees the request);
    ``code`` and ``params`` as ``adcraft.problem_codes`` gives them, for the web app to say."""
    slug = {
        408: "request-timeout",
        413: "payload-too-large",
        422: "invalid-input",
        429: "too-many-requests",
    }
    body = json.dumps(
        {
            "type": f"https://adcraft.dev/problems/{slug.get(status, 'error')}",
            "title": _TITLES.get(status, "Error"),
            "status": status,
            "detail": detail,
            "instance": scope.get("path", ""),
            "request_id": scope.get("state", {}).get("request_id"),
            **({"code": code, "params": params or {}} if code is not None else {}),
        }
    ).encode()
    raw = [
        (b"content-type", b"application/problem+json"),
        (b"content-length", str(len(body)).encode()),
        *((k.encode(), v.encode()) for k, v in headers.items()),
    ]
    await send({"type": "http.response.start", "status": status, "headers": raw})
    await send({"type": "http.response.body", "body": body})
