"""An experiment's results from daily per-arm counts: intervals, tests, verdicts.

Each AI arm is compared with the control by the pre-registered mSPRT (``sequential``), one
look per day of data. The arms' always-valid p-values are Holm-adjusted, and a verdict is given
only when the adjusted p-value is below alpha — otherwise "not yet decided". The fixed-horizon
Farrington-Manning p-value is shown for reference (valid only if this is the single planned
look).

Clicks are credited per viewer (``CREDITED_COUNTS_SQL``): a click counts only when the same
viewer (``user_hash``) was shown the same arm, and a viewer's credited clicks never exceed their
impressions of the arm so far. Clicks without such an impression are left out and reported.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from adcraft.experiments.sequential import Look, SequentialDesign, Verdict, monitor
from adcraft.experiments.stats import holm_adjusted, noninferiority_test, wilson_interval
from adcraft.notes import say as say_note

# One row per arm and calendar day: impressions, clicks credited to an impression of the same
# viewer, and all clicks. Per (arm, viewer), the credited clicks up to a day are
# min(clicks so far, impressions so far), so a click the day after its impression still counts
# and a viewer's clicks never outnumber the times the arm was shown to them. Events without a
# viewer (``user_hash`` empty, e.g. posted by an ad server that sends none) are credited per arm
# and day: min(clicks, impressions).
CREDITED_COUNTS_SQL = """
SELECT arm_id, day, sum(shown) AS impressions, sum(credited) AS clicks,
    sum(clicked) AS all_clicks
FROM (
    SELECT arm_id, day, shown, clicked,
        if(user_hash = '', least(clicked, shown),
            least(sum(clicked) OVER w, sum(shown) OVER w)
            - least(sum(clicked) OVER w - clicked, sum(shown) OVER w - shown)) AS credited
    FROM (
        SELECT arm_id, user_hash, toString(toDate(ts)) AS day,
            toInt64(countIf(type = 'impression')) AS shown,
            toInt64(countIf(type = 'click')) AS clicked
        FROM events FINAL
        WHERE tenant_id = {tenant:String} AND experiment_id = {experiment:String}
            AND type IN ('impression', 'click')
        GROUP BY arm_id, user_hash, day
    )
    WINDOW w AS (PARTITION BY arm_id, user_hash ORDER BY day
        ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)
)
GROUP BY arm_id, day ORDER BY day, arm_id"""


@dataclass(frozen=True)
class ArmInfo:
    """What the results need to know about an arm."""

    arm_id: str
    name: str
    creative_id: str
    control: bool


@dataclass(frozen=True)
class DayCount:
    """One arm's impressions and clicks on one day."""

    arm_id: str
    day: str
    impressions: int
    clicks: int
    """Clicks credited to an impression (``CREDITED_COUNTS_SQL``)."""
    uncredited: int = 0
    """Clicks left out: no impression of the arm to the same viewer."""


def analyse(
    arms: Sequence[ArmInfo], days: Sequence[DayCount], design: SequentialDesign
) -> dict[str, Any]:
    """Per-arm CTRs with Wilson intervals and per-AI-arm verdicts against the control."""
    warnings: list[str] = []
    per_day: dict[str, dict[str, tuple[int, int]]] = defaultdict(dict)
    for d in days:
        clicks = min(d.clicks, d.impressions)
        ignored = d.uncredited + d.clicks - clicks
        if ignored:
            warnings.append(say_note("clicks_ignored", arm=d.arm_id, day=d.day, ignored=ignored))
        per_day[d.arm_id][d.day] = (d.impressions, clicks)
    all_days = sorted({d.day for d in days})
    cumulative: dict[str, list[tuple[int, int]]] = {}
    for a in arms:
        n = c = 0
        series = []
        for day in all_days:
            i, k = per_day[a.arm_id].get(day, (0, 0))
            n, c = n + i, c + k
            series.append((n, c))
        cumulative[a.arm_id] = series
    totals = {a.arm_id: cumulative[a.arm_id][-1] if all_days else (0, 0) for a in arms}
    arm_rows = []
    for a in arms:
        n, c = totals[a.arm_id]
        lo, hi = wilson_interval(c, n)
        arm_rows.append(
            {
                "arm_id": a.arm_id,
                "name": a.name,
                "creative_id": a.creative_id,
                "control": a.control,
                "impressions": n,
                "clicks": c,
                "ctr": c / n if n else None,
                "ctr_interval": [float(lo), float(hi)],
            }
        )
    control = next(a for a in arms if a.control)
    challengers = [a for a in arms if not a.control]
    raw: list[tuple[ArmInfo, float, float, float | None]] = []
    for a in challengers:
        looks = [
            Look(ca, na, cc, nc)
            for (na, ca), (nc, cc) in zip(
                cumulative[a.arm_id], cumulative[control.arm_id], strict=True
            )
        ]
        seq = monitor(looks, design)
        na, ca = totals[a.arm_id]
        nc, cc = totals[control.arm_id]
        fixed_p = (
            noninferiority_test(ca, na, cc, nc, design.margin, design.alpha).p_value
            if na and nc
            else None
        )
        raw.append((a, seq.p_non_inferior, seq.p_inferior, fixed_p))
    adj_ni = holm_adjusted([r[1] for r in raw]) if raw else []
    adj_inf = holm_adjusted([r[2] for r in raw]) if raw else []
    comparisons = []
    for (a, p_ni, _p_inf, fixed_p), q_ni, q_inf in zip(raw, adj_ni, adj_inf, strict=True):
        verdict = Verdict.UNDECIDED
        if q_ni < design.alpha:
            verdict = Verdict.NON_INFERIOR
        elif q_inf < design.alpha:
            verdict = Verdict.INFERIOR
        na, ca = totals[a.arm_id]
        nc, cc = totals[control.arm_id]
        ratio = (ca / na) / (cc / nc) if na and nc and cc else None
        comparisons.append(
            {
                "arm_id": a.arm_id,
                "ctr_ratio_to_control": ratio,
                "verdict": verdict.value,
                "p_non_inferior_always_valid": p_ni,
                "p_non_inferior_holm": q_ni,
                "p_inferior_holm": q_inf,
                "p_non_inferior_fixed_horizon": fixed_p,
            }
        )
    return {
        "design": {
            "hypothesis": f"H0: CTR_arm <= {design.margin:g} x CTR_control (one-sided)",
            "margin": design.margin,
            "alpha": design.alpha,
            "method": "mSPRT (always valid, daily looks), Holm across arms",
            "tau": design.tau,
            "looks": len(all_days),
        },
        "control_arm_id": control.arm_id,
        "arms": arm_rows,
        "comparisons": comparisons,
        "warnings": warnings,
    }
