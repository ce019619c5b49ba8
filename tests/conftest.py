"""Shared fixtures: where the development set lives."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

_SHARED = Path(__file__).resolve().parents[2] / "shared" / "data" / "products.json"
_PACKAGED = Path(__file__).resolve().parents[1] / "src/adcraft/data/examples/products.json"
PRODUCTS_FILE = _SHARED if _SHARED.exists() else _PACKAGED
PRODUCTS = json.loads(PRODUCTS_FILE.read_text("utf-8"))


@pytest.fixture(scope="session")
def products_file() -> Path:
    """The multilingual development catalogue (12 products, 6 languages)."""
    return PRODUCTS_FILE
