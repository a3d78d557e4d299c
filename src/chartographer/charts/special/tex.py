"""TeX formulas (Google ``cht=tx``) drawn with matplotlib's mathtext.

mathtext covers the TeX math subset people put in Google URLs (fractions,
roots, sums, Greek, sub/superscripts); it needs no TeX installation.
"""

from __future__ import annotations

import hashlib
import io

from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.mathtext import MathTextParser
from PIL import Image
from pydantic import BaseModel, ConfigDict

from chartographer.errors import GoogleChartError
from chartographer.formats import ImageFormat, Rendered, encode_raster

DPI = 100.0
MAX_FORMULA = 1000
BASE_SIZE = 20.0


class TexSpec(BaseModel):
    """A formula and how to draw it; no size means fit the image to the formula."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    formula: str
    width: int | None = None
    height: int | None = None
    color: str = "#000000"
    background: str = "#FFFFFF"
    format: ImageFormat = ImageFormat.png
    max_side: int = 1000

    def cache_key(self) -> str:
        return "tx" + hashlib.sha256(self.model_dump_json().encode()).hexdigest()[:30]


def check_formula(formula: str | None) -> str:
    if not formula or not formula.strip():
        raise GoogleChartError(
            "chl: the TeX formula is missing, e.g. chl=x=\\frac{1}{2}", param="chl"
        )
    if len(formula) > MAX_FORMULA:
        raise GoogleChartError(
            f"chl: {len(formula)} characters exceeds the formula limit of {MAX_FORMULA}",
            param="chl",
            status=413,
        )
    return formula.strip()


def _extent(formula: str, size: float) -> tuple[float, float]:
    """Width and height of the formula in pixels at ``size`` points."""
    try:
        parsed = MathTextParser("path").parse(
            f"${formula}$", dpi=DPI, prop=FontProperties(size=size)
        )
    except (ValueError, KeyError, IndexError, RuntimeError) as exc:
        first = str(exc).strip().splitlines()[0][:120] if str(exc).strip() else "not TeX"
        raise GoogleChartError(f"chl: the formula cannot be read: {first}", param="chl") from None
    return float(parsed.width), float(parsed.height + parsed.depth)


def render_tex(spec: TexSpec) -> Rendered:
    """Draw the formula centred; with ``chs`` it is scaled to fit, else the image fits it."""
    width, height = _extent(spec.formula, BASE_SIZE)
    size = BASE_SIZE
    if spec.width and spec.height:
        fit = min((spec.width - 8) / max(width, 1), (spec.height - 8) / max(height, 1))
        size = max(min(BASE_SIZE * fit, 200.0), 2.0)
        out_w, out_h = spec.width, spec.height
    else:
        out_w = min(int(width + 12), spec.max_side)
        out_h = min(int(height + 12), spec.max_side)
    fig = Figure(figsize=(out_w / DPI, out_h / DPI), dpi=DPI)
    fig.patch.set_facecolor(spec.background)
    fig.text(
        0.5,
        0.5,
        f"${spec.formula}$",
        ha="center",
        va="center",
        fontsize=size,
        color=spec.color,
        parse_math=True,  # the one place text is maths (labels elsewhere are literal)
    )
    buf = io.BytesIO()
    if spec.format is ImageFormat.svg:
        fig.savefig(buf, format="svg", metadata={"Date": None}, facecolor=spec.background)
        return Rendered(buf.getvalue(), spec.format.media_type)
    fig.savefig(buf, format="png", dpi=DPI, facecolor=spec.background)
    image = Image.open(io.BytesIO(buf.getvalue()))
    return Rendered(encode_raster(image, spec.format), spec.format.media_type)
