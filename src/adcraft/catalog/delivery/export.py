"""Export a run's creatives to a local folder or an S3 prefix, in a stable layout, with
platform bulk-upload sheets that point at the exported images.

Layout (the same for a folder and a bucket; paths depend only on product id and creative):

    products/<product id>/<format>_<WxH>_v<n>-<style>.<ext>
    index.json                       every product: its creatives, copy, score and URL
    sheets/meta_ads_bulk.csv         one ad per product and creative, Meta Ads Manager import
    sheets/google_ads_editor.csv     one responsive display ad per product, Google Ads Editor

Sheet columns follow the platforms' own bulk templates as documented in docs/catalog.md;
both platforms change them from time to time, so compare with a fresh export from your
account before a large upload.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import quote, urlsplit

from adcraft.bulk_sheets import build_sheets
from adcraft.catalog.bulk.product_render import MANIFEST
from adcraft.catalog.bulk.runner import CREATIVES, state_path
from adcraft.catalog.bulk.state import RunState
from adcraft.errors import InputError, OutputError
from adcraft.problem_codes import refuse

_SAFE = re.compile(r"[^A-Za-z0-9._-]+")
_TYPES = {
    ".jpg": "image/jpeg",
    ".png": "image/png",
    ".webp": "image/webp",
    ".json": "application/json",
    ".csv": "text/csv",
}


class Destination(Protocol):
    """Where exported files go."""

    def put(self, key: str, data: bytes) -> None:
        """Write ``data`` at ``key`` (a relative path with forward slashes)."""
        ...


@dataclass
class FolderDestination:
    """A local folder."""

    root: Path

    def put(self, key: str, data: bytes) -> None:
        """Write the file (its folders made as needed), replacing an older one atomically."""
        path = self.root / key
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_name(f".{path.name}.tmp")
            tmp.write_bytes(data)
            tmp.replace(path)
        except OSError as exc:
            raise OutputError(f"cannot write {path}: {exc.strerror or exc}") from exc


@dataclass
class S3Destination:
    """An S3 (or S3-compatible) bucket and prefix."""

    url: str
    options: dict[str, Any] = field(default_factory=dict)
    _client: Any = None

    def put(self, key: str, data: bytes) -> None:
        """PUT the object under the prefix."""
        try:
            import boto3  # type: ignore[import-untyped]
        except ImportError as exc:
            raise OutputError("exporting to S3 needs boto3: pip install 'adcraft[s3]'") from exc
        parts = urlsplit(self.url)
        if self._client is None:
            opts = {k: v for k, v in self.options.items() if v}
            self._client = boto3.client("s3", **opts)
        prefix = parts.path.strip("/")
        name = f"{prefix}/{key}" if prefix else key
        kind = _TYPES.get(Path(key).suffix, "application/octet-stream")
        try:
            self._client.put_object(Bucket=parts.netloc, Key=name, Body=data, ContentType=kind)
        except Exception as exc:  # botocore raises many unrelated types
            raise OutputError(f"cannot upload s3://{parts.netloc}/{name}: {exc}") from exc


def destination(target: str, **s3_options: Any) -> Destination:
    """``s3://bucket/prefix`` or a folder path."""
    if target.startswith("s3://"):
        if not urlsplit(target).netloc:
            raise refuse("export_target_no_bucket", target=target)
        return S3Destination(target, s3_options)
    if "://" in target:
        raise refuse("export_target_invalid", target=target)
    return FolderDestination(Path(target))


def product_folder(product_id: str) -> str:
    """A path-safe folder name for a product id; ids changed by cleaning get a short hash."""
    safe = _SAFE.sub("_", product_id).strip("._") or "product"
    if safe != product_id:
        safe += "-" + hashlib.sha256(product_id.encode()).hexdigest()[:8]
    return safe[:120]


@dataclass(frozen=True)
class ExportResult:
    """What was exported."""

    products: int
    files: int
    index: dict[str, Any]
    gaps: list[str] = field(default_factory=list)
    """Sheet cells left empty because no whole text fit the platform's limit."""


def export_run(
    out_dir: Path, run_id: str, dest: Destination, *, base_url: str = "", campaign: str = ""
) -> ExportResult:
    """Copy every completed product's creatives to ``dest`` and write the index and sheets.

    ``base_url`` is the public URL of the destination's root (a CDN or bucket website);
    without it the sheets carry the relative paths.
    """
    state = RunState(state_path(out_dir))
    try:
        if state.run(run_id) is None:
            raise InputError(f"no run {run_id!r} in {out_dir}")
        items = state.items(run_id, "completed")
    finally:
        state.close()
    base = base_url.rstrip("/")
    products: list[dict[str, Any]] = []
    files = 0
    for item in items:
        folder = out_dir / CREATIVES / item["out_key"]
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
        where = f"products/{product_folder(item['product_id'])}"
        for c in manifest["creatives"]:
            key = f"{where}/{c['file']}"
            dest.put(key, (folder / c["file"]).read_bytes())
            c["path"] = key
            c["url"] = f"{base}/{quote(key)}" if base else key
            files += 1
        products.append(manifest)
    index = {"run": run_id, "products": products}
    name = campaign or f"adcraft {run_id}"
    dest.put("index.json", json.dumps(index, ensure_ascii=False, indent=1).encode())
    sheets = build_sheets(products, name)
    dest.put("sheets/meta_ads_bulk.csv", sheets.meta)
    dest.put("sheets/google_ads_editor.csv", sheets.google)
    return ExportResult(len(products), files + 3, index, sheets.gaps)
