"""Fixtures: a scripted OpenAI-compatible server started per test, and a provider pointed at it."""

from __future__ import annotations

import importlib.util
from collections.abc import Iterator

import pytest

from adcraft.copywriting.offline import FieldSpec
from adcraft.domain.brief import Brief
from tests.copywriting_llm.server import FakeOpenAI

_MISSING = [m for m in ("openai", "pydantic_settings") if importlib.util.find_spec(m) is None]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Skip this folder with a clear reason when the `llm` extra is not installed."""
    if _MISSING:
        skip = pytest.mark.skip(reason=f"{', '.join(_MISSING)} missing: pip install 'adcraft[llm]'")
        for item in items:
            if "copywriting_llm" in str(item.path):
                item.add_marker(skip)


SPECS = (
    FieldSpec("headline", "main hook", 30),
    FieldSpec("body", "supporting line", 60),
    FieldSpec("cta", "button label", 14),
)
TENT = Brief(
    product_name="Trail 3 Camping Tent",
    description="A three-season dome tent for three people.",
    selling_points=("waterproof 3000 mm", "3-season"),
    offer="20% off all tents this weekend only",
)


@pytest.fixture
def server() -> Iterator[FakeOpenAI]:
    """A fresh scripted server; append Replies to ``server.script`` before calling it."""
    with FakeOpenAI() as srv:
        yield srv
