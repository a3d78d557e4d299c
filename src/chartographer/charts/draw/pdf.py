"""The canvas's PDF page: matplotlib's ``PdfFile`` and ``RendererPdf``, no ``Figure``.

One chart is one page. The canvas draws on it as on SVG — 72 dpi, 1 unit = 1 CSS
px — so the page is as many **points** as the chart is CSS pixels (``width=600``
gives a 600 pt wide ``MediaBox``). Shapes are PDF paths; text is text: each font
is embedded as a subset (Type 42, i.e. TrueType/CID with a ``ToUnicode`` map),
so labels can be searched and copied, and a glyph the first font lacks comes
from the next of the fallback list (matplotlib's per-glyph fallback). The only
rasters are what the canvas draws as images in every format (gradient fills).

The bytes depend on the chart alone: no creation date, a fixed creator, and
font subset names derived from the glyphs used, so equal charts share one ETag.
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

from matplotlib import rcParams
from matplotlib.backends.backend_pdf import Op, PdfFile, RendererPdf

if TYPE_CHECKING:
    from matplotlib.figure import Figure

# glyphs embedded as TrueType (CID) fonts, so text stays text; Type 3 would draw
# each glyph as a procedure, harder to search and larger for CJK
rcParams["pdf.fonttype"] = 42
# PdfFile sizes its glyph subsets by ps.fonttype: 42 keeps one subset per font
rcParams["ps.fonttype"] = 42

#: the document information dictionary: no dates, so equal charts give equal bytes
METADATA: dict[str, str | None] = {
    "Creator": "Chartographer",
    "CreationDate": None,
    "ModDate": None,
}


class PdfPage:
    """A one-page PDF ``width``×``height`` points; :attr:`renderer` draws on it."""

    def __init__(self, width: int, height: int) -> None:
        self._out = io.BytesIO()
        self._file = PdfFile(self._out, metadata=dict(METADATA))
        inches = (width / 72, height / 72)  # PdfFile and RendererPdf take inches
        self._file.newPage(*inches)
        self.renderer = RendererPdf(self._file, 72, inches[1], inches[0])

    def zoom(self, factor: float) -> None:
        """Everything drawn afterwards is ``factor`` times larger (a content-stream ``cm``)."""
        self._file.output(factor, 0, 0, factor, 0, 0, Op.concat_matrix)

    def finish(self) -> bytes:
        """The finished file (fonts, images and cross-reference table written)."""
        self.renderer.finalize()
        self._file.finalize()
        self._file.close()
        return self._out.getvalue()


def figure_pdf(fig: Figure, width: int, height: int) -> bytes:
    """A ``Figure`` of the artist renderer (the fallback) on the same page as the canvas's.

    The artists lay a chart out at 100 dpi, so ``savefig`` would give a page of
    0.72 pt per CSS px; this draws the figure at 72 dpi zoomed by ``100/72``
    instead, keeping 1 pt = 1 CSS px.
    """
    page = PdfPage(width, height)
    dpi = fig.dpi
    w_in = fig.get_size_inches()[0]
    fig.dpi = 72  # the PDF renderer's unit is the point
    try:
        page.zoom(width / (w_in * 72))
        fig.draw(page.renderer)  # no artist is rasterized: no MixedModeRenderer needed
    finally:
        fig.dpi = dpi
    return page.finish()


__all__ = ["METADATA", "PdfPage", "figure_pdf"]
