"""Stored creatives as the CTR model and the ranker see them: the same context generation uses.

Generation ranks a finished creative with its format, style, template, the brief's category,
language and claim kinds, the copy's lengths and the layout metrics (pipeline.rank_made).
Training on a tenant's events and re-ranking a task need the same record for creatives that
are already stored: it is rebuilt here from the creative, its current version and its brief.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError
from sqlalchemy import and_, select
from sqlalchemy.orm import Session

from adcraft.db.models import BriefRow, CreativeRow, Task, Version
from adcraft.experiments.creative_features import CreativeFeatures, copy_text
from adcraft.scoring.ctr.ranker import features_of

_IN_CHUNK = 500  # ids per IN (…) list: SQLite caps bound parameters


@dataclass(frozen=True)
class StoredCreative:
    """A creative row, its current version and the context the ranker scores it in."""

    row: CreativeRow
    version: Version
    context: dict[str, Any]

    @property
    def features(self) -> CreativeFeatures:
        """The CTR model's record of this creative."""
        return features_of(self.version.metrics, self.context)


def _claim_kinds(brief: dict[str, Any]) -> tuple[str, ...]:
    """The kinds of claim the brief makes (discount, price...), as generation passes them."""
    from adcraft.copywriting.claimcheck import context_for_brief
    from adcraft.domain.brief import Brief

    fields = {k: v for k, v in brief.items() if k not in {"image", "brand"}}
    try:
        parsed = Brief.model_validate(fields)
    except ValidationError:
        return ()  # a brief stored by an older version: its claims are unknown, not wrong
    return tuple(sorted({str(c.kind) for c in context_for_brief(parsed).claims}))


def ranking_context(
    row: CreativeRow, version: Version, brief: dict[str, Any], claim_kinds: tuple[str, ...]
) -> dict[str, Any]:
    """What the ranker is given for a stored creative (keys as in pipeline.rank_made)."""
    copy = version.copy_fields or {}
    return {
        "id": row.id,
        "format": row.format,
        "style": row.style,
        "template": row.template,
        "category": brief.get("category") or "general",
        "language": brief.get("language") or "en",
        "claim_kinds": claim_kinds,
        "headline_chars": len(str(copy.get("headline") or "")),
        "body_chars": len(str(copy.get("body") or "")),
        "copy_text": copy_text(copy),
    }


def _chunks(ids: Sequence[str]) -> Iterable[Sequence[str]]:
    for i in range(0, len(ids), _IN_CHUNK):
        yield ids[i : i + _IN_CHUNK]


def stored_creatives(
    s: Session,
    tenant_id: str,
    *,
    ids: Sequence[str] | None = None,
    task_id: str | None = None,
) -> list[StoredCreative]:
    """The tenant's creatives (by id, or of one task) with their current versions, by id."""
    base = (
        select(CreativeRow, Version, BriefRow.id, BriefRow.data)
        .join(
            Version,
            and_(
                Version.creative_id == CreativeRow.id,
                Version.number == CreativeRow.current_version,
            ),
        )
        .join(Task, Task.id == CreativeRow.task_id)
        .join(BriefRow, BriefRow.id == Task.brief_id)
        .where(CreativeRow.tenant_id == tenant_id)
    )
    if task_id is not None:
        base = base.where(CreativeRow.task_id == task_id)
    queries = (
        [base]
        if ids is None
        else [base.where(CreativeRow.id.in_(list(part))) for part in _chunks(sorted(set(ids)))]
    )
    claims: dict[str, tuple[str, ...]] = {}
    out: list[StoredCreative] = []
    for q in queries:
        for row, version, brief_id, brief in s.execute(q).all():
            data = dict(brief or {})
            if brief_id not in claims:
                claims[brief_id] = _claim_kinds(data)
            out.append(
                StoredCreative(row, version, ranking_context(row, version, data, claims[brief_id]))
            )
    out.sort(key=lambda c: c.row.id)
    return out
