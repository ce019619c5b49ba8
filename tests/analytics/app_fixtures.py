"""An API app over a temp data folder with two tenants, and rows to serve creatives from."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from adcraft.api import create_app
from adcraft.config import Settings
from adcraft.container import Container, build
from adcraft.db.engine import unit_of_work
from adcraft.db.models import BriefRow, Campaign, CreativeRow, Task
from adcraft.db.tenants import create_tenant

SECRET = "test-secret-" + "x" * 40


@dataclass
class App:
    client: TestClient
    container: Container
    key_a: str
    key_b: str
    tenant_a: str
    tenant_b: str

    def headers(self, key: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {key}"}

    def post(self, path: str, key: str, headers: dict[str, str] | None = None, **kw: Any) -> Any:
        merged = {**self.headers(key), **(headers or {})}
        return self.client.post("/api/v1" + path, headers=merged, **kw)

    def get(self, path: str, key: str, **kw: Any) -> Any:
        return self.client.get("/api/v1" + path, headers=self.headers(key), **kw)


def add_creative(container: Container, tenant_id: str, landing_url: str | None = None) -> str:
    """A campaign, brief, task and one creative row for a tenant; returns the creative id."""
    with unit_of_work(container.sessions) as s:
        camp = Campaign(tenant_id=tenant_id, name="spring", landing_url=landing_url)
        s.add(camp)
        s.flush()
        brief = BriefRow(tenant_id=tenant_id, campaign_id=camp.id, data={})
        s.add(brief)
        s.flush()
        task = Task(
            tenant_id=tenant_id,
            campaign_id=camp.id,
            brief_id=brief.id,
            kind="generate",
            request={},
        )
        s.add(task)
        s.flush()
        row = CreativeRow(
            tenant_id=tenant_id,
            campaign_id=camp.id,
            task_id=task.id,
            pipeline_id="p1",
            format="meta_feed_square",
            platform="meta",
            width=1080,
            height=1080,
            variant=1,
            style="bold",
            template="t",
            rank=1,
        )
        s.add(row)
        s.flush()
        return row.id


def start_app(tmp: Path, *, settings: dict[str, Any] | None = None, **events: Any) -> Iterator[App]:
    """The app with its lifespan running (analytics started), closed after use; ``settings``
    adds other sections (``{"ctr": {...}}``)."""
    settings_ = Settings(
        environment="test",
        data_dir=tmp,
        security={"secret_key": SECRET},
        events={"flush_interval_s": 0.05, **events},
        **(settings or {}),
    )
    container = build(settings_, with_runner=False)
    with unit_of_work(container.sessions) as s:
        ta, key_a = create_tenant(s, "tenant-a", container.secret)
        tb, key_b = create_tenant(s, "tenant-b", container.secret)
        ids = (ta.id, tb.id)
    with TestClient(create_app(container)) as client:
        yield App(client, container, key_a, key_b, *ids)
    container.close()
