"""What a person would see: helpers that inspect decoded images."""

from __future__ import annotations

import numpy as np
from PIL import Image


def hex_rgb(color: str) -> tuple[int, int, int]:
    color = color.lstrip("#")
    return int(color[0:2], 16), int(color[2:4], 16), int(color[4:6], 16)


def rgb_array(image: Image.Image) -> np.ndarray:
    return np.asarray(image.convert("RGB"), dtype=np.int16)


def color_fraction(image: Image.Image, color: str, tolerance: int = 12) -> float:
    """Share of pixels within ``tolerance`` (per channel) of ``color``."""
    arr = rgb_array(image)
    target = np.array(hex_rgb(color), dtype=np.int16)
    close = np.all(np.abs(arr - target) <= tolerance, axis=-1)
    return float(close.mean())


def runs_along_row(image: Image.Image, y: int, color: str, tolerance: int = 12) -> int:
    """Number of separate horizontal runs of ``color`` on row ``y`` (e.g. bars)."""
    arr = rgb_array(image)[y]
    target = np.array(hex_rgb(color), dtype=np.int16)
    hit = np.all(np.abs(arr - target) <= tolerance, axis=-1).astype(np.int8)
    return int(np.count_nonzero(np.diff(np.concatenate([[0], hit, [0]])) == 1))


def runs_along_column(image: Image.Image, x: int, color: str, tolerance: int = 12) -> int:
    return runs_along_row(image.transpose(Image.Transpose.TRANSPOSE), x, color, tolerance)


def max_runs(image: Image.Image, color: str, tolerance: int = 12, *, rows: bool = True) -> int:
    """Most runs of ``color`` seen on any row (or column)."""
    size = image.height if rows else image.width
    counter = runs_along_row if rows else runs_along_column
    return max(counter(image, i, color, tolerance) for i in range(0, size, 2))


def dark_fraction(image: Image.Image, threshold: int = 110) -> float:
    """Share of dark pixels: text and lines drawn in ink."""
    arr = rgb_array(image)
    return float((arr.max(axis=-1) < threshold).mean())


def distinct_colors(image: Image.Image, min_share: float = 0.005) -> int:
    """Number of colours that each cover at least ``min_share`` of the image."""
    arr = np.asarray(image.convert("RGB")).reshape(-1, 3)
    _, counts = np.unique(arr, axis=0, return_counts=True)
    return int((counts / len(arr) >= min_share).sum())


def mean_abs_diff(a: Image.Image, b: Image.Image) -> float:
    return float(np.abs(rgb_array(a) - rgb_array(b)).mean())


def painted_fraction(image: Image.Image, background: str = "#FFFFFF", tolerance: int = 8) -> float:
    """Share of pixels that differ from the background: how much was drawn."""
    return 1.0 - color_fraction(image, background, tolerance)
