"""The adcraft error tree. Every error a user can cause is one of these, with a message that
names the problem and says what to do.

    AdcraftError
    ├── InputError                 bad input from the caller (maps to 4xx / exit code 2)
    │   ├── InvalidBrief           a brief field is empty, too long or malformed
    │   ├── UnknownFormat          a format id or alias that the registry does not know
    │   ├── UnknownStyle           a style name that does not exist
    │   ├── ImageInputError        an image that cannot be read, is not an image, or is unsafe
    │   │   └── ImageTooLarge      pixel count or byte size above the configured cap
    │   ├── UnsafeURL              a URL that points to a non-public address or bad scheme
    │   └── FeedError              a product feed that cannot be read (bad format, XML bomb)
    ├── LayoutError                the layout engine cannot place the content
    │   └── CopyTooLong            text does not fit its box even at the minimum readable size
    ├── ProviderUnavailable        an optional dependency or model is not installed/configured
    └── OutputError                writing results failed (nothing half-written is left behind)
"""

from __future__ import annotations


class AdcraftError(Exception):
    """Base of every error adcraft raises on purpose."""


class InputError(AdcraftError):
    """The caller gave input that adcraft cannot use."""


class InvalidBrief(InputError):
    """A brief field is empty, too long or malformed."""


class UnknownFormat(InputError):
    """A format id or alias is not in the registry."""


class UnknownStyle(InputError):
    """A style name is not registered."""


class ImageInputError(InputError):
    """An image cannot be decoded, is not an image, or is unsafe to decode."""


class ImageTooLarge(ImageInputError):
    """An image is above the configured pixel or byte cap."""


class UnsafeURL(InputError):
    """A URL uses a forbidden scheme or resolves to a non-public address."""


class FeedError(InputError):
    """A product feed cannot be read: unknown dialect, malformed, or unsafe XML."""


class LayoutError(AdcraftError):
    """The layout engine cannot place the content."""


class CopyTooLong(LayoutError):
    """A text field does not fit its box even at the minimum readable font size."""

    def __init__(self, field: str, text: str, fits_chars: int, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.text = text
        self.fits_chars = fits_chars


class ProviderUnavailable(AdcraftError):
    """An optional provider is not installed or not configured."""


class OutputError(AdcraftError):
    """Results could not be written."""
