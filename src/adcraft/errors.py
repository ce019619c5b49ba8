"""The adcraft error tree. Every error adcraft raises on purpose is one of these, with a message
that names the problem and says what to do. Every public error class lives here (modules that
raise them import them from here), so ``except AdcraftError`` catches all of them and no two
share a name.

    AdcraftError
    ├── InputError                 bad input from the caller (maps to 4xx / exit code 2)
    │   ├── InvalidBrief           a brief field is empty, too long or malformed
    │   ├── UnknownFormat          a format id or alias that the registry does not know
    │   ├── UnknownStyle           a style name that does not exist
    │   ├── ImageInputError        an image that cannot be read, is not an image, or is unsafe
    │   │   └── ImageTooLarge      pixel count or byte size above the configured cap
    │   ├── UnsafeURL              a URL that points to a non-public address or bad scheme
    │   ├── FeedError              a product feed that cannot be read (bad format, XML bomb)
    │   ├── BankError              the image bank cannot do what was asked
    │   │   ├── EmptyBank          search asked of a bank with no images
    │   │   └── NoBankMatch        no bank picture scores above the threshold for a brief
    │   ├── InvalidGenerationRequest / ModelNotFound / LoraMismatch / ControlNetMismatch /
    │   │   IPAdapterMismatch      image generation requests that cannot run
    │   ├── GenerationUnavailable  generation asked of a server without a usable model or GPU
    ├── LayoutError                the layout engine cannot place the content
    │   └── CopyTooLong            text does not fit its box even at the minimum readable size
    ├── ProviderUnavailable        an optional dependency or model is not installed/configured
    │   ├── DeviceUnavailable      the requested accelerator does not exist
    │   └── TextEngineUnavailable  Pillow's complex-script text layout (raqm) is missing
    ├── ProviderError              a model server failed or answered unusably
    │   ├── ProviderRateLimited    429 after every retry; carries the server's Retry-After
    │   └── ProviderTimeout        no answer within the configured timeout
    ├── CaptionError / RemoverError / SearchIndexError   one provider failed
    ├── GenerationFailed           the image generator failed while painting
    │   └── OutOfMemory            the accelerator ran out of memory
    ├── OutputError                writing results failed (nothing half-written is left behind)
    ├── ConfigError                the settings are unusable
    ├── SchemaMissing              the database has no (or an old) schema: run ``adcraft migrate``
    ├── DatabaseUnavailable        503: the metadata database cannot be reached
    ├── QueueUnavailable           503: the task queue cannot be reached
    ├── StoreUnavailable           503: the asset store cannot be reached (or is full)
    ├── Transient                  a failure worth retrying (database, store or broker outage)
    ├── AssetMissing               404: an object the metadata points to is not in the store
    ├── LinkRejected               403: a signed link is forged, malformed or expired
    └── HTTP layer: NotFound 404, Unauthorized 401, Forbidden 403 (PermissionDenied: a role
        lacks a permission; CsrfRejected: no CSRF token with the cookie), Conflict 409,
        Gone 410, PayloadTooLarge 413, UnprocessableRequest 422, TooManyRequests 429
        (SignInLocked: password sign-in with an email refused after too many wrong passwords),
        RequestTimeout 408
"""

from __future__ import annotations


class AdcraftError(Exception):
    """Base of every error adcraft raises on purpose."""

    code: str | None = None
    """A stable code for the message (:data:`adcraft.problem_codes.PROBLEMS`), so a client can
    say it in its own language; None: the English message is all there is."""
    params: dict[str, str | int | float] = {}  # noqa: RUF012 - read only, set per instance
    """The values in the message, by the names its template uses."""


# --- bad input ------------------------------------------------------------------------------


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


class BankError(InputError):
    """The bank cannot do what was asked: empty, built with another encoder, bad sidecar."""


class EmptyBank(BankError):
    """Search asked of a bank with no images."""


class NoBankMatch(BankError):
    """No bank picture matches a brief well enough; a product photo is the fallback."""

    http_status = 422

    def __init__(self, message: str, *, best_score: float | None, threshold: float) -> None:
        super().__init__(message)
        self.best_score = best_score
        self.threshold = threshold
        self.problem_fields = {
            "best_score": best_score,
            "threshold": threshold,
            "fallback": "photo",
        }
        """Extra members of the problem+json body: the web app offers the photo upload."""


class InvalidGenerationRequest(InputError):
    """A generation request the pipeline cannot take (size, steps, empty prompt)."""


class ModelNotFound(InputError):
    """A model path or model id that is not available on this machine."""


class LoraMismatch(InputError):
    """A LoRA adapter whose layers do not match the base model."""


class ControlNetMismatch(InputError):
    """A ControlNet that does not fit the base model, or a pipeline with no ControlNet variant."""


class IPAdapterMismatch(InputError):
    """An IP-Adapter (or its image encoder) that does not fit the base model or each other."""


class GenerationUnavailable(InputError):
    """A generated picture or scene asked of a server that cannot paint one (no model is
    configured, the diffusion extra is missing, or there is no GPU and CPU is not allowed)."""


# --- layout ---------------------------------------------------------------------------------


class LayoutError(AdcraftError):
    """The layout engine cannot place the content."""


class CopyTooLong(LayoutError):
    """A text field does not fit its box even at the minimum readable font size."""

    def __init__(self, field: str, text: str, fits_chars: int, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.text = text
        self.fits_chars = fits_chars


# --- providers ------------------------------------------------------------------------------


class ProviderUnavailable(AdcraftError):
    """An optional provider is not installed or not configured."""


class DeviceUnavailable(ProviderUnavailable):
    """The requested device does not exist, or CPU was not explicitly allowed."""


class TextEngineUnavailable(ProviderUnavailable):
    """Pillow's complex-script layout (libraqm, with libfribidi) is missing on this machine."""


class ProviderError(AdcraftError):
    """The model server failed or answered with something that cannot be used."""

    def __init__(self, provider: str, message: str) -> None:
        super().__init__(f"{provider}: {message}")
        self.provider = provider


class ProviderRateLimited(ProviderError):
    """The server kept answering 429 Too Many Requests."""

    def __init__(self, provider: str, retry_after: float | None, message: str = "") -> None:
        wait = f"; it asked to wait {retry_after:g} s" if retry_after is not None else ""
        super().__init__(
            provider,
            message
            or f"rate limited after every retry{wait}: lower ADCRAFT_LLM_CONCURRENCY or raise "
            "ADCRAFT_LLM_MAX_RETRIES",
        )
        self.retry_after = retry_after


class ProviderTimeout(ProviderError):
    """The server did not answer within the configured timeout."""


class CaptionError(AdcraftError):
    """The captioning endpoint failed or answered something unusable."""


class RemoverError(AdcraftError):
    """The segmentation model failed or gave an output of the wrong shape."""


class SearchIndexError(AdcraftError):
    """The vector index refused a request or could not be reached."""


class GenerationFailed(AdcraftError):
    """The pipeline was loaded but failed while painting."""


class OutOfMemory(GenerationFailed):
    """The GPU ran out of memory while painting."""


# --- output, settings and infrastructure ----------------------------------------------------


class OutputError(AdcraftError):
    """Results could not be written."""


class ConfigError(AdcraftError):
    """The settings are unusable (a placeholder secret in production, a bad URL...)."""


class SchemaMissing(AdcraftError):
    """The database has no adcraft tables, or an older schema: run ``adcraft migrate``."""

    http_status = 503


class DatabaseUnavailable(AdcraftError):
    """The metadata database cannot be reached; retry when it is back."""

    http_status = 503


class QueueUnavailable(AdcraftError):
    """The task queue (Redis) cannot be reached; retry when it is back."""

    http_status = 503


class StoreUnavailable(AdcraftError):
    """The asset store cannot be reached (or is full); retry when it is back."""

    http_status = 503


class Transient(AdcraftError):
    """A failure worth retrying (database, store or broker outage)."""


class TaskTimeLimit(AdcraftError):
    """A task ran past its soft or hard time limit (never retried: it would again)."""


class AssetMissing(AdcraftError):
    """An object the metadata points to is not in the store."""

    http_status = 404


class LinkRejected(AdcraftError):
    """A signed link is forged, malformed or expired."""

    http_status = 403


# --- errors only the HTTP layer raises; each carries its status -----------------------------


class NotFound(AdcraftError):
    """No such object for this tenant (another tenant's ids look exactly like missing ones)."""

    http_status = 404


class Unauthorized(AdcraftError):
    """No API key, or one that is unknown or revoked."""

    http_status = 401


class Forbidden(AdcraftError):
    """The key is valid but may not do this (e.g. an admin action with a tenant key)."""

    http_status = 403


class PermissionDenied(Forbidden):
    """A signed-in person whose role lacks the permission an action needs."""

    def __init__(self, permission: str, role: str, action: str) -> None:
        super().__init__(
            f"your role {role!r} lacks the {permission!r} permission needed to {action}: "
            "ask an admin of your team"
        )
        self.problem_fields = {"permission": permission, "role": role}


class CsrfRejected(Forbidden):
    """A state-changing request made with the session cookie but without its CSRF token."""


class Conflict(AdcraftError):
    """The request clashes with the current state (e.g. a task that is not finished yet)."""

    http_status = 409


class Gone(AdcraftError):
    """The object existed but is no longer available (e.g. an expired review link)."""

    http_status = 410


class RequestTimeout(AdcraftError):
    """The client sent its body too slowly."""

    http_status = 408


class PayloadTooLarge(AdcraftError):
    """The request body is above the configured cap."""

    http_status = 413


class UnprocessableRequest(AdcraftError):
    """A well-formed request that cannot be processed (e.g. an Idempotency-Key reused)."""

    http_status = 422


class TooManyRequests(AdcraftError):
    """Too many requests or active tasks for this key; retry after ``retry_after`` seconds."""

    http_status = 429

    def __init__(self, message: str, retry_after: float) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class SignInLocked(TooManyRequests):
    """Password sign-in with one email refused for a while after too many wrong passwords.

    Raised alike whether or not the email has an account, so it reveals nothing about which
    emails exist."""
