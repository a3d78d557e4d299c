"""Data chart types (bars, lines, scatter, radar, pies, meter, Venn) → :class:`ChartSpec`.

Values reach the spec already placed on Google's scale: each series is
rescaled from its own range onto the range of the first series (bars keep
Google's zero line that way), and xy charts are drawn on fractions 0–1. The
value axis then spans exactly that range, so every label axis is an overlay.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from matplotlib.colors import to_hex, to_rgb

from chartographer.charts.google import styles
from chartographer.charts.google.axes import AxisContext, parse_axes
from chartographer.charts.google.data import Scaled, Values
from chartographer.charts.google.errors import GoogleChartError
from chartographer.charts.google.query import GOOGLE_PALETTE, GoogleQuery
from chartographer.charts.spec import Axis, ChartKind, ChartSpec, Series
from chartographer.charts.styling import MarkerSeries, Styling
from chartographer.formats import ImageFormat

BARS = {  # cht → (horizontal, stacked, overlapped)
    "bvs": (False, True, False),
    "bhs": (True, True, False),
    "bvg": (False, False, False),
    "bhg": (True, False, False),
    "bvo": (False, False, True),
}
PIES = {"p": ChartKind.pie, "p3": ChartKind.pie, "pc": ChartKind.pie, "pd": ChartKind.doughnut}
INVISIBLE = "#00000000"
METER_COLORS = ("#FF0000", "#FFFF00", "#00CC00")
_LEGEND = {"b": "bottom", "t": "top", "l": "left", "r": "right"}


def blend(colors: Sequence[str], count: int) -> tuple[str, ...]:
    """``count`` colours evenly interpolated along ``colors`` (a gradient)."""
    if len(colors) == 1 or count == 1:
        return (colors[0],) * count
    rgbs = [to_rgb(c) for c in colors]
    out = []
    for i in range(count):
        t = i / (count - 1) * (len(rgbs) - 1)
        k = min(int(t), len(rgbs) - 2)
        f = t - k
        a, b = rgbs[k], rgbs[k + 1]
        mixed = (a[0] + (b[0] - a[0]) * f, a[1] + (b[1] - a[1]) * f, a[2] + (b[2] - a[2]) * f)
        out.append(to_hex(mixed).upper())
    return tuple(out)


def shades(color: str, count: int) -> tuple[str, ...]:
    """Google's single-colour pie: slices from the colour towards white."""
    r, g, b = to_rgb(color)
    return blend(
        [to_hex((r, g, b)), to_hex((r + (1 - r) * 0.75, g + (1 - g) * 0.75, b + (1 - b) * 0.75))],
        count,
    )


def onto(scaled: Scaled, index: int, target: tuple[float, float]) -> Values:
    """Series ``index`` rescaled from its own range onto ``target``."""
    lo, hi = target
    return tuple(None if f is None else lo + f * (hi - lo) for f in scaled.fractions(index))


def common(query: GoogleQuery, fmt: ImageFormat, size: tuple[int, int]) -> dict[str, Any]:
    """Spec fields every chart type shares: size, title, fills, legend, palette."""
    fields: dict[str, Any] = {
        "width": size[0],
        "height": size[1],
        "format": fmt,
        "palette": GOOGLE_PALETTE,
        "gridlines": False,
    }
    title = query.text("chtt")
    if title:
        fields["title"] = title.replace("|", "\n")
    chts = (query.get("chts") or "").split(",")
    if chts[0]:
        fields["title_color"] = query.color(chts[0], "chts")
    if len(chts) > 1 and chts[1]:
        fields["title_size"] = min(max(query.number(chts[1], "chts", 13.0), 4.0), 72.0) * 0.72
    position = (query.get("chdlp") or "r")[:1]
    fields["legend_position"] = _LEGEND.get(position, "right")
    return fields


def fill_fields(query: GoogleQuery, fields: dict[str, Any]) -> dict[str, Any]:
    """``chf`` bg/c: solid colours go to the spec, gradients and stripes to styling."""
    fills = styles.parse_fills(query)
    extra: dict[str, Any] = dict(styles.parse_legend(query, len(names(query))))
    background = fills.get("bg")
    if background is not None:
        fields["background"] = background.colors[0]
        if background.kind != "solid":
            extra["background_fill"] = background
    whole = fills.get("a")  # Google: the colour's alpha applies to the whole chart
    if whole is not None and whole.kind == "solid" and len(whole.colors[0]) == 9:
        extra["opacity"] = int(whole.colors[0][7:9], 16) / 255
    elif whole is not None:
        query.warn("chf: transparency needs a,s,RRGGBBAA; ignored")
    plot = fills.get("c")
    if plot is not None:
        fields["plot_background"] = plot.colors[0]
        if plot.kind != "solid":
            extra["plot_fill"] = plot
    return extra


def series_colors(
    query: GoogleQuery, count: int
) -> list[tuple[str | None, tuple[str, ...] | None]]:
    """``chco`` per series: (series colour, per-element colours); fewer colours cycle."""
    groups = query.colors()
    out: list[tuple[str | None, tuple[str, ...] | None]] = []
    for i in range(count):
        if not groups:
            out.append((None, None))
            continue
        group = groups[i % len(groups)]
        out.append((group[0], group if len(group) > 1 else None))
    return out


def names(query: GoogleQuery) -> tuple[str, ...]:
    return query.labels("chdl")


def build_cartesian(
    query: GoogleQuery,
    cht: str,
    scaled: Scaled,
    fields: dict[str, Any],
    *,
    default_axes: bool = True,
) -> ChartSpec:
    """Bars, lines (lc, ls, lxy) and scatter plots.

    ``chd=tN:`` draws the first N series as the chart; the others are kept as
    :class:`MarkerSeries` so ``chm`` markers (lines, shapes, candlesticks) can
    use them (Google's compound charts). ``lc:nda`` (``default_axes=False``)
    draws no axis lines.
    """
    extra = fill_fields(query, fields)
    legend = names(query)
    line_styles = styles.parse_line_styles(query)
    width, height = fields["width"], fields["height"]
    horizontal = cht in BARS and BARS[cht][0]
    xs: list[Values | None]
    if cht in BARS:
        kind = ChartKind.bar
        target = scaled.ranges[0]
        rows = [onto(scaled, i, target) for i in range(len(scaled.series))]
        xs = [None] * len(rows)
        target, rows = _zero_line(query, target, rows)
        stacked, overlap = BARS[cht][1], BARS[cht][2]
        drawn = min(scaled.drawn_count, len(rows))
        bars = max((len(r) for r in rows[:drawn]), default=1)
        per_group = 1 if stacked or overlap else max(drawn, 1)
        extra["bar_group"] = styles.parse_bar_group(
            query, per_group, bars, (height if horizontal else width) * 0.8
        )
        extra["bar_pixels"] = styles.parse_bar_pixels(query)
        extra["bar_overlap"] = overlap
        fields["stacked"] = stacked
        fields["horizontal"] = horizontal
    else:
        kind = ChartKind.scatter if cht == "s" else ChartKind.line
        rows, xs, target, bars = _xy_rows(cht, scaled)
        extra["plain_lines"] = True
        if cht in ("lc", "ls"):
            xs = stretched(rows)
    drawn = min(scaled.drawn_count, len(rows)) if cht not in ("s", "lxy") else len(rows)
    series = []
    colors = series_colors(query, len(rows))
    for i, row in enumerate(rows[:drawn]):
        color, points = colors[i]
        width_dash = line_styles[i] if i < len(line_styles) else (1.5, None)
        sizes = None
        if cht == "s" and len(scaled.series) > 2:
            sizes = tuple(max(f or 0.0, 0.0) for f in scaled.fractions(2)[: len(row)])
            sizes = sizes + (0.0,) * (len(row) - len(sizes))
        series.append(
            Series(
                values=row,
                x=xs[i],
                name=legend[i] if i < len(legend) else None,
                color=color,
                point_colors=points,
                line_width=width_dash[0],
                dash=width_dash[1],
                sizes=sizes,
            )
        )
    if not series:  # t0: every series is for markers; series 0 stands in, invisible
        series.append(Series(values=rows[0], x=xs[0], color=INVISIBLE))
        drawn = 1
    hidden = tuple(MarkerSeries(values=rows[i], x=xs[i]) for i in range(drawn, len(rows)))
    # the native guides stay silent: every Google axis is drawn by the decorations
    markers = styles.parse_markers(query, len(rows))
    raw = scaled.series
    if cht == "lxy":
        raw = scaled.series[1::2]
    elif cht == "s":
        raw = scaled.series[1:2] if len(scaled.series) > 1 else scaled.series[:1]
    if cht == "bvo":  # the first series stands in front: draw it last
        series.reverse()
        last = len(series) - 1
        raw = (*raw[: last + 1][::-1], *raw[last + 1 :])
        markers = tuple(
            m.model_copy(
                update={
                    "series": _front(m.series, last),
                    "other": None if m.other is None else _front(m.other, last),
                }
            )
            for m in markers
        )
    value_axis = Axis(min=target[0], max=target[1], ticks=(), tick_labels=(), visible=False)
    context = AxisContext(
        horizontal=horizontal, bars=bars, auto_range=target if scaled.auto else None
    )
    category = Axis(ticks=(), tick_labels=(), visible=False)
    if kind is ChartKind.scatter or (kind is ChartKind.line and cht == "lxy"):
        category = Axis(min=0.0, max=1.0, ticks=(), tick_labels=(), visible=False)
    elif kind is ChartKind.line:
        slots = max(max(len(r) for r in rows) - 1, 1)
        category = Axis(min=0.0, max=float(slots), ticks=(), tick_labels=(), visible=False)
    fields["x_axis"], fields["y_axis"] = (
        (value_axis, category) if horizontal else (category, value_axis)
    )
    fields["legend"] = bool(legend)
    styling = Styling(
        axes=parse_axes(query, context),
        markers=markers,
        grid=styles.parse_grid(query),
        margins=styles.parse_margins(query),
        frame=cht != "ls" and default_axes,
        raw_values=raw,
        marker_series=hidden,
        **extra,
    )
    return ChartSpec(kind=kind, series=tuple(series), styling=styling, **fields)


def _front(index: int, last: int) -> int:
    """``bvo`` draws its series in reverse; hidden series keep their index."""
    return last - index if index <= last else index


def stretched(rows: Sequence[Values]) -> list[Values | None]:
    """Google spreads every line series over the full width, however many points it has.

    Positions are in category slots of the longest series (0 … longest − 1);
    a series as long as the longest keeps the plain slots (``None``).
    """
    longest = max((len(r) for r in rows), default=0)
    out: list[Values | None] = []
    for row in rows:
        if len(row) == longest or len(row) < 2:
            out.append(None)
        else:
            step = (longest - 1) / (len(row) - 1)
            out.append(tuple(j * step for j in range(len(row))))
    return out


def _zero_line(
    query: GoogleQuery, target: tuple[float, float], rows: list[Values]
) -> tuple[tuple[float, float], list[Values]]:
    """``chp`` on bar charts: bars hang from a line that far (0–1) up the value range.

    Values are shifted so the zero line is the spec's 0 (where bars start);
    the value axis keeps the same span, so every value stays where it was.
    """
    raw = query.get("chp")
    if raw is None or raw.strip() == "":
        return target, rows
    fraction = query.number(raw.split(",")[0], "chp", math.nan)
    if math.isnan(fraction):
        return target, rows
    if not 0.0 <= fraction <= 1.0:
        query.warn(f"chp: {raw[:20]!r} is outside 0-1; the zero line is clamped to it")
        fraction = min(max(fraction, 0.0), 1.0)
    lo, hi = target
    zero = lo + fraction * (hi - lo)
    shifted = [tuple(None if v is None else v - zero for v in row) for row in rows]
    return (lo - zero, hi - zero), shifted


def _xy_rows(
    cht: str, scaled: Scaled
) -> tuple[list[Values], list[Values | None], tuple[float, float], int]:
    if cht == "lxy":
        if len(scaled.series) < 2:
            raise GoogleChartError(
                "chd: lxy needs x and y series in pairs, e.g. t:0,50,100|5,60,20", param="chd"
            )
        rows: list[Values] = []
        xs: list[Values | None] = []
        for i in range(0, len(scaled.series) - 1, 2):
            y = scaled.fractions(i + 1)
            x = scaled.fractions(i)
            raw_x = scaled.series[i]
            if len(raw_x) <= 1 and (not raw_x or raw_x[0] is None or raw_x[0] == -1):
                x = tuple(j / max(len(y) - 1, 1) for j in range(len(y)))
            x = (x + (None,) * len(y))[: len(y)]
            rows.append(y)
            xs.append(x)
        return rows, xs, (0.0, 1.0), 0
    if cht == "s":
        if len(scaled.series) == 1:
            y = scaled.fractions(0)
            x = tuple(j / max(len(y) - 1, 1) for j in range(len(y)))
        else:
            x, y = scaled.fractions(0), scaled.fractions(1)
            count = min(len(x), len(y))
            x, y = x[:count], y[:count]
        return [y], [x], (0.0, 1.0), 0
    target = scaled.ranges[0]
    rows = [onto(scaled, i, target) for i in range(len(scaled.series))]
    return rows, [None] * len(rows), target, 0
