"""The built-in writer over the corpus: no injected text, whole CTAs, varied variants."""

from __future__ import annotations

import json
from itertools import combinations
from pathlib import Path
from typing import Any

import pytest

from adcraft.compose import field_specs, platform_specs
from adcraft.copywriting.diversity import on_image_text, pairwise_distance
from adcraft.copywriting.injection import neutralize_brief
from adcraft.copywriting.locale import all_ctas
from adcraft.copywriting.offline import BuiltinCopywriter
from adcraft.copywriting.phrasing import gather
from adcraft.copywriting.textads import write_text_ad
from adcraft.domain.formats import default_registry
from adcraft.domain.template import load_template
from adcraft.products import brief_from_record

CORPUS_FILE = Path(__file__).resolve().parents[2] / "corpus" / "products.json"
CORPUS: list[dict[str, Any]] = json.loads(CORPUS_FILE.read_text("utf-8"))
INJECTED = [p for p in CORPUS if p["expected"]["injection"]]
REGISTRY = default_registry()
# Shapes whose copy differs by role: a square feed post, a full-screen story, a 320x50 strip.
SHAPES = ("meta_feed_square", "meta_stories", "iab_mobile_leaderboard")
VARIANTS = 6
WRITER = BuiltinCopywriter()


def _brief(record: dict[str, Any]) -> Any:
    return brief_from_record(record, CORPUS_FILE.parent)


def _all_copy(record: dict[str, Any]) -> list[str]:
    """Every text the writer produces for a product: on-image copy in three templates and
    three shapes, platform text, and the text assets of a search ad."""
    brief = _brief(record)
    out: list[str] = []
    for template in ("classic", "promo", "text_led"):
        for fmt_id in SHAPES:
            specs = field_specs(load_template(template), REGISTRY[fmt_id])
            for v in range(3):
                out += WRITER.write(brief, specs, variant=v, n_variants=3).fields.values()
    for fmt_id in ("meta_feed_square", "google_pmax_landscape"):
        specs = platform_specs(REGISTRY[fmt_id])
        for v in range(3):
            out += WRITER.write(brief, specs, variant=v, n_variants=3).fields.values()
    out.append(json.dumps(write_text_ad(WRITER, brief, REGISTRY["google_rsa_text"]).as_dict()))
    return out


@pytest.mark.parametrize("record", INJECTED, ids=[p["id"] for p in INJECTED])
def test_every_corpus_injection_is_flagged_and_never_written(record: dict[str, Any]) -> None:
    _, found = neutralize_brief(_brief(record))
    flagged = {f.sentence for f in found}
    for sentence in record["expected"]["injection"]:
        assert sentence in flagged
    text = "\n".join(_all_copy(record))
    for sentence in record["expected"]["injection"]:
        assert sentence not in text
        # Not even a recognisable piece of it (its longest word run).
        piece = max(sentence.replace("،", ",").split(","), key=len).strip()[:20]
        assert piece not in text, piece
    # The legitimate claim of the same offer is kept.
    assert any(c["kind"] == "free_returns" for c in record["expected"]["claims"])
    assert any("30" in t for t in _all_copy(record))


def test_no_corpus_product_without_injection_is_flagged() -> None:
    for record in CORPUS:
        if not record["expected"]["injection"]:
            assert neutralize_brief(_brief(record))[1] == (), record["id"]


@pytest.mark.parametrize("record", CORPUS[::5], ids=[p["id"] for p in CORPUS[::5]])
def test_ctas_are_whole_list_entries_in_every_shape(record: dict[str, Any]) -> None:
    brief = _brief(record)
    allowed = all_ctas(gather(brief).cta_lang)
    for fmt_id in SHAPES:
        specs = field_specs(load_template("classic"), REGISTRY[fmt_id])
        for v in range(3):
            cta = WRITER.write(brief, specs, variant=v, n_variants=3).fields["cta"]
            assert cta == "" or cta in allowed, (record["id"], fmt_id, cta)


def test_six_variants_differ_over_the_corpus() -> None:
    specs = field_specs(load_template("classic"), REGISTRY["meta_feed_square"])
    means = []
    for record in CORPUS:
        brief = _brief(record)
        texts = [
            on_image_text(WRITER.write(brief, specs, variant=v, n_variants=VARIANTS).fields)
            for v in range(VARIANTS)
        ]
        assert not [(a, b) for a, b in combinations(texts, 2) if a == b], record["id"]
        means.append(pairwise_distance(texts))
    assert sum(means) / len(means) >= 0.5


@pytest.mark.parametrize(
    ("product_id", "bare", "whole"),
    [
        ("ru-nova-phone", "промокоду NOVA5", "по промокоду NOVA5"),
        ("pl-palarnia", "kodem KAWA30", "z kodem KAWA30"),
    ],
    ids=["ru", "pl"],
)
def test_a_promo_code_is_written_with_its_preposition(
    product_id: str, bare: str, whole: str
) -> None:
    """'Скидка 5 000 ₽, промокоду NOVA5' is broken Russian: the code keeps its 'по'."""
    (record,) = [p for p in CORPUS if p["id"] == product_id]
    brief = _brief(record)
    texts = _all_copy(record)
    for fmt_id in ("iab_leaderboard", "iab_mobile_leaderboard"):
        specs = field_specs(load_template("classic"), REGISTRY[fmt_id])
        for v in range(4):
            texts += WRITER.write(brief, specs, variant=v, n_variants=4).fields.values()
    shown = [t for t in texts if bare in t]
    assert shown, "the code is shown somewhere"
    assert [t for t in shown if t.count(bare) != t.count(whole)] == []


def test_no_headline_ends_with_a_full_stop() -> None:
    """'30-day free returns.' is a sentence, not a headline: no corpus headline, on the image
    or in the platform text, ends with '.', '。' or '।' (an abbreviation's stop excepted)."""
    stopped = []
    for record in CORPUS:
        brief = _brief(record)
        specs = [
            *(field_specs(load_template("classic"), REGISTRY[f]) for f in SHAPES),
            platform_specs(REGISTRY["meta_feed_square"]),
        ]
        for spec in specs:
            for v in range(3):
                fields = WRITER.write(brief, spec, variant=v, n_variants=3).fields
                for name, text in fields.items():
                    if name in ("headline", "title") and text.endswith((".", "。", "।")):
                        stopped.append((record["id"], name, text))
    stopped = [s for s in stopped if not s[2].endswith(("/mies.", "/мес.", "руб."))]
    assert stopped == []


def _flat(text: str) -> str:
    return " ".join("".join(c if c.isalnum() else " " for c in text.casefold()).split())


def test_the_line_under_a_headline_never_just_repeats_it() -> None:
    """'14 Tage kostenlos testen' as headline and again as description says nothing new:
    the body and the platform description add to the headline, over the whole corpus."""
    repeated = []
    on_image = field_specs(load_template("classic"), REGISTRY["meta_feed_square"])
    platform = platform_specs(REGISTRY["meta_feed_square"])
    for record in CORPUS:
        brief = _brief(record)
        for specs, below in ((on_image, "body"), (platform, "description")):
            for v in range(3):
                fields = WRITER.write(brief, specs, variant=v, n_variants=3).fields
                head, line = _flat(fields["headline"]), _flat(fields.get(below, ""))
                if line and line in head:
                    repeated.append((record["id"], v, fields["headline"], fields[below]))
    assert repeated == []
