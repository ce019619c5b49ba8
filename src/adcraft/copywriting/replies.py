"""Reading a model's answer: the JSON object of field texts, tolerant of fences and key case."""

from __future__ import annotations

import json
from collections.abc import Sequence

import regex

from adcraft.copywriting.offline import FieldSpec

_FENCE = regex.compile(r"```(?:json)?\s*(.*?)```", regex.DOTALL)


def parse_fields(text: str, specs: Sequence[FieldSpec]) -> tuple[dict[str, str] | None, str]:
    """The answer's field texts, or None and what is wrong with it (repair tolerant of case)."""
    body = text.strip()
    fence = _FENCE.search(body)
    if fence:
        body = fence.group(1).strip()
    start, end = body.find("{"), body.rfind("}")
    if start < 0 or end <= start:
        return None, "the reply is not a JSON object"
    try:
        data = json.loads(body[start : end + 1])
    except json.JSONDecodeError as exc:
        return None, f"the reply is not valid JSON ({exc.msg} at character {exc.pos})"
    if not isinstance(data, dict):
        return None, "the reply is JSON but not an object"
    by_fold = {str(k).casefold().strip(): v for k, v in data.items()}
    out: dict[str, str] = {}
    missing: list[str] = []
    for s in specs:
        value = data.get(s.name, by_fold.get(s.name.casefold()))
        if value is None:
            missing.append(s.name)
        elif isinstance(value, str | int | float) and not isinstance(value, bool):
            out[s.name] = str(value)
        else:
            return None, f'field "{s.name}" must be a string, got {type(value).__name__}'
    if missing:
        extra = sorted(set(by_fold) - {s.name.casefold() for s in specs})
        got = f" (it has {', '.join(extra)})" if extra else ""
        return None, f"keys {', '.join(missing)} are missing{got}"
    return out, ""
