"""A coded refusal keeps its English message and carries its code and values."""

from __future__ import annotations

from adcraft.errors import InputError
from adcraft.problem_codes import PROBLEMS, refuse


def test_a_refusal_says_its_template_and_keeps_its_values() -> None:
    err = refuse("too_many_variants", count=30, max=24)
    assert isinstance(err, InputError)
    assert str(err) == "variants must be at most 24, got 30"
    assert (err.code, err.params) == ("too_many_variants", {"count": 30, "max": 24})


def test_an_error_without_a_code_has_none() -> None:
    err = InputError("something else")
    assert err.code is None and err.params == {}


def test_every_code_is_a_plain_name() -> None:
    assert all(code.isidentifier() and code.islower() for code in PROBLEMS)
