"""OpenID Connect single sign-on (authorization code flow with PKCE), with authlib and joserfc.

The browser goes to the provider with a random ``state`` and ``nonce`` and a PKCE challenge; these
travel in a short-lived cookie signed with the server pepper, so nothing is stored server-side
before sign-in. On return the code is exchanged (client secret + PKCE verifier), the ID token's
signature is checked against the provider's published keys and its issuer, audience, expiry and
nonce are checked; the person is then the adcraft user with that verified email (or the invitee
of a pending invitation for it, whose account is created with the invited role).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import threading
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import httpx
from authlib.integrations.httpx_client import OAuth2Client  # type: ignore[import-untyped]
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet

from adcraft.config import SecuritySettings
from adcraft.errors import InputError, NotFound

FLOW_TTL_S = 600
_TIMEOUT_S = 10.0
_DISCOVERY_TTL_S = 3600.0


class SsoFailed(InputError):
    """The provider's answer cannot sign anyone in; ``reason`` is a short code for the page."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason


@dataclass(frozen=True)
class Provider:
    issuer: str
    authorization_endpoint: str
    token_endpoint: str
    jwks_uri: str


@dataclass(frozen=True)
class Identity:
    """Who the provider says signed in."""

    subject: str
    email: str
    name: str


def enabled(security: SecuritySettings) -> bool:
    return bool(security.oidc_issuer and security.oidc_client_id)


def _check_url(url: str, security: SecuritySettings) -> str:
    scheme = urlsplit(url).scheme
    if scheme != "https" and not (scheme == "http" and security.oidc_allow_http):
        raise SsoFailed("failed", f"the identity provider's address {url!r} is not https")
    return url


_cache: dict[str, tuple[float, Provider]] = {}
_cache_lock = threading.Lock()


def discover(security: SecuritySettings) -> Provider:
    """The provider's endpoints from its discovery document (cached for an hour)."""
    if not enabled(security):
        raise NotFound("single sign-on is off: set security.oidc_issuer and oidc_client_id")
    issuer = _check_url(security.oidc_issuer.rstrip("/"), security)
    with _cache_lock:
        hit = _cache.get(issuer)
        if hit is not None and hit[0] > time.monotonic():
            return hit[1]
    try:
        r = httpx.get(f"{issuer}/.well-known/openid-configuration", timeout=_TIMEOUT_S)
        r.raise_for_status()
        doc: dict[str, Any] = r.json()
        provider = Provider(
            issuer=str(doc["issuer"]).rstrip("/"),
            authorization_endpoint=_check_url(str(doc["authorization_endpoint"]), security),
            token_endpoint=_check_url(str(doc["token_endpoint"]), security),
            jwks_uri=_check_url(str(doc["jwks_uri"]), security),
        )
    except (httpx.HTTPError, ValueError, KeyError) as exc:
        raise SsoFailed("unavailable", f"the identity provider cannot be reached: {exc}") from exc
    if provider.issuer != issuer:
        raise SsoFailed("failed", "the identity provider names another issuer than configured")
    with _cache_lock:
        _cache[issuer] = (time.monotonic() + _DISCOVERY_TTL_S, provider)
    return provider


def _client(security: SecuritySettings, redirect_uri: str) -> OAuth2Client:
    return OAuth2Client(
        client_id=security.oidc_client_id,
        client_secret=security.oidc_client_secret or None,
        scope="openid email profile",
        redirect_uri=redirect_uri,
        code_challenge_method="S256",
        timeout=_TIMEOUT_S,
    )


def _sign(pepper: str, payload: bytes) -> str:
    mac = hmac.new(pepper.encode(), b"oidc-flow:" + payload, hashlib.sha256).digest()
    return base64.urlsafe_b64encode(payload).decode() + "." + base64.urlsafe_b64encode(mac).decode()


def _unsign(pepper: str, value: str) -> dict[str, Any]:
    try:
        body, mac = value.split(".", 1)
        payload = base64.urlsafe_b64decode(body)
        good = hmac.new(pepper.encode(), b"oidc-flow:" + payload, hashlib.sha256).digest()
        if not hmac.compare_digest(good, base64.urlsafe_b64decode(mac)):
            raise ValueError("bad signature")
        flow: dict[str, Any] = json.loads(payload)
    except (ValueError, TypeError) as exc:
        raise SsoFailed("failed", "the sign-in attempt is unknown: start it again") from exc
    if float(flow.get("until", 0)) < time.time():
        raise SsoFailed("failed", "the sign-in attempt took too long: start it again")
    return flow


def start(security: SecuritySettings, pepper: str, redirect_uri: str) -> tuple[str, str]:
    """(the provider's authorization URL, the signed flow to keep in a cookie)."""
    provider = discover(security)
    state, nonce = secrets.token_urlsafe(24), secrets.token_urlsafe(24)
    verifier = secrets.token_urlsafe(48)
    with _client(security, redirect_uri) as client:
        url, _ = client.create_authorization_url(
            provider.authorization_endpoint, state=state, nonce=nonce, code_verifier=verifier
        )
    flow = {"state": state, "nonce": nonce, "verifier": verifier, "until": time.time() + FLOW_TTL_S}
    return str(url), _sign(pepper, json.dumps(flow).encode())


def finish(
    security: SecuritySettings,
    pepper: str,
    redirect_uri: str,
    flow_cookie: str,
    code: str,
    state: str,
) -> Identity:
    """Exchange the code and check the ID token; the verified identity or SsoFailed."""
    flow = _unsign(pepper, flow_cookie)
    if not hmac.compare_digest(str(flow["state"]), state):
        raise SsoFailed("failed", "the sign-in answer does not match this browser's attempt")
    provider = discover(security)
    try:
        with _client(security, redirect_uri) as client:
            token = client.fetch_token(
                provider.token_endpoint,
                grant_type="authorization_code",
                code=code,
                code_verifier=flow["verifier"],
            )
        keys = httpx.get(provider.jwks_uri, timeout=_TIMEOUT_S)
        keys.raise_for_status()
        key_set = KeySet.import_key_set(keys.json())
    except Exception as exc:  # authlib raises its own tree and httpx's; all mean the same here
        raise SsoFailed("failed", f"the identity provider refused the sign-in: {exc}") from exc
    raw = token.get("id_token")
    if not raw:
        raise SsoFailed("failed", "the identity provider sent no ID token")
    try:
        decoded = jwt.decode(str(raw), key_set, algorithms=["RS256", "ES256", "PS256", "EdDSA"])
        jwt.JWTClaimsRegistry(
            iss={"essential": True, "value": provider.issuer},
            aud={"essential": True, "value": security.oidc_client_id},
            sub={"essential": True},
            exp={"essential": True},
            nonce={"essential": True, "value": flow["nonce"]},
        ).validate(decoded.claims)
    except (JoseError, ValueError) as exc:
        raise SsoFailed("failed", f"the ID token is not valid: {exc}") from exc
    claims = decoded.claims
    email = str(claims.get("email") or "")
    if not email or claims.get("email_verified") is not True:
        raise SsoFailed("unverified", "the identity provider did not vouch for an email address")
    return Identity(str(claims["sub"]), email, str(claims.get("name") or ""))
