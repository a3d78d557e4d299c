"""The round kinds on the canvas: pie, doughnut, radar and gauge, with title and legend.

:func:`supports_round` says which specs these drawers draw completely (the
rest stay with the legacy artist renderer); :func:`draw_round` draws one on a
:class:`~chartographer.charts.draw.canvas.Canvas`. The plot rectangle comes
from the legacy layout (``charts.layout.plot_margins`` and the Google
``decorations.plot_area`` hook), the legend from ``charts.legend``'s rules, so
the pictures match the artist renderer's.
"""

from __future__ import annotations

from chartographer.charts import decorations
from chartographer.charts.draw import gauge, pie, radar
from chartographer.charts.draw.canvas import PT, Canvas
from chartographer.charts.draw.pie_layout import Box
from chartographer.charts.layout import INK, pie_label_room, plot_margins, text_px
from chartographer.charts.legend import MIN_SIZE, SAFETY, _fit, _legend_entries
from chartographer.charts.spec import ChartKind, ChartSpec

ROUND = (ChartKind.pie, ChartKind.doughnut, ChartKind.radar, ChartKind.gauge)


def supports_round(spec: ChartSpec) -> bool:
    """Whether :func:`draw_round` draws every part of ``spec``."""
    if spec.kind not in ROUND:
        return False
    styling = spec.styling
    if styling.background_fill is not None or styling.plot_fill is not None:
        return False  # gradients and stripes: the legacy renderer paints them
    if styling.axes is not None:
        return False
    if spec.kind is ChartKind.radar:
        return radar.supported(spec)
    return not styling.markers


def plot_box(spec: ChartSpec, fonts: dict[str, float]) -> Box:
    """The plot rectangle in CSS px, as the legacy renderer places its axes."""
    left, bottom, width, height = decorations.plot_area(spec, fonts, plot_margins(spec, fonts))
    w, h = spec.width, spec.height
    return Box(left * w, (1 - bottom - height) * h, width * w, height * h)


def draw_round(canvas: Canvas, spec: ChartSpec, fonts: dict[str, float]) -> None:
    """Title, the chart and its legend."""
    box = plot_box(spec, fonts)
    if spec.title:
        canvas.text(
            spec.width / 2,
            6,
            spec.title,
            size=spec.title_size or fonts["title"],
            color=spec.title_color or INK,
            weight="bold",
            ha="center",
            va="top",
        )
    if spec.kind is ChartKind.gauge:
        gauge.draw_gauge(canvas, spec, box, fonts)
        return
    if spec.kind is ChartKind.radar:
        fitted = radar.draw_radar(canvas, spec, box, fonts)
    else:
        fitted = pie.draw_pie(canvas, spec, box, fonts).box
    if spec.show_legend:
        draw_legend(canvas, spec, fitted, fonts)


def draw_legend(canvas: Canvas, spec: ChartSpec, box: Box, fonts: dict[str, float]) -> None:
    """Swatches and names beside (or above, below) the fitted chart box, as ``charts.legend``."""
    entries = _legend_entries(spec)
    if spec.styling.legend_order:  # Google chdlp order
        entries = [entries[i] for i in spec.styling.legend_order if i < len(entries)] or entries
    w = spec.width
    size = spec.styling.legend_size or fonts["label"]  # Google chdls
    line = size * PT * 1.5  # row height
    swatch = size * PT * 0.9
    left, right = box.left, box.left + box.width
    top, bottom = box.top, box.top + box.height  # CSS px, y down
    spots: list[tuple[float, float]] = []  # swatch left, row centre
    if spec.legend_position in ("right", "left"):
        widest = max(text_px(n, size) for n, _, _ in entries) + swatch + 6
        beside = pie_label_room(spec, fonts)  # slice labels sit between pie and legend
        x = (
            right + beside + 12
            if spec.legend_position == "right"
            else max(4.0, left - beside - widest - 12)
        )
        y0 = (top + bottom) / 2 - line * (len(entries) - 1) / 2
        spots = [(x, y0 + i * line) for i in range(len(entries))]
        size, entries = _fit(entries, size, w - 4 - (x + swatch + 5))
    else:
        widths = [text_px(n, size) + swatch + 14 for n, _, _ in entries]
        if sum(widths) > w - 8:  # shrink, then give each entry an equal share
            size = max(size * (w - 8) / sum(widths), MIN_SIZE)
            swatch = size * PT * 0.9
            widths = [text_px(n, size) * SAFETY + swatch + 14 for n, _, _ in entries]
            if sum(widths) > w - 8:
                share = (w - 8) / len(entries)
                size, entries = _fit(entries, size, share - swatch - 14)
                widths = [share] * len(entries)
        x = max(4.0, (left + right) / 2 - sum(widths) / 2)
        height = spec.height
        y_up = (
            (height - top) + line * 0.8
            if spec.legend_position == "top"
            else max(line / 2, (height - bottom) - line * 2.0)
        )
        for width in widths:
            spots.append((x, height - y_up))
            x += width
    for (name, color, is_line), (x, y) in zip(entries, spots, strict=True):
        if is_line:
            canvas.path([(x, y), (x + swatch, y)], stroke=color, line_width=2, cap="projecting")
        else:
            canvas.rect(x, y - swatch / 2, swatch, swatch, fill=color)
        canvas.text(
            x + swatch + 5,
            y,
            name,
            size=size,
            color=spec.styling.legend_color or INK,
            ha="left",
            va="center",
        )
