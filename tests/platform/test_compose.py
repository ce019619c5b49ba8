"""docker-compose.yml: parsed as YAML and checked for the services and settings that matter.

`docker compose config` needs the compose plugin, which CI may lack; run it when present.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

yaml = pytest.importorskip("yaml")
COMPOSE = Path(__file__).resolve().parents[2] / "docker-compose.yml"
SERVICES = {
    "api",
    "worker-cpu",
    "worker-small",
    "worker-gpu",
    "redis",
    "postgres",
    "minio",
    "qdrant",
    "clickhouse",
    "grafana",
    "prometheus",
}


def _doc() -> dict[str, Any]:
    doc: dict[str, Any] = yaml.safe_load(COMPOSE.read_text())
    return doc


def test_services_present_and_well_formed() -> None:
    doc = _doc()
    assert set(doc["services"]) == SERVICES
    for name, svc in doc["services"].items():
        assert "image" in svc, name
        for port in svc.get("ports", []):
            host, _, container = str(port).rpartition(":")
            assert host and container.isdigit(), (name, port)
        for dep in svc.get("depends_on", {}):
            assert dep in SERVICES, (name, dep)
    named = set(doc["volumes"])
    for svc in doc["services"].values():
        for v in svc.get("volumes", []):
            src = str(v).split(":")[0]
            assert src in named or src.startswith(("/", ".")), v


def test_adcraft_services_use_celery_postgres_and_s3() -> None:
    svcs = _doc()["services"]
    for name in ("api", "worker-cpu", "worker-small", "worker-gpu"):
        env = svcs[name]["environment"]
        assert env["ADCRAFT_TASKS__RUNNER"] == "celery"
        assert env["ADCRAFT_DATABASE__URL"].startswith("postgresql://")
        assert env["ADCRAFT_STORE__URL"].startswith("s3://")
        assert env["ADCRAFT_ENVIRONMENT"] == "production"
        assert ":?" in env["ADCRAFT_SECURITY__SECRET_KEY"], "secret must come from .env"
    assert "render" in svcs["worker-cpu"]["command"]
    assert "generate" in svcs["worker-gpu"]["command"]
    # The slot kept for small tasks reads their lane only (tasks/fair.py).
    small = svcs["worker-small"]["command"]
    queues = small[small.index("--queues") + 1].split(",")
    assert queues and all(q.endswith(".small") for q in queues)
    gpu = svcs["worker-gpu"]["environment"]
    assert int(gpu["ADCRAFT_TASKS__VISIBILITY_TIMEOUT_S"]) > int(
        gpu["ADCRAFT_TASKS__HARD_TIME_LIMIT_S"]
    )
    devices = svcs["worker-gpu"]["deploy"]["resources"]["reservations"]["devices"]
    assert devices[0]["capabilities"] == ["gpu"]


def test_no_default_passwords() -> None:
    text = COMPOSE.read_text()
    for bad in ("minioadmin", "POSTGRES_PASSWORD: postgres", "admin:admin", "changeme"):
        assert bad not in text


@pytest.mark.skipif(
    shutil.which("docker") is None
    or subprocess.run(["docker", "compose", "version"], capture_output=True).returncode != 0,
    reason="docker compose plugin not installed",
)
def test_docker_compose_config() -> None:
    env = {
        "ADCRAFT_SECRET_KEY": "x" * 48,
        "POSTGRES_PASSWORD": "p",
        "MINIO_ROOT_PASSWORD": "m" * 8,
        "GRAFANA_ADMIN_PASSWORD": "g",
        "CLICKHOUSE_PASSWORD": "c",
        "PATH": "/usr/bin:/bin",
    }
    r = subprocess.run(
        ["docker", "compose", "-f", str(COMPOSE), "config", "-q"],
        env=env,
        capture_output=True,
        text=True,
    )
    assert r.returncode == 0, r.stderr
