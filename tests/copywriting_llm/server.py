"""A small OpenAI-compatible chat server for tests and the copy benchmark (standard library only).

It is not a language model. It answers ``POST /v1/chat/completions`` either from a script of
canned replies (429 with Retry-After, 500, a hang, malformed JSON, wrong fields ...) or, when
the script is used up, with :func:`long_copywriter`: copy assembled from the prompt's data block
that is deliberately too long on the first turn and shorter on each follow-up, so the limit loop
and the truncation fallback are exercised. Every request body is recorded, and the largest
number of requests in flight at once is counted.
"""

from __future__ import annotations

import json
import math
import re
import threading
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Reply:
    """One scripted answer: an HTTP status, headers, a body and a delay before answering."""

    status: int = 200
    body: Any = None
    """A dict (sent as JSON), str/bytes (sent raw) or None (use ``content``)."""
    content: str | None = None
    """Shortcut: a 200 chat completion whose message is this text."""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0


def completion(content: str, model: str = "scripted") -> dict[str, Any]:
    """A chat.completion response body carrying ``content``."""
    return {
        "id": "chatcmpl-test",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": model,
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": content},
                "finish_reason": "stop",
            }
        ],
        "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
    }


def error_body(message: str, kind: str = "server_error") -> dict[str, Any]:
    """An OpenAI-style error body."""
    return {"error": {"message": message, "type": kind, "code": None}}


_DATA = re.compile(r"<<(DATA-[0-9a-f]+)>>\n(.*?)\n<</\1>>", re.S)
_SCHEMA = re.compile(r"JSON schema of the answer:\n(\{.*?\})\n", re.S)


def request_schema(body: dict[str, Any]) -> dict[str, Any]:
    """The answer schema of a request: from response_format, else from the system prompt."""
    fmt = body.get("response_format") or {}
    if fmt.get("type") == "json_schema":
        return dict(fmt["json_schema"]["schema"])
    system = next((m["content"] for m in body["messages"] if m["role"] == "system"), "")
    found = _SCHEMA.search(system + "\n")
    return json.loads(found.group(1)) if found else {"properties": {}}


def request_data(body: dict[str, Any]) -> dict[str, Any]:
    """The brief data block of a request, with datamarks removed."""
    for m in body["messages"]:
        found = _DATA.search(m["content"])
        if found:
            raw = found.group(2).replace("ˆ", " ")
            return dict(json.loads(raw))
    return {}


_FACTORS = (1.6, 1.25, 1.0, 0.9)


def long_copywriter(body: dict[str, Any]) -> Reply:
    """Copy from the prompt's own data: 1.6x each limit first, then 1.25x, then within it.

    A field whose name and product hash to 0 mod 4 stays 10% over every time ("stubborn"), so
    some creatives need the truncation fallback. Text is cut at spaces only — no smarter than a
    careless writer — so key facts can be lost, which the writer must flag.
    """
    schema = request_schema(body)
    data = request_data(body)
    turn = sum(1 for m in body["messages"] if m["role"] == "assistant")
    pieces = [
        data.get("offer", ""),
        data.get("product", ""),
        *data.get("selling_points", []),
        data.get("description", ""),
        *data.get("more_offers", []),
    ]
    source = " · ".join(p for p in pieces if p) or "Great product"
    out: dict[str, str] = {}
    for name, prop in schema.get("properties", {}).items():
        limit = int(prop.get("maxLength", 40))
        stubborn = zlib.crc32(f"{name}|{data.get('product', '')}".encode()) % 4 == 0
        factor = 1.1 if stubborn else _FACTORS[min(turn, len(_FACTORS) - 1)]
        target = max(1, math.ceil(limit * factor))
        text = source
        while len(text) < target:
            text = f"{text} · {source}"
        cut = text[:target]
        if " " in cut and len(text) > target and factor <= 1.0:
            cut = cut[: cut.rfind(" ")]
        out[name] = cut.strip(" ·")
    return Reply(content=json.dumps(out, ensure_ascii=False))


class FakeOpenAI:
    """An OpenAI-compatible server on 127.0.0.1 with scripted replies; use as a context manager."""

    def __init__(
        self,
        script: list[Reply] | None = None,
        responder: Callable[[dict[str, Any]], Reply] = long_copywriter,
        *,
        default_delay: float = 0.0,
    ) -> None:
        self.script = list(script or [])
        self.responder = responder
        self.default_delay = default_delay
        self.requests: list[dict[str, Any]] = []
        self.auth: list[str | None] = []
        """The Authorization header of each request, in order."""
        self.hosts: list[str | None] = []
        """The Host header of each request, in order."""
        self.in_flight = 0
        self.max_in_flight = 0
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        """Base URL to give the SDK (ends in /v1)."""
        assert self._server is not None, "start the server first"
        return f"http://127.0.0.1:{self._server.server_address[1]}/v1"

    @property
    def port(self) -> int:
        """The port the server listens on."""
        assert self._server is not None, "start the server first"
        return int(self._server.server_address[1])

    def _next(self, body: dict[str, Any]) -> Reply:
        with self._lock:
            self.requests.append(body)
            scripted = self.script.pop(0) if self.script else None
        return scripted if scripted is not None else self.responder(body)

    def __enter__(self) -> FakeOpenAI:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:
                pass

            def do_POST(self) -> None:
                size = int(self.headers.get("content-length") or 0)
                body = json.loads(self.rfile.read(size) or b"{}")
                with fake._lock:
                    fake.auth.append(self.headers.get("authorization"))
                    fake.hosts.append(self.headers.get("host"))
                with fake._lock:
                    fake.in_flight += 1
                    fake.max_in_flight = max(fake.max_in_flight, fake.in_flight)
                try:
                    reply = fake._next(body)
                    time.sleep(reply.delay or fake.default_delay)
                finally:
                    with fake._lock:
                        fake.in_flight -= 1
                payload: Any = (
                    reply.body if reply.body is not None else completion(reply.content or "")
                )
                data = (
                    payload.encode()
                    if isinstance(payload, str)
                    else payload
                    if isinstance(payload, bytes)
                    else json.dumps(payload, ensure_ascii=False).encode()
                )
                try:
                    self.send_response(reply.status)
                    self.send_header("content-type", "application/json")
                    self.send_header("content-length", str(len(data)))
                    for k, v in reply.headers.items():
                        self.send_header(k, v)
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (a timeout test)

        class Server(ThreadingHTTPServer):
            daemon_threads = True

            def handle_error(self, request: Any, client_address: Any) -> None:
                pass

        self._server = Server(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        assert self._server is not None
        self._server.shutdown()
        self._server.server_close()
