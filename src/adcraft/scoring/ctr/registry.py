"""Versioned CTR models on disk: one folder per version, written atomically.

    <data_dir>/ctr-models/<tenant>/v0001/model.txt     LightGBM text model
                                    v0001/meta.json     calibration, smoothing, metrics, window
                                    LATEST              "v0001"

A version folder is built under a temporary name and renamed into place, and LATEST is
replaced atomically, so a reader never sees half a model.
"""

from __future__ import annotations

import json
import logging
import os
import re
import tempfile
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import lightgbm as lgb

from adcraft.errors import AdcraftError, InputError, OutputError
from adcraft.scoring.ctr.features import TextProjection, Vocabulary
from adcraft.scoring.ctr.latest import MODELS_DIR, latest_version, tenant_dir
from adcraft.scoring.ctr.model import Calibration, CtrModel, TrainingSummary
from adcraft.scoring.ctr.smoothing import BetaPrior

if TYPE_CHECKING:
    from adcraft.imagery.bank.ports import TextEncoder

log = logging.getLogger("adcraft.ctr")
_VERSION = re.compile(r"^v\d{4,}$")


class NoModel(InputError):
    """No CTR model is trained for this tenant (or the version asked for does not exist)."""


class ModelRegistry:
    """The models of every tenant under one data folder."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = Path(data_dir)
        self.root = self.data_dir / MODELS_DIR

    def _dir(self, tenant: str) -> Path:
        return tenant_dir(self.data_dir, tenant)

    def versions(self, tenant: str) -> list[str]:
        """Version names, oldest first."""
        d = self._dir(tenant)
        if not d.is_dir():
            return []
        return sorted(p.name for p in d.iterdir() if p.is_dir() and _VERSION.match(p.name))

    def latest(self, tenant: str) -> str | None:
        """The version LATEST points at, if any."""
        return latest_version(self.data_dir, tenant)

    def save(
        self,
        tenant: str,
        model: CtrModel,
        window: tuple[datetime | None, datetime | None] = (None, None),
    ) -> str:
        """Store ``model`` as the next version and point LATEST at it; returns the version."""
        d = self._dir(tenant)
        try:
            d.mkdir(parents=True, exist_ok=True)
            existing = self.versions(tenant)
            number = int(existing[-1][1:]) + 1 if existing else 1
            version = f"v{number:04d}"
            tmp = Path(tempfile.mkdtemp(prefix=".tmp-", dir=d))
            (tmp / "model.txt").write_text(model.booster.model_to_string(), "utf-8")
            meta = {
                "version": version,
                "created_at": datetime.now(UTC).isoformat(),
                "window": [w.isoformat() if w else None for w in window],
                "summary": asdict(model.summary),
                "calibration": asdict(model.calibration),
                "vocab": model.vocab.values,
                "cell_prior": asdict(model.cell_prior),
                "cell_counts": model.cell_counts,
                "kappa": model.kappa,
                "multipliers": model.multipliers,
                "extra": model.extra,
                "text": asdict(model.text) if model.text is not None else None,
            }
            (tmp / "meta.json").write_text(json.dumps(meta), "utf-8")
            tmp.rename(d / version)
            latest_tmp = d / ".LATEST.tmp"
            latest_tmp.write_text(version, "utf-8")
            os.replace(latest_tmp, d / "LATEST")
        except OSError as exc:
            raise OutputError(f"could not store the CTR model under {d}: {exc}") from exc
        return version

    def meta(self, tenant: str, version: str | None = None) -> dict[str, Any]:
        """The metadata of a version (the latest by default)."""
        v = version or self.latest(tenant)
        if v is None:
            raise NoModel(
                f"no CTR model trained for tenant {tenant!r}: train one with "
                "`adcraft ctr train` or POST /api/v1/ctr/models"
            )
        f = self._dir(tenant) / v / "meta.json"
        if not _VERSION.match(v) or not f.is_file():
            raise NoModel(f"tenant {tenant!r} has no CTR model version {v!r}")
        data: dict[str, Any] = json.loads(f.read_text("utf-8"))
        return data

    def load(
        self,
        tenant: str,
        version: str | None = None,
        *,
        text_encoder: TextEncoder | None = None,
    ) -> CtrModel:
        """Rebuild a stored model.

        A model with copy-wording features gets ``text_encoder``, or else the encoder of the
        setting it was trained with (built once per process); when that one is not available
        the wording features are missing and a warning is logged."""
        meta = self.meta(tenant, version)
        booster = lgb.Booster(
            model_str=(self._dir(tenant) / meta["version"] / "model.txt").read_text("utf-8")
        )
        model = CtrModel(
            booster=booster,
            calibration=Calibration(**meta["calibration"]),
            vocab=Vocabulary(meta["vocab"]),
            cell_prior=BetaPrior(**meta["cell_prior"]),
            cell_counts={k: (float(v[0]), float(v[1])) for k, v in meta["cell_counts"].items()},
            kappa=float(meta["kappa"]),
            multipliers={k: float(v) for k, v in meta["multipliers"].items()},
            summary=TrainingSummary(**meta["summary"]),
            extra=dict(meta.get("extra", {})),
            text=TextProjection(**meta["text"]) if meta.get("text") else None,
        )
        if model.text is not None:
            model.attach_encoder(text_encoder or _encoder_for(model.text))
        return model


def _encoder_for(text: TextProjection) -> TextEncoder | None:
    """The encoder of the setting a model was trained with, or None when it cannot be built."""
    from adcraft.imagery.bank.config import shared_encoder

    try:
        return shared_encoder(text.setting)
    except AdcraftError as exc:
        log.warning("text encoder %r of the CTR model is not available: %s", text.setting, exc)
        return None
