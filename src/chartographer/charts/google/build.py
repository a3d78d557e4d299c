"""A whole Google query → a render plan: cache key, render function, its argument, warnings."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from chartographer.charts.google.chart import BARS, PIES, build_cartesian, common
from chartographer.charts.google.choropleth import map_spec
from chartographer.charts.google.data import decode_chd, scale
from chartographer.charts.google.errors import GoogleChartError
from chartographer.charts.google.icons import icon_spec
from chartographer.charts.google.query import GoogleQuery
from chartographer.charts.google.round import build_meter, build_pie, build_radar, build_venn
from chartographer.charts.icons.render import render_icon
from chartographer.charts.native.params import Limits, check_limits
from chartographer.charts.regions import render_regions
from chartographer.charts.render import render_chart
from chartographer.charts.spec import parse_color
from chartographer.charts.special.choropleth import render_map_chart
from chartographer.charts.special.graphviz import GraphSpec, check_graph, render_graph
from chartographer.charts.special.qr import qr_spec, render_qr
from chartographer.charts.special.tex import TexSpec, check_formula, render_tex
from chartographer.errors import LimitExceeded
from chartographer.formats import ImageFormat, Rendered

LINES = ("lc", "ls", "lxy", "s")
ROUND = ("r", "rs", "gom", "v")
ACCEPTED = tuple(sorted((*BARS, *PIES, *LINES, *ROUND, "qr", "tx", "gv", "map", "t")))
FORMATS = {
    "png": ImageFormat.png,
    "svg": ImageFormat.svg,
    "gif": ImageFormat.gif,
    "webp": ImageFormat.webp,
    "jpg": ImageFormat.jpg,
    "jpeg": ImageFormat.jpg,
}


@dataclass(frozen=True)
class GoogleOptions:
    """Operator settings the Google front door obeys."""

    limits: Limits
    max_side: int = 1000
    max_pixels: int = 300_000
    dot_path: str = "dot"
    dot_timeout: float = 5.0


@dataclass(frozen=True)
class Plan:
    key: str
    render: Callable[..., Rendered]
    argument: Any
    warnings: tuple[str, ...]


def plan_chart(query: GoogleQuery, options: GoogleOptions) -> Plan:
    """Parse the query; fatal mistakes raise, skippable ones become warnings."""
    raw = (query.get("cht") or "").strip()
    if query.get("chst") is not None and not raw:  # a dynamic icon: chst replaces cht
        fmt = _format(query)
        icon = icon_spec(query.get("chst") or "", query.get("chld"), fmt, options.max_side)
        return Plan(icon.cache_key(), render_icon, icon, tuple(query.warnings))
    if not raw:
        raise GoogleChartError(
            f"cht: missing; accepted chart types: {', '.join(ACCEPTED)}", param="cht"
        )
    cht, _, variant = raw.partition(":")
    if cht in ("map", "t"):  # choropleth maps on the shipped Natural Earth boundaries
        chart = map_spec(query, cht, variant, _format(query))
        return Plan(chart.cache_key(), render_map_chart, chart, tuple(query.warnings))
    if cht not in ACCEPTED:
        raise GoogleChartError(
            f"cht: {cht[:20]!r} is not a chart type; accepted: {', '.join(ACCEPTED)}", param="cht"
        )
    if (query.get("chof") or "").strip().lower() == "json":  # Google's image-map regions
        if cht in ("qr", "tx", "gv"):
            raise GoogleChartError(
                f"chof: json (image-map regions) is for data charts, not cht={cht}", param="chof"
            )
        plan = _plan_data_chart(query, cht, ImageFormat.png, options)
        return Plan("regions" + plan.key, render_regions, plan.argument, plan.warnings)
    fmt = _format(query)
    if cht == "qr":
        spec = qr_spec(query.get("chl"), query.get("chld"), query.get("choe"), query.size(), fmt)
        return Plan(spec.cache_key(), render_qr, spec, tuple(query.warnings))
    if cht == "tx":
        return _plan_tex(query, fmt, options)
    if cht == "gv":
        dot, engine = check_graph(query.get("chl"), variant)
        size = query.size() if query.get("chs") else (None, None)
        graph = GraphSpec(
            dot=dot,
            engine=engine,
            width=size[0],
            height=size[1],
            format=fmt,
            dot_path=options.dot_path,
            timeout=options.dot_timeout,
            max_side=options.max_side,
        )
        return Plan(graph.cache_key(), render_graph, graph, tuple(query.warnings))
    if variant and variant != "nda":
        query.warn(f"cht: the suffix {variant[:10]!r} is not understood; ignored")
    if variant == "nda":
        return _plan_data_chart(query, cht, fmt, options, default_axes=False)
    return _plan_data_chart(query, cht, fmt, options)


def _plan_data_chart(
    query: GoogleQuery,
    cht: str,
    fmt: ImageFormat,
    options: GoogleOptions,
    *,
    default_axes: bool = True,
) -> Plan:
    size = query.size()
    chd = query.get("chd")
    if not chd:
        raise GoogleChartError("chd: the chart data is missing, e.g. chd=t:10,20,30", param="chd")
    limits = options.limits
    data = decode_chd(chd, limits.max_points)
    for note in data.warnings:
        query.warn(note)
    if len(data.series) > limits.max_series:
        raise GoogleChartError(
            f"chd: {len(data.series)} series exceeds the limit of {limits.max_series}",
            param="chd",
            status=413,
        )
    scaled = scale(data, query.get("chds"), query.warnings)
    if not any(v is not None for s in scaled.series for v in s):
        raise GoogleChartError("chd: there is no value to draw (all missing)", param="chd")
    fields = common(query, fmt, size)
    title = fields.get("title") or ""
    if len(title) > limits.max_label_length:  # named as the Google user wrote it
        raise LimitExceeded(
            f"chtt: a title of {len(title)} characters exceeds the limit of "
            f"{limits.max_label_length}",
            param="chtt",
        )
    if cht in PIES:
        spec = build_pie(query, cht, scaled, fields)
    elif cht in ("r", "rs"):
        spec = build_radar(query, cht, scaled, fields)
    elif cht == "gom":
        spec = build_meter(query, scaled, fields)
    elif cht == "v":
        spec = build_venn(query, scaled, fields)
    else:
        spec = build_cartesian(query, cht, scaled, fields, default_axes=default_axes)
    google_limits = dataclasses.replace(
        limits,
        max_width=options.max_side,
        max_height=options.max_side,
        max_pixels=options.max_pixels,
    )
    check_limits(spec, google_limits)
    return Plan(spec.cache_key(), render_chart, spec, tuple(query.warnings))


def _plan_tex(query: GoogleQuery, fmt: ImageFormat, options: GoogleOptions) -> Plan:
    formula = check_formula(query.get("chl"))
    size = query.size() if query.get("chs") else (None, None)
    color = parse_color(query.get("chco") or "000000", "chco")
    fill = (query.get("chf") or "bg,s,FFFFFF").split(",")
    background = "#FFFFFF"
    if len(fill) >= 3 and fill[1] == "s":
        background = query.color(fill[2], "chf") or background
    elif query.get("chf"):
        query.warn("chf: cht=tx takes a solid background only (bg,s,RRGGBB); ignored")
    spec = TexSpec(
        formula=formula,
        width=size[0],
        height=size[1],
        color=color,
        background=background,
        format=fmt,
        max_side=options.max_side,
    )
    return Plan(spec.cache_key(), render_tex, spec, tuple(query.warnings))


def _format(query: GoogleQuery) -> ImageFormat:
    raw = (query.get("chof") or "png").strip().lower()
    if raw == "json":
        raise GoogleChartError(
            "chof: json (image-map regions) is for data charts: bars, pies and lines",
            param="chof",
        )
    if raw not in FORMATS:
        raise GoogleChartError(
            f"chof: {raw[:10]!r} is not an output format; use png, svg, gif, webp, jpg, "
            "json (image-map regions) or validate (a page listing parameter problems)",
            param="chof",
        )
    return FORMATS[raw]
