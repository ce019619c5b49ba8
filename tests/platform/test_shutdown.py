"""`adcraft serve` stops on SIGTERM while a progress stream is open: the stream ends with a
'reconnect' comment and the process exits (it used to wait until the streamed task ended)."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx

from adcraft.config import Settings
from adcraft.container import build
from adcraft.db.engine import unit_of_work
from adcraft.db.models import BriefRow, Campaign, Task, utcnow
from adcraft.db.tenants import authenticate
from tests.platform.conftest import SECRET
from tests.platform.servers import free_port


def test_sigterm_ends_open_progress_streams_and_exits(tmp_path: Path) -> None:
    port = free_port()
    env = {
        **os.environ,
        "ADCRAFT_ENVIRONMENT": "test",
        "ADCRAFT_DATA_DIR": str(tmp_path),
        "ADCRAFT_SECURITY__SECRET_KEY": SECRET,
        "ADCRAFT_EVENTS__ENABLED": "false",
        "ADCRAFT_TASKS__LOCAL_WORKERS": "1",
        # The streamed task looks alive for the whole test: only shutdown can end its stream.
        "ADCRAFT_TASKS__HEARTBEAT_S": "300",
        "ADCRAFT_TASKS__STALE_AFTER_S": "3600",
        "ADCRAFT_SERVER__SHUTDOWN_TIMEOUT_S": "20",
    }
    with (tmp_path / "serve.log").open("wb") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "adcraft", "serve", "--port", str(port)],
            env=env,
            stdout=subprocess.PIPE,
            stderr=log,
        )
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline().decode()
        found = re.search(r"API key \(shown once\): (\S+)", line)
        assert found, line
        key = found.group(1)
        base = f"http://127.0.0.1:{port}"
        end = time.monotonic() + 60
        while True:
            try:
                if httpx.get(base + "/healthz").status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert time.monotonic() < end, (tmp_path / "serve.log").read_text()
            time.sleep(0.1)

        # A task some worker is running (fresh heartbeat), as seen by the API.
        settings = Settings(environment="test", data_dir=tmp_path, security={"secret_key": SECRET})
        c = build(settings, with_runner=False, migrate_db=False)
        with unit_of_work(c.sessions) as s:
            who = authenticate(s, key, c.secret)
            assert who is not None
            camp = Campaign(tenant_id=who.tenant_id, name="c")
            s.add(camp)
            s.flush()
            brief = BriefRow(tenant_id=who.tenant_id, campaign_id=camp.id, data={})
            s.add(brief)
            s.flush()
            now = utcnow()
            task = Task(
                tenant_id=who.tenant_id,
                campaign_id=camp.id,
                brief_id=brief.id,
                kind="generate",
                request={},
                status="running",
                attempts=1,
                started_at=now,
                attempt_started_at=now,
                heartbeat_at=now,
            )
            s.add(task)
            s.flush()
            task_id = task.id
        c.engine.dispose()

        lines: list[str] = []
        opened = threading.Event()

        def follow() -> None:
            with httpx.stream(
                "GET",
                f"{base}/api/v1/tasks/{task_id}/events",
                headers={"Authorization": f"Bearer {key}"},
                timeout=120,
            ) as r:
                for ln in r.iter_lines():
                    lines.append(ln)
                    if ln.startswith("event: progress"):
                        opened.set()

        reader = threading.Thread(target=follow, daemon=True)
        reader.start()
        assert opened.wait(30), lines

        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=30)
        reader.join(timeout=30)
        assert not reader.is_alive()
        assert ": server shutting down, reconnect" in lines, lines
        # uvicorn re-raises the signal once it has shut down cleanly (exit by SIGTERM).
        assert proc.returncode in (0, -signal.SIGTERM)
        served = (tmp_path / "serve.log").read_text()
        assert "ending progress streams" in served
        assert "Application shutdown complete" in served
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
