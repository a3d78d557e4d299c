"""Native chart API parameters → :class:`ChartSpec`, with every limit enforced here.

GET takes typed query parameters (``values=3,7,5&labels=a,b,c``, ``values``
repeated per series); POST takes the same names as a JSON body with real
arrays. Both end in :func:`build_spec`, and every spec — native or Google —
passes :func:`check_limits` before it reaches a renderer.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, JsonValue, StrictBool

from chartographer.charts import fonts, themes
from chartographer.charts.native import axes
from chartographer.charts.native.values import check_number, clean_text, parse_number
from chartographer.charts.numbers import parse_number_format
from chartographer.charts.spec import Axis, ChartKind, ChartSpec, Series, parse_color
from chartographer.config import Settings
from chartographer.errors import InvalidParameter, LimitExceeded
from chartographer.formats import ImageFormat

#: narrowest axis range, absolute and relative to its magnitude (float rounding below that)
MIN_RANGE, MIN_RELATIVE_RANGE = 1e-280, 1e-9


class ChartFormat(StrEnum):
    png = "png"
    svg = "svg"
    webp = "webp"
    pdf = "pdf"  # one vector page (charts.draw.pdf)


@dataclass(frozen=True)
class Limits:
    max_width: int
    max_height: int
    max_pixels: int
    max_points: int
    max_series: int
    max_label_length: int
    max_labels: int

    @classmethod
    def from_settings(cls, settings: Settings) -> Limits:
        return cls(
            max_width=settings.max_width,
            max_height=settings.max_height,
            max_pixels=settings.max_pixels,
            max_points=settings.max_points,
            max_series=settings.max_series,
            max_label_length=settings.max_label_length,
            max_labels=settings.max_labels,
        )


def parse_numbers(text: str, param: str, limit: int) -> tuple[float | None, ...]:
    if text.count(",") >= limit:
        raise LimitExceeded(
            f"{param}: more than {limit} numbers (limit {limit} data points)", param=param
        )
    return tuple(parse_number(part, param) for part in text.split(","))


def split_list(text: str | None) -> tuple[str, ...]:
    if text is None or text == "":
        return ()
    return tuple(part.strip() for part in text.split(","))


# --- the request models ----------------------------------------------------------

_Size = Field(ge=1, le=100_000)
PieLabels = Literal["label", "value", "percent", "label_percent", "none"]
_PIE_EXAMPLE: list[JsonValue] = ["Rent", "Food", "Travel", "Fun", "Tax", "Gifts", "Books",
                                 "Phone", "Gym", "Pets", "Web", "Tea", "Misc"]  # fmt: skip
#: the kinds whose native value labels avoid lines and each other, with a zero line
_TIDY = (ChartKind.bar, ChartKind.line, ChartKind.area)


class _Common(BaseModel):
    """Fields shared by GET query parameters and the POST body."""

    model_config = ConfigDict(extra="forbid")

    title: Annotated[str | None, Field(description="chart title")] = None
    width: Annotated[int, _Size, Field(description="width in CSS pixels")] = 600
    height: Annotated[int, _Size, Field(description="height in CSS pixels")] = 400
    format: Annotated[
        ChartFormat,
        Field(
            description="png, svg, webp or pdf (one vector page: 1 pt per CSS pixel, text as "
            "embedded fonts)",
            examples=["pdf"],
        ),
    ] = ChartFormat.png
    scale: Annotated[
        float,
        Field(ge=1, le=3, description="device pixel ratio (1–3); no effect on svg and pdf"),
    ] = 1.0
    x_title: Annotated[str | None, Field(description="x axis title")] = None
    y_title: Annotated[str | None, Field(description="y axis title")] = None
    x_min: Annotated[float | None, Field(description="x axis minimum")] = None
    x_max: Annotated[float | None, Field(description="x axis maximum")] = None
    y_min: Annotated[float | None, Field(description="y axis (or gauge) minimum")] = None
    y_max: Annotated[float | None, Field(description="y axis (or gauge) maximum")] = None
    horizontal: Annotated[bool, Field(description="bars run left to right")] = False
    stacked: Annotated[bool, Field(description="stack series (bar, area)")] = False
    background: Annotated[
        str | None,
        Field(
            description="background colour (RRGGBB[AA] or a CSS name), or `transparent` "
            "(PNG and WebP keep the alpha channel); default from the theme",
            examples=["transparent"],
        ),
    ] = None
    theme: Annotated[
        Literal["light", "dark"],
        Field(description="light (dark text on white) or dark (light text on #1E1E1E)"),
    ] = "light"
    palette: Annotated[
        str | None,
        Field(
            description="series colours by name: tableau10 (default), okabe-ito, tol-bright, "
            "ibm, viridis (these four colour-blind safe), category10, grayscale",
            examples=["okabe-ito"],
        ),
    ] = None
    number_format: Annotated[
        str | None,
        Field(
            max_length=40,
            description="how numbers are written on axes, value labels and gauges: "
            "[prefix][,][.decimals][f|s|%][suffix], e.g. `$,.2f` ($1,234.50), `.0%` "
            "(13% for 0.125), `s` (1.2K), `,f kg`; default: compact from 10,000 (12.3K, 1.45M)",
            examples=["$,.2f"],
        ),
    ] = None
    font: Annotated[
        str | None,
        Field(
            max_length=60,
            description="an installed font family, e.g. `DejaVu Serif`, `Noto Sans`, "
            "`Noto Serif`; CJK, Arabic, Hebrew and emoji fall back to Noto fonts",
            examples=["Noto Sans"],
        ),
    ] = None
    gridlines: Annotated[bool, Field(description="draw value gridlines")] = True
    value_labels: Annotated[bool, Field(description="print each value on the chart")] = False
    legend: Annotated[bool | None, Field(description="show legend (default: if series named)")] = (
        None
    )
    legend_position: Annotated[
        Literal["right", "left", "top", "bottom"], Field(description="where the legend goes")
    ] = "right"
    # --- axes (issue #10 item 6): time and log scales, the right y axis ---
    x_scale: Annotated[
        Literal["linear", "log", "time"] | None,
        Field(
            description="line, area, scatter with x: `time` (x as ISO dates or Unix seconds, "
            "ticks on years, months, weeks, days, hours, minutes; implied when x holds dates), "
            "`log` (x > 0, ticks at powers of ten), `linear` (default)",
            examples=["time"],
        ),
    ] = None
    y_scale: Annotated[
        Literal["linear", "log"],
        Field(
            description="`log`: ticks at powers of ten (2 and 5 between where there is room); "
            "every value must be > 0; vertical bar, line, area, scatter, unstacked",
            examples=["log"],
        ),
    ] = "linear"
    y2_title: Annotated[
        str | None, Field(description="right y axis title (series with axis=right)")
    ] = None
    y2_min: Annotated[float | None, Field(description="right y axis minimum")] = None
    y2_max: Annotated[float | None, Field(description="right y axis maximum")] = None
    y2_number_format: Annotated[
        str | None,
        Field(
            max_length=40,
            description="how the right y axis writes numbers (as number_format; default: "
            "number_format)",
            examples=[".0%"],
        ),
    ] = None
    # --- pies (issue #10 item 3): what slice labels say; placed so that none collides ---
    pie_labels: Annotated[
        PieLabels,
        Field(
            description="pie/doughnut slice labels: `label` (the category), `percent`, "
            '`value`, `label_percent` ("Rent (32%)") or `none`; beside each slice when '
            "they fit, else outside with leader lines (the pie shrinks to make room); the "
            "smallest slices' labels are left off when even that does not fit (legend only)",
            examples=["label_percent"],
        ),
    ] = "label"


class ChartQuery(_Common):
    """``GET /v1/charts/{kind}`` query parameters."""

    # other query parameters (``key``, ``signature``, ``exp``) belong to the gateway
    model_config = ConfigDict(extra="ignore")

    values: Annotated[
        list[str],
        Field(
            min_length=1,
            description="comma-separated numbers; repeat the parameter for more series",
            examples=[["3,7,5"]],
        ),
    ]
    labels: Annotated[str | None, Field(description="comma-separated category labels")] = None
    series: Annotated[str | None, Field(description="comma-separated series names")] = None
    colors: Annotated[
        str | None, Field(description="comma-separated colours (RRGGBB or CSS names)")
    ] = None
    x: Annotated[
        list[str] | None, Field(description="scatter: comma-separated x values, per series")
    ] = None
    sizes: Annotated[
        list[str] | None, Field(description="scatter: comma-separated bubble sizes, per series")
    ] = None
    # --- axes (issue #10 item 6) ---
    axis: Annotated[
        str | None,
        Field(
            description="comma-separated y axis per series, `left` (default) or `right`: "
            "right series get their own scale, ticks and y2_number_format on the right "
            "(bar, line, area)",
            examples=["left,right"],
        ),
    ] = None
    annotations: Annotated[
        list[str] | None,
        Field(
            max_length=axes.MAX_ANNOTATIONS,
            description="a reference line or band, repeat for more (at most 20): "
            "`axis|value[|label[|colour]]` with `y` (horizontal) or `x` (vertical) and a "
            "value, or `from..to` for a band: `y|100|Target|red`, `y|50..80|Normal|00AA0033`, "
            "`x|2026-03-01|Launch` (dates on a time axis; category index from 0 on a "
            "category axis)",
            examples=[["y|5|Target|red"]],
        ),
    ] = None


#: a JSON x value: a number, or an ISO 8601 date on a time axis
XValue = Annotated[float, Field(strict=True)] | str


class AnnotationBody(BaseModel):
    """One reference line (``value``) or band (``value`` to ``to``) in a POST body."""

    model_config = ConfigDict(extra="forbid")

    axis: Annotated[Literal["x", "y"], Field(description="y: horizontal; x: vertical")]
    value: Annotated[XValue, Field(description="where: a number, or an ISO date on a time x axis")]
    to: Annotated[XValue | None, Field(description="the band's other edge")] = None
    label: str | None = None
    color: Annotated[str | None, Field(description="RRGGBB[AA] or a CSS colour name")] = None


#: a JSON number (``true`` and ``"1"`` are not numbers here)
Number = Annotated[float, Field(strict=True)]


class ChartBody(_Common):
    """``POST /v1/charts/{kind}`` JSON body: the same names, with real arrays."""

    values: Annotated[
        list[list[Number | None]],
        Field(min_length=1, description="one array of numbers per series (null = gap)"),
    ]
    labels: list[str] | None = None
    series: list[str] | None = None
    colors: list[str] | None = None
    x: Annotated[
        list[list[XValue | None]] | None,
        Field(description="x values per series: numbers, or ISO dates for a time axis"),
    ] = None
    sizes: list[list[Number]] | None = None
    # --- axes (issue #10 item 6) ---
    axis: Annotated[
        list[Literal["left", "right"]] | None,
        Field(description="y axis per series: left (default) or right"),
    ] = None
    annotations: Annotated[
        list[AnnotationBody] | None,
        Field(max_length=axes.MAX_ANNOTATIONS, description="reference lines and bands"),
    ] = None
    # JSON types are exact here: no 0 for false, no "600" for 600
    width: Annotated[int, _Size, Field(strict=True, description="width in CSS pixels")] = 600
    height: Annotated[int, _Size, Field(strict=True, description="height in CSS pixels")] = 400
    scale: Annotated[float, Field(ge=1, le=3, strict=True, description="device pixel ratio")] = 1.0
    x_min: Number | None = None
    x_max: Number | None = None
    y_min: Number | None = None
    y_max: Number | None = None
    horizontal: StrictBool = False
    stacked: StrictBool = False
    gridlines: StrictBool = True
    value_labels: StrictBool = False
    legend: StrictBool | None = None

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "values": [[3, 7, 5], [4, 2, 6]],
                    "labels": ["a", "b", "c"],
                    "series": ["2025", "2026"],
                    "title": "Sales",
                    "width": 500,
                    "height": 300,
                },
                {
                    "values": [[32, 18, 12, 9, 7, 5, 4, 3, 3, 2, 2, 1.5, 1.5]],
                    "labels": _PIE_EXAMPLE,
                    "title": "Spending",
                    "pie_labels": "label_percent",
                },
                {
                    "values": [[1200000, 3400000, 980000]],
                    "labels": ["Jan", "Feb", "Mar"],
                    "title": "Revenue",
                    "theme": "dark",
                    "palette": "okabe-ito",
                    "number_format": "$s",
                    "value_labels": True,
                },
                {
                    "values": [[120, 135, 128, 150], [0.31, 0.34, 0.29, 0.38]],
                    "x": [["2025-01-01", "2025-04-01", "2025-07-01", "2025-10-01"]],
                    "series": ["Orders", "Margin"],
                    "axis": ["left", "right"],
                    "y2_number_format": ".0%",
                    "annotations": [
                        {"axis": "y", "value": 140, "label": "Target", "color": "#E15759"},
                        {"axis": "x", "value": "2025-06-01", "to": "2025-08-01", "label": "Sale"},
                    ],
                    "title": "Orders and margin",
                },
            ]
        },
    )


def spec_from_query(kind: ChartKind, query: ChartQuery, limits: Limits) -> ChartSpec:
    budget = limits.max_points
    values = [parse_numbers(v, "values", budget) for v in query.values]
    xs, dates = axes.parse_x_rows([v.split(",") for v in query.x or ()], budget)
    time = dates or query.x_scale == "time"
    got = axes.AxesInput(
        x_dates=dates,
        sides=axes.parse_sides(split_list(query.axis), len(values)),
        annotations=tuple(axes.parse_annotation(a, time) for a in query.annotations or ()),
    )
    sizes = None
    if query.sizes:
        sizes = [parse_numbers(v, "sizes", budget) for v in query.sizes]
    return build_spec(
        kind,
        query,
        values=values,
        labels=split_list(clean_text(query.labels)),
        names=split_list(clean_text(query.series)),
        colors=split_list(query.colors),
        xs=xs or None,
        sizes=sizes,
        limits=limits,
        got=got,
    )


def spec_from_body(kind: ChartKind, body: ChartBody, limits: Limits) -> ChartSpec:
    def checked(rows: list[list[float | None]], param: str) -> list[tuple[float | None, ...]]:
        return [tuple(None if v is None else check_number(v, param) for v in row) for row in rows]

    xs, dates = axes.parse_x_rows(body.x or [], limits.max_points)
    time = dates or body.x_scale == "time"
    got = axes.AxesInput(
        x_dates=dates,
        sides=axes.parse_sides(body.axis or [], len(body.values)),
        annotations=tuple(
            axes.make_annotation(a.axis, a.value, a.to, a.label, a.color, time)
            for a in body.annotations or ()
        ),
    )
    return build_spec(
        kind,
        body,
        values=checked(body.values, "values"),
        labels=tuple(clean_text(t) or "" for t in body.labels or ()),
        names=tuple(clean_text(t) or "" for t in body.series or ()),
        colors=tuple(body.colors or ()),
        xs=xs or None,
        sizes=checked([list(r) for r in body.sizes], "sizes") if body.sizes else None,
        limits=limits,
        got=got,
    )


def build_spec(
    kind: ChartKind,
    common: _Common,
    *,
    values: list[tuple[float | None, ...]],
    labels: tuple[str, ...],
    names: tuple[str, ...],
    colors: tuple[str, ...],
    xs: list[tuple[float | None, ...]] | None,
    sizes: list[tuple[float | None, ...]] | None,
    limits: Limits,
    got: axes.AxesInput | None = None,
) -> ChartSpec:
    got = got or axes.AxesInput()
    if len(values) > limits.max_series:
        raise LimitExceeded(
            f"values: {len(values)} series given; the limit is {limits.max_series}",
            param="values",
        )
    parsed_colors = tuple(parse_color(c, "colors") for c in colors if c)
    series = []
    for i, row in enumerate(values):
        x = xs[i] if xs and i < len(xs) else None
        if xs and len(xs) == 1 and len(xs[0]) == len(row):  # axes: one x list for all series
            x = xs[0]
        if x is not None and len(x) != len(row):
            raise InvalidParameter(
                f"x: series {i + 1} has {len(x)} x values for {len(row)} values", param="x"
            )
        size = _bubble_sizes(sizes[i], len(row)) if sizes and i < len(sizes) else None
        one_color = parsed_colors[i] if len(values) > 1 and i < len(parsed_colors) else None
        point_colors = parsed_colors if len(values) == 1 and len(parsed_colors) > 1 else None
        if len(values) == 1 and len(parsed_colors) == 1:
            one_color = parsed_colors[0]
        series.append(
            Series(
                values=row,
                name=names[i] if i < len(names) and names[i] else None,
                color=one_color,
                point_colors=point_colors,
                x=x,
                sizes=size,
                axis="right" if i < len(got.sides) and got.sides[i] == "right" else "left",
            )
        )
    spec = ChartSpec(
        kind=kind,
        series=tuple(series),
        labels=labels,
        title=clean_text(common.title) or None,
        width=common.width,
        height=common.height,
        format=ImageFormat(common.format.value),
        scale=common.scale,
        horizontal=common.horizontal,
        stacked=common.stacked,
        **design_fields(common),
        gridlines=common.gridlines,
        value_labels=common.value_labels,
        legend=common.legend,
        legend_position=common.legend_position,
        pie_labels=common.pie_labels if kind in (ChartKind.pie, ChartKind.doughnut) else None,
        tidy_labels=kind in _TIDY,
        x_axis=Axis(title=clean_text(common.x_title) or None, min=common.x_min, max=common.x_max),
        y_axis=Axis(title=clean_text(common.y_title) or None, min=common.y_min, max=common.y_max),
        **axes.spec_fields(common, got),
    )
    check_limits(spec, limits)
    check_kind(spec)
    axes.check_axes(spec, limits.max_label_length)
    axes.check_drawable(spec)
    return spec


def design_fields(common: _Common) -> dict[str, Any]:
    """Theme, background, palette, number format and font, resolved to spec values."""
    if common.background is None:
        background = themes.theme_colors(common.theme).background
    elif common.background.strip().lower() == "transparent":
        background = themes.TRANSPARENT
    else:
        background = parse_color(common.background, "background")
    fields: dict[str, Any] = {"background": background, "theme": common.theme}
    if common.palette is not None:
        fields["palette"] = themes.palette(common.palette)
    if common.number_format:
        parse_number_format(common.number_format, "number_format")
        fields["number_format"] = common.number_format
    if common.font:
        fields["font"] = fonts.check_font(common.font)
    return fields


def _bubble_sizes(row: tuple[float | None, ...], count: int) -> tuple[float, ...]:
    if len(row) != count:
        raise InvalidParameter(f"sizes: {len(row)} sizes given for {count} points", param="sizes")
    if any(v is None or v < 0 for v in row):
        raise InvalidParameter("sizes: bubble sizes must be numbers ≥ 0", param="sizes")
    return tuple(float(v) for v in row if v is not None)


def check_limits(spec: ChartSpec, limits: Limits) -> None:
    """Refuse a spec over a documented limit with 413 naming the parameter and limit."""
    for name, value, limit in (
        ("width", spec.width, limits.max_width),
        ("height", spec.height, limits.max_height),
    ):
        if value > limit:
            raise LimitExceeded(f"{name}: {value} px exceeds the limit of {limit} px", param=name)
        if value < 16:
            raise InvalidParameter(f"{name}: {value} px is below the minimum of 16 px", param=name)
    pixels = round(spec.width * spec.scale) * round(spec.height * spec.scale)
    if pixels > limits.max_pixels:
        raise LimitExceeded(
            f"width×height×scale²: {pixels} pixels exceeds the limit of {limits.max_pixels}",
            param="width",
        )
    if spec.point_count > limits.max_points:
        raise LimitExceeded(
            f"values: {spec.point_count} data points exceeds the limit of {limits.max_points}",
            param="values",
        )
    if len(spec.labels) > limits.max_labels:
        raise LimitExceeded(
            f"labels: {len(spec.labels)} labels exceeds the limit of {limits.max_labels}",
            param="labels",
        )
    texts = [("labels", t) for t in spec.labels]
    texts += [("title", spec.title or ""), ("x_title", spec.x_axis.title or "")]
    texts += [("y_title", spec.y_axis.title or ""), ("y2_title", spec.y2_axis.title or "")]
    texts += [("series", s.name or "") for s in spec.series]
    for param, text in texts:
        if len(text) > limits.max_label_length:
            raise LimitExceeded(
                f"{param}: a text of {len(text)} characters exceeds the limit of "
                f"{limits.max_label_length}",
                param=param,
            )
    for lo, hi, param in (
        (spec.x_axis.min, spec.x_axis.max, "x_min"),
        (spec.y_axis.min, spec.y_axis.max, "y_min"),
        (spec.y2_axis.min, spec.y2_axis.max, "y2_min"),
    ):
        for bound, name in ((lo, param), (hi, param.replace("_min", "_max"))):
            if bound is not None:
                check_number(bound, name)
        if lo is not None and hi is not None and not lo < hi:
            raise InvalidParameter(
                f"{param}: minimum {lo:g} must be below maximum {hi:g}", param=param
            )
        if lo is not None and hi is not None:
            narrowest = max(MIN_RANGE, MIN_RELATIVE_RANGE * max(abs(lo), abs(hi)))
            if hi - lo < narrowest:
                raise InvalidParameter(
                    f"{param}: the range {lo:g} to {hi:g} is too narrow to draw "
                    f"(at least {narrowest:g} wide)",
                    param=param,
                )


def check_kind(spec: ChartSpec) -> None:
    """Rules that depend on the kind of chart."""
    kind = spec.kind
    if not any(v is not None for s in spec.series for v in s.values):
        raise InvalidParameter("values: at least one number is needed", param="values")
    if kind in (ChartKind.pie, ChartKind.doughnut):
        for s in spec.series:
            if any(v is not None and v < 0 for v in s.values):
                raise InvalidParameter(
                    f"values: a {kind} chart cannot show negative values", param="values"
                )
            if sum(v for v in s.values if v is not None) <= 0:
                raise InvalidParameter(
                    f"values: a {kind} chart needs a positive total", param="values"
                )
    if kind is ChartKind.gauge and len(spec.series[0].values) != 1:
        raise InvalidParameter(
            "values: a gauge shows exactly one value (e.g. values=72)", param="values"
        )
    if kind is ChartKind.radar and len(spec.series[0].values) < 3:
        raise InvalidParameter("values: a radar chart needs at least 3 values", param="values")
