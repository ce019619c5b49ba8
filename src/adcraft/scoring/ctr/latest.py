"""Where a tenant's CTR models live and which one is current, without loading LightGBM.

The ranker is chosen for every generation task; asking whether a tenant has a model must not
import the model code into every worker.
"""

from __future__ import annotations

import re
from pathlib import Path

from adcraft.errors import InputError

MODELS_DIR = "ctr-models"
_TENANT = re.compile(r"^[A-Za-z0-9_.-]{1,64}$")


def tenant_dir(data_dir: Path, tenant: str) -> Path:
    """``<data_dir>/ctr-models/<tenant>``; a tenant id that is not a plain name is refused."""
    if not _TENANT.match(tenant):
        raise InputError(f"tenant id {tenant!r} is not a valid folder name")
    return Path(data_dir) / MODELS_DIR / tenant


def latest_version(data_dir: Path, tenant: str) -> str | None:
    """The version LATEST points at, if the tenant has a model."""
    f = tenant_dir(data_dir, tenant) / "LATEST"
    return f.read_text("utf-8").strip() if f.is_file() else None
