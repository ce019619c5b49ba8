"""A body does not say the headline again: under the headline "SkyFly: رحلات إلى دبي" the body
said "… SkyFly: رحلات إلى دبي ابتداءً من 499 ر.س." (native review of ar-skyfly). The price keeps
what it is for ("رحلات إلى دبي ابتداءً من 499 ر.س"); only the headline's name before it goes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from adcraft.compose import field_specs
from adcraft.copywriting.offline import BuiltinCopywriter
from adcraft.domain.formats import default_registry
from adcraft.domain.template import load_template
from adcraft.products import brief_from_record

CORPUS_FILE = Path(__file__).resolve().parents[2] / "corpus" / "products.json"
CORPUS = {r["id"]: r for r in json.loads(CORPUS_FILE.read_text("utf-8"))}


@pytest.mark.parametrize(
    ("product_id", "deal"),
    [("ar-skyfly", "رحلات إلى دبي ابتداءً من 499 ر.س"), ("he-skyfly", "טיסות לאילת מ-249 ₪")],
)
def test_the_body_under_the_name_says_the_deal_without_the_name_again(
    product_id: str, deal: str
) -> None:
    brief = brief_from_record(CORPUS[product_id], CORPUS_FILE.parent)
    specs = field_specs(load_template("classic"), default_registry()["meta_feed_square"])
    bodies = []
    for v in range(2):
        fields = BuiltinCopywriter().write(brief, specs, variant=v, n_variants=2).fields
        head, body = fields["headline"], fields["body"]
        assert head not in body, (head, body)
        bodies.append(body)
        if head == brief.product_name:
            # The deal the headline does not carry is still said whole.
            assert deal in body, body
    assert any(deal in b for b in bodies), bodies
