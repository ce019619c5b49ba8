"""A small banner keeps its button: the Russian card's "Оформить" is 80 px wide at 12 px on a
320x50, one pixel over the quarter of the row a button had, so the banner showed no call to
action. The button may now take up to a third of the row before it is left out."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from adcraft.compose import CopyBook, Variant, plan_creative
from adcraft.domain.formats import default_registry
from adcraft.domain.template import load_template
from adcraft.layout.styles import get_style
from adcraft.products import brief_from_record
from tests.conftest import PRODUCTS_FILE
from tests.unit.layout.test_solve_properties import _job


@pytest.mark.parametrize("format_id", ["iab_mobile_leaderboard", "iab_large_mobile_banner"])
def test_the_card_banner_keeps_its_call_to_action(format_id: str) -> None:
    record = next(
        r for r in json.loads(Path(PRODUCTS_FILE).read_text("utf-8")) if r["id"] == "cashback-card"
    )
    brief = brief_from_record(record, base_dir=Path(PRODUCTS_FILE).parent)
    job = _job(brief.model_copy(update={"image": None}), with_product=True)
    variant = Variant(0, get_style("minimal"), load_template("classic"))
    layout = plan_creative(job, CopyBook(job), variant, default_registry()[format_id]).layout
    cta = [e for e in layout.elements if e.kind == "cta"]
    assert cta and cta[0].text == "Оформить", [(e.kind, e.text) for e in layout.elements]
