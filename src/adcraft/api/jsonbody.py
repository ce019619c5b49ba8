"""JSON request bodies parsed off the event loop, within limits on size, keys and depth.

``json.loads`` of a large body holds the event loop (a 26 MiB body of small keys stalled every
other request for seconds), so the admission middleware parses it in a worker thread, refuses
bodies with too many keys or too deep a nesting, and leaves the result in the request scope;
routes built with :class:`ParsedJSONRoute` use it instead of parsing the bytes again.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import Request, Response
from fastapi.routing import APIRoute

from adcraft.api.textcheck import check_value
from adcraft.errors import InputError

PARSED_JSON = "adcraft.parsed_json"
"""Key in ``scope['state']`` under which the admission middleware leaves the parsed body."""


class JSONLimitExceeded(InputError):
    """A JSON body with too many keys or too deep a nesting."""


def parse_json(body: bytes, *, max_keys: int, max_depth: int) -> Any:
    """The parsed body; JSONDecodeError for malformed JSON, JSONLimitExceeded past a limit."""
    keys = 0

    def count_pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        nonlocal keys
        keys += len(pairs)
        if keys > max_keys:
            raise JSONLimitExceeded(f"the JSON body has more than {max_keys:,} keys")
        return dict(pairs)

    try:
        value = json.loads(body, object_pairs_hook=count_pairs)
    except RecursionError:
        raise JSONLimitExceeded(
            f"the JSON body is nested more than {max_depth} levels deep"
        ) from None
    _check_depth(value, max_depth)
    check_value(value)
    return value


def _check_depth(value: Any, max_depth: int) -> None:
    # Iterative, so a deep document cannot exhaust the interpreter's stack here either.
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict | list):
            if depth > max_depth:
                raise JSONLimitExceeded(
                    f"the JSON body is nested more than {max_depth} levels deep"
                )
            children = item.values() if isinstance(item, dict) else item
            stack.extend((c, depth + 1) for c in children if isinstance(c, dict | list))


class _ParsedJSONRequest(Request):
    async def json(self) -> Any:
        state = self.scope.get("state") or {}
        if PARSED_JSON in state:
            return state[PARSED_JSON]
        return await super().json()


class ParsedJSONRoute(APIRoute):
    """An API route whose JSON body is the one the admission middleware already parsed."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def with_parsed_json(request: Request) -> Response:
            return await handler(_ParsedJSONRequest(request.scope, request.receive))

        return with_parsed_json
