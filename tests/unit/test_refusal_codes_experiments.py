"""An A/B experiment's refusals (its arms, a pause, resume or stop its status does not allow)
carry a code and its values, so the experiments page says them in its language."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any, cast

import pytest

from adcraft.api.routes.experiments import ExperimentIn, change_status, create_experiment
from adcraft.errors import Conflict, InputError

NOTHING = cast(Any, None)  # the refusal comes before any database is touched
MARKETER = cast(Any, SimpleNamespace(tenant_id="t1"))


def _experiment(*controls: bool) -> ExperimentIn:
    arms = [{"creative_id": f"c{i}", "control": c} for i, c in enumerate(controls)]
    return ExperimentIn.model_validate({"name": "Spring", "placement": "home.hero", "arms": arms})


@pytest.mark.parametrize(
    ("controls", "code"),
    [((True,), "experiment_too_few_arms"), ((False, False), "experiment_one_control")],
)
def test_an_experiment_without_two_arms_or_one_control(
    controls: tuple[bool, ...], code: str
) -> None:
    with pytest.raises(InputError) as got:
        create_experiment(_experiment(*controls), MARKETER, NOTHING)
    assert (got.value.code, got.value.params) == (code, {})


@pytest.mark.parametrize(
    ("action", "status"), [("pause", "stopped"), ("resume", "running"), ("stop", "stopped")]
)
def test_an_action_the_experiments_status_does_not_allow(action: str, status: str) -> None:
    row = SimpleNamespace(status=status)
    session = cast(Any, SimpleNamespace(scalars=lambda q: SimpleNamespace(first=lambda: row)))
    with pytest.raises(Conflict) as got:
        change_status("e1", cast(Any, action), MARKETER, session)
    assert got.value.code == f"experiment_cannot_{action}"
    assert got.value.params == {"experiment_status": status}
    assert str(got.value) == f"cannot {action} an experiment that is {status}"
