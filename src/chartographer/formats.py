"""Image formats and their encoding: what every pure renderer returns.

The renderers (charts, maps, icons) depend on this module and nothing else of
the serving layer; ``imaging`` (cache, pool, responses) depends on them only
through the render pool. Keeping the two apart is what keeps renderers free of
import cycles with the code that serves them.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from enum import StrEnum

import numpy as np
from PIL import Image

from chartographer.png import encode_png


class ImageFormat(StrEnum):
    png = "png"
    svg = "svg"
    webp = "webp"
    jpg = "jpg"
    gif = "gif"
    pdf = "pdf"  # vector, one page: native charts only (drawn by charts.draw)

    @property
    def media_type(self) -> str:
        return _MEDIA_TYPES[self]


_MEDIA_TYPES = {
    ImageFormat.png: "image/png",
    ImageFormat.svg: "image/svg+xml",
    ImageFormat.webp: "image/webp",
    ImageFormat.jpg: "image/jpeg",
    ImageFormat.gif: "image/gif",
    ImageFormat.pdf: "application/pdf",
}


def encode_raster(image: Image.Image, fmt: ImageFormat, *, palette: bool = False) -> bytes:
    """Encode a PIL image quickly; full-colour PNG by :func:`chartographer.png.encode_png`."""
    buf = io.BytesIO()
    if fmt is ImageFormat.png:
        if not palette and image.mode in ("RGB", "RGBA"):
            return encode_png(np.asarray(image))
        if palette:
            image = image.convert("RGB").quantize(colors=256, method=Image.Quantize.FASTOCTREE)
        image.save(buf, format="PNG", compress_level=1)
    elif fmt is ImageFormat.webp:
        image.save(buf, format="WEBP", lossless=True, method=0)
    elif fmt is ImageFormat.jpg:
        image.convert("RGB").save(buf, format="JPEG", quality=90)
    elif fmt is ImageFormat.gif:
        image.convert("RGB").quantize(colors=256, method=Image.Quantize.FASTOCTREE).save(
            buf, format="GIF"
        )
    else:  # svg and pdf are vector: the renderer must produce them itself
        raise ValueError(f"{fmt} is not a raster format")
    return buf.getvalue()


@dataclass(frozen=True)
class Rendered:
    """What a render function returns: bytes, their media type and any warnings."""

    body: bytes
    media_type: str
    warnings: tuple[str, ...] = ()
    #: seconds the render took where it ran (set by the pool, for metrics)
    seconds: float = field(default=0.0, compare=False)
