"""A catalogue bulk run's refusals (its rules, its worker count, its export target, an action
its state does not allow) carry a code and its values, so a client (the runs page) says them in
its language (the English detail stays)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from adcraft.catalog.bulk.control import apply_action
from adcraft.catalog.bulk.rules import parse_rule
from adcraft.catalog.bulk.spec import RunSpec
from adcraft.catalog.bulk.state import RunState
from adcraft.catalog.delivery.export import destination
from adcraft.catalog.service import CatalogService
from adcraft.errors import Conflict, InputError


@pytest.mark.parametrize(
    ("rule", "code", "params"),
    [
        (
            "sale_price? template=promo",
            "rule_no_arrow",
            {"rule": "sale_price? template=promo"},
        ),
        ("!brand=Acme -> badge=New", "rule_bad_condition", {"condition": "!brand=Acme"}),
        ("sale_price? -> colour=red", "rule_bad_action", {"action": "colour=red"}),
    ],
)
def test_a_bulk_rule_that_cannot_be_read(rule: str, code: str, params: dict[str, Any]) -> None:
    with pytest.raises(InputError) as got:
        parse_rule(rule)
    assert (got.value.code, got.value.params) == (code, params)


def test_a_bulk_rule_with_a_value_out_of_bounds() -> None:
    rule = "sale_price? -> badge=red"  # a colour as #rrggbb
    with pytest.raises(InputError) as got:
        parse_rule(rule)
    assert got.value.code == "rule_invalid"
    assert got.value.params["rule"] == rule and "badge" in str(got.value.params["reason"])


def test_more_workers_than_the_server_allows(tmp_path: Path) -> None:
    svc = CatalogService(tmp_path, max_workers=4)
    with pytest.raises(InputError) as got:
        svc.worker_count(9)
    assert (got.value.code, got.value.params) == ("run_workers_out_of_range", {"max": 4})


@pytest.mark.parametrize(
    ("target", "code"),
    [("s3:///exports", "export_target_no_bucket"), ("ftp://files/x", "export_target_invalid")],
)
def test_an_export_target_that_is_no_folder_or_bucket(target: str, code: str) -> None:
    with pytest.raises(InputError) as got:
        destination(target)
    assert (got.value.code, got.value.params) == (code, {"target": target})


@pytest.mark.parametrize(
    ("status", "action", "code"),
    [
        ("completed", "pause", "run_cannot_pause"),
        ("cancelled", "resume", "run_cannot_resume"),
        ("completed", "cancel", "run_cannot_cancel"),
    ],
)
def test_a_run_action_its_state_does_not_allow(
    tmp_path: Path, status: str, action: str, code: str
) -> None:
    state = RunState(tmp_path / "bulk.db")
    try:
        run = state.create_run(RunSpec(), "feed.xml", "r1", status=status)
        with pytest.raises(Conflict) as got:
            apply_action(state, run, action)
        assert (got.value.code, got.value.params) == (code, {"run": "r1", "run_status": status})
        with pytest.raises(Conflict) as got:
            apply_action(state, run, "retry")
        assert (got.value.code, got.value.params) == ("run_nothing_to_retry", {"run": "r1"})
    finally:
        state.close()
