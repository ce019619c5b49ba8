"""Copy a native marketer would not publish, counted over the multilingual corpus.

    PYTHONPATH=src python benchmarks/copy_defects.py [--formats F,..] [--variants N] [ID ...]

Generates every corpus product (tests/corpus/products.json) with the built-in writer and counts,
per defect, the creatives that show it (on-image copy and platform text):

* promo code without its preposition: "промокоду NOVA5" without "по", "kodem X" without "z"
  (and the corpus claims extracted that way);
* price twice: the price pill beside a copy field that already states the price, in any case;
* body repeats the headline: the body (or the platform description) equal to the headline, a
  prefix of it or contained in it;
* noun CTA: a call to action that is a noun, not a verb ("Detaylar", "Rezervasyon", "Бронь",
  "Wniosek", "Daha fazla bilgi");
* headline full stop: an on-image headline ending in "." or "。" that is no abbreviation's
  ("/мес.", "zł/mies.", "руб.");
* minimum order read as a price: "при заказе от 2000 ₽" extracted as a "from" price;
* English headline in French copy ("Offer").
"""

from __future__ import annotations

import argparse
import time
from collections import Counter
from pathlib import Path

import regex

from adcraft import generate
from adcraft.copywriting.claims import parse_claims
from adcraft.domain.creative import Creative
from adcraft.products import brief_from_record, load_products

CORPUS = Path(__file__).resolve().parents[1] / "tests" / "corpus" / "products.json"
FORMATS = (
    "meta_feed_square,meta_stories,iab_leaderboard,iab_medium_rectangle,iab_mobile_leaderboard"
)

# A governed case form of "code" with its preposition missing before it.
_BARE_CODE = {
    "ru": regex.compile(r"(?<!(?:^|\s)(?:по|с)\s)(?<![\p{L}])(?:промо)?код(?:у|ом)\s", regex.I),
    "pl": regex.compile(r"(?<!(?:^|\s)ze?\s)(?<![\p{L}])(?:kodem|kuponem)\s", regex.I),
}
_NOUN_CTAS = {
    "tr": {"Rezervasyon", "Detaylar", "Daha fazla bilgi"},
    "ru": {"Бронь"},
    "pl": {"Wniosek"},
}
_ABBREVIATION_STOP = regex.compile(r"(?:/\s?\p{L}+\.|(?<![\p{L}])(?:руб|мес|mies|tys|ok)\.)$")
_ENGLISH = regex.compile(r"(?<![\p{L}])(?:offer|sale|shop now|new)(?![\p{L}])", regex.I)


def _flat(text: str) -> str:
    return " ".join(regex.sub(r"[\p{P}\s]+", " ", text).casefold().split())


def _repeats(body: str, headline: str) -> bool:
    b, h = _flat(body), _flat(headline)
    return bool(b) and bool(h) and b in h


def _price_twice(c: Creative) -> bool:
    price = next((e.text for e in c.elements if e.kind == "price" and e.text), None)
    if not price:
        return False
    p = " ".join(price.split()).casefold()
    return any(
        p in " ".join((e.text or "").split()).casefold()
        for e in c.elements
        if e.kind != "price" and e.text
    )


# Every kind this script counts, so a clean run prints its zeros rather than nothing.
CLAIM_KINDS = ("promo claim without its preposition", "minimum order read as a price")
KINDS = (
    "promo code without its preposition",
    "price twice",
    "body repeats the headline",
    "noun CTA",
    "headline full stop",
    "English headline in French",
)


def defects(c: Creative, language: str) -> set[str]:
    found: set[str] = set()
    fields = {**c.copy_fields, **{f"platform:{k}": v for k, v in c.platform_text.items()}}
    bare = _BARE_CODE.get(language)
    if bare and any(bare.search(v + " ") for v in fields.values()):
        found.add("promo code without its preposition")
    if _price_twice(c):
        found.add("price twice")
    head = c.copy_fields.get("headline", "")
    if _repeats(c.copy_fields.get("body", ""), head) or _repeats(
        c.platform_text.get("description", ""), c.platform_text.get("headline", "")
    ):
        found.add("body repeats the headline")
    if c.copy_fields.get("cta", "") in _NOUN_CTAS.get(language, set()):
        found.add("noun CTA")
    stripped = head.rstrip()
    if stripped.endswith((".", "。")) and not _ABBREVIATION_STOP.search(stripped):
        found.add("headline full stop")
    if language == "fr" and _ENGLISH.search(head):
        found.add("English headline in French")
    return found


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--formats", default=FORMATS)
    parser.add_argument("--variants", type=int, default=3)
    parser.add_argument("--show", action="store_true", help="print each defective creative")
    parser.add_argument("ids", nargs="*")
    args = parser.parse_args()
    started = time.perf_counter()
    total, counts, claim_counts = 0, Counter[str](), Counter[str]()
    for record in load_products(CORPUS):
        if args.ids and not any(record["id"].startswith(i) for i in args.ids):
            continue
        language = record["language"].split("-")[0]
        texts = [*record.get("offers", []), *record.get("selling_points", [])]
        for claim in (c for t in texts for c in parse_claims(t, record["language"])):
            bare = _BARE_CODE.get(language)
            if claim.kind == "promo_code" and bare and bare.search(claim.text + " "):
                claim_counts["promo claim without its preposition"] += 1
            if claim.kind == "price_from" and regex.search(
                r"при\s+заказе\s+" + regex.escape(claim.text), " ".join(texts)
            ):
                claim_counts["minimum order read as a price"] += 1
        brief = brief_from_record(record, CORPUS.parent)
        made = generate(brief, formats=args.formats, variants=args.variants, workers=1, seed=1)
        for c in made.creatives:
            total += 1
            for kind in defects(c, language):
                counts[kind] += 1
                if args.show:
                    print(f"{record['id']} {c.format} v{c.variant} {kind}: {c.copy_fields}")
    for kind in CLAIM_KINDS:
        print(f"{claim_counts[kind]:5d}  {kind} (corpus claims)")
    for kind in KINDS:
        print(f"{counts[kind]:5d}  {kind}")
    assert set(counts) <= set(KINDS) and set(claim_counts) <= set(CLAIM_KINDS)
    print(f"{total} creatives ({args.formats}, {args.variants} variants)")
    print(f"{time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
