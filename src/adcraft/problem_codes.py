"""Refusals of the API with stable codes, to say in any language.

A refusal made with :func:`refuse` carries its code and values; the problem+json body gives
them as ``code`` and ``params`` beside the English ``detail`` (the CLI and older clients show
that). The web app words each code in its own language and shows ``detail`` for one it has no
words for. Codes are part of the API: never rename one.
"""

from __future__ import annotations

from typing import TypeVar

from adcraft.errors import InputError

#: code -> English template (``str.format``).
PROBLEMS: dict[str, str] = {
    "too_many_formats": "{count} formats selected, at most {max} per request",
    "too_many_variants": "variants must be at most {max}, got {count}",
    "logo_needs_kit": "logo formats need a brand kit with a logo: pick one or drop them",
    "product_needed": "give brief.product_name or a product_id from the catalogue",
    "campaign_name_empty": "the campaign name is empty: give it a name",
    "sku_exists": "a product with sku {sku!r} exists: PUT to change it",
    "sku_taken": "another product already has sku {sku!r}",
    "too_many_products": "{count} products; import at most {max} at once",
    # A picture the marketer uploads: the refusals one sees most, so said in their language.
    "image_empty": "image {name!r} is empty (0 bytes): upload the file again",
    "image_file_too_big": (
        "image {name!r} is {mib} MiB, above the {max_mib} MiB limit: export a smaller file"
    ),
    "image_too_many_pixels": (
        "image {name!r} is {width}x{height} ({mp} megapixels), above the {max_mp} megapixel "
        "limit: downscale it first"
    ),
    "image_not_supported": (
        "image {name!r} is not a supported image: use PNG, JPEG, WebP, GIF, TIFF or BMP"
    ),
    "image_damaged": "image {name!r} is truncated or damaged: re-export or upload it again",
    "image_transparent": "image {name!r} is fully transparent: there is nothing to show",
}


E = TypeVar("E", bound=InputError)


def refuse(code: str, *, kind: type[E] = InputError, **params: str | int | float) -> E:  # type: ignore[assignment]
    """A 422 with the English message of ``code``, its code and its values; ``kind``: the
    error class, for callers that tell refusals apart (an image's, a brief's)."""
    err = kind(PROBLEMS[code].format(**params))
    err.code = code
    err.params = params
    return err
