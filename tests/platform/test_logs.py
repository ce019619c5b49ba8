"""JSON log lines of `adcraft serve` and of a Celery worker: every line parses, with timestamp,
level, logger and message; request lines carry the request id sent back as X-Request-ID; worker
lines about a task carry the adcraft task id."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx
import pytest

from adcraft.api import create_app
from adcraft.config import Settings
from tests.platform.conftest import (
    SECRET,
    make_stack,
    settings_env,
    start_worker,
    tent_bytes,
    wait_task,
    wait_worker_ready,
)
from tests.platform.servers import PostgresServer, RedisServer, ServerThread, free_port

BRIEF = {"brief": {"product_name": "Trail 3 Tent"}, "formats": ["300x250"], "variants": 1}
FIELDS = {"timestamp", "level", "logger", "message", "request_id", "task_id"}


def _lines(path: Path) -> list[dict[str, Any]]:
    """Every line of the log as JSON (a line that does not parse fails the test)."""
    out = []
    for line in path.read_text("utf-8").splitlines():
        entry = json.loads(line)
        assert set(entry) >= FIELDS, line
        datetime.fromisoformat(entry["timestamp"].replace("Z", "+00:00"))
        out.append(entry)
    return out


def _wait_for(path: Path, pred: Any, timeout: float = 60) -> list[dict[str, Any]]:
    end = time.monotonic() + timeout
    while True:
        entries = _lines(path) if path.exists() else []
        if any(pred(e) for e in entries) or time.monotonic() > end:
            return entries
        time.sleep(0.2)


def test_serve_writes_json_lines_with_request_and_task_ids(tmp_path: Path) -> None:
    port = free_port()
    env = {
        **os.environ,
        "ADCRAFT_ENVIRONMENT": "test",
        "ADCRAFT_DATA_DIR": str(tmp_path / "data"),
        "ADCRAFT_SECURITY__SECRET_KEY": SECRET,
        "ADCRAFT_SERVER__LOG_FORMAT": "json",
        "ADCRAFT_EVENTS__ENABLED": "false",
        "ADCRAFT_TASKS__LOCAL_WORKERS": "1",
    }
    err = tmp_path / "serve.log"
    with err.open("wb") as fh:
        proc = subprocess.Popen(
            [sys.executable, "-m", "adcraft", "serve", "--port", str(port)],
            env=env,
            stdout=subprocess.PIPE,
            stderr=fh,
        )
    try:
        assert proc.stdout is not None
        first = proc.stdout.readline().decode()
        key = re.search(r"API key \(shown once\): (\S+)", first)
        assert key, first
        base = f"http://127.0.0.1:{port}"
        entries = _wait_for(err, lambda e: "Application startup complete" in e["message"])
        assert any("Application startup complete" in e["message"] for e in entries), entries
        a = httpx.Client(
            base_url=base + "/api/v1", headers={"Authorization": f"Bearer {key.group(1)}"}
        )
        r = a.get("/campaigns", headers={"X-Request-ID": "req-logs-1"})
        assert r.status_code == 200 and r.headers["x-request-id"] == "req-logs-1"
        fresh = a.get("/campaigns").headers["x-request-id"]
        assert re.fullmatch(r"[0-9a-f]{32}", fresh)

        # A task whose product photo vanished from the store fails in a worker process.
        up = a.post(
            "/assets",
            files={"file": ("t.jpg", tent_bytes(), "image/jpeg")},
            data={"kind": "image", "caption": "tent"},
        )
        assert up.status_code == 201, up.text
        for f in (tmp_path / "data" / "assets").rglob("*.jpg"):
            f.unlink()
        task = a.post("/generate", json={**BRIEF, "image_asset_id": up.json()["id"]}).json()
        assert wait_task(a, task["id"])["status"] == "failed"

        entries = _wait_for(err, lambda e: e["task_id"] == task["id"])
        access = [
            e
            for e in entries
            if e["logger"] == "uvicorn.access" and e["request_id"] == "req-logs-1"
        ]
        assert len(access) == 1 and "GET /api/v1/campaigns" in access[0]["message"]
        assert access[0]["level"] == "INFO"
        worker = [e for e in entries if e["task_id"] == task["id"]]
        assert worker and worker[0]["logger"] == "adcraft.tasks"
        assert any(e["level"] == "ERROR" and "AssetMissing" in e["message"] for e in worker)
        assert all(e["pid"] != proc.pid for e in worker), "written by the worker process"
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def test_celery_worker_lines_carry_the_adcraft_task_id(
    tmp_path: Path, postgres_server: PostgresServer, redis_server: RedisServer
) -> None:
    settings = Settings(
        environment="test",
        data_dir=tmp_path,
        database={"url": postgres_server.new_database("logs")},
        tasks={"runner": "celery", "broker_url": redis_server.url.rsplit("/", 1)[0] + "/6"},
        security={"secret_key": SECRET},
        events={"enabled": False},
    )
    container, key_a, _ = make_stack("logs", settings)
    log = tmp_path / "worker.log"
    worker = start_worker({**settings_env(settings), "ADCRAFT_SERVER__LOG_FORMAT": "json"}, log)
    try:
        wait_worker_ready(log)
        with ServerThread(create_app(container)) as srv:
            a = httpx.Client(
                base_url=srv.url + "/api/v1", headers={"Authorization": f"Bearer {key_a}"}
            )
            task_id = a.post("/generate", json=BRIEF).json()["id"]
            assert wait_task(a, task_id)["status"] == "completed"
        entries = _wait_for(log, lambda e: e["task_id"] == task_id and "ran in" in e["message"])
        mine = [e for e in entries if e["task_id"] == task_id]
        outcome = [e["message"] for e in mine if e["logger"] == "celery.app.trace"]
        assert any(m.endswith("task status: 'completed'") for m in outcome), outcome
        # Lines outside a task carry no task id.
        assert any(e["task_id"] is None and "ready." in e["message"] for e in entries)
    finally:
        os.killpg(worker.pid, 9)
        worker.wait()
        container.engine.dispose()


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_formatters_show_the_ids(fmt: str, capsys: pytest.CaptureFixture[str]) -> None:
    import logging

    from adcraft.logs import REQUEST_ID, TASK_ID, configure

    root = logging.getLogger()
    before = (list(root.handlers), root.level)
    configure(fmt)  # type: ignore[arg-type]
    try:
        r, t = REQUEST_ID.set("r1"), TASK_ID.set("t1")
        logging.getLogger("adcraft.x").warning("hello %s", "there")
        REQUEST_ID.reset(r)
        TASK_ID.reset(t)
        line = capsys.readouterr().err.strip().splitlines()[-1]
    finally:
        root.handlers[:] = before[0]
        root.setLevel(before[1])
    if fmt == "json":
        e = json.loads(line)
        assert (e["message"], e["request_id"], e["task_id"]) == ("hello there", "r1", "t1")
        assert e["level"] == "WARNING" and e["logger"] == "adcraft.x"
    else:
        assert re.match(
            r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z WARNING adcraft.x \[request=r1 task=t1\] "
            r"hello there$",
            line,
        ), line
