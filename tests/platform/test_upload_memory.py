"""Hostile images cost the API process no pixel memory: uploads are checked from their headers.

Starts a real `adcraft serve` process and measures its resident set size (psutil) around four
parallel uploads of a 7000x7000 PNG (49 megapixels, under the 50 MP cap, ~150 MB once decoded).
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import psutil
from PIL import Image

from tests.platform.conftest import SECRET
from tests.platform.servers import free_port, wait_port

SRC = Path(__file__).resolve().parents[2] / "src"


def _big_png() -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (7000, 7000), (40, 120, 200)).save(buf, "PNG", compress_level=1)
    return buf.getvalue()


def test_four_parallel_7000px_png_uploads_leave_api_rss_flat(tmp_path: Path) -> None:
    port = free_port()
    env = {
        **os.environ,
        "PYTHONPATH": str(SRC),
        "ADCRAFT_DATA_DIR": str(tmp_path),
        "ADCRAFT_SECURITY__SECRET_KEY": SECRET,
        "ADCRAFT_ENVIRONMENT": "test",
        "ADCRAFT_EVENTS__ENABLED": "false",
        "ADCRAFT_TASKS__LOCAL_WORKERS": "1",
    }
    log = (tmp_path / "serve.log").open("wb")
    proc = subprocess.Popen(
        [sys.executable, "-m", "adcraft", "serve", "--port", str(port), "--log-level", "warning"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=log,
    )
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline().decode()
        assert "API key" in line, (tmp_path / "serve.log").read_text()
        key = line.rsplit(" ", 1)[1].strip()
        wait_port(port, timeout=60)
        base = f"http://127.0.0.1:{port}/api/v1"
        png = _big_png()
        server = psutil.Process(proc.pid)
        with httpx.Client(base_url=base, headers={"Authorization": f"Bearer {key}"}) as c:
            # Warm up the upload path once with a small image (imports, first connections).
            small = io.BytesIO()
            Image.new("RGB", (64, 64)).save(small, "PNG")
            assert c.post("/assets", files={"file": ("s.png", small.getvalue())}).status_code == 201
        before = server.memory_info().rss
        peak = before

        def upload(i: int) -> httpx.Response:
            with httpx.Client(base_url=base, headers={"Authorization": f"Bearer {key}"}) as c:
                return c.post(
                    "/assets", files={"file": (f"big{i}.png", png, "image/png")}, timeout=120
                )

        with ThreadPoolExecutor(4) as pool:
            futures = [pool.submit(upload, i) for i in range(4)]
            while not all(f.done() for f in futures):
                peak = max(peak, server.memory_info().rss)
                time.sleep(0.01)  # sampling interval of the measurement, not synchronisation
            answers = [f.result() for f in futures]
        peak = max(peak, server.memory_info().rss)
        for r in answers:
            assert r.status_code == 201, r.text
            assert (r.json()["width"], r.json()["height"]) == (7000, 7000)
        growth_mb = (peak - before) / 2**20
        print(f"API RSS before {before / 2**20:.0f} MB, peak growth {growth_mb:.1f} MB")
        assert growth_mb < 100, f"API RSS grew {growth_mb:.0f} MB"
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()


def test_workers_decode_big_jpegs_at_a_reduced_scale() -> None:
    from adcraft.imagery.load import decode_image

    buf = io.BytesIO()
    Image.new("RGB", (8000, 4000), (200, 40, 40)).save(buf, "JPEG", quality=80)
    full = decode_image(buf.getvalue(), "big.jpg")
    reduced = decode_image(buf.getvalue(), "big.jpg", max_side=1000)
    assert full.image.size == (8000, 4000)
    # 1/8 scale keeps the longest side at or above 1000 px: an eighth of the pixels' memory.
    assert reduced.image.size == (1000, 500)
    assert reduced.image.getpixel((500, 250))[0] > 150
