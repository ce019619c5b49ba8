"""Delivery: signed webhooks with retries and a log, SSRF refusal, exports and sheets."""

from __future__ import annotations

import csv
import io
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from adcraft.bulk_sheets import GOOGLE_COLUMNS, META_COLUMNS
from adcraft.catalog.bulk.runner import CREATIVES, Supervisor, create_run, state_path
from adcraft.catalog.bulk.spec import RunSpec
from adcraft.catalog.bulk.worker import work
from adcraft.catalog.delivery.export import (
    destination,
    export_run,
    product_folder,
)
from adcraft.catalog.delivery.notify import Notifier
from adcraft.catalog.delivery.webhooks import SIGNATURE_HEADER, Backoff, Webhooks, sign, verify
from adcraft.catalog.feeds.importer import FeedOptions
from adcraft.errors import InputError, OutputError, UnsafeURL
from tests.fixtures.feeds.make_feeds import merchant_xml

FAST = Backoff(attempts=6, base_s=0.01)


class Receiver:
    """A loopback webhook receiver that answers 500 to its first ``fail_first`` requests."""

    def __init__(self, fail_first: int, status: int = 500) -> None:
        self.fail_first = fail_first
        self.status = status
        self.requests: list[tuple[dict[str, str], bytes, int]] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                code = outer.status if len(outer.requests) < outer.fail_first else 204
                outer.requests.append((dict(self.headers), body, code))
                self.send_response(code)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hooks/adcraft"

    def accepted(self) -> list[tuple[dict[str, str], bytes, int]]:
        return [r for r in self.requests if 200 <= r[2] < 300]

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture()
def receiver() -> Iterator[Receiver]:
    r = Receiver(fail_first=3)
    yield r
    r.close()


@pytest.mark.usefixtures("loopback_allowed")
def test_a_receiver_failing_three_times_gets_one_signed_delivery_logged(
    tmp_path: Path, receiver: Receiver
) -> None:
    hooks = Webhooks(tmp_path / "hooks.db", backoff=FAST)
    hook = hooks.add(receiver.url, ["run.completed"])
    [did] = hooks.emit("run.completed", {"run": "r1", "completed": 10})
    assert hooks.emit("run.started", {"run": "r1"}) == []  # not subscribed
    assert len(receiver.requests) == 4
    [(headers, body, _)] = receiver.accepted()
    assert verify(hook["secret"], headers[SIGNATURE_HEADER], body)
    assert not verify("another secret", headers[SIGNATURE_HEADER], body)
    assert not verify(hook["secret"], headers[SIGNATURE_HEADER], body + b" ")
    payload = json.loads(body)
    assert (payload["id"], payload["event"], payload["data"]["completed"]) == (
        did,
        "run.completed",
        10,
    )
    [log] = hooks.deliveries(hook["id"])
    assert (log["status"], log["attempts"]) == ("delivered", 4)
    assert [a["http_status"] for a in log["log"]] == [500, 500, 500, 204]
    # Replay: the same event id, freshly signed, delivered again on request.
    assert hooks.replay(did) == "delivered"
    assert len(receiver.accepted()) == 2
    again = json.loads(receiver.accepted()[1][1])
    assert again["id"] == did
    hooks.close()


@pytest.mark.usefixtures("loopback_allowed")
def test_a_final_refusal_is_not_retried_and_backoff_doubles(tmp_path: Path) -> None:
    r = Receiver(fail_first=10, status=410)
    try:
        slept: list[float] = []
        hooks = Webhooks(tmp_path / "h.db", backoff=Backoff(6, 1.0), sleep=slept.append)
        hooks.add(r.url)
        [did] = hooks.emit("run.cancelled", {})
        assert len(r.requests) == 1 and slept == []
        assert hooks.deliveries()[0]["status"] == "failed"
        r.status = 503
        assert hooks.replay(did) == "failed"
        assert slept == [1.0, 2.0, 4.0, 8.0, 16.0]
        hooks.close()
    finally:
        r.close()


def test_private_and_loopback_webhook_urls_are_refused(tmp_path: Path) -> None:
    hooks = Webhooks(tmp_path / "h.db")
    for url in (
        "http://10.1.2.3/hook",
        "http://169.254.169.254/latest/meta-data",
        "http://127.0.0.1:9/hook",  # loopback without the explicit switch
        "http://[::ffff:192.168.0.1]/x",
        "ftp://example.com/x",
        "http://user:pw@example.com/x",
    ):
        with pytest.raises(UnsafeURL):
            hooks.add(url)
    with pytest.raises(InputError, match="unknown webhook events"):
        hooks.add("https://example.com/x", ["run.exploded"])
    assert hooks.hooks() == []
    assert sign("s", 1, b"{}") == sign("s", 1, b"{}") != sign("s", 2, b"{}")
    assert not verify("s", sign("s", 1, b"{}"), b"{}")  # far too old
    hooks.close()


@pytest.mark.usefixtures("loopback_allowed")
def test_run_events_reach_webhooks_and_the_run_exports_with_sheets(
    tmp_path: Path, image_server: str, receiver: Receiver
) -> None:
    feed = tmp_path / "feed.xml"
    feed.write_bytes(merchant_xml(6, image_server).replace(b"/img/3.png", b"/img/404.png"))
    out = tmp_path / "out"
    spec = RunSpec(formats=("meta_feed_square", "google_rda_landscape"), variants=1)
    run_id, _ = create_run(feed, FeedOptions(), spec, out)
    hooks = Webhooks(state_path(out), backoff=FAST)
    hook = hooks.add(receiver.url)
    hooks.close()
    notifier = Notifier(state_path(out), backoff=FAST)
    sup = Supervisor(out, run_id, workers=1, notify=notifier)
    sup.start()
    sup.wait(timeout_s=120)
    notifier.close()
    events = [json.loads(b)["event"] for _, b, _ in receiver.accepted()]
    assert events == ["run.started", "product.failed", "run.completed"]
    assert all(verify(hook["secret"], h[SIGNATURE_HEADER], b) for h, b, _ in receiver.accepted())

    export = tmp_path / "export"
    res = export_run(out, run_id, destination(str(export)), base_url="https://cdn.example.com/x")
    assert res.products == 5 and res.files == 5 * 2 + 3
    index = json.loads((export / "index.json").read_text())
    first = index["products"][0]["creatives"][0]
    assert first["url"] == f"https://cdn.example.com/x/{first['path']}"
    made = out / CREATIVES / index["products"][0]["key"] / first["file"]
    assert (export / first["path"]).read_bytes() == made.read_bytes()
    meta = list(
        csv.DictReader(io.StringIO((export / "sheets/meta_ads_bulk.csv").read_text("utf-8-sig")))
    )
    assert tuple(meta[0]) == META_COLUMNS and len(meta) == 5
    assert all(r["Image URL"].startswith("https://cdn.example.com/x/products/") for r in meta)
    assert meta[0]["Title"] and meta[0]["Link"].startswith("https://shop.example.com/")
    google = list(
        csv.DictReader(
            io.StringIO((export / "sheets/google_ads_editor.csv").read_text("utf-8-sig"))
        )
    )
    assert tuple(google[0]) == GOOGLE_COLUMNS and google[0]["Images"].endswith(".jpg")
    # A second export of the same run writes the same bytes at the same paths.
    before = {p: p.read_bytes() for p in export.rglob("*") if p.is_file()}
    export_run(out, run_id, destination(str(export)), base_url="https://cdn.example.com/x")
    assert {p: p.read_bytes() for p in export.rglob("*") if p.is_file()} == before
    assert product_folder("a/b c") != "a/b c" and product_folder("SKU-1") == "SKU-1"
    with pytest.raises(InputError):
        destination("http://example.com/x")
    work(state_path(out), run_id, out / CREATIVES)  # nothing left: returns at once


@pytest.mark.usefixtures("loopback_allowed")
def test_a_run_exported_to_s3_holds_the_same_files_as_a_folder_export(
    tmp_path: Path, image_server: str, moto_s3: str
) -> None:
    boto3 = pytest.importorskip("boto3")
    feed = tmp_path / "feed.xml"
    feed.write_bytes(merchant_xml(3, image_server))
    out = tmp_path / "out"
    spec = RunSpec(formats=("meta_feed_square", "google_rda_landscape"), variants=1)
    run_id, _ = create_run(feed, FeedOptions(), spec, out)
    sup = Supervisor(out, run_id, workers=1)
    sup.start()
    sup.wait(timeout_s=120)
    base = "https://cdn.example.com/spring"
    local = tmp_path / "export"
    export_run(out, run_id, destination(str(local)), base_url=base)
    files = {
        p.relative_to(local).as_posix(): p.read_bytes() for p in local.rglob("*") if p.is_file()
    }
    assert len(files) == 3 * 2 + 3

    s3_options = {
        "endpoint_url": moto_s3,
        "region_name": "us-east-1",
        "aws_access_key_id": "testing",
        "aws_secret_access_key": "testing",
    }
    client = boto3.client("s3", **s3_options)
    # No bucket yet: the upload fails with a message naming the object.
    with pytest.raises(OutputError, match=r"cannot upload s3://exports/spring/run-1/products/"):
        export_run(out, run_id, destination("s3://exports/spring/run-1", **s3_options))
    client.create_bucket(Bucket="exports")
    res = export_run(
        out, run_id, destination("s3://exports/spring/run-1/", **s3_options), base_url=base
    )
    assert (res.products, res.files) == (3, len(files))
    listed = client.list_objects_v2(Bucket="exports")
    assert not listed["IsTruncated"]
    keys = sorted(o["Key"] for o in listed["Contents"])
    assert keys == sorted(f"spring/run-1/{k}" for k in files)  # the same layout under the prefix
    for key, data in files.items():
        obj = client.get_object(Bucket="exports", Key=f"spring/run-1/{key}")
        assert obj["Body"].read() == data, key  # index and sheets included: same URLs
        kind = {"jpg": "image/jpeg", "png": "image/png", "json": "application/json"}
        assert obj["ContentType"] == kind.get(key.rsplit(".", 1)[1], "text/csv"), key
    # Exporting again replaces the objects with the same bytes: still one per file.
    export_run(out, run_id, destination("s3://exports/spring/run-1", **s3_options), base_url=base)
    assert client.list_objects_v2(Bucket="exports")["KeyCount"] == len(files)
