"""A brand kit's ``deadline_required``: a time-limited deal is shown with its end date or not at
all. Off (the default), a 320x50 with no room for "this weekend only" shows "20% off all tents"
undated with a warning, and the creative is publishable; on, the deal gives way to the product
name there, as a deal without its promo code does (legal reviewers in Japan, Korea, China,
Israel and the EU call an undated time-limited offer a should-fix)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pydantic import ValidationError

from adcraft import generate
from adcraft.api.schemas import BrandKitIn, BrandKitOut
from adcraft.copywriting.claimcheck import GAP_DEADLINE, context_for_brief, deal_gaps
from adcraft.domain.brief import BrandKit, Brief, Price
from adcraft.domain.creative import TEXT_KINDS, Creative
from adcraft.errors import InputError
from adcraft.products import load_brand_kit

# The smallest banner: the deal fits the headline, its deadline the small print only sometimes.
FORMAT = "iab_mobile_leaderboard"
NAME = "Trail 3 Camping Tent"


def _brief(required: bool) -> Brief:
    return Brief(
        product_name=NAME,
        description="A three-person tent that pitches in two minutes.",
        offer="20% off all tents this weekend only",
        price=Price(amount=179, currency="USD"),
        brand=BrandKit(deadline_required=required),
    )


def _shown(c: Creative) -> dict[str, str]:
    return {e.kind: e.text or "" for e in c.elements if e.kind in TEXT_KINDS and e.text}


def _undated(c: Creative, brief: Brief) -> bool:
    """Whether the creative shows a deal without its deadline."""
    return any(GAP_DEADLINE in g.missing for g in deal_gaps(_shown(c), context_for_brief(brief)))


def _creatives(brief: Brief) -> list[Creative]:
    return list(generate(brief, formats=FORMAT, variants=3, workers=1, seed=0).creatives)


def test_off_a_deal_is_shown_without_its_deadline_with_a_warning() -> None:
    brief = _brief(required=False)
    undated = [c for c in _creatives(brief) if _undated(c, brief)]
    assert undated, "no creative lacks the deadline: the test would check nothing"
    for c in undated:
        assert c.publishable, (_shown(c), c.warnings)
        assert any(w.startswith("deadline:") for w in c.warnings), c.warnings
        assert "20%" in " ".join(_shown(c).values())


def test_on_a_deal_without_room_for_its_deadline_gives_way_to_the_product_name() -> None:
    brief = _brief(required=True)
    made = _creatives(brief)
    assert not [(_shown(c), c.warnings) for c in made if _undated(c, brief)]
    named = [c for c in made if _shown(c).get("headline", "").casefold() == NAME.casefold()]
    assert named, "no creative gave the deal way: the test would check nothing"
    for c in named:
        assert c.publishable, (_shown(c), c.warnings)
        assert "20%" not in " ".join(_shown(c).values())
        assert any("names the product instead" in w for w in c.warnings), c.warnings
    # Where the small print has room, the deal stays, dated, as it does with the switch off.
    dated = [c for c in made if "20%" in " ".join(_shown(c).values())]
    assert dated and all("weekend" in _shown(c).get("disclaimer", "") for c in dated)


def test_the_switch_round_trips_through_the_api_schema() -> None:
    kit = BrandKitIn.model_validate({"name": "Outdoor", "deadline_required": True})
    assert kit.deadline_required is True
    out = BrandKitOut.model_validate(
        {**kit.model_dump(), "id": "k1", "created_at": "2026-12-07T00:00:00Z"}
    )
    assert BrandKitOut.model_validate_json(out.model_dump_json()).deadline_required is True
    assert BrandKitIn.model_validate({"name": "Outdoor"}).deadline_required is False
    # Not a yes/no: refused by name, never read as "on" or "off".
    for bad in ("sometimes", "yes", 1, None):
        with pytest.raises(ValidationError, match="deadline_required"):
            BrandKitIn.model_validate({"name": "Outdoor", "deadline_required": bad})
    with pytest.raises(ValidationError, match="deadline_requried"):
        BrandKitIn.model_validate({"name": "Outdoor", "deadline_requried": True})


def test_the_switch_is_read_from_a_brand_kit_file(tmp_path: Path) -> None:
    path = tmp_path / "kit.json"
    path.write_text(json.dumps({"name": "Outdoor", "deadline_required": True}), "utf-8")
    assert load_brand_kit(path).deadline_required is True
    path.write_text(json.dumps({"name": "Outdoor"}), "utf-8")
    assert load_brand_kit(path).deadline_required is False
    path.write_text(json.dumps({"name": "Outdoor", "deadline_required": "sometimes"}), "utf-8")
    with pytest.raises(InputError, match="deadline_required: Input should be a valid boolean"):
        load_brand_kit(path)


def test_a_misspelt_kit_field_is_refused_with_the_field_it_meant(tmp_path: Path) -> None:
    """A typo in the legal switch would leave it off without a word."""
    path = tmp_path / "kit.json"
    path.write_text('{"name": "Trail", "deadline_requried": true}', encoding="utf-8")
    with pytest.raises(InputError, match=r'unknown field "deadline_requried".*"deadline_required"'):
        load_brand_kit(path)
