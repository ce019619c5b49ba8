"""English lines written from coded templates, and read back as their code and values.

The engine's warnings, not-publishable reasons and ranking reasons are English lines made from
``{name}`` templates; clients (the web app, the API's ``notes``) read them back as a code and
values, to show them in another language. Both directions live here so a template is the one
source of its line and of its reading.
"""

from __future__ import annotations

import re
import string
from collections.abc import Callable, Mapping


class CodedText:
    """Templates by code; ``shape(name)`` is the regular expression a value of ``name`` matches
    when a line is read back."""

    def __init__(self, templates: Mapping[str, str], shape: Callable[[str], str]) -> None:
        self.templates = dict(templates)
        self._patterns = [(code, _pattern(t, shape)) for code, t in self.templates.items()]

    def say(self, code: str, **params: object) -> str:
        """The English line of ``code`` with ``params``."""
        return self.templates[code].format(**params)

    def read(self, line: str) -> tuple[str, dict[str, str]] | None:
        """The code and the raw values of the first template that made ``line``; None when
        none did."""
        for code, pattern in self._patterns:
            found = pattern.fullmatch(line)
            if found is not None:
                return code, found.groupdict()
        return None


def _pattern(template: str, shape: Callable[[str], str]) -> re.Pattern[str]:
    out = []
    seen: set[str] = set()
    for literal, name, _spec, _conv in string.Formatter().parse(template):
        out.append(re.escape(literal))
        if name in seen:
            out.append(f"(?P={name})")  # a value the line says twice is the same both times
        elif name:
            seen.add(name)
            out.append(rf"(?P<{name}>{shape(name)})")
    return re.compile("".join(out), re.DOTALL)
