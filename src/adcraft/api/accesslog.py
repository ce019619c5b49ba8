"""Access-log lines without credentials: signed-link tokens are replaced before they are written.

A signed link is a bearer credential until it expires; the access log (often shipped to a log
service with wider access than the files) must not become a list of working links.
"""

from __future__ import annotations

import logging
import re

_TOKEN = re.compile(r"(/files/)[^/?#\s\"]+")
REDACTED = "<redacted>"


def redact(text: str) -> str:
    """``text`` with every ``/files/<token>`` token replaced."""
    return _TOKEN.sub(r"\g<1>" + REDACTED, text)


class RedactTokens(logging.Filter):
    """Rewrites the path arguments of uvicorn's access-log records."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(redact(a) if isinstance(a, str) else a for a in record.args)
        elif isinstance(record.msg, str):
            record.msg = redact(record.msg)
        return True


def install(logger_name: str = "uvicorn.access") -> None:
    """Add the filter once to the access logger."""
    logger = logging.getLogger(logger_name)
    if not any(isinstance(f, RedactTokens) for f in logger.filters):
        logger.addFilter(RedactTokens())
