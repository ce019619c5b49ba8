"""The README's set-up commands are the ones CI runs."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _readme_commands() -> list[str]:
    blocks = re.findall(r"```bash\n(.*?)\n```", (ROOT / "README.md").read_text("utf-8"), re.S)
    return [b.strip() for b in blocks[:2]]


def test_readme_starts_with_two_setup_commands() -> None:
    demo, tests = _readme_commands()
    assert "adcraft demo" in demo and "pip install" in demo
    assert "pytest" in tests and "pip install" in tests


def test_ci_runs_the_readme_test_command() -> None:
    _, tests = _readme_commands()
    assert tests in (ROOT / ".ci" / "run").read_text("utf-8")
