"""The chart spec: the one description of a chart that every front door produces.

The native API (``/v1/charts/{kind}``) and the Google Image Charts parser
(``/chart``) both build a :class:`ChartSpec`; the pure renderer draws it. The
spec is immutable and canonical: :meth:`ChartSpec.cache_key` hashes its JSON
form, so equal charts share one ETag and one cache entry.
"""

from __future__ import annotations

import hashlib
import re
from enum import StrEnum
from typing import Literal

from matplotlib import colors as mcolors
from pydantic import BaseModel, ConfigDict, Field

from chartographer.charts.styling import Styling
from chartographer.errors import InvalidParameter
from chartographer.formats import ImageFormat

SPEC_VERSION = "1"


class ChartKind(StrEnum):
    bar = "bar"
    line = "line"
    area = "area"
    sparkline = "sparkline"
    pie = "pie"
    doughnut = "doughnut"
    scatter = "scatter"
    radar = "radar"
    gauge = "gauge"
    venn = "venn"  # Google cht=v; drawn by charts.venn


CHART_FORMATS = (ImageFormat.png, ImageFormat.svg, ImageFormat.webp, ImageFormat.pdf)

# A palette that stays readable for colour-blind viewers (Okabe–Ito, then Tableau).
DEFAULT_PALETTE = (
    "#4E79A7",
    "#F28E2B",
    "#59A14F",
    "#E15759",
    "#76B7B2",
    "#EDC948",
    "#B07AA1",
    "#FF9DA7",
    "#9C755F",
    "#BAB0AC",
)

_HEX = re.compile(r"^#?([0-9a-fA-F]{6}|[0-9a-fA-F]{8}|[0-9a-fA-F]{3})$")


def parse_color(text: str, param: str) -> str:
    """Normalise a colour (``ff0000``, ``#f00``, ``red``, ``ff000080``) to ``#RRGGBB[AA]``."""
    value = text.strip()
    match = _HEX.match(value)
    if match:
        digits = match.group(1)
        if len(digits) == 3:
            digits = "".join(ch * 2 for ch in digits)
        return "#" + digits.upper()
    if value.lower() in mcolors.CSS4_COLORS:
        return str(mcolors.CSS4_COLORS[value.lower()]).upper()
    raise InvalidParameter(
        f"{param}: {text[:40]!r} is not a colour; use RRGGBB, RRGGBBAA or a CSS colour name",
        param=param,
    )


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Series(_Frozen):
    """One data series. ``None`` values are gaps (not drawn)."""

    values: tuple[float | None, ...]
    name: str | None = None
    color: str | None = None
    #: per-point colours (bars, slices, scatter points); overrides ``color``
    point_colors: tuple[str, ...] | None = None
    #: x positions (scatter, xy line charts); default is evenly spaced
    x: tuple[float | None, ...] | None = None
    #: bubble sizes for scatter charts, relative (largest = biggest bubble)
    sizes: tuple[float, ...] | None = None
    line_width: float | None = None
    dash: tuple[float, ...] | None = None
    # --- axes (issue #10 item 6): the y axis this series is drawn against ---
    axis: Literal["left", "right"] = "left"


class Axis(_Frozen):
    """One value or category axis."""

    title: str | None = None
    min: float | None = None
    max: float | None = None
    #: explicit tick positions (data units) and, optionally, their labels
    ticks: tuple[float, ...] | None = None
    tick_labels: tuple[str, ...] | None = None
    visible: bool = True
    color: str | None = None
    font_size: float | None = None


# --- axes (issue #10 item 6): reference lines and bands ---
class Annotation(_Frozen):
    """A reference line (``end`` None) or band across the plot, in data units.

    ``axis="y"`` marks a value of the left y axis (a horizontal line or band);
    ``axis="x"`` a position along x (Unix seconds on a time axis, the category
    index from 0 on a category axis).
    """

    axis: Literal["x", "y"]
    start: float
    end: float | None = None
    label: str | None = None
    color: str | None = None


class ChartSpec(_Frozen):
    kind: ChartKind
    series: tuple[Series, ...]
    labels: tuple[str, ...] = ()
    title: str | None = None
    title_color: str | None = None
    title_size: float | None = None
    width: int = 600
    height: int = 400
    format: ImageFormat = ImageFormat.png
    scale: float = Field(default=1.0, ge=1.0, le=3.0)
    horizontal: bool = False
    stacked: bool = False
    background: str = "#FFFFFF"
    plot_background: str | None = None
    gridlines: bool = True
    value_labels: bool = False
    legend: bool | None = None
    legend_position: Literal["right", "left", "top", "bottom"] = "right"
    x_axis: Axis = Axis()
    y_axis: Axis = Axis()
    palette: tuple[str, ...] = DEFAULT_PALETTE
    #: how numbers are written (``charts.numbers`` syntax, e.g. ``$,.2f``); None = compact
    number_format: str | None = None
    #: ink, grid and axis-line colours (``charts.themes``); ``background`` is resolved already
    theme: Literal["light", "dark"] = "light"
    #: the font family drawn first (``charts.fonts``); None = DejaVu Sans, Noto fallbacks
    font: str | None = None
    # --- pies (issue #10 items 3, 4): slice labels, value-label placement, zero line ---
    #: what native pie slices are labelled with, placed so none collides (outside with
    #: leader lines when needed, ``charts.draw.pie_layout``); None: the legacy placement
    #: (native beside the slice, Google spread with leaders), as Google draws it
    pie_labels: Literal["label", "value", "percent", "label_percent", "none"] | None = None
    #: value labels keep off the lines and each other, and a zero line crossed by the
    #: data is emphasised (the native API sets it; Google's charts keep their look)
    tidy_labels: bool = False
    #: Google-only extras (fills, markers, axes…); the default changes nothing
    styling: Styling = Styling()
    # --- axes (issue #10 item 6): time and log scales, annotations, right y axis ---
    #: "time": x values are Unix seconds (UTC), ticked on calendar units
    x_scale: Literal["linear", "log", "time"] = "linear"
    y_scale: Literal["linear", "log"] = "linear"
    annotations: tuple[Annotation, ...] = ()
    #: the right-hand y axis of the series with ``axis="right"``
    y2_axis: Axis = Axis()
    y2_number_format: str | None = None

    def cache_key(self) -> str:
        canonical = SPEC_VERSION + self.model_dump_json()
        return hashlib.sha256(canonical.encode()).hexdigest()[:32]

    def color_for(self, index: int) -> str:
        series = self.series[index] if index < len(self.series) else None
        if series is not None and series.color:
            return series.color
        return self.palette[index % len(self.palette)]

    @property
    def point_count(self) -> int:
        return sum(len(s.values) for s in self.series)

    @property
    def show_legend(self) -> bool:
        if self.legend is not None:
            return self.legend
        return any(s.name for s in self.series)
