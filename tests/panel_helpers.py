"""Helpers for the panel tests."""

from __future__ import annotations

import io

import numpy as np
from PIL import Image


def decode(png: bytes) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(bytes(png))).convert("RGB"), dtype=np.int16)


def assert_matches_full_render(panel, *, max_fraction: float = 0.002) -> None:
    """The panel's fast (partial or blitted) image equals a full repaint of the same figure."""
    fast = decode(panel.image.value)
    full = decode(panel.render(None))
    different = np.any(np.abs(fast - full) > 24, axis=-1)
    assert fast.shape == full.shape
    assert different.mean() <= max_fraction, f"{different.mean():.4%} of the pixels differ"
