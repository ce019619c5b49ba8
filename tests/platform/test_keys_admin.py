"""Keys and tenants over the admin API, on SQLite and PostgreSQL: revoke, rotate with an overlap
window, list by prefix, delete a tenant with all its rows and files, every action audited."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select, update

from adcraft.api import create_app
from adcraft.config import Settings
from adcraft.db import models as m
from adcraft.db.models import utcnow
from adcraft.db.tenants import _TENANT_TABLES
from tests.platform.conftest import (
    SECRET,
    Stack,
    data_and_database,
    make_stack,
    settings_env,
    tent_bytes,
    wait_task,
)
from tests.platform.servers import ServerThread

ADMIN = "admin-token-" + "z" * 40


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def admin_stack(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Stack]:
    tmp, database = data_and_database(request, tmp_path_factory, "admin_keys")
    settings = Settings(
        environment="test",
        data_dir=tmp,
        database=database,
        tasks={"local_workers": 1, "local_mode": "thread"},
        security={"secret_key": SECRET, "admin_token": ADMIN},
        events={"enabled": False},
    )
    container, ka, kb = make_stack("admin", settings)
    with ServerThread(create_app(container)) as srv:
        yield Stack("admin", srv.url, ka, kb, container, settings, settings_env(settings))
    container.engine.dispose()


def _admin(stack: Stack, actor: str = "alice") -> httpx.Client:
    client = stack.client(ADMIN)
    client.headers["X-Admin-Actor"] = actor
    return client


def _prefix(key: str) -> str:
    return key.split("_")[1]


def _status(stack: Stack, key: str) -> int:
    with stack.client(key) as c:
        return c.get("/me").status_code


def _audit(stack: Stack, action: str, target: str) -> dict[str, Any]:
    with _admin(stack) as adm:
        entries = adm.get("/admin/audit", params={"limit": 1000}).json()
    found = [e for e in entries if e["action"] == action and e["target"] == target]
    assert found, f"no audit record {action} {target}: {entries[:5]}"
    entry: dict[str, Any] = found[0]
    return entry


def test_admin_api_needs_the_admin_token(admin_stack: Stack) -> None:
    with admin_stack.client() as anon:
        assert anon.get("/admin/tenants").status_code == 401
    with admin_stack.client(admin_stack.key_a) as tenant_key:
        r = tenant_key.get("/admin/tenants")
        assert r.status_code == 403 and "admin token" in r.json()["detail"]
    with admin_stack.client("x" * 44) as wrong:
        assert wrong.get("/admin/tenants").status_code == 403
    with _admin(admin_stack) as adm:
        names = {t["name"] for t in adm.get("/admin/tenants").json()}
    assert {"tenant-a", "tenant-b"} <= names
    # The admin token is no API key: tenant routes refuse it.
    with admin_stack.client(ADMIN) as adm_as_tenant:
        assert adm_as_tenant.get("/me").status_code == 401


def test_admin_api_is_off_without_a_token(local_stack: Stack) -> None:
    with local_stack.client("y" * 44) as c:
        r = c.get("/admin/tenants")
    assert r.status_code == 404 and "ADCRAFT_SECURITY__ADMIN_TOKEN" in r.json()["detail"]


def test_revoke_refuses_the_key_at_once_and_is_audited(admin_stack: Stack) -> None:
    with _admin(admin_stack) as adm:
        made = adm.post("/admin/tenants/tenant-a/keys", json={"name": "ci"})
        assert made.status_code == 201, made.text
        key = made.json()["key"]
        assert _status(admin_stack, key) == 200
        r = adm.post(f"/admin/keys/{_prefix(key)}/revoke")
        assert r.status_code == 200 and r.json()["state"] == "revoked"
        assert adm.post(f"/admin/keys/{_prefix(key)}/revoke").status_code == 409
    assert _status(admin_stack, key) == 401
    assert _status(admin_stack, admin_stack.key_a) == 200  # the tenant's other key still works
    entry = _audit(admin_stack, "key.revoke", _prefix(key))
    assert entry["actor"] == "admin-api:alice@127.0.0.1"
    assert entry["at"] and entry["tenant_id"]


def test_rotate_keeps_the_old_key_for_the_overlap_window_then_refuses_it(
    admin_stack: Stack,
) -> None:
    with _admin(admin_stack) as adm:
        old = adm.post("/admin/tenants/tenant-a/keys", json={"name": "rotating"}).json()["key"]
        r = adm.post(f"/admin/keys/{_prefix(old)}/rotate", json={"overlap_s": 3600})
        assert r.status_code == 201, r.text
        new = r.json()["key"]
        assert r.json()["old"]["state"] == "expiring" and r.json()["info"]["name"] == "rotating"
    assert new != old and _status(admin_stack, new) == 200
    assert _status(admin_stack, old) == 200  # inside the overlap window
    # The window ends (moved into the past rather than waited for): the old key is refused.
    with admin_stack.container.sessions() as s:
        s.execute(
            update(m.ApiKey)
            .where(m.ApiKey.prefix == _prefix(old))
            .values(expires_at=utcnow() - timedelta(seconds=1))
        )
        s.commit()
    assert _status(admin_stack, old) == 401
    assert _status(admin_stack, new) == 200
    with _admin(admin_stack) as adm:
        states = {k["prefix"]: k["state"] for k in adm.get("/admin/tenants/tenant-a/keys").json()}
        assert states[_prefix(old)] == "expired" and states[_prefix(new)] == "active"
        # Overlap 0: the old key stops at once.
        r = adm.post(f"/admin/keys/{_prefix(new)}/rotate", json={"overlap_s": 0})
        newest = r.json()["key"]
    assert _status(admin_stack, new) == 401 and _status(admin_stack, newest) == 200
    assert _audit(admin_stack, "key.rotate", _prefix(old))["detail"]["new_prefix"] == _prefix(new)


def test_key_list_shows_prefixes_never_secrets(admin_stack: Stack) -> None:
    with _admin(admin_stack) as adm:
        r = adm.get("/admin/tenants/tenant-b/keys")
    assert r.status_code == 200
    secret = admin_stack.key_b.split("_", 2)[2]
    assert secret not in r.text and "digest" not in r.text
    assert _prefix(admin_stack.key_b) in {k["prefix"] for k in r.json()}


def _tenant_rows(stack: Stack, tenant_id: str) -> dict[str, int]:
    with stack.container.sessions() as s:
        counts = {
            t.__tablename__: int(
                s.scalar(
                    select(func.count()).select_from(t).where(t.tenant_id == tenant_id)  # type: ignore[attr-defined]
                )
                or 0
            )
            for t in _TENANT_TABLES
        }
        counts["tenants"] = int(
            s.scalar(select(func.count()).select_from(m.Tenant).where(m.Tenant.id == tenant_id))
            or 0
        )
    return counts


def test_delete_tenant_removes_rows_and_files_and_leaves_others(admin_stack: Stack) -> None:
    with _admin(admin_stack, "bob") as adm:
        made = adm.post("/admin/tenants", json={"name": "doomed"})
        assert made.status_code == 201, made.text
        tenant_id, key = made.json()["tenant"]["id"], made.json()["key"]
    with admin_stack.client(key) as doomed:
        up = doomed.post("/assets", files={"file": ("tent.jpg", tent_bytes(), "image/jpeg")})
        assert up.status_code == 201, up.text
        r = doomed.post(
            "/generate",
            json={
                "brief": {"product_name": "Trail 3 Tent", "offer": "20% off"},
                "image_asset_id": up.json()["id"],
                "formats": ["1:1"],
                "variants": 1,
            },
        )
        assert r.status_code == 202, r.text
        task = wait_task(doomed, r.json()["id"])
        assert task["status"] == "completed", task
    other = admin_stack.a.post("/assets", files={"file": ("tent.jpg", tent_bytes(), "image/jpeg")})
    assert other.status_code == 201
    folder = admin_stack.settings.data_dir / "assets" / "tenants" / tenant_id
    files_before = [p for p in folder.rglob("*") if p.is_file()]
    assert files_before and sum(_tenant_rows(admin_stack, tenant_id).values()) > 5

    # An unfinished task blocks the deletion (a worker would write after the files are gone).
    with admin_stack.container.sessions() as s:
        s.execute(update(m.Task).where(m.Task.id == task["id"]).values(status="running"))
        s.commit()
    with _admin(admin_stack, "bob") as adm:
        busy = adm.delete(f"/admin/tenants/{tenant_id}")
        assert busy.status_code == 409 and "unfinished" in busy.json()["detail"]
    with admin_stack.container.sessions() as s:
        s.execute(update(m.Task).where(m.Task.id == task["id"]).values(status="completed"))
        s.commit()

    with _admin(admin_stack, "bob") as adm:
        r = adm.delete("/admin/tenants/doomed")
    assert r.status_code == 200, r.text
    report = r.json()
    assert report["tenant_id"] == tenant_id and report["files"] == len(files_before)
    assert report["rows"]["creatives"] >= 1 and report["rows"]["assets"] == 1
    assert all(v == 0 for v in _tenant_rows(admin_stack, tenant_id).values())
    assert not folder.exists()
    assert _status(admin_stack, key) == 401
    # The other tenant's file is untouched.
    assert admin_stack.a.get(f"/assets/{other.json()['id']}/content").status_code == 200
    entry = _audit(admin_stack, "tenant.delete", "doomed")
    assert entry["tenant_id"] == tenant_id and entry["actor"].startswith("admin-api:bob@")
    assert entry["detail"]["files"] == len(files_before)
    with _admin(admin_stack) as adm:
        assert adm.delete(f"/admin/tenants/{tenant_id}").status_code == 404
