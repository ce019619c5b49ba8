"""`adcraft tenant …`, `adcraft key …` and `adcraft audit` as an operator runs them."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from adcraft.config import Settings
from adcraft.container import build
from adcraft.db.tenants import authenticate
from tests.platform.conftest import SECRET

SRC = Path(__file__).resolve().parents[2] / "src"


def _adcraft(tmp: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "PYTHONPATH": str(SRC),
        "ADCRAFT_DATA_DIR": str(tmp),
        "ADCRAFT_SECURITY__SECRET_KEY": SECRET,
        "ADCRAFT_ENVIRONMENT": "test",
        "USER": "ops-carol",
        "LOGNAME": "ops-carol",
    }
    done = subprocess.run(
        [sys.executable, "-m", "adcraft", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert "Traceback" not in done.stderr, done.stderr
    return done


def _works(tmp: Path, key: str) -> bool:
    c = build(
        Settings(environment="test", data_dir=tmp, security={"secret_key": SECRET}),
        with_runner=False,
    )
    try:
        with c.sessions() as s:
            return authenticate(s, key, c.secret) is not None
    finally:
        c.engine.dispose()


def test_key_lifecycle_and_tenant_delete_from_the_cli(tmp_path: Path) -> None:
    made = _adcraft(tmp_path, "tenant", "create", "acme")
    assert made.returncode == 0, made.stderr
    first = made.stdout.splitlines()[-1]
    assert first.startswith("adc_") and _works(tmp_path, first)

    second = _adcraft(tmp_path, "key", "create", "acme", "--name", "ci").stdout.splitlines()[-1]
    listed = _adcraft(tmp_path, "key", "list", "acme")
    assert listed.returncode == 0, listed.stderr
    for key in (first, second):
        assert f"adc_{key.split('_')[1]}_" in listed.stdout
        assert key.split("_", 2)[2] not in listed.stdout  # the secret is never shown again

    rotated = _adcraft(tmp_path, "key", "rotate", second.split("_")[1], "--overlap", "0")
    assert rotated.returncode == 0, rotated.stderr
    third = rotated.stdout.splitlines()[-1]
    assert not _works(tmp_path, second) and _works(tmp_path, third)

    revoked = _adcraft(tmp_path, "key", "revoke", first.split("_")[1])
    assert revoked.returncode == 0 and not _works(tmp_path, first)
    again = _adcraft(tmp_path, "key", "revoke", first.split("_")[1])
    assert again.returncode == 2 and again.stderr.startswith("error:") and "already" in again.stderr

    missing = _adcraft(tmp_path, "tenant", "delete", "nobody", "--yes")
    assert missing.returncode == 2 and "no tenant" in missing.stderr

    deleted = _adcraft(tmp_path, "tenant", "delete", "acme", "--yes")
    assert deleted.returncode == 0, deleted.stderr
    assert "deleted tenant acme" in deleted.stdout and "analytics" in deleted.stdout
    assert not _works(tmp_path, third)
    assert "acme" not in _adcraft(tmp_path, "tenant", "list").stdout

    audit = _adcraft(tmp_path, "audit").stdout.splitlines()
    actions = [line.split()[3] for line in audit]
    assert actions == [
        "tenant.delete",
        "key.revoke",
        "key.rotate",
        "key.create",
        "tenant.create",
    ], audit
    assert all("cli:ops-carol" in line for line in audit)
