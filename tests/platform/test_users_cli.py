"""`adcraft user …` as an operator runs it: invite the first admin, list, change a role, remove."""

from __future__ import annotations

from pathlib import Path

from adcraft.accounts import service
from adcraft.config import Settings
from adcraft.container import build
from adcraft.db.engine import unit_of_work
from tests.platform.conftest import SECRET
from tests.platform.test_keys_cli import _adcraft


def test_first_admin_is_invited_from_the_cli(tmp_path: Path) -> None:
    assert _adcraft(tmp_path, "tenant", "create", "acme").returncode == 0
    bad = _adcraft(tmp_path, "user", "invite", "acme", "ops@acme.test", "--role", "owner")
    assert bad.returncode == 2 and "unknown role 'owner'" in bad.stderr
    made = _adcraft(tmp_path, "user", "invite", "acme", "Ops@Acme.test", "--role", "admin")
    assert made.returncode == 0, made.stderr
    link = made.stdout.splitlines()[-1]
    assert link.startswith("/#/join/") and "ops@acme.test as admin" in made.stdout
    c = build(
        Settings(environment="test", data_dir=tmp_path, security={"secret_key": SECRET}),
        with_runner=False,
    )
    try:
        with unit_of_work(c.sessions) as s:
            service.accept(s, link.removeprefix("/#/join/"), c.secret, "Ops", "a long passphrase")
        with c.sessions() as s:
            assert service.sign_in(s, "ops@acme.test", "a long passphrase") is not None
    finally:
        c.engine.dispose()
    listed = _adcraft(tmp_path, "user", "list", "acme").stdout
    assert "admin" in listed and "ops@acme.test" in listed
    last = _adcraft(tmp_path, "user", "role", "ops@acme.test", "viewer")
    assert last.returncode == 2 and "last admin" in last.stderr
    assert _adcraft(tmp_path, "user", "remove", "nobody@acme.test").returncode == 2
    audit = _adcraft(tmp_path, "audit").stdout
    assert "user.invite" in audit and "cli:ops-carol" in audit
