"""A copywriter that does not stop at Celery's soft time limit for one product, as a call stuck
in C code would not: only the hard limit can end its task. Loaded into a test worker through
``ADCRAFT_PROVIDER_MODULES`` and picked with ``ADCRAFT_LLM_PROVIDER=stubborn``; every other
product is written by the built-in writer."""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from typing import Any

from adcraft.copywriting.offline import FieldSpec
from adcraft.domain.brief import Brief
from adcraft.domain.creative import CopySet
from adcraft.wiring.registry import create, register

STUCK_PRODUCT = "Stubborn Tent"


class StubbornCopywriter:
    name = "stubborn"

    def __init__(self) -> None:
        self._inner = create("copywriter", "builtin")

    def write(
        self, brief: Brief, fields: Sequence[FieldSpec], *, variant: int, n_variants: int
    ) -> CopySet:
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
