"""HMAC-signed, expiring, opaque download links for files the API serves itself (local store).

The token carries the storage key, file name and type encrypted, so a link reveals nothing about
how files are stored: the payload is XORed with an HMAC-SHA256 keystream (counter mode over a
random nonce) and the nonce and ciphertext are authenticated with a second HMAC key
(encrypt-then-MAC). Both keys are derived from the server secret; only the standard library is
needed.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import time

from adcraft.errors import LinkRejected

_NONCE = 16
_TAG = 32


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _subkey(secret: str, purpose: bytes) -> bytes:
    return hmac.new(secret.encode(), b"adcraft-link/" + purpose, hashlib.sha256).digest()


def _keystream(key: bytes, nonce: bytes, size: int) -> bytes:
    blocks = (
        hmac.new(key, nonce + i.to_bytes(4, "big"), hashlib.sha256).digest()
        for i in range(-(-size // 32))
    )
    return b"".join(blocks)[:size]


def _xor(data: bytes, stream: bytes) -> bytes:
    return bytes(a ^ b for a, b in zip(data, stream, strict=True))


def sign(secret: str, key: str, *, ttl_s: int, filename: str, content_type: str) -> tuple[str, int]:
    """An opaque token for ``key`` valid for ``ttl_s`` seconds, and its expiry (unix seconds)."""
    exp = int(time.time()) + ttl_s
    plain = json.dumps([key, exp, filename, content_type], ensure_ascii=False).encode()
    nonce = secrets.token_bytes(_NONCE)
    cipher = _xor(plain, _keystream(_subkey(secret, b"enc"), nonce, len(plain)))
    tag = hmac.new(_subkey(secret, b"mac"), nonce + cipher, hashlib.sha256).digest()
    return f"{_b64(nonce + cipher)}.{_b64(tag)}", exp


def verify(secret: str, token: str, now: float | None = None) -> tuple[str, str, str]:
    """(key, filename, content_type) of a valid token; LinkRejected otherwise."""
    try:
        body_text, tag_text = token.split(".", 1)
        body, tag = _unb64(body_text), _unb64(tag_text)
        good = hmac.new(_subkey(secret, b"mac"), body, hashlib.sha256).digest()
        if len(body) <= _NONCE or not hmac.compare_digest(good, tag):
            raise LinkRejected("this download link is not valid: request a new one")
        nonce, cipher = body[:_NONCE], body[_NONCE:]
        plain = _xor(cipher, _keystream(_subkey(secret, b"enc"), nonce, len(cipher)))
        key, exp, filename, content_type = json.loads(plain)
    except (ValueError, TypeError) as exc:
        raise LinkRejected("this download link is malformed: request a new one") from exc
    if (now if now is not None else time.time()) > int(exp):
        raise LinkRejected("this download link has expired: request a new one")
    return str(key), str(filename), str(content_type)
