"""A bank on disk: the manifest of records, the image bytes in an asset store, the vectors in
an index. The manifest is the source of truth and is only ever replaced atomically, after the
vectors of the new records are stored, so a failed ingest never loses what was there."""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from adcraft.errors import BankError
from adcraft.imagery.bank.models import BankImage, point_id
from adcraft.imagery.bank.ports import TextEncoder, VectorIndex

if TYPE_CHECKING:
    from adcraft.store.base import AssetStore

MANIFEST = "bank.json"
TENANT = "bank"
CAPTIONS = "captions"
USAGE = "usage"
_FORMAT = 1


class Bank:
    """Records + asset store + vector index + the encoder the vectors were made with."""

    def __init__(
        self,
        root: str | Path,
        *,
        encoder: TextEncoder,
        index: VectorIndex,
        assets: AssetStore | None = None,
        name: str = "bank",
    ) -> None:
        self.root = Path(root)
        self.encoder = encoder
        self.index = index
        self.name = name
        if assets is None:
            from adcraft.store.local import LocalStore

            assets = LocalStore(self.root / "assets")
        self.assets = assets
        self.images: dict[str, BankImage] = {}
        self._load_manifest()

    # --- manifest ---------------------------------------------------------------------

    @property
    def manifest_path(self) -> Path:
        """Where the records are kept."""
        return self.root / MANIFEST

    def _load_manifest(self) -> None:
        path = self.manifest_path
        if not path.exists():
            return
        try:
            data = json.loads(path.read_text("utf-8"))
            built_with = data.get("encoder")
            records = [BankImage.model_validate(r) for r in data.get("images", [])]
        except (OSError, ValueError) as exc:
            raise BankError(
                f"the bank manifest {path} is unreadable ({exc}): restore it from a backup "
                "or rebuild the bank with `adcraft bank build`"
            ) from exc
        if records and built_with and built_with != self.encoder.name:
            raise BankError(
                f"the bank at {self.root} was built with the {built_with!r} text encoder, "
                f"not {self.encoder.name!r}: set ADCRAFT_TEXT_ENCODER to the bank's encoder "
                "or rebuild it with `adcraft bank build`"
            )
        self.images = {r.id: r for r in records}

    def _write_manifest(self, images: dict[str, BankImage]) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        data: dict[str, Any] = {
            "format": _FORMAT,
            "encoder": self.encoder.name,
            "dim": self.encoder.dim,
            "images": [r.model_dump(mode="json") for r in images.values()],
        }
        fd, tmp = tempfile.mkstemp(dir=self.root, prefix=".bank-", suffix=".json")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                json.dump(data, fh, ensure_ascii=False)
            os.replace(tmp, self.manifest_path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    # --- collections ------------------------------------------------------------------

    def collection(self, kind: str) -> str:
        """Index collection name for 'captions' or 'usage'."""
        return f"{self.name}_{kind}"

    def __len__(self) -> int:
        return len(self.images)

    def add(self, records: Iterable[BankImage]) -> tuple[list[str], list[str]]:
        """Embed and index records (new or replacing), then commit the manifest."""
        batch = list(records)
        if not batch:
            return [], []
        enc = self.encoder
        captions = enc.encode([r.caption_text() for r in batch])
        usage_texts = [(r, k, h) for r in batch for k, h in enumerate(r.hypotheses, 1)]
        usage = enc.encode([h for _, _, h in usage_texts])
        self.index.ensure(self.collection(CAPTIONS), enc.dim)
        self.index.ensure(self.collection(USAGE), enc.dim)
        self.index.upsert(
            self.collection(CAPTIONS),
            [r.point_id() for r in batch],
            captions,
            [{"image_id": r.id, "key": r.key, "caption": r.caption} for r in batch],
        )
        self.index.upsert(
            self.collection(USAGE),
            [point_id(r.id, k) for r, k, _ in usage_texts],
            usage,
            [{"image_id": r.id, "key": r.key, "text": h} for r, _, h in usage_texts],
        )
        stale = [
            point_id(r.id, k)
            for r in batch
            if r.id in self.images
            for k in range(len(r.hypotheses) + 1, len(self.images[r.id].hypotheses) + 1)
        ]
        if stale:  # a replaced record with fewer hypotheses: its extra usage points go
            self.index.delete(self.collection(USAGE), stale)
        replaced = [r.id for r in batch if r.id in self.images]
        added = [r.id for r in batch if r.id not in self.images]
        merged = dict(self.images)
        merged.update({r.id: r for r in batch})
        self._write_manifest(merged)
        self.images = merged
        return added, replaced

    def remove(self, ids: Iterable[str]) -> list[BankImage]:
        """Delete records and their vectors; returns the removed records (their bytes stay in
        the asset store: the caller decides, as a record's key may be shared)."""
        gone = [self.images[i] for i in dict.fromkeys(ids) if i in self.images]
        if not gone:
            return []
        kept = {k: v for k, v in self.images.items() if k not in {r.id for r in gone}}
        # The manifest first: it is the source of truth, and searches only return ids it holds,
        # so a crash before the vectors go leaves orphan points, never a ghost result.
        self._write_manifest(kept)
        self.images = kept
        self.index.delete(self.collection(CAPTIONS), [r.point_id() for r in gone])
        self.index.delete(
            self.collection(USAGE),
            [point_id(r.id, k) for r in gone for k in range(1, len(r.hypotheses) + 1)],
        )
        return gone

    def clear(self) -> None:
        """Drop every record and vector (the image bytes stay in the asset store)."""
        self.index.drop(self.collection(CAPTIONS))
        self.index.drop(self.collection(USAGE))
        self.images = {}
        self._write_manifest({})

    def image_bytes(self, image_id: str) -> bytes:
        """The stored bytes of one image."""
        record = self.images.get(image_id)
        if record is None:
            raise BankError(f"no image {image_id!r} in the bank: search again for valid ids")
        return self.assets.get(record.key)

    def close(self) -> None:
        """Release the index."""
        self.index.close()
