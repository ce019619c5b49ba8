"""Open progress streams are capped per API key (429 past the cap, a slot back on close)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path

import pytest

from adcraft.api import create_app
from adcraft.api.submit import check_quota
from adcraft.config import Settings
from adcraft.db.models import BriefRow, Campaign, Task
from adcraft.db.tenants import find_tenant
from adcraft.errors import TooManyRequests
from tests.platform.conftest import SECRET, Stack, make_stack, settings_env
from tests.platform.servers import ServerThread

CAP = 2


@pytest.fixture(scope="module")
def capped(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    tmp: Path = tmp_path_factory.mktemp("streams")
    settings = Settings(
        environment="test",
        data_dir=tmp,
        tasks={"local_workers": 1, "local_mode": "thread"},
        limits={"max_streams_per_key": CAP},
        security={"secret_key": SECRET},
        events={"enabled": False},
    )
    container, ka, kb = make_stack("streams", settings)
    with ServerThread(create_app(container)) as srv:
        yield Stack("streams", srv.url, ka, kb, container, settings, settings_env(settings))
    container.engine.dispose()


def _pending_task(stack: Stack, tenant: str) -> str:
    """A task row that stays pending (never handed to a worker): its stream stays open."""
    with stack.container.sessions() as s:
        tenant_id = find_tenant(s, tenant).id
        campaign = Campaign(tenant_id=tenant_id, name="streams")
        s.add(campaign)
        s.flush()
        brief = BriefRow(tenant_id=tenant_id, campaign_id=campaign.id, data={"product_name": "x"})
        s.add(brief)
        s.flush()
        task = Task(
            tenant_id=tenant_id,
            campaign_id=campaign.id,
            brief_id=brief.id,
            kind="generate",
            request={},
        )
        s.add(task)
        s.commit()
        return task.id


def test_open_streams_are_capped_per_key(capped: Stack) -> None:
    task_a = _pending_task(capped, "tenant-a")
    task_b = _pending_task(capped, "tenant-b")
    with ExitStack() as open_streams:
        clients = [open_streams.enter_context(capped.client(capped.key_a)) for _ in range(CAP + 1)]
        for c in clients[:CAP]:
            r = open_streams.enter_context(c.stream("GET", f"/tasks/{task_a}/events"))
            assert r.status_code == 200
        extra = clients[CAP].get(f"/tasks/{task_a}/events")
        assert extra.status_code == 429, extra.text
        assert "open progress streams" in extra.json()["detail"] and extra.headers["retry-after"]
        # Coded, so the web app says it in the page's language.
        said = extra.json()
        assert (said["code"], said["params"]) == ("too_many_streams", {"count": CAP})
        # Another key (tenant) has its own slots.
        with capped.client(capped.key_b) as b, b.stream("GET", f"/tasks/{task_b}/events") as rb:
            assert rb.status_code == 200
    # All streams closed: the server notices the disconnects and gives the slots back.
    end = time.monotonic() + 30
    with capped.client(capped.key_a) as c:
        while True:
            with c.stream("GET", f"/tasks/{task_a}/events") as r:
                if r.status_code == 200:
                    break
            assert time.monotonic() < end, "stream slots were not given back"
            time.sleep(0.2)


def test_a_tenant_with_too_many_unfinished_sets_is_told_to_wait(capped: Stack) -> None:
    cap = capped.settings.tasks.max_active_per_tenant
    with capped.container.sessions() as s:
        tenant_id = find_tenant(s, "tenant-b").id
    for _ in range(cap):
        _pending_task(capped, "tenant-b")
    with capped.container.sessions() as s, pytest.raises(TooManyRequests) as got:
        check_quota(capped.container, s, tenant_id)
    err = got.value
    # (The module's other tests may have left a pending task of their own.)
    assert err.code == "too_many_tasks" and err.params["max"] == cap
    assert err.params["count"] >= cap
    assert err.retry_after > 0
