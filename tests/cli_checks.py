"""What every refused CLI run must look like, shared by the suites that feed it bad input."""

from __future__ import annotations

import subprocess
from pathlib import Path


def assert_clean_failure(done: subprocess.CompletedProcess[str], out: Path, *words: str) -> None:
    """Exit 2, an ``error:`` line naming the problem, no traceback, no output or temp folder."""
    assert done.returncode == 2, done.stdout + done.stderr
    assert "Traceback" not in done.stderr
    assert "error:" in done.stderr
    for word in words:
        assert word.lower() in done.stderr.lower(), done.stderr
    assert not out.exists()
    assert not [p for p in out.parent.iterdir() if p.name.startswith(f".{out.name}")]
