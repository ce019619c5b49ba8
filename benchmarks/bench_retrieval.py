"""Image bank retrieval: quality (hit@5, MRR) per text encoder next to BM25, and latency.

    python benchmarks/bench_retrieval.py [--encoders use,minilm] [--work DIR] [--repeat N]
                                         [--skip-latency | --skip-quality] [--sizes 3400,100000]

Quality: 40 hand-written cases (product/offer text in 7 languages, sometimes with an image
description) against the full Fluent Emoji demo bank (3 391 renders), each with the set of
renders that would be right. Skin-tone and gender variants of a right render count as right.
The demo bank is built (fetched with npm, then ingested) into --work once per encoder.

Latency: the full two-stage search on the demo bank (text encoding included; skipped with
--skip-quality when the bank is not in --work yet), and the index alone at 3 400 and 100 000
synthetic 512-d vectors, top 900: exact numpy, Qdrant local mode plain (accelerator 'off'),
and local mode served by the in-memory mirror ('exact') and by its HNSW graph ('hnsw'), with
recall@300/900 against exact numpy and the time to open a saved mirror.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
import warnings
from collections.abc import Callable
from pathlib import Path

import numpy as np

from adcraft.imagery.bank.bm25 import BM25
from adcraft.imagery.bank.config import BankSettings, get_encoder, open_bank
from adcraft.imagery.bank.demo import build_demo
from adcraft.imagery.bank.ports import VectorIndex
from adcraft.imagery.bank.search import STAGE1, search
from adcraft.imagery.bank.store import Bank
from adcraft.providers.index_numpy import NumpyIndex

# (product/offer text, image description or None, right renders by code points)
CASES: list[tuple[str, str | None, set[str]]] = [
    ("Fresh strawberries delivered to your door", None, {"1f353"}),
    ("Running shoes, 30% off this week", "a sneaker", {"1f45f"}),
    ("Кофе с собой со скидкой", "чашка горячего кофе", {"2615"}),
    ("Cheap flights to Paris", None, {"2708", "1f6eb", "1f6ec", "1f6e9", "1f1eb-1f1f7"}),
    ("Pizza delivery in 30 minutes", None, {"1f355"}),
    ("Birthday cakes made to order", None, {"1f382", "1f370", "1f9c1"}),
    ("Laptops for students", None, {"1f4bb"}),
    ("New smartphone with 5G", None, {"1f4f1", "1f4f2"}),
    ("Cashback credit card", None, {"1f4b3"}),
    ("Mortgage for your first home", "a cosy house", {"1f3e0", "1f3e1", "1f3d8"}),
    ("Premium dog food", None, {"1f415", "1f436", "1f9ae", "1f429", "1f415-200d-1f9ba"}),
    ("Cat food and cat litter", None, {"1f408", "1f431", "1f408-200d-2b1b"}),
    (
        "Flower delivery for Mother's Day",
        "a bouquet",
        {"1f490", "1f339", "1f337", "1f33a", "1f338", "1f33c", "1f33b", "1fab7", "1fabb"},
    ),
    ("Ski holidays in the Alps", None, {"1f3bf", "26f7", "1f3d4", "26f0", "1f3c2"}),
    ("Summer beach holidays", None, {"1f3d6", "1f334", "2600", "1f459", "1f3dd", "1f30a"}),
    ("Camping tents on sale", None, {"26fa", "1f3d5"}),
    (
        "Online English course",
        "a stack of books",
        {"1f4da", "1f4d6", "1f4d8", "1f4d7", "1f4d9", "1f4d5", "1f393", "1f4d4", "1f4d2"},
    ),
    ("Noise-cancelling headphones", None, {"1f3a7"}),
    ("Music streaming subscription", None, {"1f3b5", "1f3b6", "1f3a7", "1f4fb", "1f3bc"}),
    ("Guitar lessons for beginners", None, {"1f3b8"}),
    ("Football match tickets", "a soccer ball", {"26bd", "1f3df"}),
    ("New video game release", None, {"1f3ae", "1f579", "1f47e"}),
    (
        "Pharmacy: cold and flu medicine",
        None,
        {"1f48a", "1f912", "1f927", "1f321", "1f637", "1f489", "1fa7a", "1fa79"},
    ),
    ("Dentist: teeth whitening", None, {"1f9b7", "1faa5"}),
    ("Lipstick and make-up sale", None, {"1f484", "1f485", "1f48b"}),
    ("Luxury wristwatches", None, {"231a", "23f0", "1f570", "23f1"}),
    ("Taxi to the airport", None, {"1f695", "1f696", "1f697", "1f698"}),
    ("Bike rental in the city", None, {"1f6b2", "1f6b4", "1f6b5"}),
    ("Livraison de sushis à domicile", None, {"1f363", "1f371", "1f359", "1f362"}),
    ("Heladería: helados artesanales", None, {"1f366", "1f368", "1f367"}),
    ("Craft-Bier-Festival im Sommer", None, {"1f37a", "1f37b"}),
    ("Wine tasting evening", None, {"1f377", "1f942", "1f347", "1f37e"}),
    (
        "Parcel delivery by tomorrow",
        None,
        {"1f4e6", "1f69a", "1f4eb", "1f4ec", "1f4ee", "1f4ea", "1f4ed"},
    ),
    ("Launch your startup faster", "a rocket", {"1f680"}),
    (
        "New Year's Eve party",
        None,
        {"1f389", "1f386", "1f387", "1f37e", "1f942", "1f38a", "1f973", "1f388"},
    ),
    ("Baby products: bottles and diapers", None, {"1f37c", "1f476", "1f6bc"}),
    ("ラーメン屋 オープン", None, {"1f35c"}),
    (
        "Savings account with 5% interest",
        None,
        {"1f4b0", "1f3e6", "1f4b5", "1f4b6", "1f4b7", "1f4b4", "1f4b8", "1fa99", "1f4c8", "1f437"},
    ),
    (
        "Ремонт автомобилей",
        None,
        {"1f527", "1f6e0", "1f9f0", "1f697", "1f698", "1f699", "1f529"},
    ),
    ("健身房会员卡", None, {"1f3cb", "1f4aa", "1f3c3", "1f938"}),
]


def base_id(image_id: str) -> str:
    """Code points without variation selectors, skin tones, gender or zero padding."""
    parts = [p.lstrip("0") for p in image_id.lower().replace("_", "-").split("-")]
    parts = [p for p in parts if p != "fe0f" and not ("1f3fb" <= p <= "1f3ff" and len(p) == 5)]
    text = "-".join(parts)
    for suffix in ("-200d-2640", "-200d-2642"):
        text = text.removesuffix(suffix)
    return text


def metrics(ranked: list[list[str]]) -> tuple[float, float]:
    """(hit@5, MRR) of ranked id lists against the cases."""
    hits, rr = [], []
    for ids, (_, _, right) in zip(ranked, CASES, strict=True):
        ranks = [i for i, x in enumerate(ids, 1) if base_id(x) in right]
        hits.append(1.0 if ranks and ranks[0] <= 5 else 0.0)
        rr.append(1.0 / ranks[0] if ranks else 0.0)
    return statistics.mean(hits), statistics.mean(rr)


def ms(samples: list[float]) -> str:
    """p50 / p99 in milliseconds."""
    a = np.array(samples) * 1000
    return f"p50 {np.percentile(a, 50):7.1f} ms   p99 {np.percentile(a, 99):7.1f} ms"


def timed(fn: Callable[[], object], repeat: int) -> list[float]:
    """Wall times of ``repeat`` calls (after one warm-up)."""
    fn()
    out = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t0)
    return out


def demo_bank(work: Path, encoder: str) -> Bank:
    """The demo bank for one encoder, built on first use."""
    bank = open_bank(BankSettings(path=work / f"bank-{encoder}", encoder=encoder))
    if len(bank) < 3000:
        t0 = time.perf_counter()
        report = build_demo(bank, work / "cache")
        print(
            f"built demo bank for {encoder}: {report.summary()} in {time.perf_counter() - t0:.0f} s"
        )
        for skip in report.skipped:
            print(f"  skipped {skip.file}: {skip.reason}")
    return bank


def quality(work: Path, encoders: list[str]) -> Bank | None:
    """Print hit@5 and MRR per encoder and for BM25; return the first bank for latency."""
    print(
        f"\n{len(CASES)} cases, right renders per case {min(len(c[2]) for c in CASES)}-"
        f"{max(len(c[2]) for c in CASES)}"
    )
    print(f"{'method':28} {'hit@5':>6} {'MRR':>6}   misses (first 3)")
    first: Bank | None = None
    for name in encoders:
        bank = demo_bank(work, name)
        first = first or bank
        ranked = [[h.id for h in search(bank, p, d, top=STAGE1).hits] for p, d, _ in CASES]
        h5, mrr = metrics(ranked)
        missed = [
            CASES[i][0]
            for i, ids in enumerate(ranked)
            if not any(base_id(x) in CASES[i][2] for x in ids[:5])
        ]
        print(f"{bank.encoder.name + ' (two-stage)':28} {h5:6.3f} {mrr:6.3f}   {missed[:3]}")
        if bank is not first:
            bank.close()
    assert first is not None
    images = list(first.images.values())
    engine = BM25([img.search_text() for img in images])
    ranked = []
    for p, d, _ in CASES:
        scores = engine.scores(f"{p} {d or ''}")
        order = np.argsort(-scores, kind="stable")[:STAGE1]
        ranked.append([images[i].id for i in order if scores[i] > 0])
    h5, mrr = metrics(ranked)
    print(f"{'BM25 (captions+keywords, 7 langs)':28} {h5:6.3f} {mrr:6.3f}")
    return first


def latency(bank: Bank | None, repeat: int, sizes: list[int]) -> None:
    """Search latency on the demo bank and index latency on synthetic vectors."""
    load = os.getloadavg()[0]
    print(f"\nlatency, {os.cpu_count()} CPUs (load average {load:.1f}), {repeat} queries each")
    if bank is not None:
        queries = [(p, d) for p, d, _ in CASES]
        it = iter(queries * (repeat // len(queries) + 2))
        samples = timed(lambda: search(bank, *next(it), top=10), repeat)
        accel = getattr(bank.index, "accelerator", bank.index.name)
        print(
            f"demo bank {len(bank)} images, full search (2 encodes + 2 stages), "
            f"accelerator {accel}: {ms(samples)}"
        )
        vec = bank.encoder.encode(["coffee to go"])[0]
        samples = timed(lambda: bank.index.search(bank.collection("usage"), vec, 900), repeat)
        n = bank.index.count(bank.collection("usage"))
        print(f"  stage 1 only, {accel}, {n} usage points, limit 900:      {ms(samples)}")
        bank.close()
    for n in sizes:
        synthetic(n, repeat)


def synthetic(n: int, repeat: int) -> None:
    """Index latency and recall at ``n`` random unit 512-d vectors, top 900 (3 x stage 1).

    One Qdrant local folder serves every local-mode line: plain local mode (accelerator
    'off'), the exact in-memory mirror and the HNSW mirror; recall is against exact numpy.
    """
    rng = np.random.default_rng(0)
    vecs = rng.standard_normal((n, 512)).astype(np.float32)
    vecs /= np.linalg.norm(vecs, axis=1, keepdims=True)
    queries = vecs[rng.integers(0, n, repeat + 1)] + 0.1
    ids = list(range(1, n + 1))
    payloads = [{"image_id": str(i), "key": f"k{i}"} for i in ids]
    exact = NumpyIndex()
    exact.ensure("v", 512)
    exact.upsert("v", ids, vecs, payloads)
    truth = [[h.id for h in exact.search("v", q, LIMIT)] for q in queries]
    samples = timed(_searcher(exact, queries), repeat)
    print(f"{n:>7} vectors, exact numpy (NumpyIndex), top {LIMIT}:      {ms(samples)}")
    from adcraft.providers.index_qdrant import QdrantIndex

    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        q = QdrantIndex(path=tmp, accelerator="exact")
        q.ensure("v", 512)
        q.upsert("v", ids, vecs, payloads)
        q.close()  # saves the mirror beside the collection
        print(
            f"{n:>7} vectors, Qdrant local upsert + mirror save: {time.perf_counter() - t0:.1f} s"
        )
        for kind in ("off", "exact", "hnsw"):
            t0 = time.perf_counter()
            q = QdrantIndex(path=tmp, accelerator=kind)  # type: ignore[arg-type]
            q.search("v", queries[0], LIMIT)  # loads the saved mirror (or builds the graph)
            opened = time.perf_counter() - t0
            samples = timed(_searcher(q, queries), min(repeat, 50) if kind == "off" else repeat)
            got = [[h.id for h in q.search("v", x, LIMIT)] for x in queries[:50]]
            print(
                f"{n:>7} vectors, Qdrant local, accelerator {kind:5}, top {LIMIT}: {ms(samples)}"
                f"   {recall(got, truth)}   (open + first search {opened:.1f} s)"
            )
            q.close()


LIMIT = 3 * STAGE1


def recall(got: list[list[int]], truth: list[list[int]]) -> str:
    """Mean share of the exact top 300 / top 900 ids found in the same top list."""
    r300 = [len(set(g[:300]) & set(t[:300])) / 300 for g, t in zip(got, truth, strict=False)]
    r900 = [len(set(g) & set(t)) / len(t) for g, t in zip(got, truth, strict=False)]
    return f"recall@300 {np.mean(r300):.4f}  recall@900 {np.mean(r900):.4f}"


def _searcher(index: VectorIndex, queries: np.ndarray) -> Callable[[], object]:
    """A call that searches the next query each time."""
    it = iter(queries)
    return lambda: index.search("v", next(it), LIMIT)


def cached_demo_bank(work: Path, encoder: str) -> Bank | None:
    """The demo bank when it was built into --work before (building needs npm), else None."""
    if not (work / f"bank-{encoder}" / "bank.json").exists():
        print(f"no demo bank in {work}/bank-{encoder}: full search() latency skipped")
        return None
    return demo_bank(work, encoder)


def main() -> None:
    """Parse arguments and print the figures."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--encoders", default="use,minilm")
    parser.add_argument("--work", type=Path, default=Path.home() / ".cache/adcraft/bench-bank")
    parser.add_argument("--repeat", type=int, default=200)
    parser.add_argument("--skip-latency", action="store_true")
    parser.add_argument("--skip-quality", action="store_true")
    parser.add_argument("--sizes", default="3400,100000", help="synthetic collection sizes")
    args = parser.parse_args()
    warnings.filterwarnings("ignore", message="Local mode is not recommended")
    encoders = [e for e in args.encoders.split(",") if e]
    for name in encoders:
        get_encoder(name)  # fail early on a missing optional encoder
    if args.skip_quality:
        bank: Bank | None = cached_demo_bank(args.work, encoders[0])
    else:
        bank = quality(args.work, encoders)
    if not args.skip_latency:
        latency(bank, args.repeat, [int(x) for x in args.sizes.split(",") if x])
    elif bank is not None:
        bank.close()


if __name__ == "__main__":
    main()
