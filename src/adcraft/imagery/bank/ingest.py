"""Ingest a folder of images into a bank: read, check, caption, store bytes, embed, index.

Every file is judged on its own: a corrupt, tiny, blurred or mostly-text file, or one with no
caption, is skipped with a reason and the rest go in. Records are committed in chunks (vectors
first, then the manifest), so an interrupted ingest keeps every chunk already committed.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Iterable
from pathlib import Path

from PIL import Image

from adcraft.errors import AdcraftError, BankError, ImageInputError
from adcraft.imagery.bank.hypotheses import HYPOTHESES_PER_IMAGE, derive_hypotheses
from adcraft.imagery.bank.models import BankImage, IngestReport, Skip
from adcraft.imagery.bank.ports import Captioner
from adcraft.imagery.bank.quality import QualityLimits, check_image
from adcraft.imagery.bank.sidecar import CaptionEntry, find_sidecar, read_sidecar
from adcraft.imagery.bank.store import TENANT, Bank
from adcraft.imagery.load import DEFAULT_MAX_BYTES, decode_image

IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".webp", ".gif", ".bmp", ".tif", ".tiff"}
_MIME = {"png": "image/png", "jpeg": "image/jpeg", "webp": "image/webp", "gif": "image/gif"}
CHUNK = 256
_UNSAFE = re.compile(r"[^0-9A-Za-z._-]+")

Progress = Callable[[int, int], None]


def image_id(path: Path) -> str:
    """The record id of a file: its stem with unsafe characters replaced."""
    return _UNSAFE.sub("-", path.stem).strip("-.")[:128] or "image"


def image_files(folder: Path) -> list[Path]:
    """Image files directly inside ``folder``, sorted by name."""
    if not folder.is_dir():
        raise BankError(f"{folder} is not a folder: give the folder that holds the images")
    return sorted(p for p in folder.iterdir() if p.suffix.lower() in IMAGE_SUFFIXES)


def ingest_folder(
    bank: Bank,
    folder: str | Path,
    *,
    captions: str | Path | None = None,
    captioner: Captioner | None = None,
    limits: QualityLimits | None = None,
    progress: Progress | None = None,
) -> IngestReport:
    """Add (or replace) every usable image of a folder; report the rest with reasons."""
    folder = Path(folder)
    files = image_files(folder)
    sidecar = Path(captions) if captions else find_sidecar(folder)
    entries = read_sidecar(sidecar) if sidecar else {}
    report = IngestReport()
    pending: list[BankImage] = []
    for n, path in enumerate(files, 1):
        record = _prepare(bank, path, entries.get(path.name), captioner, limits, report)
        if record is not None:
            pending.append(record)
        if len(pending) >= CHUNK:
            _commit(bank, pending, report)
        if progress is not None:
            progress(n, len(files))
    _commit(bank, pending, report)
    if not files:
        report.skipped.append(Skip(file=str(folder), reason="no image files in this folder"))
    report.total = len(bank)
    return report


def _commit(bank: Bank, pending: list[BankImage], report: IngestReport) -> None:
    added, replaced = bank.add(pending)
    report.added += added
    report.replaced += replaced
    pending.clear()


def _prepare(
    bank: Bank,
    path: Path,
    entry: CaptionEntry | None,
    captioner: Captioner | None,
    limits: QualityLimits | None,
    report: IngestReport,
) -> BankImage | None:
    """One file's record with its bytes stored, or None with a Skip added to the report."""

    def skip(reason: str) -> None:
        report.skipped.append(Skip(file=path.name, reason=reason))

    try:
        size = path.stat().st_size
        if size > DEFAULT_MAX_BYTES:
            skip(f"file is {size / 2**20:.0f} MiB, above the {DEFAULT_MAX_BYTES >> 20} MiB limit")
            return None
        data = path.read_bytes()
        loaded = decode_image(data, path.name)
    except ImageInputError as exc:
        skip(f"unreadable: {exc}")
        return None
    except OSError as exc:
        skip(f"unreadable: {exc.strerror or exc}")
        return None
    problem = check_image(loaded.image, limits)
    if problem:
        skip(problem)
        return None
    fmt = image_format(data) or path.suffix.lstrip(".").lower()
    mime = _MIME.get(fmt, f"image/{fmt}")
    caption, source = "", "sidecar"
    keywords: tuple[str, ...] = ()
    hypotheses: tuple[str, ...] = ()
    if entry is not None:
        caption, keywords, hypotheses = entry.caption.strip(), entry.keywords, entry.hypotheses
    if not caption and captioner is not None:
        try:
            draft = captioner.describe(data, mime, hint=path.stem)
        except AdcraftError as exc:
            skip(f"captioner {captioner.name!r} failed: {exc}")
            return None
        caption, keywords, source = draft.caption.strip(), draft.keywords, captioner.name
        hypotheses = hypotheses or draft.hypotheses
    if not caption:
        skip(
            "no caption: add a row for it to captions.csv/captions.json "
            "or configure a captioner (ADCRAFT_CAPTION_URL)"
        )
        return None
    if len(hypotheses) < HYPOTHESES_PER_IMAGE:
        derived = derive_hypotheses(caption, keywords)
        hypotheses = (*hypotheses, *derived)[:HYPOTHESES_PER_IMAGE]
    key = bank.assets.put(TENANT, data, file_ext(fmt, path), mime)
    return BankImage(
        id=entry.id if entry is not None and entry.id else image_id(path),
        key=key,
        caption=caption,
        keywords=tuple(keywords),
        hypotheses=tuple(hypotheses),
        i18n=dict(entry.i18n) if entry is not None else {},
        width=loaded.image.width,
        height=loaded.image.height,
        has_alpha=loaded.has_alpha,
        source=source,
    )


def image_format(data: bytes) -> str:
    """The container format from the header ('png', 'jpeg', 'webp'...), '' if unknown."""
    try:
        with Image.open(io.BytesIO(data)) as im:
            return (im.format or "").lower()
    except Exception:  # decode_image already accepted the bytes; the suffix is the fallback
        return ""


def file_ext(fmt: str, path: Path) -> str:
    ext = {"jpeg": "jpg", "tiff": "tif"}.get(fmt, fmt)
    return ext if re.fullmatch(r"[a-z0-9]{1,8}", ext) else path.suffix.lstrip(".").lower()


def ingest_records(bank: Bank, records: Iterable[BankImage]) -> IngestReport:
    """Add records whose bytes are already in the bank's asset store."""
    report = IngestReport()
    pending = list(records)
    for i in range(0, len(pending), CHUNK):
        _commit(bank, pending[i : i + CHUNK], report)
    report.total = len(bank)
    return report
