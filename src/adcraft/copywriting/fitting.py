"""Fitting text that will not fit, without changing what it says.

When the copywriter cannot write a field short enough for a size, the seed cut it at a word
boundary: "Купить сейча", "Seguro de:", "セールは日曜日ま". On an image a cut is never acceptable,
so the order here is: a shorter *whole* phrasing (a call to action from the language's list,
the product name, a claim of the brief, a selling point), then leaving the field out when the
template allows, and only for a required field with nothing whole that fits a word-boundary
cut that keeps every claim whole — which the publishability check then reports.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from adcraft.copywriting.claimcheck import ClaimContext
from adcraft.copywriting.limits import Counting, measure, truncate
from adcraft.copywriting.locale import all_ctas, cta_intent, cta_options
from adcraft.domain.brief import Brief

Action = Literal["rephrased", "dropped", "cut"]


@dataclass(frozen=True)
class Fitted:
    """What became of a field that did not fit: its new text and how it was obtained."""

    text: str
    action: Action


def shorter_cta(brief: Brief, limit: int, counting: Counting = "graphemes") -> str | None:
    """The longest call to action of the language that fits, the brief's own intent first."""
    intent = cta_intent(brief.category, f"{brief.product_name} {brief.description}")
    same = sorted(cta_options(brief.language, intent), key=len, reverse=True)
    others = sorted(all_ctas(brief.language) - set(same), key=len, reverse=True)
    return next((c for c in [*same, *others] if measure(c, counting) <= limit), None)


def whole_candidates(field: str, brief: Brief, ctx: ClaimContext) -> list[str]:
    """Whole phrasings a field may fall back to, most fitting for its role first."""
    names = [brief.product_name]
    claims = [c.text for c in ctx.claims if c.kind != "deadline"]
    points = list(brief.selling_points)
    if field == "badge":
        return claims
    if field == "headline":
        return [*names, *claims]
    return [*claims, *points]


def fit_field(
    field: str,
    text: str,
    limit: int,
    brief: Brief,
    ctx: ClaimContext,
    *,
    required: bool,
    used: Sequence[str] = (),
    counting: Counting = "graphemes",
) -> Fitted:
    """A whole replacement for ``text`` within ``limit``, or the field dropped, or as a last
    resort for a required field a cut that keeps claims whole (reported as ``cut``)."""
    if field == "cta":
        cta = shorter_cta(brief, limit, counting)
        if cta is not None:
            return Fitted(cta, "rephrased")
        return Fitted("", "dropped") if not required else Fitted(_shortest_cta(brief), "rephrased")
    taken = {u.casefold() for u in used}
    for candidate in whole_candidates(field, brief, ctx):
        if candidate.casefold() not in taken and measure(candidate, counting) <= limit:
            return Fitted(candidate, "rephrased")
    if not required:
        return Fitted("", "dropped")
    atomic = [c.text for c in ctx.claims]
    return Fitted(truncate(text, limit, brief.language, counting=counting, atomic=atomic), "cut")


def _shortest_cta(brief: Brief) -> str:
    return min(all_ctas(brief.language), key=len)
