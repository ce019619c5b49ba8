"""Review and approval of a creative: the states, the allowed moves, and the state a history of
review events adds up to.

The history is append-only (who moved the creative to which state, for which version), so the
current state is derived, never stored twice. An approval covers one version: a new version
(an edit, a new look) needs a new review — an approved banner never changes unseen.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from adcraft.errors import AdcraftError

ReviewState = Literal["draft", "in_review", "changes_requested", "approved", "exported"]
REVIEW_STATES: tuple[ReviewState, ...] = (
    "draft",
    "in_review",
    "changes_requested",
    "approved",
    "exported",
)

# Moves a person may ask for; "exported" is reached by exporting an approved creative.
ALLOWED: dict[ReviewState, frozenset[ReviewState]] = {
    "draft": frozenset({"in_review", "approved"}),
    "in_review": frozenset({"approved", "changes_requested", "draft"}),
    "changes_requested": frozenset({"in_review", "draft"}),
    "approved": frozenset({"in_review", "draft"}),
    "exported": frozenset({"in_review", "draft"}),
}


@dataclass(frozen=True)
class ReviewEvent:
    """One recorded move: the state reached, for which version, by whom."""

    state: ReviewState
    version: int
    by: str


class ReviewMoveRefused(AdcraftError):
    """A move the current state does not allow (e.g. a second reviewer approving the same
    version a moment after the first)."""

    http_status = 409


def current_state(events: Iterable[ReviewEvent], current_version: int) -> ReviewState:
    """The state of the creative's current version: the last move made for it, else draft."""
    state: ReviewState = "draft"
    for e in events:
        if e.version == current_version:
            state = e.state
    return state


def check_move(state: ReviewState, target: ReviewState) -> None:
    """Raise ReviewMoveRefused unless ``state`` may move to ``target``."""
    if target == "exported":
        raise ReviewMoveRefused("a creative is marked exported by exporting it, not by hand")
    if target not in ALLOWED[state]:
        allowed = ", ".join(sorted(ALLOWED[state])) or "nothing"
        raise ReviewMoveRefused(f"a creative in state {state} can move to {allowed}, not {target}")
