"""The render job the speed benchmarks share: one product of the bundled examples, built-in copy."""

from __future__ import annotations

from pathlib import Path

from adcraft.allocator import keep_freed_buffers
from adcraft.compose import Job
from adcraft.copywriting.locale import format_price
from adcraft.copywriting.offline import BuiltinCopywriter
from adcraft.imagery.load import load_image
from adcraft.imagery.visual import build_visual
from adcraft.pipeline import _palette
from adcraft.products import brief_from_record, find_record, load_products

EXAMPLES = Path(__file__).resolve().parents[1] / "src/adcraft/data/examples/products.json"


def example_job(product: str, n_variants: int, max_side: int | None = None) -> Job:
    """A JPEG job for ``product`` with the allocator set up as the CLI and its workers do."""
    keep_freed_buffers()
    brief = brief_from_record(find_record(load_products(EXAMPLES), product), EXAMPLES.parent)
    assert brief.image is not None
    visual = build_visual(load_image(brief.image, max_side=max_side))
    return Job(
        brief=brief,
        visual=visual,
        logo=None,
        palette=_palette(brief, visual),
        copywriter=BuiltinCopywriter(),
        price_text=format_price(brief.price, brief.language) if brief.price else None,
        image_format="jpeg",
        seed=0,
        n_variants=n_variants,
    )
