"""Legends on a :class:`Canvas`: the swatches and names of ``charts.legend``, same places."""

from __future__ import annotations

from chartographer.charts.artists.legend import MIN_SIZE, SAFETY, _fit, _legend_entries, left_gap_px
from chartographer.charts.draw.axes import Plot
from chartographer.charts.draw.canvas import Canvas
from chartographer.charts.layout import DPI, INK, pie_label_room, right_axis_extent, text_px
from chartographer.charts.spec import ChartKind, ChartSpec


def draw(canvas: Canvas, spec: ChartSpec, fonts: dict[str, float], plot: Plot) -> None:
    """Swatches and names in the margin the layout reserved (``charts.legend.draw_legend``)."""
    if spec.kind is ChartKind.gauge:
        return
    entries = _legend_entries(spec)
    if spec.styling.legend_order:  # Google chdlp order
        entries = [entries[i] for i in spec.styling.legend_order if i < len(entries)] or entries
    w, h = spec.width, spec.height
    size = spec.styling.legend_size or fonts["label"]  # Google chdls
    line = size * DPI / 72 * 1.5
    swatch = size * DPI / 72 * 0.9
    left, right = plot.left, plot.right
    bottom, top = h - plot.bottom, h - plot.top  # y up, as the legacy layout counts
    position = spec.legend_position
    spots: list[tuple[float, float]] = []
    if position in ("right", "left"):
        widest = max(text_px(n, size) for n, _, _ in entries) + swatch + 6
        beside = pie_label_room(spec, fonts) + right_axis_extent(spec, fonts)
        x = (
            right + beside + 12
            if position == "right"
            else max(4.0, left - left_gap_px(spec, fonts) - beside - widest - 12)
        )
        y0 = (bottom + top) / 2 + line * (len(entries) - 1) / 2
        spots = [(x, y0 - i * line) for i in range(len(entries))]
        size, entries = _fit(entries, size, w - 4 - (x + swatch + 5))
    else:
        widths = [text_px(n, size) + swatch + 14 for n, _, _ in entries]
        if sum(widths) > w - 8:
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
    color = spec.styling.legend_color or INK
    for (_, swatch_color, is_line), (x, y_up) in zip(entries, spots, strict=True):
        y = h - y_up
        if is_line:
            canvas.path(
                [(x, y), (x + swatch, y)],
                stroke=swatch_color,
                line_width=2,
                cap="projecting",
                join="round",
            )
        else:
            canvas.rect(x, y - swatch / 2, swatch, swatch, fill=swatch_color)
    for (name, _, _), (x, y_up) in zip(entries, spots, strict=True):
        canvas.text(x + swatch + 5, h - y_up, name, size=size, color=color, va="center")
