"""CSV cells a spreadsheet shows as text, never runs as formulas."""

from __future__ import annotations

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value: object) -> object:
    """A CSV cell that a spreadsheet shows as text, never runs as a formula (OWASP CSV
    injection): text starting with ``= + - @``, a tab or a carriage return gets a leading ``'``.
    Numbers stay numbers."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value
