"""Anti-aliased vector drawing for maps: filled rings and stroked lines on an Agg canvas.

A thin layer over matplotlib's ``RendererAgg`` (no figure, no artists): rings
are filled with the non-zero rule, so a polygon whose holes run the other way
round has them cut; lines are stroked with round joins and caps. Coordinates
are image pixels, ``y`` downwards, as numpy ``(n, 2)`` arrays. The result is a
Pillow RGBA image (straight alpha), ready to be composited.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt
from matplotlib.backends.backend_agg import RendererAgg
from matplotlib.path import Path
from matplotlib.transforms import IdentityTransform
from PIL import Image

Pixels = npt.NDArray[np.float64]
RGBA = tuple[int, int, int, int]
_IDENTITY = IdentityTransform()


class Canvas:
    """One image's worth of Agg drawing (transparent until something is drawn)."""

    def __init__(self, width: int, height: int) -> None:
        self.width, self.height = width, height
        self._agg = RendererAgg(width, height, 72)  # 72 dpi: one point is one pixel

    def _path(self, parts: Sequence[Pixels], closed: bool) -> Path | None:
        kept = [p for p in parts if len(p) >= (3 if closed else 2)]
        if not kept:
            return None
        vertices = np.concatenate(kept)
        codes = np.full(len(vertices), Path.LINETO, dtype=Path.code_type)
        start = 0
        for part in kept:
            codes[start] = Path.MOVETO
            start += len(part)
        flipped = np.column_stack([vertices[:, 0], self.height - vertices[:, 1]])
        if closed:  # close every ring back to its start (non-zero fill handles holes)
            ends = np.cumsum([len(p) for p in kept])
            flipped = np.insert(flipped, ends, flipped[ends - np.array([len(p) for p in kept])], 0)
            codes = np.insert(codes, ends, Path.CLOSEPOLY)
        return Path(flipped, codes)

    def fill(self, rings: Sequence[Pixels], color: RGBA) -> None:
        """Fill rings as one shape (non-zero winding: opposite rings are holes)."""
        path = self._path(rings, closed=True)
        if path is None or color[3] == 0:
            return
        gc = self._agg.new_gc()
        gc.set_linewidth(0)
        gc.set_antialiased(True)
        self._agg.draw_path(gc, path, _IDENTITY, _float(color))
        gc.restore()

    def stroke(self, lines: Sequence[Pixels], color: RGBA, width: float) -> None:
        """Stroke polylines ``width`` pixels wide with round joins and caps."""
        path = self._path(lines, closed=False)
        if path is None or color[3] == 0 or width <= 0:
            return
        gc = self._agg.new_gc()
        gc.set_linewidth(width)
        gc.set_foreground(_float(color), isRGBA=True)
        gc.set_joinstyle("round")
        gc.set_capstyle("round")
        gc.set_antialiased(True)
        self._agg.draw_path(gc, path, _IDENTITY, None)
        gc.restore()

    def outline(self, rings: Sequence[Pixels], color: RGBA, width: float) -> None:
        """Stroke closed rings (a polygon's edge)."""
        self.stroke([np.concatenate([r, r[:1]]) for r in rings if len(r) >= 2], color, width)

    def image(self) -> Image.Image:
        return Image.frombuffer(
            "RGBA", (self.width, self.height), self._agg.buffer_rgba(), "raw", "RGBA", 0, 1
        ).copy()


def _float(color: RGBA) -> tuple[float, float, float, float]:
    return color[0] / 255, color[1] / 255, color[2] / 255, color[3] / 255
