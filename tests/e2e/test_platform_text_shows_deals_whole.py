"""Through the public engine: each platform text field that shows a deal shows it whole (its
deadline, promo code and, for a free trial, the price after it), within the format's limits."""

from __future__ import annotations

import pytest

from adcraft import generate
from adcraft.compose import platform_specs
from adcraft.copywriting.claimcheck import context_for_brief, deal_gaps
from adcraft.domain.formats import default_registry
from tests.e2e.test_small_banners_carry_the_ad import _brief


@pytest.mark.parametrize("product_id", ["he-barista", "pl-lingua", "zh-hans-nova"])
def test_every_platform_field_shows_its_deal_whole(product_id: str) -> None:
    # v2 wrote "…20% הנחה עם הקוד BARISTA20." without "עד יום ראשון בלבד", "…30 dni za
    # darmo." without "Potem 39 zł/mies.", "立减500元。" without "活动截至周日".
    brief = _brief(product_id)
    ctx = context_for_brief(brief)
    made = generate(
        brief, formats="meta_feed_square,google_rda_landscape", variants=2, workers=1, seed=0
    )
    assert made.creatives
    halves = [
        (c.format, c.variant, name, text, [g.describe() for g in gaps])
        for c in made.creatives
        for name, text in c.platform_text.items()
        if (gaps := deal_gaps({name: text}, ctx))
    ]
    assert halves == []
    for c in made.creatives:
        specs = {s.name: s for s in platform_specs(default_registry()[c.format])}
        for name, text in c.platform_text.items():
            assert name not in specs or specs[name].fits(text), (c.format, name, text)
    # The deal is still said, whole, where it fits: the fix is no licence to drop it.
    shown = " ".join(t for c in made.creatives for t in c.platform_text.values())
    assert any(k in shown for k in ("BARISTA20", "za darmo", "立减500元")), shown
