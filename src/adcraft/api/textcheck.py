"""Control characters are refused at the door: in the URL, in every JSON string and key, and
in every field of the request models.

A NUL reached PostgreSQL (which cannot store it in text) as a 500, and other C0 controls have no
place in ad copy or names. Tab, line feed and carriage return stay allowed in values (multi-line
copy); nothing else below U+0020, nor DEL, is.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import unquote_to_bytes

from adcraft.errors import InputError

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_CONTROL_IN_NAME = re.compile(r"[\x00-\x1f\x7f]")


class ControlCharacter(InputError):
    """A control character in a URL, a JSON key or a text value."""

    def __init__(self, where: str, char: str) -> None:
        super().__init__(
            f"{where} contains the control character U+{ord(char):04X}: remove it and send again"
        )
        self.where = where


def find_control(value: Any, where: str = "body") -> tuple[str, str] | None:
    """(location, character) of the first control character in a JSON-like value, or None."""
    stack: list[tuple[Any, str]] = [(value, where)]
    while stack:
        item, loc = stack.pop()
        if isinstance(item, str):
            m = _CONTROL.search(item)
            if m:
                return loc, m.group()
        elif isinstance(item, dict):
            for k, v in item.items():
                m = _CONTROL_IN_NAME.search(str(k))
                if m:
                    return f"{loc} key {str(k)!r}", m.group()
                stack.append((v, f"{loc}.{k}"))
        elif isinstance(item, list | tuple):
            stack.extend((v, f"{loc}[{i}]") for i, v in enumerate(item))
    return None


def check_value(value: Any, where: str = "body") -> None:
    """Raise ControlCharacter if ``value`` holds one anywhere."""
    found = find_control(value, where)
    if found is not None:
        raise ControlCharacter(*found)


def check_url(path: str, query_string: bytes) -> None:
    """Raise ControlCharacter for one in the (decoded) path or query string."""
    m = _CONTROL_IN_NAME.search(path)
    if m:
        raise ControlCharacter("the URL path", m.group())
    query = unquote_to_bytes(query_string.replace(b"+", b" ")).decode("utf-8", "replace")
    m = _CONTROL_IN_NAME.search(query)
    if m:
        raise ControlCharacter("the query string", m.group())


def clean_name(name: str) -> str:
    """A file name without control characters (names are kept, not validated)."""
    return _CONTROL_IN_NAME.sub("", name)
