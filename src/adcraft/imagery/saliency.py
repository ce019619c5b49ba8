"""Where the eye goes in a photo without a cut-out: spectral residual saliency.

Hou & Zhang, "Saliency Detection: A Spectral Residual Approach", CVPR 2007. The log amplitude
spectrum of natural images is smooth; what sticks out of its local average (the residual),
transformed back with the original phase, marks the unexpected parts of the picture.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
from PIL import Image

WORK_SIDE = 96
"""The method works at a coarse scale: 64-128 px on the long side, as in the paper."""


def _blur_fft(values: npt.NDArray[np.float64], sigma: float) -> npt.NDArray[np.float64]:
    """Gaussian blur with wrap-around edges, done in the frequency domain."""
    h, w = values.shape
    fy = np.fft.fftfreq(h)[:, None]
    fx = np.fft.fftfreq(w)[None, :]
    transfer = np.exp(-2.0 * (np.pi * sigma) ** 2 * (fx * fx + fy * fy))
    return np.real(np.fft.ifft2(np.fft.fft2(values) * transfer))


def saliency_map(image: Image.Image, *, work_side: int = WORK_SIDE) -> npt.NDArray[np.float32]:
    """Saliency in [0, 1] (float32, HxW, same size as ``image``); 1 is the most salient."""
    grey = image.convert("L")
    scale = work_side / max(grey.size)
    size = (max(4, round(grey.width * scale)), max(4, round(grey.height * scale)))
    small = np.asarray(grey.resize(size, Image.Resampling.BOX), dtype=np.float64) / 255.0
    if small.std() < 1e-3:
        # A flat picture has nothing that stands out; normalising would amplify rounding noise.
        return np.zeros((image.height, image.width), np.float32)
    spectrum = np.fft.fft2(small - small.mean())
    log_amp = np.log(np.abs(spectrum) + 1e-9)
    # 3x3 mean of the log amplitude (wrapping, like the spectrum itself).
    local = sum(np.roll(np.roll(log_amp, dy, 0), dx, 1) for dy in (-1, 0, 1) for dx in (-1, 0, 1))
    residual = log_amp - local / 9.0
    sal = np.abs(np.fft.ifft2(np.exp(residual + 1j * np.angle(spectrum)))) ** 2
    sal = _blur_fft(sal, sigma=max(size) / 40.0)
    sal -= sal.min()
    peak = sal.max()
    sal = sal / peak if peak > 0 else np.zeros_like(sal)
    up = Image.fromarray(sal.astype(np.float32)).resize(image.size, Image.Resampling.BILINEAR)
    return np.clip(np.asarray(up, dtype=np.float32), 0.0, 1.0)
