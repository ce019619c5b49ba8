"""Read captions from a sidecar file next to the images: CSV or JSON.

CSV columns: ``file,caption[,keywords][,hypotheses][,id]`` — keywords separated by ';',
hypotheses by '|'. JSON: a list of objects with the same fields (keywords and hypotheses as
lists, plus optional ``i18n``: {lang: text}), or an object mapping file name to such an
object or to a bare caption string.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from adcraft.errors import BankError

SIDECAR_NAMES = ("captions.json", "captions.csv")


class CaptionEntry(BaseModel):
    """Caption data for one image file, as given by the user."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    file: str = Field(min_length=1)
    caption: str = ""
    keywords: tuple[str, ...] = ()
    hypotheses: tuple[str, ...] = ()
    i18n: dict[str, str] = Field(default_factory=dict)
    id: str | None = None


def find_sidecar(folder: Path) -> Path | None:
    """The sidecar file in a folder, if there is one."""
    for name in SIDECAR_NAMES:
        if (folder / name).is_file():
            return folder / name
    return None


def read_sidecar(path: Path) -> dict[str, CaptionEntry]:
    """Caption entries keyed by file name (no folder part)."""
    try:
        text = path.read_text("utf-8-sig")
    except OSError as exc:
        raise BankError(f"cannot read captions file {path}: {exc.strerror or exc}") from exc
    except UnicodeDecodeError as exc:
        raise BankError(f"captions file {path} is not UTF-8 text: save it as UTF-8") from exc
    rows = _csv_rows(text) if path.suffix.lower() == ".csv" else _json_rows(text, path)
    entries: dict[str, CaptionEntry] = {}
    for n, row in enumerate(rows, 1):
        try:
            entry = CaptionEntry.model_validate(row)
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(p) for p in first["loc"])
            raise BankError(
                f"captions file {path}, entry {n}: {where}: {first['msg']} — "
                "each entry needs at least 'file' and 'caption'"
            ) from exc
        entries[Path(entry.file).name] = entry
    return entries


def _split(value: Any, sep: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, list | tuple):
        return tuple(str(v).strip() for v in value if str(v).strip())
    return tuple(p.strip() for p in str(value).split(sep) if p.strip())


def _csv_rows(text: str) -> list[dict[str, Any]]:
    reader = csv.DictReader(text.splitlines())
    if reader.fieldnames is None or "file" not in reader.fieldnames:
        raise BankError("a captions CSV needs a header row with at least 'file' and 'caption'")
    rows: list[dict[str, Any]] = []
    for raw in reader:
        row: dict[str, Any] = {k: (v or "").strip() for k, v in raw.items() if k}
        row["keywords"] = _split(row.get("keywords"), ";")
        row["hypotheses"] = _split(row.get("hypotheses"), "|")
        if not row.get("id"):
            row.pop("id", None)
        rows.append(row)
    return rows


def _json_rows(text: str, path: Path) -> list[dict[str, Any]]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise BankError(f"captions file {path} is not valid JSON: {exc}") from exc
    if isinstance(data, dict):
        data = [
            {"file": name, **(value if isinstance(value, dict) else {"caption": value})}
            for name, value in data.items()
        ]
    if not isinstance(data, list) or not all(isinstance(r, dict) for r in data):
        raise BankError(
            f"captions file {path} must be a list of objects or an object keyed by file name"
        )
    rows: list[dict[str, Any]] = []
    for raw in data:
        row = dict(raw)
        row["keywords"] = _split(row.get("keywords"), ";")
        row["hypotheses"] = _split(row.get("hypotheses"), "|")
        rows.append(row)
    return rows
