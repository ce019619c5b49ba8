"""Password hashing with argon2id (argon2-cffi's defaults, RFC 9106's low-memory profile)."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from adcraft.errors import InputError

MIN_LENGTH = 10
MAX_LENGTH = 256
"""Long enough for passphrases; capped so a megabyte 'password' cannot tie up a worker."""

NO_PASSWORD = "!sso-only"
"""The stored hash of an account made by single sign-on: no password ever verifies against it."""

_hasher = PasswordHasher()
# Verified against when the email is unknown, so the answer takes as long either way.
_DUMMY = _hasher.hash("not-a-real-password-0000")


def check_new(password: str) -> None:
    """Refuse a password too short or too long to set, naming the rule."""
    if len(password) < MIN_LENGTH:
        raise InputError(f"the password must have at least {MIN_LENGTH} characters")
    if len(password) > MAX_LENGTH:
        raise InputError(f"the password must have at most {MAX_LENGTH} characters")


def hash_password(password: str) -> str:
    """The argon2id hash (salt and parameters included) of a checked password."""
    check_new(password)
    return _hasher.hash(password)


def verify(stored: str | None, password: str) -> bool:
    """Whether ``password`` matches ``stored`` (None: no such user, still spends the time)."""
    if len(password) > MAX_LENGTH:
        return False
    if stored == NO_PASSWORD:
        stored = None  # still spend the time of a verification
    try:
        return _hasher.verify(stored or _DUMMY, password) and stored is not None
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(stored: str) -> bool:
    """Whether the hash was made with older parameters than the current ones."""
    return _hasher.check_needs_rehash(stored)
