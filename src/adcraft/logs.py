"""Log lines of the API and the workers: a timestamp, the level, the logger, the message, and the
request id / adcraft task id the line was written for.

``server.log_format = "json"`` writes one JSON object per line (for a log shipper)::

    {"timestamp": "2026-12-05T08:31:02.123Z", "level": "INFO", "logger": "uvicorn.access",
     "message": "127.0.0.1:50412 - \\"GET /api/v1/tasks/… HTTP/1.1\\" 200",
     "request_id": "5f0c…", "task_id": null, "pid": 4242}

``"text"`` (the default) writes the same fields on one readable line. The ids come from context
variables: the admission middleware sets ``REQUEST_ID`` for each request (the same id is sent
back as ``X-Request-ID``), and a worker sets ``TASK_ID`` while it runs a task, so every line
written meanwhile — by adcraft, uvicorn or Celery — carries them.
"""

from __future__ import annotations

import json
import logging
import sys
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Literal

REQUEST_ID: ContextVar[str | None] = ContextVar("adcraft_request_id", default=None)
"""The HTTP request being handled (log lines carry it)."""
TASK_ID: ContextVar[str | None] = ContextVar("adcraft_task_id", default=None)
"""The adcraft task this thread is running (log lines carry it)."""

LogFormat = Literal["text", "json"]


def _timestamp(record: logging.LogRecord) -> str:
    t = datetime.fromtimestamp(record.created, UTC)
    return t.strftime("%Y-%m-%dT%H:%M:%S.") + f"{int(record.msecs):03d}Z"


class JsonFormatter(logging.Formatter):
    """One JSON object per record; a traceback goes in ``exc`` (never across several lines)."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, object] = {
            "timestamp": _timestamp(record),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": REQUEST_ID.get(),
            "task_id": TASK_ID.get(),
            "pid": record.process,
        }
        if record.exc_info:
            entry["exc"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


class TextFormatter(logging.Formatter):
    """``<time> <LEVEL> <logger> [request=… task=…] <message>``."""

    def format(self, record: logging.LogRecord) -> str:
        ids = []
        if (rid := REQUEST_ID.get()) is not None:
            ids.append(f"request={rid}")
        if (tid := TASK_ID.get()) is not None:
            ids.append(f"task={tid}")
        where = f" [{' '.join(ids)}]" if ids else ""
        line = f"{_timestamp(record)} {record.levelname} {record.name}{where} {record.getMessage()}"
        if record.exc_info:
            line += "\n" + self.formatException(record.exc_info)
        return line


class _Handler(logging.StreamHandler):  # type: ignore[type-arg]
    """Marks the handler this module installed, so configuring again replaces it."""


def configure(fmt: LogFormat = "text", level: int | str = logging.INFO) -> None:
    """Send every logger's records to stderr in ``fmt`` (idempotent; replaces an earlier call)."""
    root = logging.getLogger()
    for h in [h for h in root.handlers if isinstance(h, _Handler)]:
        root.removeHandler(h)
    handler = _Handler(sys.stderr)
    handler.setFormatter(JsonFormatter() if fmt == "json" else TextFormatter())
    root.addHandler(handler)
    root.setLevel(level)
    # Python warnings (a library's SecurityWarning…) would be bare stderr lines otherwise.
    logging.captureWarnings(True)
