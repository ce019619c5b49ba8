"""One product's creatives: the picture prepared once, copy written once per variant, every
format drawn in this process, files written into a content-addressed folder all or nothing.

The renderer itself (layout, drawing, metrics, encoding) is the pipeline's: this module only
turns a feed product into a brief and decides the variants.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import shutil
import socket
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from adcraft.catalog.bulk.rules import Effect, apply_rules
from adcraft.catalog.bulk.spec import RunSpec
from adcraft.catalog.feeds.record import FeedProduct
from adcraft.compose import CopyBook, Job, Variant, make_creative, price_label
from adcraft.copywriting.offline import BuiltinCopywriter
from adcraft.domain.brief import BrandKit, Brief, Price
from adcraft.domain.formats import default_registry
from adcraft.domain.template import load_template
from adcraft.errors import InputError, OutputError
from adcraft.layout.styles import DEFAULT_STYLE_ORDER, get_style
from adcraft.output import file_name

# The pipeline's own picture, palette and ranking steps, so a catalogue creative is made
# exactly as `adcraft generate` makes it.
from adcraft.pipeline import _palette, _visual, rank_made
from adcraft.scoring.gates import build_gates, build_image_encoder
from adcraft.scoring.gates.settings import default_gate_settings
from adcraft.scoring.rank import QualityRanker

MANIFEST = "manifest.json"
ImageFetcher = Callable[[str], bytes]


@dataclass(frozen=True)
class Rendered:
    """Where a product's creatives are and what they are."""

    folder: Path
    manifest: dict[str, Any]
    reused: bool


def brief_for(product: FeedProduct, spec: RunSpec, effect: Effect, image: bytes | None) -> Brief:
    """The brief of a feed product: the sale price shown when a sale applies, with its
    discount as the offer unless a rule gives one."""
    price = product.price
    regular: Price | None = None
    offer = effect.offer or ""
    if product.sale_active(spec.now) and product.sale_price is not None:
        if price is not None and price.amount > product.sale_price.amount:
            # The feed's own price is what the sale is taken from: it is shown struck through
            # ("~~49,99 €~~ 39,99 €"), so the discount says what it is a discount on.
            regular = price
            if not offer:
                off = math.floor(100 * (1 - product.sale_price.amount / price.amount))
                if off >= 1:
                    offer = f"-{off}%"
        price = product.sale_price
    brand = BrandKit(name=product.brand, colors=(effect.badge,) if effect.badge else ())
    category = (product.product_type or "").split(">")[-1].strip() or None
    return Brief(
        product_name=product.title,
        description=product.description,
        offer=offer,
        price=price,
        regular_price=regular,
        language=product.language,
        category=category,
        image=image,
        brand=brand,
    )


def render_product(
    product: FeedProduct,
    spec: RunSpec,
    key: str,
    root: Path,
    fetch: ImageFetcher,
) -> Rendered:
    """Make (or reuse) the creatives of ``product`` under ``root/key``."""
    folder = root / key
    existing = folder / MANIFEST
    if existing.is_file():
        # Same product content and settings were rendered before: reuse, draw nothing.
        return Rendered(folder, json.loads(existing.read_text(encoding="utf-8")), True)
    effect = apply_rules(spec.rules, product, spec.now)
    image = fetch(product.image_link) if product.image_link else None
    brief = brief_for(product, spec, effect, image)
    picture = _visual(brief, None)
    fmts = default_registry().select(list(spec.formats))
    if any(f.kind == "logo" or not f.width for f in fmts):
        raise InputError("logo and text-only formats are not made in bulk runs")
    job = Job(
        brief=brief,
        visual=picture.visual,
        logo=None,
        palette=_palette(brief, picture.visual),
        copywriter=BuiltinCopywriter(),
        price_text=price_label(brief),
        image_format=spec.image_format,
        seed=spec.seed,
        n_variants=spec.variants,
    )
    styles = [effect.style] if effect.style else list(spec.styles or DEFAULT_STYLE_ORDER)
    plan = [
        _variant(i, styles[i % len(styles)], effect, picture.visual is not None, brief)
        for i in range(spec.variants)
    ]
    book = CopyBook(job)  # copy once per variant, reused by every format
    made = [make_creative(job, book, v, f) for v in plan for f in fmts]
    gate_settings = default_gate_settings()
    ranking = rank_made(
        made,
        job,
        QualityRanker(),
        build_gates(gate_settings),
        build_image_encoder(gate_settings),
    )
    creatives = []
    files: dict[str, bytes] = {}
    for rank, scored in enumerate(ranking.ranked, start=1):
        m, score = scored.item, scored.score
        name = file_name(m)
        files[name] = m.data
        creatives.append(
            {
                "file": name,
                "format": m.fmt.id,
                "platform": m.fmt.platform,
                "width": m.layout.width,
                "height": m.layout.height,
                "variant": m.variant.index + 1,
                "style": m.variant.style.name,
                "template": m.variant.template.id,
                "rank": rank,
                "score": score,
                "sha256": hashlib.sha256(m.data).hexdigest(),
                "copy": m.copy.fields,
                "platform_text": m.platform_text,
                # What a reviewer of a catalogue run needs to trust a file without opening
                # it: the claim check's verdict and the elements as drawn.
                "publishable": m.publishable,
                "publishable_reasons": list(m.publishable_reasons),
                "elements": [
                    e.model_dump(mode="json", exclude_none=True) for e in m.layout.elements
                ],
                "passed_gates": scored.passed_gates,
                "gates": [g.model_dump() for g in scored.gates],
            }
        )
    manifest = {
        "product_id": product.id,
        "title": product.title,
        "link": product.link,
        "language": brief.language,
        "key": key,
        "rules": list(effect.rules),
        "warnings": list(picture.warnings),
        "creatives": creatives,
        "duplicates": [
            {"format": d.item.fmt.id, "variant": d.item.variant.index + 1}
            for d in ranking.duplicates
        ],
    }
    _write_folder(folder, files, manifest)
    return Rendered(folder, manifest, False)


def _variant(index: int, style: str, effect: Effect, has_picture: bool, brief: Brief) -> Variant:
    """The pipeline's template choice, unless a rule names the template."""
    if effect.template:
        name = effect.template if has_picture or effect.template == "text_led" else "text_led"
    elif not has_picture:
        name = "text_led"
    elif index % 3 == 2 and brief.offer:
        name = "promo"
    else:
        name = "classic"
    return Variant(index=index, style=get_style(style), template=load_template(name))


def _write_folder(folder: Path, files: dict[str, bytes], manifest: dict[str, Any]) -> None:
    """Write into a temporary sibling, then rename: a killed worker leaves no half folder,
    and two workers finishing the same product leave one identical folder."""
    folder.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=_staging_prefix(folder.name), dir=folder.parent))
    try:
        for name, data in files.items():
            (tmp / name).write_bytes(data)
        (tmp / MANIFEST).write_text(
            json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True), encoding="utf-8"
        )
        try:
            os.rename(tmp, folder)
        except OSError:
            if not (folder / MANIFEST).is_file():
                raise
            shutil.rmtree(tmp, ignore_errors=True)  # another worker finished it first
    except OSError as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        raise OutputError(f"cannot write {folder}: {exc.strerror or exc}") from exc
    _sweep_dead_staging(folder)


def _staging_prefix(name: str) -> str:
    """``.<folder>.<host>.<pid>.``: whoever finishes the product later can tell a dead
    writer's leftovers from a live writer's work in progress."""
    return f".{name}.{_host()}.{os.getpid()}."


def _sweep_dead_staging(folder: Path) -> None:
    """Remove staging folders of this product left by killed writers on this host. A writer on
    another host (shared storage) or one still alive is left alone: its pid says nothing here
    or it may still rename its own folder into place."""
    host_prefix = f".{folder.name}.{_host()}."
    for leftover in folder.parent.glob(f".{folder.name}.*"):
        if not leftover.name.startswith(host_prefix):
            continue
        pid_text = leftover.name[len(host_prefix) :].split(".", 1)[0]
        if pid_text.isdigit() and not _alive(int(pid_text)):
            shutil.rmtree(leftover, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # exists, owned by someone else
    return True


def _host() -> str:
    return socket.gethostname().replace(".", "-")
