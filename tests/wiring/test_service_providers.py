"""Adding a provider is one module and one registration, in the service too: providers
registered here, in the test, are chosen by configuration and reach the API (capabilities),
the generate worker (copy and ranking) and the render worker (re-rank of a new version); a
provider module named in ADCRAFT_PROVIDER_MODULES reaches spawned worker processes."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest

from adcraft.api import create_app
from adcraft.config import Settings
from adcraft.copywriting.offline import BuiltinCopywriter
from adcraft.wiring import register, unregister
from tests.platform.conftest import SECRET, Stack, make_stack, settings_env, wait_task
from tests.platform.servers import ServerThread
from tests.wiring.flat_ranker import FlatRanker

BRIEF = {"product_name": "Trail 3 Tent", "offer": "20% off this weekend"}


class CountingCopywriter(BuiltinCopywriter):
    """The built-in copy, counted: proves this provider wrote it."""

    name = "test-count"
    calls = 0

    def write(self, *args: Any, **kwargs: Any) -> Any:
        CountingCopywriter.calls += 1
        return super().write(*args, **kwargs)


def _stack(tmp: Path, mode: str) -> Iterator[Stack]:
    s = Settings(
        environment="test",
        data_dir=tmp,
        tasks={"local_workers": 1, "local_mode": mode},
        security={"secret_key": SECRET},
    )
    container, ka, kb = make_stack("local", s)
    with ServerThread(create_app(container)) as srv:
        yield Stack("local", srv.url, ka, kb, container, s, settings_env(s))
    container.close()


@pytest.fixture()
def registered(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    @register("copywriter", "test-count")
    def _copy(options: Mapping[str, Any]) -> CountingCopywriter:
        return CountingCopywriter()

    @register("ranker", "test-flat-inline")
    def _rank(options: Mapping[str, Any]) -> FlatRanker:
        return FlatRanker()

    monkeypatch.setenv("ADCRAFT_LLM_PROVIDER", "test-count")
    monkeypatch.setenv("ADCRAFT_RANKER", "test-flat-inline")
    yield
    unregister("copywriter", "test-count")
    unregister("ranker", "test-flat-inline")


def test_registered_providers_reach_the_api_and_the_workers(
    registered: None, tmp_path: Path
) -> None:
    CountingCopywriter.calls = 0
    for stack in _stack(tmp_path, "thread"):
        caps = stack.a.get("/capabilities").json()["providers"]
        assert caps["copywriter"]["configured"] == "test-count"
        assert "test-count" in caps["copywriter"]["registered"]
        assert caps["ranker"]["configured"] == "test-flat-inline"
        r = stack.a.post("/generate", json={"brief": BRIEF, "formats": ["1:1"], "variants": 1})
        task = wait_task(stack.a, r.json()["id"], timeout=240)
        assert task["status"] == "completed", task
        assert task["copy_provider"]["provider"] == "test-count"
        assert CountingCopywriter.calls >= 1, "the generate worker wrote with it"
        items = stack.a.get("/creatives", params={"task": task["id"]}).json()["items"]
        assert [c["score"] for c in items] == [42.0], "the generate worker ranked with it"
        # A new version is re-ranked by the render worker through the same registry.
        r = stack.a.post(
            f"/creatives/{items[0]['id']}/versions", json={"action": "regenerate_text"}
        )
        assert r.status_code == 202, r.text
        assert wait_task(stack.a, r.json()["id"], timeout=240)["status"] == "completed"
        versions = stack.a.get(f"/creatives/{items[0]['id']}/versions").json()
        assert [v["score"] for v in versions] == [42.0, 42.0]


def test_a_provider_module_reaches_spawned_workers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ADCRAFT_PROVIDER_MODULES", "tests.wiring.flat_ranker")
    monkeypatch.setenv("ADCRAFT_RANKER", "test-flat")
    for stack in _stack(tmp_path, "process"):
        r = stack.a.post("/generate", json={"brief": BRIEF, "formats": ["1:1"], "variants": 1})
        task = wait_task(stack.a, r.json()["id"], timeout=240)
        assert task["status"] == "completed", task
        items = stack.a.get("/creatives", params={"task": task["id"]}).json()["items"]
        assert [c["score"] for c in items] == [42.0]
