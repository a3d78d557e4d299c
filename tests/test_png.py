"""The PNG encoder: any RGB/RGBA pixels come back exactly when a standard decoder reads them."""

from __future__ import annotations

import io

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from PIL import Image

from chartographer.png import drop_alpha, encode_png


def decoded(body: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(body))
    image.load()  # raises on a bad CRC or a truncated stream
    return image


@settings(max_examples=60, deadline=None)
@given(
    arrays(
        np.uint8,
        st.tuples(st.integers(1, 40), st.integers(1, 40), st.sampled_from([3, 4])),
    )
)
def test_round_trips_every_pixel(pixels: np.ndarray) -> None:
    image = decoded(encode_png(pixels))
    assert image.mode == ("RGB" if pixels.shape[2] == 3 else "RGBA")
    assert image.size == (pixels.shape[1], pixels.shape[0])
    assert np.array_equal(np.asarray(image), pixels)


def test_takes_a_strided_view_of_a_canvas() -> None:
    rgba = np.zeros((30, 50, 4), dtype=np.uint8)
    rgba[10:20, 5:45] = (255, 0, 0, 255)  # a red bar on black
    image = decoded(encode_png(rgba[..., :3]))  # the opaque view, not contiguous
    assert image.getpixel((25, 15)) == (255, 0, 0)
    assert image.getpixel((2, 2)) == (0, 0, 0)


def test_flat_charts_compress_well() -> None:
    pixels = np.full((300, 400, 3), 255, dtype=np.uint8)
    pixels[100:280, 50:120] = (78, 121, 167)
    assert len(encode_png(pixels)) < 2000  # 360 KB of pixels


@pytest.mark.parametrize(
    "pixels",
    [np.zeros((4, 4, 3), dtype=np.float32), np.zeros((4, 4, 2), dtype=np.uint8)],
)
def test_refuses_what_it_cannot_encode(pixels: np.ndarray) -> None:
    with pytest.raises(ValueError, match="uint8 RGB or RGBA"):
        encode_png(pixels)


def test_drop_alpha_keeps_every_rgb_value() -> None:
    rng = np.random.default_rng(7)
    rgba = rng.integers(0, 256, size=(31, 17, 4), dtype=np.uint8)
    rgb = drop_alpha(rgba)
    assert rgb.flags["C_CONTIGUOUS"]
    assert rgb.shape == (31, 17, 3)
    assert np.array_equal(rgb, rgba[..., :3])
