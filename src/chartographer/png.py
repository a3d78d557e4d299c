"""A fast, correct PNG encoder for rendered charts (8-bit RGB or RGBA, no interlace).

Encoding was 12–14 % of an uncached chart. Pillow's encoder chooses a filter per
row and compresses with the system zlib; charts are large flat areas, for which
one fixed filter does as well. Measured on the chart suite (``bench.png``):
the *Up* filter (each row minus the row above: flat colour and vertical edges
become zeros) compressed by zlib-ng at level 2 is about 5× faster than Pillow at
level 1 and 12 % smaller. The bytes are a standard PNG; tests decode them with
Pillow and compare every pixel.
"""

from __future__ import annotations

import struct
import zlib

import numpy as np
from PIL import Image
from zlib_ng import zlib_ng

#: zlib-ng level: 1 and 2 cost the same here, 2 is ~25 % smaller
LEVEL = 2
_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_IEND = b"\x00\x00\x00\x00IEND\xaeB`\x82"


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def drop_alpha(pixels: np.ndarray) -> np.ndarray:
    """The RGB of an ``(height, width, 4)`` uint8 array, contiguous (read-only).

    Pillow's RGBA → RGB packer, one C loop over the pixels: half the time of
    copying channel by channel with numpy (0.13 vs 0.29 ms for 600×400, and that
    was several times faster than ``np.ascontiguousarray(pixels[..., :3])``).
    """
    height, width, _ = pixels.shape
    image = Image.frombuffer(
        "RGBA", (width, height), np.ascontiguousarray(pixels), "raw", "RGBA", 0, 1
    )
    return np.frombuffer(image.tobytes("raw", "RGB"), np.uint8).reshape(height, width, 3)


def encode_png(pixels: np.ndarray) -> bytes:
    """PNG bytes of an ``(height, width, 3 or 4)`` uint8 array (RGB or straight RGBA)."""
    height, width, channels = pixels.shape
    if pixels.dtype != np.uint8 or channels not in (3, 4):
        raise ValueError("encode_png takes uint8 RGB or RGBA pixels")
    stride = width * channels
    rows = np.ascontiguousarray(pixels).reshape(height, stride)
    raw = np.empty((height, stride + 1), dtype=np.uint8)
    raw[:, 0] = 2  # filter type Up on every row …
    raw[0, 0] = 0  # … but the first, which has no row above (None)
    raw[0, 1:] = rows[0]
    np.subtract(rows[1:], rows[:-1], out=raw[1:, 1:])  # uint8 wraps mod 256, as PNG wants
    header = struct.pack(">IIBBBBB", width, height, 8, 2 if channels == 3 else 6, 0, 0, 0)
    return b"".join(
        (
            _SIGNATURE,
            _chunk(b"IHDR", header),
            _chunk(b"IDAT", zlib_ng.compress(raw, LEVEL)),  # the array's buffer, not a copy
            _IEND,
        )
    )
