"""Dependencies as ``Annotated`` aliases: the container, a session and the caller (an API key's
tenant or a signed-in person, whose role must grant the route's permission)."""

from __future__ import annotations

import hmac
import threading
from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.orm import Session

from adcraft.accounts.roles import WHAT, Permission, allows, required
from adcraft.accounts.service import authenticate_session, csrf_token
from adcraft.api.admission import PRINCIPAL
from adcraft.api.cookies import CSRF_HEADER, session_token_from_headers
from adcraft.api.limits import RateLimiter
from adcraft.api.metrics import Metrics
from adcraft.config import Settings
from adcraft.container import Container, build_banks
from adcraft.db.tenants import Principal, authenticate
from adcraft.errors import CsrfRejected, PermissionDenied, Unauthorized
from adcraft.imagery.bank.tenants import TenantBanks

_bearer = HTTPBearer(auto_error=False, description="API key as a bearer token")
_header = APIKeyHeader(name="X-API-Key", auto_error=False, description="API key")


def get_container(request: Request) -> Container:
    """The process's wired services."""
    container: Container = request.app.state.container
    return container


ContainerDep = Annotated[Container, Depends(get_container)]


def get_settings(container: ContainerDep) -> Settings:
    """The settings the app was built with."""
    return container.settings


SettingsDep = Annotated[Settings, Depends(get_settings)]


def get_session(container: ContainerDep) -> Iterator[Session]:
    """One session per request; routes commit what they change."""
    session = container.sessions()
    try:
        yield session
    finally:
        session.close()


SessionDep = Annotated[Session, Depends(get_session)]


def get_principal(
    request: Request,
    session: SessionDep,
    container: ContainerDep,
    bearer: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
    header_key: Annotated[str | None, Depends(_header)],
) -> Principal:
    """The caller: an API key's tenant, or a signed-in person (session cookie, CSRF token on
    unsafe methods); then the role's permission for this route and the rate limit."""
    key = bearer.credentials if bearer is not None else header_key
    # The admission middleware authenticated the caller before the body was read; only when it
    # could not (database down) is the key checked again here, which then answers 503.
    principal: Principal | None = request.scope.get("state", {}).get(PRINCIPAL)
    if key:
        if principal is None or principal.session:
            principal = authenticate(session, key.strip(), container.secret)
            session.rollback()  # end the auth read so the route starts a fresh transaction
        if principal is None:
            raise Unauthorized("unknown or revoked API key: check the key or ask for a new one")
    else:
        token = session_token_from_headers(dict(request.scope.get("headers") or []))
        if not token:
            raise Unauthorized(
                "missing API key: send 'Authorization: Bearer <key>', or sign in to the web app"
            )
        if principal is None or not principal.session:
            principal = authenticate_session(session, token, container.secret)
            session.rollback()
        if principal is None:
            raise Unauthorized("your session has ended (signed out, expired or removed): sign in")
        if request.method not in _SAFE_METHODS:
            check_csrf(request, token, container.secret)
    _check_permission(request, principal)
    limiter: RateLimiter = request.app.state.rate_limiter
    limiter.check(principal.key_id)
    request.state.tenant_id = principal.tenant_id
    return principal


_SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def check_csrf(request: Request, token: str, pepper: str) -> None:
    """403 unless the request echoes the session's CSRF token in ``X-CSRF-Token``."""
    sent = request.headers.get(CSRF_HEADER, "")
    if not hmac.compare_digest(sent.encode(), csrf_token(pepper, token).encode()):
        raise CsrfRejected(
            "missing or wrong CSRF token: send the adcraft_csrf cookie's value in "
            "X-CSRF-Token with every change made with the session cookie"
        )


def _check_permission(request: Request, principal: Principal) -> None:
    route = request.scope.get("route")
    path: str = getattr(route, "path", request.url.path)
    path = path.removeprefix("/api/v1")
    need = required(request.method, path)
    if not allows(principal.role, need):
        raise PermissionDenied(need, principal.role, WHAT[need])


def require(principal: Principal, permission: Permission) -> None:
    """Refuse with 403 naming ``permission`` unless the caller's role grants it."""
    if not allows(principal.role, permission):
        raise PermissionDenied(permission, principal.role, WHAT[permission])


PrincipalDep = Annotated[Principal, Depends(get_principal)]


def get_metrics(request: Request) -> Metrics:
    """The app's Prometheus metrics."""
    metrics: Metrics = request.app.state.metrics
    return metrics


MetricsDep = Annotated[Metrics, Depends(get_metrics)]


_banks_guard = threading.Lock()


def get_banks(container: ContainerDep) -> TenantBanks:
    """The tenants' image banks, built on first use (the encoder loads on the first search)."""
    with _banks_guard:
        banks = container.extras.get("banks")
        if banks is None:
            banks = container.extras["banks"] = build_banks(container.settings, container.store)
    assert isinstance(banks, TenantBanks)
    return banks


BanksDep = Annotated[TenantBanks, Depends(get_banks)]
