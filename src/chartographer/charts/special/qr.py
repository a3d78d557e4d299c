"""QR codes (Google ``cht=qr``) with segno: text in, a scannable image out.

The module grid is scaled by a whole number of pixels and centred in the
requested size, as Google did, so every module stays square and crisp.
"""

from __future__ import annotations

import hashlib
import io
from typing import Literal

import numpy as np
import segno
from PIL import Image
from pydantic import BaseModel, ConfigDict

from chartographer.charts.special import qrmask
from chartographer.errors import GoogleChartError
from chartographer.formats import ImageFormat, Rendered, encode_raster

ENCODINGS = {"utf-8": "utf-8", "shift_jis": "shift_jis", "iso-8859-1": "iso-8859-1"}
MAX_TEXT = 4296  # the most a version-40 code can hold (alphanumeric, level L)

qrmask.install()  # segno's mask choice, computed with numpy (the same mask, sooner)


class QRSpec(BaseModel):
    """Everything that decides a QR image."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    text: str
    width: int
    height: int
    level: Literal["L", "M", "Q", "H"] = "L"
    margin: int = 4
    encoding: str = "utf-8"
    format: ImageFormat = ImageFormat.png

    def cache_key(self) -> str:
        return "qr" + hashlib.sha256(self.model_dump_json().encode()).hexdigest()[:30]


def qr_spec(
    text: str | None, chld: str | None, choe: str | None, size: tuple[int, int], fmt: ImageFormat
) -> QRSpec:
    """Read ``chl``, ``chld=<level>|<margin>`` and ``choe`` (fatal when unusable)."""
    if not text:
        raise GoogleChartError("chl: the text to encode is missing, e.g. chl=Hello", param="chl")
    if len(text) > MAX_TEXT:
        raise GoogleChartError(
            f"chl: {len(text)} characters exceeds the QR limit of {MAX_TEXT}",
            param="chl",
            status=413,
        )
    level, _, margin_text = (chld or "L").partition("|")
    level = level.strip().upper() or "L"
    if level not in ("L", "M", "Q", "H"):
        raise GoogleChartError(
            f"chld: error correction {level[:5]!r} must be L, M, Q or H", param="chld"
        )
    try:
        margin = int(margin_text) if margin_text.strip() else 4
    except ValueError:
        margin = -1
    if not 0 <= margin <= 40:
        raise GoogleChartError("chld: the margin must be 0–40 modules, e.g. chld=M|2", param="chld")
    encoding = ENCODINGS.get((choe or "UTF-8").strip().lower())
    if encoding is None:
        raise GoogleChartError("choe: use UTF-8, Shift_JIS or ISO-8859-1", param="choe")
    return QRSpec(
        text=text,
        width=size[0],
        height=size[1],
        level=level,  # type: ignore[arg-type]
        margin=margin,
        encoding=encoding,
        format=fmt,
    )


def render_qr(spec: QRSpec) -> Rendered:
    """Encode and draw the code; a text that does not fit gives a 400."""
    try:
        code = segno.make(
            spec.text, error=spec.level, micro=False, encoding=spec.encoding, boost_error=False
        )
    except (segno.DataOverflowError, ValueError) as exc:
        raise GoogleChartError(f"chl: cannot be encoded as a QR code: {exc}", param="chl") from None
    side = len(code.matrix)
    modules = np.frombuffer(b"".join(code.matrix), dtype=np.uint8).reshape(side, -1) > 0
    count = modules.shape[0] + 2 * spec.margin
    scale = min(spec.width, spec.height) // count
    if scale < 1:
        raise GoogleChartError(
            f"chs: a {spec.width}x{spec.height} image is too small for this code "
            f"({count} modules need at least {count}x{count} px)",
            param="chs",
        )
    if spec.format is ImageFormat.svg:
        buf = io.BytesIO()
        code.save(buf, kind="svg", scale=scale, border=spec.margin, xmldecl=False)
        return Rendered(buf.getvalue(), spec.format.media_type)
    grid = np.kron(~modules, np.ones((scale, scale), dtype=bool))
    canvas = np.ones((spec.height, spec.width), dtype=bool)
    top = (spec.height - grid.shape[0]) // 2
    left = (spec.width - grid.shape[1]) // 2
    canvas[top : top + grid.shape[0], left : left + grid.shape[1]] = grid
    if spec.format is ImageFormat.png:
        # one bit per pixel: a third of the bytes of 8-bit grey, and quicker to deflate
        buf = io.BytesIO()
        Image.fromarray(canvas).save(buf, format="PNG", compress_level=1)
        return Rendered(buf.getvalue(), spec.format.media_type)
    image = Image.fromarray(canvas.astype(np.uint8) * 255, mode="L")
    return Rendered(encode_raster(image, spec.format), spec.format.media_type)
