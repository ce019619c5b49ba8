"""Signed tracking tokens for served ads: an impression pixel and a click redirect.

A token carries what was shown (tenant, campaign, creative, version, format, style, experiment,
arm, placement) and an expiry, signed with a key derived from the platform secret. Nothing in
the token is a URL: the redirect target is always the landing URL recorded for the creative,
so a token cannot be turned into an open redirect. Event ids are derived from the token, the
viewer and the time window, so repeated loads in one window collapse to one stored event.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import uuid
from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from adcraft.analytics.errors import InvalidToken
from adcraft.analytics.events import Ident


class TrackingClaims(BaseModel):
    """What a tracking token vouches for."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    tenant_id: Ident = Field(min_length=1)
    creative_id: Ident = Field(min_length=1)
    version: int = Field(default=0, ge=0)
    campaign_id: Ident = ""
    format_id: Ident = ""
    style: Ident = ""
    experiment_id: Ident = ""
    arm_id: Ident = ""
    placement: Ident = ""
    expires: int
    """Unix seconds."""


def _key(secret: str) -> bytes:
    return hmac.new(secret.encode(), b"adcraft-tracking-v1", hashlib.sha256).digest()


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def sign(claims: TrackingClaims, secret: str) -> str:
    """``payload.signature``, both base64url."""
    payload = json.dumps(claims.model_dump(exclude_defaults=True), separators=(",", ":"))
    body = _b64(payload.encode())
    mac = hmac.new(_key(secret), body.encode(), hashlib.sha256).digest()[:20]
    return f"{body}.{_b64(mac)}"


def verify(token: str, secret: str, now: datetime) -> TrackingClaims:
    """The claims of a valid, unexpired token; ``InvalidToken`` otherwise."""
    body, dot, mac = token.partition(".")
    if not dot or len(token) > 2048:
        raise InvalidToken("malformed tracking token")
    try:
        expected = hmac.new(_key(secret), body.encode(), hashlib.sha256).digest()[:20]
        if not hmac.compare_digest(expected, _unb64(mac)):
            raise InvalidToken("tracking token signature does not match")
        claims = TrackingClaims.model_validate_json(_unb64(body))
    except (ValueError, ValidationError) as exc:
        raise InvalidToken("malformed tracking token") from exc
    if claims.expires < now.timestamp():
        raise InvalidToken("tracking token has expired")
    return claims


def window_event_id(kind: str, token: str, viewer: str, at: datetime, window_s: int) -> uuid.UUID:
    """A UUIDv7 fixed for (kind, token, viewer, window): the store keeps one per window."""
    window = int(at.timestamp() // window_s)
    digest = hashlib.sha256(f"{kind}\n{token}\n{viewer}\n{window}".encode()).digest()
    ms = window * window_s * 1000
    value = (ms & ((1 << 48) - 1)) << 80
    value |= 0x7 << 76
    value |= (int.from_bytes(digest[:2], "big") & 0xFFF) << 64
    value |= 0b10 << 62
    value |= int.from_bytes(digest[2:10], "big") & ((1 << 62) - 1)
    return uuid.UUID(int=value)


GIF_1X1 = base64.b64decode("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7")
