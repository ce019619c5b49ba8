"""Analytics errors, rooted in the adcraft tree (``http_status`` picks the API answer).

AdcraftError
└── AnalyticsError
    ├── StoreError          the analytics store refused or failed a statement (503)
    ├── EventsUnavailable   events cannot be accepted now: retry after a while (503)
    └── InvalidToken        (also an InputError) a tracking token is tampered/expired (400)
"""

from __future__ import annotations

from adcraft.errors import AdcraftError, InputError


class AnalyticsError(AdcraftError):
    """Something in the analytics path failed."""


class StoreError(AnalyticsError):
    """The analytics store refused or failed a statement."""

    http_status = 503


class EventsUnavailable(AnalyticsError):
    """Events cannot be accepted now (store or broker down, buffer full); retry later."""

    http_status = 503

    def __init__(self, message: str, retry_after: int = 5) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class InvalidToken(AnalyticsError, InputError):
    """A tracking token is tampered, expired or names something it may not."""

    http_status = 400


class Forbidden(AnalyticsError):
    """The caller may not write this (e.g. events naming another tenant)."""

    http_status = 403
