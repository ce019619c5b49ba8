"""A real adcraft server with the web app, a headless Chromium, and the demo flow.

Shared by the browser tests and ``benchmarks/bench_web.py`` so the measured flow is the tested one.
"""

from __future__ import annotations

import secrets
import shutil
import socket
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import uvicorn

from adcraft.api import create_app
from adcraft.api.web import mount_web
from adcraft.config import Settings
from adcraft.container import Container, build
from adcraft.db.engine import unit_of_work
from adcraft.db.tenants import create_tenant

ROOT = Path(__file__).resolve().parents[2]
TENT = ROOT / "src/adcraft/data/examples/images/tent-trail3.jpg"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
TENANT = "Acme Outdoor"


def browser_missing() -> str | None:
    """Why the browser tests cannot run here, or None."""
    if not CHROMIUM.exists():
        return "Debian chromium not installed (apt-get install -y chromium): /usr/bin/chromium"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "playwright not installed (pip install 'adcraft[test]' or pip install playwright)"
    return None


def free_port() -> int:
    """A loopback port nobody listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def with_web(container: Container) -> Any:
    """The API app with the web app mounted (once, whether or not create_app already does)."""
    app = create_app(container)
    if not any(getattr(r, "path", None) == "/" for r in app.routes):
        mount_web(app)
    return app


@dataclass
class WebServer:
    """``adcraft serve`` in a thread: in-process task runner, temp data dir, one tenant."""

    max_upload_bytes: int = 2 * 2**20
    workers: int = 2
    mode: str = "thread"
    """``thread`` starts fast (tests); ``process`` is what ``adcraft serve`` runs by default."""
    extra: dict[str, Any] = field(default_factory=dict)
    """More settings sections, e.g. ``{"bank": {"demo_path": ...}}``."""
    data_dir: Path | None = None
    port: int = field(default_factory=free_port)
    key: str = ""
    security: dict[str, Any] = field(default_factory=dict)
    """Extra ``security.*`` settings (e.g. a single sign-on provider)."""
    container: Container | None = None
    app: Any = None
    _server: uvicorn.Server | None = None
    _thread: threading.Thread | None = None
    _own_dir: bool = False

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> WebServer:
        if self.data_dir is None:
            self.data_dir = Path(tempfile.mkdtemp(prefix="adcraft-web-"))
            self._own_dir = True
        settings = Settings(
            environment="test",
            data_dir=self.data_dir,
            tasks={"local_workers": self.workers, "local_mode": self.mode},
            # One tenant key serves every web test of a session (page polling included), and
            # sign-ins are anonymous: a fast run must meet neither per-minute limit, or a
            # request answers 429 depending on how quickly the tests before it ran.
            limits={
                "max_upload_bytes": self.max_upload_bytes,
                "anonymous_rate_limit_per_minute": 100_000,
                "rate_limit_per_minute": 100_000,
            },
            security={"secret_key": "web-test-" + secrets.token_hex(24), **self.security},
            **self.extra,
        )
        self.container = build(settings)
        with unit_of_work(self.container.sessions) as s:
            _, self.key = create_tenant(s, TENANT, self.container.secret)
        self.app = with_web(self.container)
        config = uvicorn.Config(self.app, host="127.0.0.1", port=self.port, log_level="warning")
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._server.run, daemon=True)
        self._thread.start()
        end = time.monotonic() + 30
        while not self._server.started:
            if time.monotonic() > end or not self._thread.is_alive():
                raise RuntimeError("the adcraft test server did not start")
            time.sleep(0.02)
        return self

    def flush_events(self) -> None:
        """Store every event accepted so far (the direct writer otherwise inserts them in
        batches every half second), so a page opened next shows them all."""
        analytics = getattr(self.app.state, "analytics", None) if self.app is not None else None
        sink = getattr(analytics, "sink", None)
        if sink is None:
            raise RuntimeError("the test server has no analytics sink")
        sink.flush()

    def stop(self) -> None:
        """Stop serving (the page stays open in the browser: the 'server down' case)."""
        if self._server is not None and self._thread is not None:
            self._server.should_exit = True
            self._thread.join(timeout=15)
            self._server = None
        if self.container is not None:
            self.container.engine.dispose()

    def close(self) -> None:
        self.stop()
        if self._own_dir and self.data_dir is not None:
            shutil.rmtree(self.data_dir, ignore_errors=True)

    def __enter__(self) -> WebServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.close()


def launch(playwright: Any) -> Any:
    """Headless Debian Chromium (no downloaded browser)."""
    return playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)


@dataclass
class FlowResult:
    """What the demo flow produced and how long it took."""

    zip_path: Path
    names: list[str]
    seconds_to_zip: float
    seconds_to_gallery: float
    task_id: str
    marks: dict[str, float]
    streaming_cls: float | None = None
    """Layout shift from pressing Generate to the complete gallery, where the page measures it
    (``window.__cls``, see tests/web/test_flow.py); the form's own shifts before do not count."""


def shoot(page: Any, shots: Path | None, name: str) -> None:
    """A screenshot of the current page, when a folder is given."""
    if shots is not None:
        shots.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(shots / f"{name}.png"))


def sign_in(page: Any, url: str, key: str) -> None:
    """Open the app and sign in with the API key (exchanged for a session cookie); returns when
    the new-creative form is shown."""
    page.goto(url + "/")
    page.locator("details.signin-key > summary").click()  # the key form waits behind it
    page.get_by_label("API key").fill(key)
    page.get_by_role("button", name="Use API key").click()
    page.get_by_role("heading", name="New creative").wait_for()


def fill_brief(
    page: Any,
    image: Path,
    *,
    name: str = "Trail 3 Tent",
    variants: int = 2,
    presets: tuple[str, ...] = (),
) -> None:
    """Type a new product and offer, pick formats, upload the photo.

    Formats: 1080x1080 and 300x250, or every size of the named platform presets ("Meta"...).
    """
    page.get_by_label("Type a new product").check()
    page.get_by_label("Product name").fill(name)
    page.get_by_label("Offer", exact=True).fill("20% off all tents this weekend")
    page.get_by_role("button", name="Clear").click()
    for preset in presets:
        page.locator(".presets button", has_text=preset).click()
    if presets:
        page.get_by_label("Variants").fill(str(variants))
        page.get_by_label("Upload a photo").check()
        page.get_by_label("Photo file").set_input_files(str(image))
        page.locator(".chosen img").wait_for()
        return
    page.get_by_label("Feed single image (FB Feed", exact=False).check()
    group = page.locator("details.preset-group", has_text="IAB standard display")
    if not group.evaluate("d => d.open"):
        group.locator("summary").click()
    page.get_by_label("Medium rectangle", exact=False).check()
    page.get_by_label("Variants").fill(str(variants))
    page.get_by_label("Upload a photo").check()
    page.get_by_label("Photo file").set_input_files(str(image))
    page.locator(".chosen img").wait_for()


def demo_flow(
    page: Any,
    url: str,
    key: str,
    out_dir: Path,
    *,
    shots: Path | None = None,
    edit: bool = True,
    image: Path = TENT,
    variants: int = 2,
    presets: tuple[str, ...] = (),
) -> FlowResult:
    """Sign in, brief with a photo, generate, watch, (edit a headline, then adjust one size's
    layout), download the ZIP."""
    marks: dict[str, float] = {}
    t0 = time.perf_counter()
    sign_in(page, url, key)
    shoot(page, shots, "02-new-creative")
    fill_brief(page, image, variants=variants, presets=presets)
    shoot(page, shots, "03-brief-filled")
    marks["brief"] = time.perf_counter() - t0
    # Layout shift is measured from here: the results streaming in, not the form filled above.
    page.evaluate("() => { if ('__cls' in window) window.__cls = 0; }")
    # A double click on Generate must make one task, not two.
    page.get_by_role("button", name="Generate").dblclick()
    page.wait_for_url("**/#/task/*")
    task_id = page.url.rsplit("/", 1)[-1]
    page.locator(".progress").wait_for()
    shoot(page, shots, "04-progress")
    page.locator(".badge.completed").wait_for(timeout=120_000)
    page.locator("article.creative:not(.pending) img").first.wait_for()
    page.wait_for_function(
        "() => [...document.querySelectorAll('article.creative img')].every(i => i.complete)"
    )
    marks["gallery"] = time.perf_counter() - t0
    streaming_cls = page.evaluate("() => window.__cls ?? null")
    shoot(page, shots, "05-gallery")
    if edit:
        page.locator("article.creative").first.get_by_role("button", name="Open and edit").click()
        dialog = page.locator("dialog.detail")
        headline = dialog.locator("#copy-headline")
        headline.fill("Trail 3: pitch in 4 min")
        dialog.get_by_role("button", name="Save as new version").click()
        dialog.get_by_text("Version 2 is ready.").wait_for(timeout=60_000)
        dialog.locator(".version-list li").nth(1).wait_for()
        shoot(page, shots, "06-edited-version")
        marks["edited"] = time.perf_counter() - t0
        # One size adjusted by hand: the product two steps smaller, saved for this size only.
        dialog.get_by_role("button", name="Adjust layout").click()
        editor = dialog.locator("section.layout-editor")
        editor.get_by_role("button", name="Product", exact=False).focus()
        page.keyboard.press("-")
        page.keyboard.press("-")
        editor.get_by_text("at 91% of its size", exact=False).wait_for()
        editor.get_by_role("button", name="Save this size").click()
        dialog.get_by_text("Version 3 is ready.").wait_for(timeout=60_000)
        shoot(page, shots, "06b-size-adjusted")
        dialog.get_by_role("button", name="Close").click()
        marks["adjusted"] = time.perf_counter() - t0
    with page.expect_download() as dl:
        page.get_by_role("button", name="Download all (ZIP)").click()
    download = dl.value
    out_dir.mkdir(parents=True, exist_ok=True)
    zip_path = out_dir / download.suggested_filename
    download.save_as(str(zip_path))
    seconds = time.perf_counter() - t0
    shoot(page, shots, "07-downloaded")
    import zipfile

    names = sorted(zipfile.ZipFile(zip_path).namelist())
    return FlowResult(zip_path, names, seconds, marks["gallery"], task_id, marks, streaming_cls)


def generate_set(
    api: Any, formats: list[str], variants: int = 1, **extra: Any
) -> tuple[str, list[Any]]:
    """A set made through the public API and waited for: (task id, its creatives). Text-led
    unless ``extra`` gives the request an image (``image_asset_id=...``)."""
    res = api.post(
        "/generate",
        json={
            "brief": {"product_name": "Trail 3 Tent", "offer": "20% off all tents this weekend"},
            "formats": formats,
            "variants": variants,
            **extra,
        },
    )
    assert res.status_code == 202, res.text
    task_id = str(res.json()["id"])
    deadline = time.monotonic() + 120
    while api.get(f"/tasks/{task_id}").json()["status"] not in ("completed", "failed"):
        assert time.monotonic() < deadline, "the task did not finish"
        time.sleep(0.2)
    items = api.get("/creatives", params={"task": task_id, "limit": 200}).json()["items"]
    return task_id, list(items)


def sale_product(api: httpx.Client) -> dict[str, Any]:
    """A catalogue product on sale (179 EUR, regularly 239 EUR), under a fresh SKU."""
    res = api.post(
        "/products",
        json={
            "sku": f"barista-{uuid.uuid4().hex[:8]}",
            "name": "Barista Mini",
            "description": "Compact espresso machine with a milk frother.",
            "offers": ["This week only: 25% off"],
            "price": {"amount": 179, "currency": "EUR"},
            "regular_price": {"amount": 239, "currency": "EUR"},
        },
    )
    assert res.status_code == 201, res.text
    return dict(res.json())
