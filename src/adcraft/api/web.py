"""The marketers' web app: static files from ``adcraft/web`` served at ``/``.

The app talks to the API only through ``/api/v1`` with the user's key, like any other client.
Routes are added after the API's, so API paths always win; any other GET path that is not a
file gets ``index.html`` (the app routes in the URL fragment, this only rescues deep links).
"""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI, HTTPException, Request
from fastapi.responses import FileResponse, Response

WEB_DIR = Path(__file__).resolve().parent.parent / "web"
FONTS_DIR = Path(__file__).resolve().parent.parent / "render" / "fonts"
# The faces web/fonts.css names: the renderer's own files, so the app draws every script it
# shows on a machine without those fonts. Nothing else in the fonts folder is served.
UI_FONTS = frozenset(
    {
        "NotoSansMulti-Regular.ttf",
        "NotoSansMulti-Bold.ttf",
        "NotoSansSC-Regular.otf",
        "NotoSansSC-Bold.otf",
    }
)
_TYPES = {
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".html": "text/html; charset=utf-8",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".ico": "image/x-icon",
    ".json": "application/json",
    ".txt": "text/plain; charset=utf-8",
    ".ttf": "font/ttf",
    ".otf": "font/otf",
}
# Images may come from an S3 presigned URL on another host; scripts, styles and API calls may not.
_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src * data: blob:; "
    "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; "
    "frame-ancestors 'none'; form-action 'self'"
)
_HEADERS = {
    "Content-Security-Policy": _CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    # Revalidate every time: a new release must never run against a stale module.
    "Cache-Control": "no-cache",
}
_NOT_APP = ("api/", "files/")


def _file(path: Path) -> Response:
    media = _TYPES.get(path.suffix, "application/octet-stream")
    return FileResponse(path, media_type=media, headers=_HEADERS)


def _resolve(root: Path, rel: str) -> Path | None:
    """A file under ``root`` named by ``rel``, refusing anything that escapes it."""
    if not rel or rel.endswith("/"):
        return None
    candidate = (root / rel).resolve()
    if not candidate.is_relative_to(root) or not candidate.is_file():
        return None
    return candidate


def mount_web(app: FastAPI, web_dir: Path | None = None) -> None:
    """Serve the web app at ``/`` (static files, ``index.html`` for any other page path)."""
    root = (web_dir or WEB_DIR).resolve()
    index = root / "index.html"
    if not index.is_file():
        raise RuntimeError(f"web app files missing: {index} not found (reinstall adcraft)")

    async def web(request: Request, path: str = "") -> Response:
        if path.startswith(_NOT_APP):
            raise HTTPException(404, f"no route GET /{path}: see /docs for the API")
        found = _resolve(root, path)
        if found is not None:
            return _file(found)
        if "." in path.rsplit("/", 1)[-1]:
            # A missing asset (app.js, logo.png) is a 404, not the HTML page in disguise.
            raise HTTPException(404, f"no file /{path} in the web app")
        return _file(index)

    async def font(name: str) -> Response:
        if name not in UI_FONTS:
            raise HTTPException(404, f"no font /fonts/{name}")
        # Large (the CJK face is 8 MB) and changed only by a release: cached for a day.
        headers = {**_HEADERS, "Cache-Control": "public, max-age=86400"}
        return FileResponse(FONTS_DIR / name, media_type=_TYPES[Path(name).suffix], headers=headers)

    app.add_api_route("/fonts/{name}", font, methods=["GET", "HEAD"], include_in_schema=False)
    app.add_api_route("/", web, methods=["GET", "HEAD"], include_in_schema=False)
    app.add_api_route("/{path:path}", web, methods=["GET", "HEAD"], include_in_schema=False)
