"""A check mark ending a brief's selling point ("Testado dermatologicamente ✓") is a list mark:
in running copy (a body, Meta primary text, a description) it is left out ("Vegano, testado
dermatologicamente."), where only a list of points (the dotted line) keeps it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import regex

from adcraft.compose import field_specs
from adcraft.copywriting.offline import BuiltinCopywriter, FieldSpec
from adcraft.copywriting.phrasing import benefit_lines, unstarred
from adcraft.domain.brief import Brief
from adcraft.domain.formats import default_registry
from adcraft.domain.template import load_template
from adcraft.products import brief_from_record

CORPUS_FILE = Path(__file__).resolve().parents[2] / "corpus" / "products.json"
CORPUS = {r["id"]: r for r in json.loads(CORPUS_FILE.read_text("utf-8"))}
TICK = regex.compile(r"[✓✔☑✅]")
ALPEN = Brief(
    product_name="Alpen Trail Schuh",
    description="Wasserdichter Wanderschuh mit Vibram-Sohle.",
    selling_points=("Wasserdicht ✔️", "Vibram-Sohle", "☑ Nur 780 g pro Paar"),
    offer="30 Tage kostenlose Rücksendung.",
    language="de",
)
PLATFORM = (
    FieldSpec("primary_text", "Meta primary text", 125),
    FieldSpec("headline", "Meta headline", 40),
    FieldSpec("description", "Meta description", 90),
)


def _briefs() -> list[Brief]:
    return [
        brief_from_record(CORPUS[i], CORPUS_FILE.parent) for i in ("pt-aura-serum", "en-bluejet")
    ] + [ALPEN]


@pytest.mark.parametrize("brief", _briefs(), ids=lambda b: b.product_name)
def test_no_check_mark_in_a_body_or_platform_sentence(brief: Brief) -> None:
    image = field_specs(load_template("classic"), default_registry()["meta_feed_square"])
    for specs in (image, PLATFORM):
        for v in range(3):
            copy = BuiltinCopywriter().write(brief, specs, variant=v, n_variants=3)
            for name in ("body", "primary_text", "description"):
                text = str(copy.fields.get(name, ""))
                assert not TICK.search(text), (name, text)


def test_the_sentence_forms_leave_the_mark_out_and_the_dotted_list_keeps_it() -> None:
    lines = benefit_lines(["Vegano", "Testado dermatologicamente ✓"], "pt")
    assert "Vegano, testado dermatologicamente." in lines
    assert "Testado dermatologicamente." in lines
    assert "Vegano · testado dermatologicamente ✓" in lines
    assert not any(TICK.search(line) for line in lines if line.endswith("."))


@pytest.mark.parametrize(
    ("point", "said"),
    [
        ("kahvaltı dahil ★★★★", "kahvaltı dahil"),
        ("إفطار مجاني ★", "إفطار مجاني"),
        ("★★★★★ Service", "Service"),
        ("★ 4.8 from 12,000 runners", "★ 4.8 from 12,000 runners"),  # a rating with its number
        ("Rated 4.8 ★", "Rated 4.8 ★"),
        ("★", "★"),  # nothing else to say
    ],
)
def test_stars_that_open_or_close_a_point_are_left_out(point: str, said: str) -> None:
    assert unstarred(point) == said
