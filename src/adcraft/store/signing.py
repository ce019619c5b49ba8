"""HMAC-signed, expiring download links for files the API serves itself (the local store)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time

from adcraft.errors import LinkRejected


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def sign(secret: str, key: str, *, ttl_s: int, filename: str, content_type: str) -> tuple[str, int]:
    """A token for ``key`` valid for ``ttl_s`` seconds, and its expiry (unix seconds)."""
    exp = int(time.time()) + ttl_s
    payload = _b64(json.dumps([key, exp, filename, content_type]).encode())
    mac = hmac.new(secret.encode(), payload.encode(), hashlib.sha256).digest()
    return f"{payload}.{_b64(mac)}", exp


def verify(secret: str, token: str, now: float | None = None) -> tuple[str, str, str]:
    """(key, filename, content_type) of a valid token; LinkRejected otherwise."""
    try:
        payload, mac = token.split(".", 1)
        good = hmac.new(secret.encode(), payload.encode(), hashlib.sha256).digest()
        if not hmac.compare_digest(good, _unb64(mac)):
            raise LinkRejected("this download link is not valid: request a new one")
        key, exp, filename, content_type = json.loads(_unb64(payload))
    except (ValueError, TypeError) as exc:
        raise LinkRejected("this download link is malformed: request a new one") from exc
    if (now if now is not None else time.time()) > int(exp):
        raise LinkRejected("this download link has expired: request a new one")
    return str(key), str(filename), str(content_type)
