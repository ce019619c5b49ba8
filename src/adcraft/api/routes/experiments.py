"""``/experiments`` (create, pause, resume, stop, results) and ``/serve/{placement}``.

Serving picks the newest experiment on the placement. A running one assigns the viewer an arm
(sticky: the first assignment is stored) from the policy's shares, computed from the arms'
impressions and clicks in the analytics store; a paused or stopped one serves its control.
The answer carries the signed impression and click URLs of the analytics tracking endpoints,
tagged with the experiment and arm, so the traffic flows back into the same counts.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from typing import Annotated, Any, Literal

import numpy as np
from fastapi import APIRouter, Path, Query, Request
from pydantic import BaseModel, Field
from sqlalchemy import select
from sqlalchemy.orm import Session

from adcraft.analytics.events import EventStore, Ident
from adcraft.api.analytics_deps import AnalyticsDep
from adcraft.api.deps import ContainerDep, PrincipalDep, SessionDep
from adcraft.api.lookup import get_owned
from adcraft.api.routes.tracking import issue_links
from adcraft.api.views import notes_of
from adcraft.db.models import (
    CreativeRow,
    ExperimentArmRow,
    ExperimentAssignmentRow,
    ExperimentRow,
    Version,
)
from adcraft.errors import Conflict, NotFound
from adcraft.experiments.bandits import Guardrails, Policy, assign, shares
from adcraft.experiments.results import CREDITED_COUNTS_SQL, ArmInfo, DayCount, analyse
from adcraft.experiments.sequential import SequentialDesign
from adcraft.problem_codes import refuse

router = APIRouter(prefix="/experiments", tags=["experiments"])
serve_router = APIRouter(prefix="/serve", tags=["experiments"])

MAX_ARMS = 20

# Per arm and day from the hourly table: cheap enough for every serve (adaptive shares). The
# results read the raw events instead, to credit clicks per viewer (``CREDITED_COUNTS_SQL``).
ARM_COUNTS_SQL = """
SELECT arm_id, toString(toDate(hour)) AS day, sum(impressions) AS impressions,
    sum(clicks) AS clicks
FROM events_hourly
WHERE tenant_id = {tenant:String} AND experiment_id = {experiment:String}
GROUP BY arm_id, day ORDER BY day, arm_id"""


class ArmIn(BaseModel):
    creative_id: Ident = Field(min_length=1)
    version: int | None = Field(default=None, ge=1)
    control: bool = False
    weight: float = Field(default=1.0, gt=0, le=1000)
    name: str = Field(default="", max_length=100)


class GuardrailsIn(BaseModel):
    min_impressions: int = Field(default=200, ge=0, le=10_000_000)
    min_share: float = Field(default=0.0, ge=0, le=1)
    max_share: float = Field(default=1.0, ge=0, le=1)


class ExperimentIn(BaseModel):
    name: str = Field(min_length=1, max_length=200)
    placement: Ident = Field(min_length=1)
    policy: Policy = Policy.FIXED
    arms: list[ArmIn] = Field(max_length=MAX_ARMS)
    margin: float = Field(default=0.9, gt=0, le=1)
    alpha: float = Field(default=0.05, gt=0, lt=0.5)
    expected_control_ctr: float = Field(
        default=0.02, gt=0, lt=1, description="Pre-registers the sequential test's mixing scale"
    )
    guardrails: GuardrailsIn = GuardrailsIn()


def _arms(s: Session, exp: ExperimentRow) -> list[ExperimentArmRow]:
    return list(
        s.scalars(
            select(ExperimentArmRow)
            .where(ExperimentArmRow.experiment_id == exp.id)
            .order_by(ExperimentArmRow.position)
        )
    )


def _out(s: Session, exp: ExperimentRow) -> dict[str, Any]:
    return {
        "id": exp.id,
        "name": exp.name,
        "placement": exp.placement,
        "policy": exp.policy,
        "status": exp.status,
        "margin": exp.margin,
        "alpha": exp.alpha,
        "tau": exp.tau,
        "guardrails": exp.guardrails,
        "created_at": exp.created_at,
        "stopped_at": exp.stopped_at,
        "arms": [
            {
                "id": a.id,
                "name": a.name,
                "creative_id": a.creative_id,
                "version": a.version,
                "control": bool(a.control),
                "weight": a.weight,
            }
            for a in _arms(s, exp)
        ],
    }


@router.post("", status_code=201)
def create_experiment(body: ExperimentIn, p: PrincipalDep, s: SessionDep) -> dict[str, Any]:
    """Create and start an experiment; exactly one arm is the control (e.g. the human-made one)."""
    if len(body.arms) < 2:
        raise refuse("experiment_too_few_arms")
    if sum(a.control for a in body.arms) != 1:
        raise refuse("experiment_one_control")
    g = Guardrails(**body.guardrails.model_dump())
    g.check(len(body.arms))
    design = SequentialDesign.for_baseline(body.expected_control_ctr, body.margin, body.alpha)
    for a in body.arms:
        # Another tenant's creative is "not found" here, exactly like one that does not exist.
        row = get_owned(s, CreativeRow, a.creative_id, p.tenant_id, "creative")
        if a.version is not None:
            # The stored versions, not 1..current: a reverted creative's current version is an
            # earlier one, and its later versions still exist.
            numbers = sorted(s.scalars(select(Version.number).where(Version.creative_id == row.id)))
            if a.version not in numbers:
                have = ", ".join(map(str, numbers)) or "none"
                raise refuse(
                    "experiment_version_missing", creative=row.id, version=a.version, versions=have
                )
    exp = ExperimentRow(
        tenant_id=p.tenant_id,
        name=body.name,
        placement=body.placement,
        policy=body.policy.value,
        status="running",
        margin=design.margin,
        alpha=design.alpha,
        tau=design.tau,
        guardrails=body.guardrails.model_dump(),
    )
    s.add(exp)
    s.flush()
    for i, a in enumerate(body.arms):
        s.add(
            ExperimentArmRow(
                experiment_id=exp.id,
                tenant_id=p.tenant_id,
                creative_id=a.creative_id,
                version=a.version,
                control=int(a.control),
                weight=a.weight,
                name=a.name or ("control" if a.control else f"arm {i + 1}"),
                position=i,
            )
        )
    s.commit()
    return _out(s, exp)


@router.get("")
def list_experiments(p: PrincipalDep, s: SessionDep) -> list[dict[str, Any]]:
    """Your experiments, newest first."""
    rows = s.scalars(
        select(ExperimentRow)
        .where(ExperimentRow.tenant_id == p.tenant_id)
        .order_by(ExperimentRow.created_at.desc())
        .limit(200)
    )
    return [_out(s, e) for e in rows]


@router.get("/{experiment_id}")
def get_experiment(experiment_id: str, p: PrincipalDep, s: SessionDep) -> dict[str, Any]:
    """One experiment with its arms."""
    return _out(s, get_owned(s, ExperimentRow, experiment_id, p.tenant_id, "experiment"))


_TRANSITIONS = {
    "pause": ({"running"}, "paused"),
    "resume": ({"paused"}, "running"),
    "stop": ({"running", "paused"}, "stopped"),
}


@router.post("/{experiment_id}/{action}")
def change_status(
    experiment_id: str,
    action: Literal["pause", "resume", "stop"],
    p: PrincipalDep,
    s: SessionDep,
) -> dict[str, Any]:
    """Pause (serve the control only), resume, or stop for good (serve the control)."""
    exp = get_owned(s, ExperimentRow, experiment_id, p.tenant_id, "experiment")
    allowed, new = _TRANSITIONS[action]
    if exp.status not in allowed:
        # By its status as the page shows it (the web app words the status in its language).
        raise refuse(f"experiment_cannot_{action}", kind=Conflict, experiment_status=exp.status)
    exp.status = new
    if new == "stopped":
        exp.stopped_at = datetime.now(UTC)
    s.commit()
    return _out(s, exp)


def _day_counts(store: EventStore, tenant_id: str, experiment_id: str) -> list[DayCount]:
    rows = store.query(ARM_COUNTS_SQL, {"tenant": tenant_id, "experiment": experiment_id})
    return [
        DayCount(str(r["arm_id"]), str(r["day"]), int(r["impressions"]), int(r["clicks"]))
        for r in rows
    ]


@router.get("/{experiment_id}/results")
def results(experiment_id: str, p: PrincipalDep, s: SessionDep, a: AnalyticsDep) -> dict[str, Any]:
    """Per-arm CTR with Wilson intervals; per AI arm the non-inferiority verdict against the
    control — "not_yet_decided" until the sequential design allows a decision."""
    exp = get_owned(s, ExperimentRow, experiment_id, p.tenant_id, "experiment")
    arms = _arms(s, exp)
    rows = a.require_store().query(
        CREDITED_COUNTS_SQL, {"tenant": p.tenant_id, "experiment": exp.id}
    )
    counts = [
        DayCount(
            str(r["arm_id"]),
            str(r["day"]),
            int(r["impressions"]),
            int(r["clicks"]),
            int(r["all_clicks"]) - int(r["clicks"]),
        )
        for r in rows
    ]
    known = {arm.id for arm in arms}
    design = SequentialDesign(margin=exp.margin, alpha=exp.alpha, tau=exp.tau)
    out = analyse(
        [ArmInfo(arm.id, arm.name, arm.creative_id, bool(arm.control)) for arm in arms],
        [c for c in counts if c.arm_id in known],
        design,
    )
    notes = [n.model_dump() for n in notes_of(out["warnings"])]
    return {"experiment_id": exp.id, "status": exp.status, **out, "warning_notes": notes}


def _current_experiment(s: Session, tenant_id: str, placement: str) -> ExperimentRow:
    exp = s.scalars(
        select(ExperimentRow)
        .where(ExperimentRow.tenant_id == tenant_id, ExperimentRow.placement == placement)
        .order_by(ExperimentRow.created_at.desc())
        .limit(1)
    ).first()
    if exp is None:
        raise NotFound(f"no experiment on placement {placement!r}")
    return exp


def _choose(
    s: Session,
    store: EventStore | None,
    exp: ExperimentRow,
    arms: list[ExperimentArmRow],
    user: str,
) -> ExperimentArmRow:
    control = next(a for a in arms if a.control)
    if exp.status != "running":
        return control  # paused or stopped: everyone sees the control
    known = s.get(ExperimentAssignmentRow, (exp.id, user))
    by_id = {a.id: a for a in arms}
    if known is not None and known.arm_id in by_id:
        return by_id[known.arm_id]
    clicks = np.zeros(len(arms))
    imps = np.zeros(len(arms))
    if store is not None and exp.policy != Policy.FIXED.value:
        index = {a.id: i for i, a in enumerate(arms)}
        for c in _day_counts(store, exp.tenant_id, exp.id):
            if c.arm_id in index:
                imps[index[c.arm_id]] += c.impressions
                clicks[index[c.arm_id]] += min(c.clicks, c.impressions)
    # The Monte Carlo draws behind Thompson's shares are seeded by the viewer: each viewer's
    # draw is as random as any other's, and the same traffic against the same counts gives the
    # same assignments (a replay, or a test, is reproducible).
    rng = np.random.default_rng(_viewer_seed(exp.id, user))
    sh = shares(
        Policy(exp.policy),
        clicks,
        imps,
        rng,
        weights=np.array([a.weight for a in arms]),
        guardrails=Guardrails(**exp.guardrails),
    )
    memory: dict[tuple[str, str], str] = {}
    arm_id = assign(exp.id, user, [a.id for a in arms], [float(v) for v in sh], memory)
    s.add(ExperimentAssignmentRow(experiment_id=exp.id, user_hash=user, arm_id=arm_id))
    s.commit()
    return by_id[arm_id]


def _viewer_seed(experiment_id: str, user: str) -> int:
    digest = hashlib.blake2b(f"{experiment_id}\x00{user}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big")


@serve_router.get("/{placement}")
def serve(
    placement: Annotated[str, Path(max_length=64, pattern=r"^[A-Za-z0-9_.:\-]+$")],
    user_hash: Annotated[str, Query(min_length=1, max_length=128)],
    request: Request,
    p: PrincipalDep,
    s: SessionDep,
    c: ContainerDep,
    a: AnalyticsDep,
) -> dict[str, Any]:
    """The creative to show this viewer on ``placement`` and its signed tracking URLs."""
    exp = _current_experiment(s, p.tenant_id, placement)
    arms = _arms(s, exp)
    store = a.store if exp.policy != Policy.FIXED.value else None
    arm = _choose(s, store, exp, arms, user_hash)
    row = get_owned(s, CreativeRow, arm.creative_id, p.tenant_id, "creative")
    links = issue_links(
        request,
        c,
        row,
        version=arm.version,
        placement=placement,
        experiment_id=exp.id,
        arm_id=arm.id,
    )
    return {
        "experiment_id": exp.id,
        "status": exp.status,
        "arm_id": arm.id,
        "control": bool(arm.control),
        "creative_id": row.id,
        "version": arm.version or row.current_version,
        **links.model_dump(mode="json"),
    }
