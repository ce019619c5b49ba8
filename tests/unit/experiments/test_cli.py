"""`adcraft simulate`, `adcraft ctr train|evaluate|explain`, `adcraft experiment plan`."""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli_checks import assert_clean_failure
from tests.e2e.test_devset import run_cli


def test_simulate_train_evaluate_explain(tmp_path: Path) -> None:
    sim, data = tmp_path / "sim", tmp_path / "data"
    done = run_cli(
        "simulate", "--out", str(sim), "--creatives", "30", "--impressions", "40000",
        "--seed", "4",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    first = json.loads((sim / "events.jsonl").open().readline())
    assert first["type"] == "impression" and first["event_id"][14] == "7"  # UUIDv7
    args = ["--events", str(sim / "events.jsonl"), "--creatives", str(sim / "creatives.jsonl")]
    done = run_cli("ctr", "train", *args, "--data-dir", str(data))
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("v0001:")
    assert (data / "ctr-models" / "default" / "LATEST").read_text() == "v0001"
    done = run_cli("ctr", "evaluate", *args, "--data-dir", str(data))
    assert done.returncode == 0, done.stderr
    figures = json.loads(done.stdout)
    assert figures["impressions"] == 40_000 and 0.5 < figures["auc"] < 1
    done = run_cli(
        "ctr", "explain", "sim-4-00003", "--creatives", str(sim / "creatives.jsonl"),
        "--data-dir", str(data),
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "predicted CTR" in done.stdout and "points of CTR" in done.stdout


def test_training_on_too_little_data_is_refused(tmp_path: Path) -> None:
    sim = tmp_path / "sim"
    assert run_cli("simulate", "--out", str(sim), "--impressions", "500").returncode == 0
    out = tmp_path / "data"
    done = run_cli(
        "ctr", "train", "--events", str(sim / "events.jsonl"),
        "--creatives", str(sim / "creatives.jsonl"), "--data-dir", str(out),
    )  # fmt: skip
    assert_clean_failure(done, out, "too little data", "minimum is 10000 impressions")


def test_explain_without_a_model_names_the_fix(tmp_path: Path) -> None:
    out = tmp_path / "data"
    creatives = tmp_path / "c.jsonl"
    creatives.write_text("")
    done = run_cli("ctr", "explain", "x", "--creatives", str(creatives), "--data-dir", str(out))
    assert_clean_failure(done, out, "no CTR model", "adcraft ctr train")


def test_plan_prints_the_sample_size() -> None:
    done = run_cli("experiment", "plan", "--control-ctr", "0.02")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("54633 impressions per AI arm")
    done = run_cli("experiment", "plan", "--control-ctr", "0.02", "--margin", "1.2")
    assert done.returncode == 2 and "must exceed the margin" in done.stderr
