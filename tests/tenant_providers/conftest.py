"""A small API stack whose tenants may point the copywriter at a local test server."""

from __future__ import annotations

import importlib.util
from collections.abc import Iterator
from pathlib import Path

import pytest

from adcraft.api import create_app
from adcraft.config import Settings
from tests.platform.conftest import SECRET, Stack, make_stack, settings_env
from tests.platform.servers import ServerThread

_MISSING = [m for m in ("openai", "cryptography") if importlib.util.find_spec(m) is None]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Skip with the reason when the `llm` extra is missing."""
    if _MISSING:
        skip = pytest.mark.skip(reason=f"{', '.join(_MISSING)} missing: pip install 'adcraft[llm]'")
        for item in items:
            if "tenant_providers" in str(item.path):
                item.add_marker(skip)


def open_stack(tmp: Path, **settings: object) -> Iterator[Stack]:
    """The API with an in-process worker (threads) on SQLite, private LLM URLs allowed."""
    s = Settings(
        environment="test",
        data_dir=tmp,
        tasks={"local_workers": 1, "local_mode": "thread"},
        security={"secret_key": SECRET},
        **{"providers": {"allow_private_llm_urls": True}, **settings},  # type: ignore[arg-type]
    )
    container, ka, kb = make_stack("local", s)
    with ServerThread(create_app(container)) as srv:
        yield Stack("local", srv.url, ka, kb, container, s, settings_env(s))
    container.close()


@pytest.fixture()
def llm_stack(tmp_path: Path) -> Iterator[Stack]:
    """A fresh stack per test: each test sets its tenant's endpoint from scratch."""
    yield from open_stack(tmp_path)
