"""PNG deflate settings on the chart suite: which filter, which zlib, which level?

Every candidate encodes the same rendered suite (``bench.charts.SUITE``) and must
decode to the very same pixels; rounds alternate between candidates. Prints
medians with min/max, the ratio against Pillow at level 1 (the landed setting)
and the total size. Run: ``python -m bench.png``.
"""

from __future__ import annotations

import argparse
import io
import statistics
import struct
import time
import zlib
from collections.abc import Callable
from types import ModuleType

import numpy as np
from PIL import Image
from zlib_ng import zlib_ng

from bench.charts import SUITE
from chartographer.charts.native.params import ChartQuery, Limits, spec_from_query
from chartographer.charts.render import render_chart
from chartographer.charts.spec import ChartKind
from chartographer.config import Settings
from chartographer.png import encode_png

Encoder = Callable[[np.ndarray], bytes]


def pillow(level: int, strategy: int | None = None) -> Encoder:
    def encode(pixels: np.ndarray) -> bytes:
        buf = io.BytesIO()
        extra = {} if strategy is None else {"compress_type": strategy}
        Image.fromarray(pixels).save(buf, format="PNG", compress_level=level, **extra)
        return buf.getvalue()

    return encode


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def fixed_filter(name: str, module: ModuleType, level: int, strategy: int = 0) -> Encoder:
    """One filter for every row, then deflate with ``module`` (zlib or zlib-ng)."""

    def encode(pixels: np.ndarray) -> bytes:
        height, width, _ = pixels.shape
        rows = pixels.reshape(height, width * 3)
        raw = np.empty((height, width * 3 + 1), np.uint8)
        raw[:, 1:] = rows
        if name == "none":
            raw[:, 0] = 0
        elif name == "sub":
            raw[:, 0] = 1
            raw[:, 4:] = rows[:, 3:] - rows[:, :-3]
        else:  # up
            raw[:, 0] = 2
            raw[0, 0] = 0
            raw[1:, 1:] = rows[1:] - rows[:-1]
        packer = module.compressobj(level, zlib.DEFLATED, 15, 9, strategy)
        data = packer.compress(raw.tobytes()) + packer.flush()
        header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
        return b"".join(
            (
                b"\x89PNG\r\n\x1a\n",
                _chunk(b"IHDR", header),
                _chunk(b"IDAT", data),
                _chunk(b"IEND", b""),
            )
        )

    return encode


CANDIDATES: dict[str, Encoder] = {
    "pillow L1 (landed)": pillow(1),
    "pillow L6": pillow(6),
    "pillow L1 Z_RLE": pillow(1, zlib.Z_RLE),
    "up + zlib L1": fixed_filter("up", zlib, 1),
    "up + zlib Z_RLE": fixed_filter("up", zlib, 1, zlib.Z_RLE),
    "none + zlib-ng L1": fixed_filter("none", zlib_ng, 1),
    "sub + zlib-ng L1": fixed_filter("sub", zlib_ng, 1),
    "up + zlib-ng L1": fixed_filter("up", zlib_ng, 1),
    "up + zlib-ng Z_RLE": fixed_filter("up", zlib_ng, 1, zlib.Z_RLE),
    "up + zlib-ng L2 (chosen)": encode_png,
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=15)
    args = parser.parse_args()
    limits = Limits.from_settings(Settings())
    suite = []
    for _, kind, query in SUITE:
        spec = spec_from_query(ChartKind(kind), ChartQuery(**query), limits)  # type: ignore[arg-type]
        image = Image.open(io.BytesIO(render_chart(spec).body)).convert("RGB")
        suite.append(np.asarray(image))
    sizes = {}
    for name, encode in CANDIDATES.items():
        sizes[name] = 0
        for pixels in suite:
            body = encode(pixels)
            back = np.asarray(Image.open(io.BytesIO(body)).convert("RGB"))
            assert np.array_equal(back, pixels), f"{name} changed pixels"
            sizes[name] += len(body)
    samples: dict[str, list[float]] = {name: [] for name in CANDIDATES}
    for _ in range(args.rounds):
        for name, encode in CANDIDATES.items():
            start = time.perf_counter()
            for pixels in suite:
                encode(pixels)
            samples[name].append((time.perf_counter() - start) * 1000)
    base = statistics.median(samples["pillow L1 (landed)"])
    print(f"{len(suite)} charts per pass; ms per pass, median [min–max]")
    for name, values in samples.items():
        med = statistics.median(values)
        print(
            f"{name:26} {med:8.2f} [{min(values):7.2f}–{max(values):7.2f}] "
            f"{med / base:5.2f}x  {sizes[name] / 1024:7.1f} KiB"
        )


if __name__ == "__main__":
    main()
