"""Refusals of the API with stable codes, to say in any language.

A refusal made with :func:`refuse` carries its code and values; the problem+json body gives
them as ``code`` and ``params`` beside the English ``detail`` (the CLI and older clients show
that). The web app words each code in its own language and shows ``detail`` for one it has no
words for. Codes are part of the API: never rename one.
"""

from __future__ import annotations

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
}


def refuse(code: str, **params: str | int | float) -> InputError:
    """A 422 with the English message of ``code``, its code and its values."""
    err = InputError(PROBLEMS[code].format(**params))
    err.code = code
    err.params = params
    return err
