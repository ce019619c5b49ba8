"""Sign-in for people: password, invitation, API key exchanged for a cookie; sign-out.

These routes set and clear the session cookie (api/cookies.py). A wrong password and an unknown
email get the same answer in the same time; failed attempts count against the client address's
rate limit like any request without a valid key, and against the email's lockout
(accounts/lockout.py), which treats emails with and without an account alike.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Request, Response
from pydantic import Field

from adcraft.accounts import lockout, service
from adcraft.admin import audit
from adcraft.api.clientaddr import client_address
from adcraft.api.cookies import clear_session, session_token_from_headers, set_session
from adcraft.api.deps import ContainerDep, PrincipalDep, SessionDep, check_csrf
from adcraft.api.routes.meta import me_of
from adcraft.api.schemas import Me, _In
from adcraft.db.models import Tenant
from adcraft.errors import Conflict, Unauthorized
from adcraft.problem_codes import refuse

router = APIRouter(prefix="/auth", tags=["sign-in"])


class SignInIn(_In):
    email: Annotated[str, Field(min_length=1, max_length=254)]
    password: Annotated[str, Field(min_length=1, max_length=1000)]


class InvitationLookupIn(_In):
    token: Annotated[str, Field(min_length=1, max_length=100)]


class InvitationInfo(_In):
    email: str
    role: str
    tenant_name: str


class AcceptIn(_In):
    token: Annotated[str, Field(min_length=1, max_length=100)]
    name: Annotated[str, Field(max_length=100)] = ""
    password: Annotated[str, Field(min_length=1, max_length=1000)]


def _start(
    request: Request,
    response: Response,
    s: SessionDep,
    c: ContainerDep,
    tenant_id: str,
    *,
    user_id: str | None = None,
    api_key_id: str | None = None,
) -> None:
    security = c.settings.security
    token = service.open_session(
        s,
        c.secret,
        security.session_ttl_s,
        tenant_id=tenant_id,
        user_id=user_id,
        api_key_id=api_key_id,
    )
    s.commit()
    set_session(response, request, token, c.secret, security.session_ttl_s)


@router.post("/signin")
def sign_in(
    body: SignInIn, request: Request, response: Response, s: SessionDep, c: ContainerDep
) -> Me:
    """Sign in with email and password; sets the session cookie and the CSRF cookie.

    429 ``sign-in-locked`` with Retry-After once the email had too many wrong passwords in a row
    (``SECURITY__SIGNIN_*``), whether or not it has an account."""
    now = c.clock()
    key = lockout.throttle_key(c.secret, body.email)
    # Checked before the password: while locked, even the right one is refused.
    lockout.check(s, key, now)
    user = service.sign_in(s, body.email, body.password)
    if user is None:
        policy = lockout.Policy.of(c.settings.security)
        if lockout.record_failure(s, key, now, policy):
            where = client_address(request.scope, tuple(c.settings.server.trusted_proxies))
            audit(
                s,
                f"client:{where}",
                "user.lockout",
                body.email.strip().lower(),
                service.tenant_of_email(s, body.email),
                failures=policy.max_failures,
                until=(now + policy.lockout).isoformat(),
            )
        s.commit()
        raise refuse("sign_in_wrong", kind=Unauthorized)
    lockout.record_success(s, key, now)
    tenant = s.get(Tenant, user.tenant_id)
    assert tenant is not None
    me = me_of(service.person(user, tenant))
    _start(request, response, s, c, user.tenant_id, user_id=user.id)
    return me


@router.post("/key-session")
def key_session(
    request: Request, response: Response, p: PrincipalDep, s: SessionDep, c: ContainerDep
) -> Me:
    """Exchange the API key in ``Authorization`` for a session cookie, so a browser never keeps
    the key; the session ends when the key is revoked."""
    if p.session:
        raise Conflict("already signed in with a session: send an API key to exchange it")
    _start(request, response, s, c, p.tenant_id, api_key_id=p.key_id)
    return me_of(p)


@router.post("/signout", status_code=204, response_class=Response)
def sign_out(request: Request, s: SessionDep, c: ContainerDep) -> Response:
    """End the session (its token stops working) and clear the cookies."""
    token = session_token_from_headers(dict(request.scope.get("headers") or []))
    if token:
        # A valid session must prove it is the page (CSRF); a dead one just loses its cookies.
        if service.authenticate_session(s, token, c.secret) is not None:
            check_csrf(request, token, c.secret)
        service.end_session(s, token, c.secret)
        s.commit()
    response = Response(status_code=204)
    clear_session(response, request)
    return response


@router.post("/invitation")
def invitation(body: InvitationLookupIn, s: SessionDep, c: ContainerDep) -> InvitationInfo:
    """What an invitation link offers (email, role, team), before the password is chosen."""
    inv, tenant = service.open_invitation(s, body.token, c.secret)
    return InvitationInfo(email=inv.email, role=inv.role, tenant_name=tenant.name)


@router.post("/accept")
def accept(
    body: AcceptIn, request: Request, response: Response, s: SessionDep, c: ContainerDep
) -> Me:
    """Accept an invitation: create the account with the chosen password and sign in."""
    user = service.accept(s, body.token, c.secret, body.name, body.password)
    tenant = s.get(Tenant, user.tenant_id)
    assert tenant is not None
    me = me_of(service.person(user, tenant))
    _start(request, response, s, c, user.tenant_id, user_id=user.id)
    return me
