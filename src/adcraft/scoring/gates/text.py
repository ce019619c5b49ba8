"""Text moderation of a creative's copy: the copy safety filters (copywriting.safety).

Offensive words (per language, plus the English profanity model when installed), the brand's
banned words and competitors, links and markup: the same checks LLM copy must pass, applied to
what the creative finally shows, whichever copywriter wrote it.
"""

from __future__ import annotations

from collections.abc import Sequence

from adcraft.copywriting.safety import OutputChecker
from adcraft.scoring.gates.base import GateInput, GateResult


class TextGate:
    """Fails a creative whose copy trips any safety filter."""

    name = "text"

    def check(self, items: Sequence[GateInput]) -> list[list[GateResult]]:
        """One result per creative: the number of violations, 0 allowed."""
        out = []
        for item in items:
            checker = OutputChecker(
                language=item.language,
                banned_words=item.banned_words,
                competitors=item.competitors,
            )
            found = checker.check({k: v for k, v in item.fields.items() if v})
            if found:
                reason = "; ".join(v.describe() for v in found[:3])
                reason += f" (+{len(found) - 3} more)" if len(found) > 3 else ""
            else:
                reason = "copy passed the safety filters"
            out.append(
                [
                    GateResult(
                        gate=self.name,
                        subject="copy",
                        passed=not found,
                        reason=reason,
                        value=float(len(found)),
                        threshold="= 0",
                    )
                ]
            )
        return out
