"""Round chart types: pies (p, p3, pc, pd), radar (r, rs), Google-o-meter, Venn."""

from __future__ import annotations

import math
from typing import Any

from chartographer.charts.google import styles
from chartographer.charts.google.axes import _indexed_labels
from chartographer.charts.google.chart import (
    METER_COLORS,
    PIES,
    blend,
    fill_fields,
    names,
    onto,
    series_colors,
    shades,
)
from chartographer.charts.google.data import Scaled
from chartographer.charts.google.errors import GoogleChartError
from chartographer.charts.google.query import GOOGLE_PALETTE, GoogleQuery
from chartographer.charts.spec import Axis, ChartKind, ChartSpec, Series
from chartographer.charts.styling import Arrow, Styling

VENN_VALUES = 7
#: Google-o-meter arrows: dark first, then colours that stand out on the dial
ARROW_COLORS = ("#333333", "#1F4FBF", "#8E24AA", "#00796B", "#6D4C41", "#C2185B")


def build_pie(query: GoogleQuery, cht: str, scaled: Scaled, fields: dict[str, Any]) -> ChartSpec:
    """Pies: slices are the scaled values; one ``chco`` colour shades the slices."""
    extra = fill_fields(query, fields)
    count = len(scaled.series) if cht == "pc" else 1
    if cht != "pc" and len(scaled.series) > 1:
        query.warn(f"chd: cht={cht} shows the first series only; use cht=pc for rings")
    groups = query.colors()
    series = []
    for ring in range(count):
        values = tuple(max(f or 0.0, 0.0) for f in scaled.fractions(ring))
        if sum(values) <= 0:
            raise GoogleChartError("chd: a pie needs at least one value above zero", param="chd")
        series.append(
            Series(values=values, point_colors=_slice_colors(groups, ring, cht, len(values)))
        )
    # chl labels the slices, chdl fills the legend; either may come alone
    labels = query.labels("chl")
    legend = names(query)
    styling = Styling(
        margins=styles.parse_margins(query),
        legend_labels=legend,
        pie_start=-math.degrees(_rotation(query)),
        pie_3d=cht == "p3",
        **extra,
    )
    return ChartSpec(
        kind=PIES[cht],
        series=tuple(series),
        labels=labels,
        legend=bool(legend),
        styling=styling,
        **fields,
    )


def _rotation(query: GoogleQuery) -> float:
    """``chp``: radians the first slice turns clockwise from 3 o'clock, Google's start."""
    raw = query.get("chp")
    if raw is None or raw.strip() == "":
        return 0.0
    return query.number(raw.split(",")[0], "chp", 0.0) % (2 * math.pi)


def _slice_colors(
    groups: tuple[tuple[str, ...], ...], ring: int, cht: str, count: int
) -> tuple[str, ...]:
    if cht == "pc":
        group = groups[ring] if ring < len(groups) else (GOOGLE_PALETTE[ring % 10],)
    elif len(groups) > 1 and all(len(g) == 1 for g in groups):
        return blend([g[0] for g in groups], count)  # commas: a gradient over the slices
    else:
        group = groups[0] if groups else (GOOGLE_PALETTE[0],)
    if len(group) == 1:
        return shades(group[0], count)
    if len(group) < count:  # fewer colours than slices: Google interpolates
        return blend(group, count)
    return group[:count]


def build_radar(query: GoogleQuery, cht: str, scaled: Scaled, fields: dict[str, Any]) -> ChartSpec:
    """Radar: points clockwise from 12 o'clock, one spoke per point or per axis label.

    A series that repeats its first value as its last is Google's idiom for a
    closed line: the repeat is dropped and the line closed. Other series stay
    open, nothing is filled unless ``chm=B`` asks, and the rings carry values
    only when ``chxt`` has a ``y`` (radial) axis.
    """
    extra = fill_fields(query, fields)
    target = scaled.ranges[0]
    rows = [onto(scaled, i, target) for i in range(len(scaled.series))]
    axis_labels = _indexed_labels(query).get(0, [])
    spokes = max(len(axis_labels), max(len(r) for r in rows) - 1)
    closed = [len(r) > 2 and r[0] == r[-1] and len(r) - 1 <= spokes for r in rows]
    rows = [r[:-1] if c else r for r, c in zip(rows, closed, strict=True)]
    if max(max(len(r) for r in rows), len(axis_labels)) < 3:
        raise GoogleChartError("chd: a radar chart needs at least 3 values", param="chd")
    legend = names(query)
    colors = series_colors(query, len(rows))
    line_styles = styles.parse_line_styles(query)
    series = tuple(
        Series(
            values=row,
            name=legend[i] if i < len(legend) else None,
            color=colors[i][0],
            line_width=line_styles[i][0] if i < len(line_styles) else None,
        )
        for i, row in enumerate(rows)
    )
    sides = [s.strip() for s in (query.get("chxt") or "").split(",")]
    fields["y_axis"] = Axis(min=target[0], max=target[1], visible="y" in sides)
    fields["gridlines"] = True  # the web of rings and spokes Google drew
    return ChartSpec(
        kind=ChartKind.radar,
        series=series,
        labels=tuple(axis_labels),
        legend=bool(legend),
        styling=Styling(
            markers=styles.parse_markers(query, len(rows)),
            grid=styles.parse_grid(query),
            radar_closed=tuple(closed),
            radar_splines=cht == "rs",
            raw_values=scaled.series,
            **extra,
        ),
        **fields,
    )


def build_meter(query: GoogleQuery, scaled: Scaled, fields: dict[str, Any]) -> ChartSpec:
    """Google-o-meter: a dial over the data range, coloured as a gradient of ``chco``.

    Every value is an arrow; ``chl`` (or the ``x`` axis of ``chxt``/``chxl``)
    labels the arrows at their tips, the ``y`` axis labels the dial, as in
    Google's ``chxt=x,y&chxl=0:|Groovy|1:|slow|faster|crazy``. Arrows of one
    series share its ``chls`` style (width, dash); ``chdl`` names the arrows in
    a legend. One arrow is dark; several each take their own colour.
    """
    extra = fill_fields(query, fields)
    values: list[float] = []
    owners: list[int] = []  # the series each arrow came from (its chls style)
    for index, row in enumerate(scaled.series):
        for value in row:
            if value is not None:
                values.append(value)
                owners.append(index)
    if not values:
        raise GoogleChartError("chd: a Google-o-meter needs one value, e.g. chd=t:70", param="chd")
    groups = query.colors()
    colors = [g[0] for g in groups] if len(groups) > 1 else list(groups[0] if groups else ())
    bands = blend(colors if len(colors) > 1 else METER_COLORS, 48)
    sides = [s.strip() for s in (query.get("chxt") or "").split(",")]
    indexed = _indexed_labels(query)
    axis = {side: indexed.get(i, []) for i, side in enumerate(sides) if side}
    arrows = query.labels("chl") or tuple(axis.get("x", ()))
    legend = names(query)
    line_styles = styles.parse_line_styles(query)
    several = len(values) > 1 or bool(legend)
    styled = tuple(
        Arrow(
            color=ARROW_COLORS[k % len(ARROW_COLORS)] if several else ARROW_COLORS[0],
            width=line_styles[owner][0] if owner < len(line_styles) else 3.0,
            dash=line_styles[owner][1] if owner < len(line_styles) else None,
        )
        for k, owner in enumerate(owners)
    )
    lo, hi = scaled.ranges[0]
    fields["y_axis"] = Axis(min=lo, max=hi)
    fields["legend"] = bool(legend)
    return ChartSpec(
        kind=ChartKind.gauge,
        series=(Series(values=tuple(values), point_colors=bands),),
        labels=tuple(arrows[: len(values)]),
        styling=Styling(
            dial_labels=tuple(axis.get("y", ())),
            arrows=styled,
            legend_labels=legend[: len(values)],
            **extra,
        ),
        **fields,
    )


def build_venn(query: GoogleQuery, scaled: Scaled, fields: dict[str, Any]) -> ChartSpec:
    """Venn: sizes of A, B, C, then overlaps AB, AC, BC and ABC."""
    extra = fill_fields(query, fields)
    values = [max(v or 0.0, 0.0) for v in scaled.fractions(0)][:VENN_VALUES]
    if not values or values[0] <= 0:
        raise GoogleChartError(
            "chd: a Venn diagram needs the size of circle A above zero", param="chd"
        )
    values += [0.0] * (VENN_VALUES - len(values))
    groups = query.colors()
    given = [g[0] for g in groups[:3]] or list(GOOGLE_PALETTE[:1])
    colors = tuple(given + [given[-1]] * (3 - len(given)))  # the last colour fills in
    legend = names(query)
    return ChartSpec(
        kind=ChartKind.venn,
        series=(Series(values=tuple(values), point_colors=colors),),
        labels=legend[:3],
        legend=bool(legend),
        styling=Styling(**extra),
        **fields,
    )
