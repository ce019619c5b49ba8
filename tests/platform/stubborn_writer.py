"""Copywriters for time-limit tests, so a task runs past its limit whatever the machine's speed:
for one product the writer never returns until the soft limit stops it; for another it does
not even stop at the soft limit, as a call stuck in C code would not, and only the hard limit
can end its task. For scheduling tests, a third product waits while a gate file exists, so a
test decides when its tasks may finish. Loaded into a test worker through
``ADCRAFT_PROVIDER_MODULES`` and picked with ``ADCRAFT_LLM_PROVIDER=stubborn``; every other
product is written by the built-in writer."""

from __future__ import annotations

import os
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from adcraft.copywriting.offline import FieldSpec
from adcraft.domain.brief import Brief
from adcraft.domain.creative import CopySet
from adcraft.wiring.registry import create, register

STUCK_PRODUCT = "Stubborn Tent"
SLOW_PRODUCT = "Slow Tent"
GATED_PRODUCT = "Gated Tent"
GATE_ENV = "ADCRAFT_TEST_GATE"
"""The gate file's path, in the worker's environment."""


class StubbornCopywriter:
    name = "stubborn"

    def __init__(self) -> None:
        self._inner = create("copywriter", "builtin")

    def write(
        self, brief: Brief, fields: Sequence[FieldSpec], *, variant: int, n_variants: int
    ) -> CopySet:
        if brief.product_name == GATED_PRODUCT:
            gate = Path(os.environ[GATE_ENV])
            while gate.exists():
                time.sleep(0.05)
        if brief.product_name == SLOW_PRODUCT:
            while True:
                time.sleep(0.05)  # until the soft limit's exception ends the task
        if brief.product_name == STUCK_PRODUCT:
            from celery.exceptions import SoftTimeLimitExceeded  # type: ignore[import-untyped]

            while True:
                try:
                    time.sleep(0.05)
                except SoftTimeLimitExceeded:
                    continue  # swallowed: the soft limit cannot stop this task
        copy: CopySet = self._inner.write(brief, fields, variant=variant, n_variants=n_variants)
        return copy


@register("copywriter", "stubborn", replace=True)
def stubborn(options: Mapping[str, Any]) -> StubbornCopywriter:
    return StubbornCopywriter()
