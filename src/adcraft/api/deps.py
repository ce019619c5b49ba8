"""Dependencies as ``Annotated`` aliases: the container, a session and the calling tenant."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.orm import Session

from adcraft.api.admission import PRINCIPAL
from adcraft.api.limits import RateLimiter
from adcraft.api.metrics import Metrics
from adcraft.config import Settings
from adcraft.container import Container, build_banks
from adcraft.db.tenants import Principal, authenticate
from adcraft.errors import Unauthorized
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
    """The tenant of the API key, after the key's rate limit."""
    key = bearer.credentials if bearer is not None else header_key
    if not key:
        raise Unauthorized("missing API key: send 'Authorization: Bearer <key>'")
    # The admission middleware authenticated the key before the body was read; only when it
    # could not (database down) is the key checked again here, which then answers 503.
    principal: Principal | None = request.scope.get("state", {}).get(PRINCIPAL)
    if principal is None:
        principal = authenticate(session, key.strip(), container.secret)
        session.rollback()  # end the auth read so the route starts a fresh transaction
    if principal is None:
        raise Unauthorized("unknown or revoked API key: check the key or ask for a new one")
    limiter: RateLimiter = request.app.state.rate_limiter
    limiter.check(principal.key_id)
    request.state.tenant_id = principal.tenant_id
    return principal


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
