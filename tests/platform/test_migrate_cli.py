"""`adcraft migrate`, and a clear error (not a traceback) on a database without the schema."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.platform.conftest import SECRET

SRC = Path(__file__).resolve().parents[2] / "src"


def _adcraft(tmp: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "PYTHONPATH": str(SRC),
        "ADCRAFT_DATA_DIR": str(tmp),
        "ADCRAFT_DATABASE__MIGRATE_ON_START": "false",
        "ADCRAFT_SECURITY__SECRET_KEY": SECRET,
        "ADCRAFT_EVENTS__ENABLED": "false",
    }
    return subprocess.run(
        [sys.executable, "-m", "adcraft", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_empty_database_says_run_migrate_then_migrate_fixes_it(tmp_path: Path) -> None:
    refused = _adcraft(tmp_path, "tenant", "create", "acme")
    assert refused.returncode == 2, refused.stderr
    assert refused.stderr.startswith("error:") and "adcraft migrate" in refused.stderr
    assert "Traceback" not in refused.stderr

    done = _adcraft(tmp_path, "migrate")
    assert done.returncode == 0, done.stderr
    assert "migrated from an empty database" in done.stdout
    again = _adcraft(tmp_path, "migrate")
    assert again.returncode == 0 and "already at revision" in again.stdout

    created = _adcraft(tmp_path, "tenant", "create", "acme")
    assert created.returncode == 0, created.stderr
    assert created.stdout.splitlines()[-1].startswith("adc_")
