"""Helpers for the Google Image Charts tests: fetch a query string, inspect the image."""

from __future__ import annotations

import io
from pathlib import Path
from urllib.parse import quote

import numpy as np
from fastapi.testclient import TestClient
from PIL import Image

SAMPLES = Path(__file__).parent / "samples" / "google-image-charts-urls.txt"


def encode_raw(query: str) -> str:
    """Percent-encode what HTTP clients refuse, keeping Google's ``+`` (space) and ``&=``."""
    return quote(query, safe="&=+%,:._-*@!/")


def fetch(client: TestClient, query: str) -> tuple[Image.Image, dict[str, str]]:
    """GET ``/chart?query``; assert an image came back; return it decoded."""
    response = client.get("/chart?" + encode_raw(query))
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("image/")
    image = Image.open(io.BytesIO(response.content))
    image.load()
    return image.convert("RGB"), dict(response.headers)


def rgb(color: str) -> np.ndarray:
    color = color.lstrip("#")
    return np.array([int(color[i : i + 2], 16) for i in (0, 2, 4)], dtype=np.int16)


def share(image: Image.Image, color: str, tolerance: int = 16) -> float:
    """Share of pixels within ``tolerance`` of ``color``."""
    arr = np.asarray(image.convert("RGB"), dtype=np.int16)
    return float(np.all(np.abs(arr - rgb(color)) <= tolerance, axis=-1).mean())


def region(image: Image.Image, left: float, top: float, right: float, bottom: float) -> Image.Image:
    """A crop given in fractions of the image."""
    w, h = image.size
    return image.crop((int(left * w), int(top * h), int(right * w), int(bottom * h)))


def runs(image: Image.Image, y: int, color: str, tolerance: int = 16) -> int:
    """Separate runs of ``color`` along row ``y`` (bars cut by a horizontal line)."""
    arr = np.asarray(image.convert("RGB"), dtype=np.int16)[y]
    hit = np.all(np.abs(arr - rgb(color)) <= tolerance, axis=-1).astype(np.int8)
    return int(np.count_nonzero(np.diff(np.concatenate([[0], hit, [0]])) == 1))


def dark(image: Image.Image, threshold: int = 110) -> float:
    arr = np.asarray(image.convert("RGB"), dtype=np.int16)
    return float((arr.max(axis=-1) < threshold).mean())


def colours(image: Image.Image, min_share: float = 0.003) -> int:
    arr = np.asarray(image.convert("RGB")).reshape(-1, 3)
    _, counts = np.unique(arr, axis=0, return_counts=True)
    return int((counts / len(arr) >= min_share).sum())


def sample_queries() -> list[tuple[str, str]]:
    """(source comment, query) for every URL in the shared acceptance file."""
    out = []
    comment = ""
    with open(SAMPLES, encoding="utf-8") as handle:
        for line in handle:
            line = line.strip()
            if line.startswith("# ["):
                comment = line[2:]
            elif line and not line.startswith("#"):
                out.append((comment, line))
    return out
