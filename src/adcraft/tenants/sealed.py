"""Secrets at rest: Fernet (AES-128-CBC + HMAC-SHA256) under a key derived from the app secret.

The key is HKDF-SHA256 of the app secret with a fixed purpose label, so it differs from the
pepper of API-key hashes and from the signed-link key although all come from one setting.
Rotating the app secret makes sealed values unreadable: ``unseal`` then says so, and the
tenant enters the key again.
"""

from __future__ import annotations

import base64

from adcraft.errors import ConfigError

_PURPOSE = b"adcraft tenant provider secrets v1"


def _fernet(app_secret: str) -> object:
    from cryptography.fernet import Fernet
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.kdf.hkdf import HKDF

    raw = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_PURPOSE).derive(
        app_secret.encode("utf-8")
    )
    return Fernet(base64.urlsafe_b64encode(raw))


def seal(app_secret: str, plain: str) -> str:
    """Encrypt ``plain`` for storage (ASCII token; a new random IV every call)."""
    token: bytes = _fernet(app_secret).encrypt(plain.encode("utf-8"))  # type: ignore[attr-defined]
    return token.decode("ascii")


def unseal(app_secret: str, token: str) -> str:
    """Decrypt a sealed value; a token from another app secret is a clear ConfigError."""
    from cryptography.fernet import InvalidToken

    try:
        plain: bytes = _fernet(app_secret).decrypt(token.encode("ascii"))  # type: ignore[attr-defined]
    except (InvalidToken, ValueError):
        raise ConfigError(
            "a stored tenant secret cannot be decrypted: the app secret "
            "(ADCRAFT_SECURITY__SECRET_KEY) changed since it was saved; set the key again"
        ) from None
    return plain.decode("utf-8")
