"""Property-based fuzzing of every operation in the OpenAPI schema: never a 5xx."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

schemathesis = pytest.importorskip("schemathesis", reason="pip install schemathesis")
from hypothesis import HealthCheck, given, settings  # noqa: E402

from adcraft.api import create_app  # noqa: E402
from adcraft.config import Settings  # noqa: E402
from tests.platform.conftest import SECRET, make_stack  # noqa: E402
from tests.platform.servers import ServerThread  # noqa: E402

_STATE: dict[str, Any] = {}
STATUSES: dict[Any, int] = {}


@pytest.fixture(scope="module")
def api_schema(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    tmp = tmp_path_factory.mktemp("fuzz")
    cfg = Settings(
        environment="test",
        data_dir=tmp,
        tasks={"local_mode": "thread", "max_active_per_tenant": 3},
        limits={
            "max_formats": 2,
            "max_variants": 1,
            "rate_limit_per_minute": 1_000_000,
            "fetch_timeout_s": 0.5,
            "fetch_total_s": 1.0,
        },
        security={"secret_key": SECRET},
    )
    container, key, _ = make_stack("fuzz", cfg)
    with ServerThread(create_app(container)) as srv:
        _STATE["key"] = key
        yield schemathesis.openapi.from_url(f"{srv.url}/openapi.json")
    container.engine.dispose()


def test_no_server_errors(api_schema: Any) -> None:
    """Every operation, fuzzed from its schema (bodies, params, headers): no 5xx, problem+json."""
    failures: list[str] = []
    ops = [r.ok() for r in api_schema.get_all_operations()]
    assert len(ops) >= 35
    for op in ops:

        @given(case=op.as_strategy())
        @settings(
            max_examples=12,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            derandomize=True,
            database=None,
        )
        def run(case: Any) -> None:
            headers = {"Authorization": f"Bearer {_STATE['key']}"}
            response = case.call(headers=headers, timeout=30)
            STATUSES[(case.method, response.status_code)] = (
                STATUSES.get((case.method, response.status_code), 0) + 1
            )
            if response.status_code >= 500:
                failures.append(
                    f"{case.method} {case.formatted_path} -> {response.status_code}: "
                    f"{response.text[:300]}"
                )
            elif response.status_code >= 400:
                ctype = response.headers.get("content-type", [""])
                ctype = ctype[0] if isinstance(ctype, list) else ctype
                assert ctype.startswith("application/problem+json"), (case.path, ctype)

        run()
    print(sorted(STATUSES.items()))
    assert not failures, "\n".join(failures[:20])
