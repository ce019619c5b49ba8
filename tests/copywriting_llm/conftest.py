"""Fixtures: a scripted OpenAI-compatible server started per test, and a provider pointed at it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from adcraft.copywriting.offline import FieldSpec
from adcraft.domain.brief import Brief
from tests.copywriting_llm.server import FakeOpenAI

pytest.importorskip("openai", reason="the OpenAI provider needs: pip install 'adcraft[llm]'")

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
