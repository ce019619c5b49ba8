"""The edit-distance metric and CLI, and creative themes with near-duplicate removal."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from adcraft.cli.copy import register
from adcraft.copywriting.editdistance import edit_distance, levenshtein
from adcraft.copywriting.themes import (
    CreativeTheme,
    dedupe_themes,
    near_duplicate,
    plan_themes,
    themes_from_model,
)
from adcraft.domain.brief import Brief
from adcraft.providers.llm_openai import OpenAIChat
from tests.copywriting_llm.server import FakeOpenAI, Reply


def test_levenshtein_counts_what_a_reader_sees() -> None:
    assert levenshtein("kitten", "sitting") == 3
    assert levenshtein("", "abc") == 3
    assert levenshtein("café", "cafe\u0301") == 0  # same text, composed vs decomposed
    assert levenshtein("👨‍👩‍👧 sale", "sale") == 2  # the family emoji is one character
    assert levenshtein("限时8折", "限时七折") == 1


def test_combined_distance_over_all_fields() -> None:
    gen = {"headline": "20% off tents", "cta": "Shop now", "badge": "−20%"}
    fin = {"headline": "20% off all tents", "cta": "Shop now", "extra": "New"}
    r = edit_distance(gen, fin)
    assert [f.distance for f in r.fields] == [4, 0, 4, 3]
    assert r.distance == 11 and r.final_len == 17 + 8 + 0 + 3
    assert r.ratio == pytest.approx(11 / 28)
    assert r.normalized == pytest.approx(11 / (17 + 8 + 4 + 3))
    assert not r.meets(0.2)
    same = edit_distance(fin, fin)
    assert same.ratio == 0 and same.meets()


def app() -> typer.Typer:
    a = typer.Typer()
    register(a)
    return a


def test_edit_distance_cli(tmp_path: Path) -> None:
    g, f = tmp_path / "g.json", tmp_path / "f.json"
    g.write_text(json.dumps({"copy": {"headline": "Save 20% now", "cta": "Buy"}}))
    f.write_text(json.dumps({"headline": "Save 20% today", "cta": "Buy"}))
    res = CliRunner().invoke(app(), ["edit-distance", str(g), str(f), "--json"])
    assert res.exit_code == 0, res.output
    out = json.loads(res.output)
    assert out["distance"] == 4 and out["final_len"] == 17 and out["meets_target"] is False
    res = CliRunner().invoke(app(), ["edit-distance", str(g), str(tmp_path / "nope.json")])
    assert res.exit_code == 2 and "does not exist" in res.output


TENT = Brief(
    product_name="Tent", offer="20% off", selling_points=("light", "dry"), description="A tent."
)


def test_planned_themes_are_distinct_and_complete() -> None:
    themes = plan_themes(TENT, 6)
    assert len(themes) == 6
    assert len({(t.angle, t.tone) for t in themes}) == 6
    assert all(t.visual_theme and t.background and t.composition for t in themes)
    assert len(dedupe_themes([*themes, themes[0]])) == 6


def test_near_duplicate_copy() -> None:
    a = {"headline": "20% off all tents", "cta": "Shop now"}
    assert near_duplicate(a, {"headline": "20% OFF all tents!", "cta": "Shop now"})
    assert not near_duplicate(a, {"headline": "Trail 3: dry in any storm", "cta": "Shop now"})


def test_model_themes_drop_duplicates_and_top_up() -> None:
    one = {
        "angle": "offer",
        "audience_angle": "bargain hunters",
        "tone": "bold",
        "visual_theme": "loud",
        "background": "red",
        "composition": "offer big",
    }
    body = json.dumps({"themes": [one, dict(one), {"angle": "x"}]})
    with FakeOpenAI([Reply(content=body)]) as srv:
        themes = themes_from_model(OpenAIChat(model="m", base_url=srv.url), TENT, 3)
    assert len(themes) == 3 and themes[0] == CreativeTheme(**one)
    assert len(dedupe_themes(themes)) == 3
