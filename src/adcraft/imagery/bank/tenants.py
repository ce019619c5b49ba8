"""The image banks of a multi-tenant service: one private bank per tenant (its own manifest,
vectors and image bytes) plus an optional shared demo bank every tenant may search but not change.

A tenant's bank never opens another tenant's folder or collections: isolation is by path (local
mode) or by collection prefix (Qdrant server), and bytes are kept under the tenant's own store
namespace. Every bank is guarded by its own lock: Qdrant's local mode is not thread-safe, and
the API serves requests from a thread pool.
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from adcraft.errors import AdcraftError, BankError, EmptyBank, InputError, NoBankMatch, NotFound
from adcraft.imagery.bank.config import SharedEncoder
from adcraft.imagery.bank.hypotheses import HYPOTHESES_PER_IMAGE, derive_hypotheses
from adcraft.imagery.bank.ingest import image_format
from adcraft.imagery.bank.models import BankImage, SearchHit
from adcraft.imagery.bank.ports import Captioner, TextEncoder, VectorIndex
from adcraft.imagery.bank.quality import QualityLimits, check_image
from adcraft.imagery.bank.search import POOL, sample, search
from adcraft.imagery.bank.store import Bank
from adcraft.imagery.load import decode_image

if TYPE_CHECKING:
    from adcraft.store.base import AssetStore

Which = Literal["own", "demo"]
Scope = Literal["all", "own", "demo"]
IndexFactory = Callable[[str, Path], VectorIndex]
"""(collection prefix, local folder) -> the index a bank keeps its vectors in."""

_MIME = {"png": "image/png", "jpeg": "image/jpeg", "webp": "image/webp", "gif": "image/gif"}
_EXT = {"jpeg": "jpg", "tiff": "tif"}
_UNSAFE = re.compile(r"[^0-9A-Za-z._-]+")
_TENANT = re.compile(r"^[0-9A-Za-z_-]{1,64}$")
OPEN_BANKS = 64
"""Tenant banks kept open at once; the least recently used is closed beyond this."""


@dataclass(frozen=True)
class TenantHit:
    """A ranked picture and the bank it comes from."""

    bank: Which
    hit: SearchHit


@dataclass(frozen=True)
class Upload:
    """A picture to add, as a person gives it (caption may be empty when a captioner is set)."""

    data: bytes
    filename: str
    caption: str = ""
    keywords: tuple[str, ...] = ()
    hypotheses: tuple[str, ...] = ()


class TenantBanks:
    """Every tenant's bank and the shared demo bank, opened on first use."""

    def __init__(
        self,
        root: Path,
        *,
        store: AssetStore,
        encoder: Callable[[], TextEncoder],
        index: IndexFactory,
        demo_path: Path | None = None,
        demo_prefix: str = "",
        tenant_prefix: str = "",
        min_score: float = 0.35,
        captioner: Captioner | None = None,
        limits: QualityLimits | None = None,
    ) -> None:
        self.root = root
        self.store = store
        self.min_score = min_score
        self.captioner = captioner
        self.limits = limits or QualityLimits()
        self.demo_path = demo_path
        self._make_encoder = encoder
        self._make_index = index
        self._demo_prefix = demo_prefix
        self._tenant_prefix = tenant_prefix
        self._encoder: SharedEncoder | None = None
        self._open: OrderedDict[str, Bank] = OrderedDict()
        self._locks: dict[str, threading.RLock] = {}
        self._demo: Bank | None = None
        self._guard = threading.Lock()

    # --- opening ----------------------------------------------------------------------------

    def encoder(self) -> TextEncoder:
        """The configured encoder (loaded once per process)."""
        with self._guard:
            if self._encoder is None:
                made = self._make_encoder()
                # One call at a time: the encoder's runtime is not re-entrant (the container's
                # is already the process-wide shared one).
                self._encoder = (
                    made if isinstance(made, SharedEncoder) else SharedEncoder(made, made.name)
                )
            return self._encoder

    def _lock(self, name: str) -> threading.RLock:
        with self._guard:
            return self._locks.setdefault(name, threading.RLock())

    @contextmanager
    def own(self, tenant_id: str) -> Iterator[Bank]:
        """The tenant's bank, held under its lock (created empty on first use)."""
        if not _TENANT.match(tenant_id):
            raise InputError(f"tenant id {tenant_id!r} cannot name a bank folder")
        encoder = self.encoder()
        with self._lock(tenant_id):
            with self._guard:
                bank = self._open.get(tenant_id)
                if bank is not None:
                    self._open.move_to_end(tenant_id)
            if bank is None:
                folder = self.root / tenant_id
                index = self._make_index(f"{self._tenant_prefix}t_{tenant_id}_", folder / "qdrant")
                try:
                    bank = Bank(folder, encoder=encoder, index=index, assets=self.store)
                except BaseException:
                    index.close()
                    raise
                with self._guard:
                    self._open[tenant_id] = bank
                self._evict()
            yield bank

    def _evict(self) -> None:
        """Close the least recently used banks beyond ``OPEN_BANKS`` that nobody is using
        (a bank in use is skipped rather than waited for: waiting could deadlock)."""
        with self._guard:
            excess = len(self._open) - OPEN_BANKS
            candidates = list(self._open)[: max(excess, 0)]
        for tenant in candidates:
            lock = self._lock(tenant)
            if not lock.acquire(blocking=False):
                continue
            try:
                with self._guard:
                    bank = self._open.pop(tenant, None)
                if bank is not None:
                    bank.close()
            finally:
                lock.release()

    @contextmanager
    def demo(self) -> Iterator[Bank | None]:
        """The shared demo bank under its lock, or None when none is configured."""
        if self.demo_path is None:
            yield None
            return
        with self._lock("\0demo"):
            if self._demo is None:
                if not (self.demo_path / "bank.json").is_file():
                    raise BankError(
                        f"no demo bank at {self.demo_path}: build it with "
                        "`adcraft bank build --demo` (ADCRAFT_BANK_PATH set to that folder) "
                        "or unset ADCRAFT_BANK__DEMO_PATH"
                    )
                index = self._make_index(self._demo_prefix, self.demo_path / "qdrant")
                try:
                    self._demo = Bank(self.demo_path, encoder=self.encoder(), index=index)
                except BaseException:
                    index.close()
                    raise
            yield self._demo

    @contextmanager
    def _bank(self, tenant_id: str, which: Which) -> Iterator[Bank]:
        if which == "own":
            with self.own(tenant_id) as bank:
                yield bank
            return
        with self.demo() as demo:
            if demo is None:
                raise NotFound("this server has no demo bank: set ADCRAFT_BANK__DEMO_PATH")
            yield demo

    def close(self) -> None:
        """Close every open bank (the process is stopping)."""
        with self._guard:
            banks = list(self._open.values())
            self._open.clear()
            demo, self._demo = self._demo, None
        for bank in [*banks, *([demo] if demo else [])]:
            bank.close()

    # --- reading ----------------------------------------------------------------------------

    def records(
        self, tenant_id: str, which: Which, *, offset: int = 0, limit: int = 50
    ) -> tuple[list[BankImage], int]:
        """A page of a bank's records (newest last, as added) and the bank's size."""
        with self._bank(tenant_id, which) as bank:
            records = list(bank.images.values())
        return records[offset : offset + limit], len(records)

    def get(self, tenant_id: str, which: Which, image_id: str) -> BankImage:
        """One record; a missing id (or another tenant's) is NotFound."""
        with self._bank(tenant_id, which) as bank:
            record = bank.images.get(image_id)
        if record is None:
            raise NotFound(f"no picture {image_id!r} in the {_label(which)}")
        return record

    def image_bytes(self, tenant_id: str, which: Which, image_id: str) -> tuple[bytes, str]:
        """A picture's bytes and content type."""
        with self._bank(tenant_id, which) as bank:
            record = bank.images.get(image_id)
            if record is None:
                raise NotFound(f"no picture {image_id!r} in the {_label(which)}")
            data = bank.assets.get(record.key)
        return data, _MIME.get(image_format(data), "application/octet-stream")

    def search(
        self,
        tenant_id: str,
        query: str,
        description: str | None = None,
        *,
        scope: Scope = "all",
        top: int = 12,
    ) -> list[TenantHit]:
        """Two-stage semantic search of the tenant's bank and the demo bank, best first."""
        found: list[TenantHit] = []
        searched = 0
        for which in ("own", "demo"):
            if scope not in ("all", which):
                continue
            if which == "demo" and self.demo_path is None:
                if scope == "demo":
                    raise NotFound("this server has no demo bank: set ADCRAFT_BANK__DEMO_PATH")
                continue
            with self._bank(tenant_id, which) as bank:
                if len(bank) == 0:
                    continue
                searched += 1
                result = search(bank, query, description, top=top)
            found += [TenantHit(which, h) for h in result.hits]
        if not searched:
            raise EmptyBank(
                "the image bank is empty: add pictures on the Image bank page "
                "(POST /api/v1/bank/images)"
                + ("" if self.demo_path else "; this server has no shared demo bank")
            )
        # Both banks use the same encoder, so their scores compare directly.
        found.sort(key=lambda t: (-t.hit.score, t.bank, t.hit.id))
        return found[:top]

    def choose(
        self, tenant_id: str, product: str, description: str | None = None, *, seed: int = 0
    ) -> TenantHit:
        """The picture for a brief: a seeded draw among the best matches above the threshold."""
        hits = self.search(tenant_id, product, description, top=POOL)
        good = [t for t in hits if t.hit.score >= self.min_score]
        if not good:
            best = hits[0].hit.score if hits else None
            shown = f"{best:.2f}" if best is not None else "none"
            raise NoBankMatch(
                f"no picture in the image bank matches {product!r} well enough (best score "
                f"{shown}, needs {self.min_score:.2f}): upload a product photo instead, or add "
                "a matching picture to the bank",
                best_score=best,
                threshold=self.min_score,
            )
        chosen = sample([t.hit for t in good], seed=seed)
        return next(t for t in good if t.hit is chosen)

    # --- writing (the tenant's own bank only) ---------------------------------------------

    def add(self, tenant_id: str, upload: Upload) -> BankImage:
        """Check, caption, store and index one picture; a rejected picture says why."""
        name = upload.filename or "picture"
        loaded = decode_image(upload.data, name)
        problem = check_image(loaded.image, self.limits)
        if problem:
            raise BankError(f"{name} was not added to the bank: {problem}")
        fmt = image_format(upload.data) or "png"
        caption, keywords, hypotheses = upload.caption.strip(), upload.keywords, upload.hypotheses
        source = "upload"
        if not caption and self.captioner is not None:
            try:
                draft = self.captioner.describe(upload.data, _MIME.get(fmt, f"image/{fmt}"), name)
            except AdcraftError as exc:
                raise BankError(
                    f"the captioner {self.captioner.name!r} could not describe {name} ({exc}): "
                    "give a caption yourself"
                ) from exc
            caption, source = draft.caption.strip(), self.captioner.name
            keywords = keywords or draft.keywords
            hypotheses = hypotheses or draft.hypotheses
        if not caption:
            raise BankError(
                f"{name} needs a caption: describe the picture in a sentence "
                "(or ask the operator to configure a captioner, ADCRAFT_BANK__CAPTION_URL)"
            )
        key = self.store.put(
            f"{tenant_id}_bank", upload.data, _EXT.get(fmt, fmt), _MIME.get(fmt, "image/png")
        )
        with self.own(tenant_id) as bank:
            record = BankImage(
                id=_free_id(bank, name),
                key=key,
                caption=caption,
                keywords=_clean(keywords),
                hypotheses=_hypotheses(caption, keywords, hypotheses),
                width=loaded.image.width,
                height=loaded.image.height,
                has_alpha=loaded.has_alpha,
                source=source,
            )
            bank.add([record])
        return record

    def update(
        self,
        tenant_id: str,
        image_id: str,
        *,
        caption: str | None = None,
        keywords: tuple[str, ...] | None = None,
        hypotheses: tuple[str, ...] | None = None,
    ) -> BankImage:
        """Change a picture's text and embed it again; new hypotheses follow a new caption
        unless given."""
        with self.own(tenant_id) as bank:
            old = bank.images.get(image_id)
            if old is None:
                raise NotFound(f"no picture {image_id!r} in your image bank")
            new_caption = old.caption if caption is None else caption.strip()
            if not new_caption:
                raise InputError("caption must not be empty: describe the picture in a sentence")
            new_keywords = old.keywords if keywords is None else _clean(keywords)
            if hypotheses is not None:
                new_hyp = _hypotheses(new_caption, new_keywords, hypotheses)
            elif new_caption != old.caption or new_keywords != old.keywords:
                new_hyp = _hypotheses(new_caption, new_keywords, ())
            else:
                new_hyp = old.hypotheses
            record = old.model_copy(
                update={
                    "caption": new_caption,
                    "keywords": new_keywords,
                    "hypotheses": new_hyp,
                    "i18n": {} if new_caption != old.caption else old.i18n,
                    "source": "edited",
                }
            )
            bank.add([record])
        return record

    def delete(self, tenant_id: str, image_id: str) -> None:
        """Remove a picture: record, vectors, and its bytes unless another record shares them."""
        with self.own(tenant_id) as bank:
            gone = bank.remove([image_id])
            if not gone:
                raise NotFound(f"no picture {image_id!r} in your image bank")
            still_used = {r.key for r in bank.images.values()}
            for record in gone:
                if record.key not in still_used:
                    self.store.delete(record.key)


def _label(which: Which) -> str:
    return "shared demo bank" if which == "demo" else "your image bank"


def _clean(words: tuple[str, ...] | list[str]) -> tuple[str, ...]:
    """Stripped, non-empty, unrepeated words in their order."""
    return tuple(dict.fromkeys(w.strip() for w in words if w.strip()))


def _hypotheses(caption: str, keywords: tuple[str, ...], given: tuple[str, ...]) -> tuple[str, ...]:
    """The given usage hypotheses, completed to three from the caption and keywords."""
    own = _clean(given)[:HYPOTHESES_PER_IMAGE]
    if len(own) < HYPOTHESES_PER_IMAGE:
        derived = [h for h in derive_hypotheses(caption, keywords) if h not in own]
        own = (*own, *derived)[:HYPOTHESES_PER_IMAGE]
    return own


def _free_id(bank: Bank, filename: str) -> str:
    """A record id from the file name, numbered when the bank already has it."""
    stem = _UNSAFE.sub("-", Path(filename).stem).strip("-.")[:100] or "picture"
    candidate, n = stem, 1
    while candidate in bank.images:
        n += 1
        candidate = f"{stem}-{n}"
    return candidate
