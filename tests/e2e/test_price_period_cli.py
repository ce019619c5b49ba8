"""A recurring price from the command line: --price-period, or a products.json price with a
"period", is drawn with the price ("$35/mo") and kept in manifest.json; a period adcraft does
not know is refused by name."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tests.cli_checks import assert_clean_failure
from tests.e2e.test_devset import run_cli


def _pills(out: Path) -> tuple[dict[str, Any], list[list[str]]]:
    manifest = json.loads((out / "manifest.json").read_text("utf-8"))
    pills = [
        e["lines"] for c in manifest["creatives"] for e in c["elements"] if e["kind"] == "price"
    ]
    return manifest, pills


def test_price_period_flag_reaches_the_pill_and_the_manifest(tmp_path: Path) -> None:
    out = tmp_path / "out"
    done = run_cli(
        "generate", "--title", "FiberNet 500", "--offer", "First month free",
        "--price", "35", "--currency", "USD", "--price-period", "monthly",
        "--formats", "1:1", "--variants", "1", "--workers", "1", "--out", str(out),
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    manifest, pills = _pills(out)
    assert manifest["brief"]["price"] == {"amount": 35.0, "currency": "USD", "period": "month"}
    assert pills == [["Then $35/mo"]]  # beside "First month free": the price after it
    # The manifest lists the recurring price as a claim of its own: shown whole or not at all.
    priced = [c for c in manifest["claims"] if c.get("source") == "price"]
    assert [(c["kind"], c["text"], c["period"]) for c in priced] == [
        ("per_period", "$35/mo", "month")
    ]


def test_a_minimum_term_flag_is_said_beside_the_price(tmp_path: Path) -> None:
    out = tmp_path / "out"
    done = run_cli(
        "generate", "--title", "FiberNet 500", "--offer", "Unlimited data",
        "--price", "35", "--currency", "USD", "--price-period", "month",
        "--price-min-term", "12",
        "--formats", "1:1", "--variants", "1", "--workers", "1", "--out", str(out),
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    manifest, pills = _pills(out)
    assert manifest["brief"]["price"]["min_term"] == 12
    assert pills == [["$35/mo"]]
    (creative,) = manifest["creatives"]
    terms = [" ".join(e["lines"]) for e in creative["elements"] if e["kind"] == "disclaimer"]
    assert terms == ["12-month minimum term"]
    # A term without a period is refused, saying what is missing.
    bad = run_cli(
        "generate", "--title", "FiberNet 500", "--price", "35", "--price-min-term", "12",
        "--formats", "1:1", "--out", str(tmp_path / "bad"),
    )  # fmt: skip
    assert bad.returncode != 0 and "--price-period" in bad.stderr


def test_a_products_json_price_period_reaches_the_pill(tmp_path: Path) -> None:
    products = tmp_path / "products.json"
    record = {
        "id": "sea-view",
        "name": "Hotel Mar Azul",
        "offers": ["3 Nächte bleiben, 2 zahlen"],
        "price": {"amount": 120, "currency": "EUR", "period": "night"},
        "language": "de",
    }
    products.write_text(json.dumps([record]), "utf-8")
    out = tmp_path / "out"
    done = run_cli(
        "generate", "--product-file", str(products), "--product-id", "sea-view",
        "--formats", "1:1", "--variants", "1", "--workers", "1", "--out", str(out),
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    manifest, pills = _pills(out)
    assert manifest["brief"]["price"]["period"] == "night"
    assert pills == [["120\u00a0€/Nacht"]]


def test_an_unknown_price_period_is_refused_by_name(tmp_path: Path) -> None:
    out = tmp_path / "out"
    done = run_cli(
        "generate", "--title", "FiberNet", "--price", "35", "--price-period", "fortnight",
        "--formats", "1:1", "--out", str(out),
    )  # fmt: skip
    assert_clean_failure(done, out, "price period", "fortnight", "month")
