"""Single sign-on with an OpenID Connect provider (accounts/oidc.py): start, callback, status.

The browser is sent to the provider and back; the answer is a redirect into the web app, signed
in (``/#/new``) or to the sign-in page with a reason (``/#/signin?sso=<reason>``), never a page
of JSON in the middle of a browser flow.
"""

from __future__ import annotations

import logging

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse
from pydantic import BaseModel

from adcraft.accounts import oidc, service
from adcraft.api.cookies import set_session
from adcraft.api.deps import ContainerDep, SessionDep
from adcraft.errors import InputError

log = logging.getLogger("adcraft.api")
router = APIRouter(prefix="/auth/sso", tags=["sign-in"])
FLOW_COOKIE = "adcraft_sso"
_FLOW_PATH = "/api/v1/auth/sso"


class SsoOut(BaseModel):
    enabled: bool
    name: str
    """What to call the provider on the sign-in button."""


def _callback_url(request: Request) -> str:
    return str(request.url_for("sso_callback"))


def _to_signin(reason: str) -> RedirectResponse:
    response = RedirectResponse(f"/#/signin?sso={reason}", status_code=303)
    response.delete_cookie(FLOW_COOKIE, path=_FLOW_PATH)
    return response


@router.get("")
def sso(c: ContainerDep) -> SsoOut:
    """Whether single sign-on is on (the sign-in page shows its button)."""
    security = c.settings.security
    return SsoOut(enabled=oidc.enabled(security), name=security.oidc_name)


@router.get("/start", response_class=RedirectResponse, status_code=303)
def sso_start(request: Request, c: ContainerDep) -> RedirectResponse:
    """Send the browser to the identity provider."""
    try:
        url, flow = oidc.start(c.settings.security, c.secret, _callback_url(request))
    except oidc.SsoFailed as exc:
        log.warning("single sign-on could not start: %s", exc)
        return _to_signin(exc.reason)
    response = RedirectResponse(url, status_code=303)
    response.set_cookie(
        FLOW_COOKIE,
        flow,
        max_age=oidc.FLOW_TTL_S,
        path=_FLOW_PATH,
        httponly=True,
        secure=request.url.scheme == "https",
        samesite="lax",  # sent on the provider's top-level redirect back, not on cross-site posts
    )
    return response


@router.get("/callback", response_class=RedirectResponse, status_code=303)
def sso_callback(
    request: Request,
    s: SessionDep,
    c: ContainerDep,
    code: str = "",
    state: str = "",
    error: str = "",
) -> RedirectResponse:
    """The provider's answer: sign the person in, or back to sign-in with the reason."""
    security = c.settings.security
    if error or not code or not state:
        return _to_signin("cancelled" if error == "access_denied" else "failed")
    try:
        who = oidc.finish(
            security,
            c.secret,
            _callback_url(request),
            request.cookies.get(FLOW_COOKIE, ""),
            code[:2000],
            state[:200],
        )
        user = service.sso_user(s, who.email, who.name)
    except oidc.SsoFailed as exc:
        log.warning("single sign-on refused: %s", exc)
        return _to_signin(exc.reason)
    except InputError:
        return _to_signin("failed")
    if user is None:
        s.rollback()
        return _to_signin("no-account")
    token = service.open_session(
        s, c.secret, security.session_ttl_s, tenant_id=user.tenant_id, user_id=user.id
    )
    s.commit()
    response = RedirectResponse("/#/new", status_code=303)
    response.delete_cookie(FLOW_COOKIE, path=_FLOW_PATH)
    set_session(response, request, token, c.secret, security.session_ttl_s)
    return response
