"""One place that turns every error into ``application/problem+json`` (RFC 9457).

No traceback or internal detail ever reaches a client; unexpected errors are logged with the
request id, which the problem carries so support can find the log line.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DBAPIError
from starlette.exceptions import HTTPException as StarletteHTTPException

from adcraft.db.engine import is_outage
from adcraft.errors import (
    AdcraftError,
    GenerationUnavailable,
    ImageInputError,
    ImageTooLarge,
    InputError,
    LayoutError,
    ProviderUnavailable,
    UnknownFormat,
    UnsafeURL,
)

log = logging.getLogger("adcraft.api")
PROBLEM = "application/problem+json"
_BASE = "https://adcraft.dev/problems/"

# Most specific first: the first matching class decides status and type.
_MAP: tuple[tuple[type[BaseException], int, str], ...] = (
    (ImageTooLarge, 413, "image-too-large"),
    (UnsafeURL, 422, "unsafe-url"),
    (ImageInputError, 422, "bad-image"),
    (UnknownFormat, 422, "unknown-format"),
    (GenerationUnavailable, 422, "generation-unavailable"),
    (InputError, 422, "invalid-input"),
    (LayoutError, 422, "layout"),
    (ProviderUnavailable, 503, "provider-unavailable"),
)
_TITLES = {
    400: "Bad request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not found",
    405: "Method not allowed",
    409: "Conflict",
    410: "Gone",
    413: "Payload too large",
    415: "Unsupported media type",
    422: "Unprocessable content",
    429: "Too many requests",
    500: "Internal server error",
    503: "Service unavailable",
}


def _slug(name: str) -> str:
    out = "".join(f"-{c.lower()}" if c.isupper() else c for c in name).lstrip("-")
    return out


def problem(
    request: Request,
    status: int,
    detail: str,
    *,
    slug: str | None = None,
    headers: dict[str, str] | None = None,
    **extra: Any,
) -> JSONResponse:
    """A problem+json response."""
    body: dict[str, Any] = {
        "type": _BASE + (slug or _slug(_TITLES.get(status, "error").replace(" ", ""))),
        "title": _TITLES.get(status, "Error"),
        "status": status,
        "detail": detail,
        "instance": request.url.path,
        "request_id": getattr(request.state, "request_id", None),
        **extra,
    }
    return JSONResponse(body, status_code=status, media_type=PROBLEM, headers=headers)


def _adcraft(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, AdcraftError)
    headers: dict[str, str] = {}
    status = getattr(exc, "http_status", None)
    slug = _slug(type(exc).__name__)
    if status is None:
        for cls, code, name in _MAP:
            if isinstance(exc, cls):
                status, slug = code, name
                break
        else:
            status = 500
    if status == 401:
        headers["WWW-Authenticate"] = 'Bearer realm="adcraft"'
    retry = getattr(exc, "retry_after", None)
    if retry is not None:
        headers["Retry-After"] = str(max(1, round(retry)))
    elif status == 503:
        headers["Retry-After"] = "5"
    if status >= 500:
        log.warning("%s %s -> %d: %s", request.method, request.url.path, status, exc)
    # An error may carry machine-readable members (e.g. the fallback a client should offer).
    extra: dict[str, Any] = dict(getattr(exc, "problem_fields", None) or {})
    if exc.code is not None:
        # The message's code and values: a client says it in its language (English: detail).
        extra["code"] = exc.code
        extra["params"] = dict(exc.params)
    return problem(request, status, str(exc), slug=slug, headers=headers, **extra)


def _validation(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = []
    malformed = False
    for e in exc.errors():
        if e.get("type") == "json_invalid":
            malformed = True
        loc = [str(p) for p in e.get("loc", ())]
        # The limits a message names (a maximum length, the allowed values), so a client can
        # say it in its language; only plain values, never the input itself.
        ctx = {
            k: v
            for k, v in (e.get("ctx") or {}).items()
            if isinstance(v, str | int | float) and not isinstance(v, bool)
        }
        errors.append({"loc": loc, "msg": str(e.get("msg", "")), "type": e.get("type"), "ctx": ctx})
    if malformed:
        return problem(
            request, 400, "the request body is not valid JSON", slug="malformed-json", errors=errors
        )
    summary = "; ".join(f"{'.'.join(e['loc'][1:]) or 'body'}: {e['msg']}" for e in errors[:5])
    return problem(request, 422, summary, slug="validation", errors=errors)


def _http(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    detail = exc.detail if isinstance(exc.detail, str) else _TITLES.get(exc.status_code, "error")
    if exc.status_code == 404 and detail == "Not Found":
        detail = f"no route {request.method} {request.url.path}: see /docs for the API"
    extra: dict[str, Any] = {}
    code = getattr(exc, "code", None)
    if isinstance(code, str):
        # A body refused while it is read (admission.CodedRefusal): said by its code.
        extra["code"] = code
        extra["params"] = dict(getattr(exc, "params", None) or {})
    return problem(request, exc.status_code, detail, headers=dict(exc.headers or {}), **extra)


def _database(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, DBAPIError)
    if is_outage(exc):
        return problem(
            request,
            503,
            "the metadata database is unreachable: retry in a few seconds",
            slug="database-unavailable",
            headers={"Retry-After": "5"},
        )
    return _unexpected(request, exc)


def _unexpected(request: Request, exc: Exception) -> JSONResponse:
    log.exception("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
    return problem(
        request,
        500,
        "an unexpected error happened; it was logged with this request id",
        slug="internal",
    )


def install(app: FastAPI) -> None:
    """Register every handler on the app."""
    app.add_exception_handler(AdcraftError, _adcraft)
    app.add_exception_handler(RequestValidationError, _validation)
    app.add_exception_handler(StarletteHTTPException, _http)
    app.add_exception_handler(DBAPIError, _database)
    app.add_exception_handler(Exception, _unexpected)
