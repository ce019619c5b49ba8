"""The browser session cookie and its CSRF token (double submit).

``adcraft_session`` holds the session token: HttpOnly (scripts never see it), SameSite=Lax (not
sent on cross-site POSTs), Secure when the request came over https. ``adcraft_csrf`` holds a token
derived from the session (HMAC under the server pepper), readable by the page's script, which
sends it back in ``X-CSRF-Token`` on every state-changing request: another site can make the
browser send the cookie but cannot read the token to echo it.
"""

from __future__ import annotations

from http.cookies import CookieError, SimpleCookie

from fastapi import Request, Response

from adcraft.accounts.service import csrf_token

SESSION_COOKIE = "adcraft_session"
CSRF_COOKIE = "adcraft_csrf"
CSRF_HEADER = "x-csrf-token"


def session_token_from_headers(headers: dict[bytes, bytes]) -> str:
    """The session token from the Cookie header; empty when there is none."""
    raw = headers.get(b"cookie", b"").decode("latin-1")
    if SESSION_COOKIE not in raw:
        return ""
    jar: SimpleCookie = SimpleCookie()
    try:
        jar.load(raw)
    except CookieError:
        return ""
    morsel = jar.get(SESSION_COOKIE)
    return morsel.value.strip() if morsel is not None else ""


def set_session(response: Response, request: Request, token: str, pepper: str, ttl_s: int) -> None:
    """Put a new session's cookies on the response."""
    secure = request.url.scheme == "https"
    response.set_cookie(
        SESSION_COOKIE,
        token,
        max_age=ttl_s,
        path="/",
        httponly=True,
        secure=secure,
        samesite="lax",
    )
    response.set_cookie(
        CSRF_COOKIE,
        csrf_token(pepper, token),
        max_age=ttl_s,
        path="/",
        httponly=False,
        secure=secure,
        samesite="lax",
    )


def clear_session(response: Response, request: Request) -> None:
    """Remove both cookies from the browser."""
    secure = request.url.scheme == "https"
    for name in (SESSION_COOKIE, CSRF_COOKIE):
        response.delete_cookie(
            name, path="/", secure=secure, httponly=name == SESSION_COOKIE, samesite="lax"
        )
