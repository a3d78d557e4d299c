"""Legends drawn as swatches and names in the margin the layout reserved."""

from __future__ import annotations

from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Rectangle

from chartographer.charts.circular import slice_colors
from chartographer.charts.layout import (
    CARTESIAN,
    DPI,
    INK,
    legend_names,
    pie_label_room,
    text_px,
    value_tick_labels,
)
from chartographer.charts.spec import ChartKind, ChartSpec


def _legend_entries(spec: ChartSpec) -> list[tuple[str, str, bool]]:
    """(name, colour, is_line) per legend entry, straight from the spec."""
    if spec.kind in (ChartKind.pie, ChartKind.doughnut, ChartKind.venn) and len(spec.series) == 1:
        colors = slice_colors(spec, 0)
        names = legend_names(spec)
        return [(names[i], colors[i], False) for i in range(min(len(names), len(colors)))]
    if spec.kind is ChartKind.gauge:  # hook: Google gom, an entry per arrow in its colour
        arrows = spec.styling.arrows
        return [
            (name, arrows[i].color if i < len(arrows) else INK, True)
            for i, name in enumerate(legend_names(spec))
        ]
    is_line = spec.kind in (ChartKind.line, ChartKind.radar, ChartKind.sparkline)
    return [(name, spec.color_for(i), is_line) for i, name in enumerate(legend_names(spec))]


def draw_legend(fig: Figure, ax: Axes, spec: ChartSpec, fonts: dict[str, float]) -> None:
    """Swatches and names in the margin the layout reserved (cheaper than ``Axes.legend``)."""
    entries = _legend_entries(spec)
    if spec.styling.legend_order:  # hook: Google chdlp order
        entries = [entries[i] for i in spec.styling.legend_order if i < len(entries)] or entries
    w, h = spec.width, spec.height
    size = spec.styling.legend_size or fonts["label"]  # hook: Google chdls
    line = size * DPI / 72 * 1.5  # row height in pixels
    swatch = size * DPI / 72 * 0.9
    box = ax.get_position()
    left, right = box.x0 * w, box.x1 * w
    bottom, top = box.y0 * h, box.y1 * h
    position = spec.legend_position
    spots: list[tuple[float, float]] = []  # swatch left, row centre (pixels, y up)
    if position in ("right", "left"):
        widest = max(text_px(n, size) for n, _, _ in entries) + swatch + 6
        beside = pie_label_room(spec, fonts)  # slice labels sit between pie and legend
        x = (
            right + beside + 12
            if position == "right"
            else max(4.0, left - left_gap_px(spec, fonts) - beside - widest - 12)
        )
        y0 = (bottom + top) / 2 + line * (len(entries) - 1) / 2
        spots = [(x, y0 - i * line) for i in range(len(entries))]
        # nothing may run off the image: shrink, then shorten, names that would
        size, entries = _fit(entries, size, w - 4 - (x + swatch + 5))
    elif spec.styling.legend_vertical:  # hook: Google chdlp=bv|tv, one entry per row
        size, line, spots, entries = _stacked(spec, entries, size, (left, right, bottom, top))
        swatch = size * DPI / 72 * 0.9
    else:
        widths = [text_px(n, size) + swatch + 14 for n, _, _ in entries]
        if sum(widths) > w - 8:  # shrink, then give each entry an equal share
            size = max(size * (w - 8) / sum(widths), MIN_SIZE)
            swatch = size * DPI / 72 * 0.9
            widths = [text_px(n, size) * SAFETY + swatch + 14 for n, _, _ in entries]
            if sum(widths) > w - 8:
                share = (w - 8) / len(entries)
                size, entries = _fit(entries, size, share - swatch - 14)
                widths = [share] * len(entries)
        x = max(4.0, (left + right) / 2 - sum(widths) / 2)
        y = top + line * 0.8 if position == "top" else max(line / 2, bottom - line * 2.0)
        for width in widths:
            spots.append((x, y))
            x += width
    for (name, color, is_line), (x, y) in zip(entries, spots, strict=True):
        if is_line:
            fig.add_artist(
                Line2D(
                    [(x) / w, (x + swatch) / w],
                    [y / h, y / h],
                    color=color,
                    linewidth=2,
                    transform=fig.transFigure,
                )
            )
        else:
            fig.add_artist(
                Rectangle(
                    (x / w, (y - swatch / 2) / h),
                    swatch / w,
                    swatch / h,
                    facecolor=color,
                    edgecolor="none",
                    transform=fig.transFigure,
                )
            )
        fig.text(
            (x + swatch + 5) / w,
            y / h,
            name,
            ha="left",
            va="center",
            fontsize=size,
            color=spec.styling.legend_color or INK,
        )


MIN_SIZE = 5.0


def _stacked(
    spec: ChartSpec,
    entries: list[tuple[str, str, bool]],
    size: float,
    box: tuple[float, float, float, float],
) -> tuple[float, float, list[tuple[float, float]], list[tuple[str, str, bool]]]:
    """A ``bv``/``tv`` legend: one entry per row under (over) the plot, centred.

    Rows get smaller to fit the room (below the plot, or between the plot and
    the title); past the smallest size they wrap into more columns.
    """
    w, h = spec.width, spec.height
    left, right, _, top = box
    title = 0.0
    if spec.title:
        title = (spec.title_size or size * 1.3) * DPI / 72 * 1.6 * (spec.title.count("\n") + 1) + 6
    room = max(h - title - top - 8, 12.0) if spec.legend_position == "top" else h * 0.45
    line = size * DPI / 72 * 1.5
    if len(entries) * line > room:
        size = max(size * room / (len(entries) * line), MIN_SIZE)
        line = size * DPI / 72 * 1.5
    swatch = size * DPI / 72 * 0.9
    rows = max(min(int(room // line), len(entries)), 1)
    columns = -(-len(entries) // rows)
    width = max(text_px(n, size) for n, _, _ in entries) * SAFETY + swatch + 10
    if columns * width > w - 8:
        size, entries = _fit(entries, size, (w - 8) / columns - swatch - 10)
        width = (w - 8) / columns
    x0 = max(4.0, (left + right) / 2 - columns * width / 2)
    spots = []
    for i in range(len(entries)):
        column, row = divmod(i, rows)
        y = (
            top + 4 + line * (rows - row - 0.5)
            if spec.legend_position == "top"
            else 4 + line * (rows - row - 0.5)
        )
        spots.append((x0 + column * width, y))
    return size, line, spots, entries


#: estimated text widths are averages; wide glyphs need this much more room
SAFETY = 1.15


def _fit(
    entries: list[tuple[str, str, bool]], size: float, room: float
) -> tuple[float, list[tuple[str, str, bool]]]:
    """A font size (and, if need be, shortened names) that fit ``room`` pixels."""
    longest = max(text_px(n, size) * SAFETY for n, _, _ in entries)
    if longest <= room or room <= 0:
        return size, entries
    size = max(size * room / longest, MIN_SIZE)
    chars = max(int(room / (size * DPI / 72 * 0.6 * SAFETY)), 1)
    return size, [
        (n if len(n) <= chars else n[: max(chars - 1, 1)] + "…", c, line) for n, c, line in entries
    ]


def left_gap_px(spec: ChartSpec, fonts: dict[str, float]) -> float:
    if spec.kind in CARTESIAN:
        labels = value_tick_labels(spec)
        return max((text_px(t, fonts["tick"]) for t in labels), default=0) + 8
    return 0.0
