"""Google's compound-chart markers: error bars, candlesticks, short lines, flags.

``chm`` markers ``E`` (an error bar from a point of one series to the same
point of the next), ``F`` (a candlestick over four series: low, open, close,
high), ``H`` (a short horizontal line) and the text flags ``f`` and ``A``
(``A`` annotations move up, clear of the annotations drawn before them).
:mod:`chartographer.charts.markers` finds the points; this module draws them.
"""

from __future__ import annotations

from matplotlib.axes import Axes
from matplotlib.lines import Line2D
from matplotlib.transforms import Transform

from chartographer.charts.layout import DPI, text_px
from chartographer.charts.styling import Marker

PX = 0.72
#: a candlestick whose close is below its open is drawn hollow, on this
HOLLOW = "#FFFFFF"

Box = tuple[float, float, float, float]  # left, bottom, right, top in pixels


def error_bar(
    ax: Axes, marker: Marker, low: tuple[float, float], high: tuple[float, float], zorder: float
) -> None:
    """A line from ``low`` to ``high`` with a cap ``span`` pixels wide at each end."""
    vertical = abs(low[0] - high[0]) <= abs(low[1] - high[1]) or low[0] == high[0]
    ax.add_line(
        Line2D(
            [low[0], high[0]],
            [low[1], high[1]],
            color=marker.color,
            linewidth=marker.size * PX,
            zorder=zorder,
            clip_on=False,
        )
    )
    if marker.span > 0:
        _caps(ax, [low, high], "_" if vertical else "|", marker, marker.span, zorder)


def short_line(ax: Axes, marker: Marker, at: tuple[float, float], zorder: float) -> None:
    """``H``: a horizontal line ``span`` pixels long, ``size`` thick, centred on the point."""
    _caps(ax, [at], "_", marker, marker.span, zorder, width=marker.size)


def _caps(
    ax: Axes,
    points: list[tuple[float, float]],
    shape: str,
    marker: Marker,
    length: float,
    zorder: float,
    width: float | None = None,
) -> None:
    ax.add_line(
        Line2D(
            [p[0] for p in points],
            [p[1] for p in points],
            linestyle="none",
            marker=shape,
            markersize=length * PX,
            markeredgewidth=(width if width is not None else marker.size) * PX,
            color=marker.color,
            zorder=zorder,
            clip_on=False,
        )
    )


def candlestick(
    ax: Axes, marker: Marker, values: list[tuple[float, float]], horizontal: bool, zorder: float
) -> None:
    """Low–high wick and an open–close box ``size`` pixels wide.

    The box is filled with the colour when the close is at or above the open
    and hollow when it is below, so Google's box charts (lower quartile as
    open, upper quartile as close) show filled boxes.
    """
    low, open_, close, high = values
    along = 0 if horizontal else 1  # which coordinate carries the value
    ax.add_line(
        Line2D(
            [low[0], high[0]],
            [low[1], high[1]],
            color=marker.color,
            linewidth=1.0,
            zorder=zorder,
            clip_on=False,
        )
    )
    ends = ([open_[0], close[0]], [open_[1], close[1]])
    rising = close[along] >= open_[along]
    width = max(marker.size, 1.0)
    ax.add_line(
        Line2D(
            *ends,
            color=marker.color,
            linewidth=width * PX,
            solid_capstyle="butt",
            zorder=zorder,
            clip_on=False,
        )
    )
    if not rising and width > 2:
        inner = _shorter(ends, along, ax, 1.0)
        ax.add_line(
            Line2D(
                *inner,
                color=HOLLOW,
                linewidth=(width - 2) * PX,
                solid_capstyle="butt",
                zorder=zorder,
                clip_on=False,
            )
        )


def _shorter(
    ends: tuple[list[float], list[float]], along: int, ax: Axes, pixels: float
) -> tuple[list[float], list[float]]:
    """The box's ends moved ``pixels`` inwards along the value direction (its outline)."""
    display = ax.transData.transform(list(zip(ends[0], ends[1], strict=True)))
    lo, hi = sorted((0, 1), key=lambda i: display[i][along])
    display[lo][along] += pixels
    display[hi][along] -= pixels
    if display[lo][along] > display[hi][along]:
        display[lo][along] = display[hi][along]
    back = ax.transData.inverted().transform(display)
    return [float(back[0][0]), float(back[1][0])], [float(back[0][1]), float(back[1][1])]


def flag(
    ax: Axes,
    marker: Marker,
    point: tuple[float, float],
    transform: Transform,
    placed: list[Box] | None,
    zorder: float,
) -> None:
    """Text in a box on a short pole above the point; ``A`` boxes stack clear of others."""
    figure = ax.get_figure(root=True)
    scale = figure.dpi / DPI if figure is not None else 1.0
    size = marker.size * PX
    width = (text_px(marker.text, size) + 8) * scale
    height = (size * DPI / 72 * 1.3 + 4) * scale
    x, y = (float(v) for v in transform.transform(point))
    rise = 10.0 * scale
    if marker.type == "A" and placed is not None:
        while any(
            _overlaps((x - width / 2, y + rise, x + width / 2, y + rise + height), b)
            for b in placed
        ):
            rise += height + 2 * scale
        placed.append((x - width / 2, y + rise, x + width / 2, y + rise + height))
        zorder -= 0.01 * len(placed)  # a later flag's pole runs behind the earlier boxes
    ax.annotate(
        marker.text,
        point,
        xycoords=transform,
        xytext=(0, rise / scale / (DPI / 72)),
        textcoords="offset points",
        ha="center",
        va="bottom",
        fontsize=size,
        color=marker.color,
        zorder=zorder + 1,
        annotation_clip=False,
        bbox={"boxstyle": "square,pad=0.25", "facecolor": "#FFFFFF", "edgecolor": marker.color},
        arrowprops={
            "arrowstyle": "-",
            "color": marker.color,
            "linewidth": 0.8,
            "shrinkA": 0,
            "shrinkB": 0,
        },
    )


def _overlaps(a: Box, b: Box) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]
