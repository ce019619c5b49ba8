"""What a quality gate sees and says: subjects in, one result per check out.

A gate returns, for each creative, zero or more :class:`GateResult` (a creative may be checked
twice by one gate: its product picture and the finished image). Every result carries the
measured value and the threshold it was held to, and a reason in words, so a marketer can see
why a creative was held back and the manifest and the API can show it as it is.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal, Protocol

from PIL import Image
from pydantic import BaseModel, ConfigDict

Subject = Literal["product", "creative", "copy"]


class GateResult(BaseModel):
    """One check of one creative: pass or fail, why, the value measured and the threshold."""

    model_config = ConfigDict(frozen=True)

    gate: str
    subject: Subject
    passed: bool
    reason: str
    value: float | None = None
    threshold: str = ""
    """The rule the value was held to, e.g. '>= 60' or '0.10..0.95'."""


@dataclass(frozen=True)
class GateInput:
    """One finished creative as the gates see it."""

    id: str
    image: Image.Image
    format_id: str = ""
    product: Image.Image | None = None
    """The product picture the creative was made from (RGBA cut-out or photo), if any."""
    fields: Mapping[str, str] = field(default_factory=dict)
    """On-image copy and platform text, by field name."""
    language: str = "en"
    banned_words: tuple[str, ...] = ()
    competitors: tuple[str, ...] = ()
    description: str = ""
    """What the image should show, for image-text alignment (product name and headline)."""


class Gate(Protocol):
    """A quality check over a set of creatives (a set, so duplicates can be found)."""

    name: str

    def check(self, items: Sequence[GateInput]) -> list[list[GateResult]]:
        """One list of results per item, in input order."""
        ...


def passed_all(results: Sequence[GateResult]) -> bool:
    """Whether a creative passed every check it was given (no checks: passed)."""
    return all(r.passed for r in results)


def failures(results: Sequence[GateResult]) -> list[str]:
    """The reasons of the failed checks, for warnings."""
    return [f"{r.gate} ({r.subject}): {r.reason}" for r in results if not r.passed]
