"""Gates → score → MMR → top-K."""

from __future__ import annotations

import numpy as np
import pytest

from adcraft.errors import InputError
from adcraft.scoring.select import mmr_order, select_top_k


def test_lambda_one_is_plain_ranking() -> None:
    scores = np.array([0.1, 0.5, 0.3])
    assert mmr_order(scores, np.eye(3), 1.0, 3) == [1, 2, 0]


def test_near_copies_give_way_to_variety() -> None:
    # Items 0 and 1 are near-identical and score best; 2 is different and a bit worse.
    emb = np.array([[1.0, 0.0], [0.99, 0.01], [0.0, 1.0]])
    scores = np.array([1.0, 0.98, 0.9])
    assert mmr_order(scores, emb, 1.0, 2) == [0, 1]
    assert mmr_order(scores, emb, 0.4, 2) == [0, 2]


def test_a_failing_creative_never_outranks_a_passing_one() -> None:
    scores = [0.9, 0.2, 0.5, 0.95]
    passed = [False, True, True, False]
    order = select_top_k(scores, passed, np.eye(4), k=4, lam=1.0)
    assert order == [2, 1, 3, 0]
    assert select_top_k(scores, passed, np.eye(4), k=1) == [2]


def test_bad_input() -> None:
    with pytest.raises(InputError, match="between 0 and 1"):
        mmr_order(np.zeros(2), np.eye(2), 1.5, 2)
    with pytest.raises(InputError, match="one gate result"):
        select_top_k([1.0], [True, False], np.eye(2), 1)
