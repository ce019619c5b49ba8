"""Errors only the HTTP layer raises; each carries its status. The rest map in problems.py."""

from __future__ import annotations

from adcraft.errors import AdcraftError


class NotFound(AdcraftError):
    """No such object for this tenant (another tenant's ids look exactly like missing ones)."""

    http_status = 404


class Unauthorized(AdcraftError):
    """No API key, or one that is unknown or revoked."""

    http_status = 401


class Conflict(AdcraftError):
    """The request clashes with the current state (e.g. a task that is not finished yet)."""

    http_status = 409


class PayloadTooLarge(AdcraftError):
    """The request body is above the configured cap."""

    http_status = 413


class RateLimited(AdcraftError):
    """Too many requests or active tasks for this key; retry after ``retry_after`` seconds."""

    http_status = 429

    def __init__(self, message: str, retry_after: float) -> None:
        super().__init__(message)
        self.retry_after = retry_after
