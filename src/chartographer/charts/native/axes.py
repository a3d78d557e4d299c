"""Native parameters for the axes users ask for (issue #10 item 6), checked here.

``x`` may hold ISO 8601 dates (``2026-03-01``, ``2026-03-01T14:00Z``), which
makes a time axis; ``x_scale=time`` reads plain numbers as Unix seconds.
``y_scale=log`` (and ``x_scale=log``) need positive data. Annotations come
as ``axis|value[..to][|label[|colour]]`` on GET (``y|100|Target|red``,
``y|50..80|Normal``, ``x|2026-03-01|Launch``) and as objects in a POST body.
``axis=left,right`` puts series on a right-hand y axis of their own.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from chartographer.charts import scales
from chartographer.charts.native.values import check_number, clean_text, parse_number
from chartographer.charts.numbers import parse_number_format
from chartographer.charts.spec import Annotation, Axis, ChartKind, ChartSpec, parse_color
from chartographer.errors import InvalidParameter, LimitExceeded

#: the most annotations one chart takes (GET and POST)
MAX_ANNOTATIONS = 20
#: the kinds with a value axis and an x axis to mark
ANNOTATED = (ChartKind.bar, ChartKind.line, ChartKind.area, ChartKind.scatter)
TIMED = (ChartKind.line, ChartKind.area, ChartKind.scatter)
DUAL = (ChartKind.bar, ChartKind.line, ChartKind.area)


@dataclass(frozen=True)
class AxesInput:
    """What the front door read: whether x held dates, series sides, annotations."""

    x_dates: bool = False
    sides: tuple[str, ...] = ()
    annotations: tuple[Annotation, ...] = field(default=())


def _x_item(text: str, budget_param: str) -> tuple[float | None, bool]:
    moment = scales.parse_time(text)
    if moment is not None:
        return moment, True
    return parse_number(text, budget_param), False


def parse_x_rows(
    rows: Sequence[Sequence[str | float | None]], limit: int
) -> tuple[list[tuple[float | None, ...]], bool]:
    """``x`` lists (text or JSON items) as numbers; True when they were ISO dates."""
    parsed: list[tuple[float | None, ...]] = []
    kinds: set[bool] = set()
    for row in rows:
        if len(row) > limit:
            raise LimitExceeded(
                f"x: more than {limit} numbers (limit {limit} data points)", param="x"
            )
        items: list[float | None] = []
        for item in row:
            if item is None:
                items.append(None)
                continue
            if isinstance(item, str):
                value, is_date = _x_item(item, "x")
            else:
                value, is_date = check_number(item, "x"), False
            if value is not None:
                kinds.add(is_date)
            items.append(value)
        parsed.append(tuple(items))
    if len(kinds) > 1:
        raise InvalidParameter(
            "x: dates and numbers are mixed; give every x as an ISO date (2026-03-01) "
            "or every x as a number",
            param="x",
        )
    return parsed, kinds == {True}


def parse_annotation(text: str, time: bool) -> Annotation:
    """``axis|value[..to][|label[|colour]]``, e.g. ``y|100|Target|red``."""
    parts = text.split("|")
    if len(parts) < 2 or len(parts) > 4:
        raise InvalidParameter(
            f"annotations: {text[:40]!r} is not axis|value[|label[|colour]], "
            "e.g. y|100|Target|red or y|50..80|Normal",
            param="annotations",
        )
    axis, at = parts[0].strip().lower(), parts[1].strip()
    start, _, end = at.partition("..")
    return make_annotation(
        axis,
        start,
        end or None,
        parts[2].strip() if len(parts) > 2 else None,
        parts[3].strip() if len(parts) > 3 else None,
        time,
    )


def make_annotation(
    axis: str,
    start: str | float,
    end: str | float | None,
    label: str | None,
    color: str | None,
    time: bool,
) -> Annotation:
    if axis not in ("x", "y"):
        raise InvalidParameter(
            f"annotations: axis {axis[:10]!r} is neither x (vertical) nor y (horizontal)",
            param="annotations",
        )
    value = _position(start, axis == "x" and time)
    to = None if end is None else _position(end, axis == "x" and time)
    return Annotation(
        axis="x" if axis == "x" else "y",
        start=value,
        end=to,
        label=clean_text(label) or None,
        color=parse_color(color, "annotations") if color else None,
    )


def _position(item: str | float, time: bool) -> float:
    if isinstance(item, str):
        moment = scales.parse_time(item)
        if moment is not None:
            if not time:
                raise InvalidParameter(
                    f"annotations: {item[:30]!r} is a date, but x is not a time axis",
                    param="annotations",
                )
            return moment
        value = parse_number(item, "annotations")
    else:
        value = check_number(item, "annotations")
    if value is None:
        raise InvalidParameter("annotations: a line or band needs a value", param="annotations")
    return value


def parse_sides(items: Sequence[str], series: int) -> tuple[str, ...]:
    """``axis=left,right``: one side per series (missing ones stay left)."""
    if len(items) > series:
        raise InvalidParameter(f"axis: {len(items)} sides given for {series} series", param="axis")
    sides = tuple(item.strip().lower() or "left" for item in items)
    for side in sides:
        if side not in ("left", "right"):
            raise InvalidParameter(f"axis: {side[:10]!r} is neither left nor right", param="axis")
    return sides


def spec_fields(common: Any, got: AxesInput) -> dict[str, Any]:
    """The spec fields of the axes block, from the request and what was parsed."""
    x_scale = common.x_scale
    if got.x_dates:
        if x_scale not in (None, "time"):
            raise InvalidParameter(
                f"x_scale: x holds dates, which need x_scale=time (or no x_scale), not {x_scale}",
                param="x_scale",
            )
        x_scale = "time"
    fields: dict[str, Any] = {
        "x_scale": x_scale or "linear",
        "y_scale": common.y_scale,
        "annotations": got.annotations,
        "y2_axis": Axis(
            title=clean_text(common.y2_title) or None, min=common.y2_min, max=common.y2_max
        ),
    }
    if common.y2_number_format:
        parse_number_format(common.y2_number_format, "y2_number_format")
        fields["y2_number_format"] = common.y2_number_format
    return fields


def check_axes(spec: ChartSpec, max_label_length: int) -> None:
    """The rules of time and log scales, annotations and the right axis (422 naming each)."""
    kind = spec.kind
    if spec.x_scale != "linear":
        _check_x_scale(spec)
    if spec.y_scale == "log":
        _check_log_y(spec)
    if len(spec.annotations) > MAX_ANNOTATIONS:
        raise LimitExceeded(
            f"annotations: {len(spec.annotations)} given; the limit is {MAX_ANNOTATIONS}",
            param="annotations",
        )
    if spec.annotations and kind not in ANNOTATED:
        raise InvalidParameter(
            f"annotations: a {kind} chart has no axes to mark (bar, line, area, scatter do)",
            param="annotations",
        )
    for note in spec.annotations:
        if note.label and len(note.label) > max_label_length:
            raise LimitExceeded(
                f"annotations: a label of {len(note.label)} characters exceeds the limit of "
                f"{max_label_length}",
                param="annotations",
            )
        log = spec.y_scale if note.axis == "y" else spec.x_scale
        if log == "log" and (note.start <= 0 or (note.end is not None and note.end <= 0)):
            raise InvalidParameter(
                f"annotations: a {note.axis} line or band on a log axis needs values > 0",
                param="annotations",
            )
    _check_right(spec)


def _check_x_scale(spec: ChartSpec) -> None:
    name = spec.x_scale
    if spec.kind not in TIMED or spec.stacked:
        raise InvalidParameter(
            f"x_scale: {name} is for unstacked line, area and scatter charts with x values",
            param="x_scale",
        )
    if any(s.x is None for s in spec.series):
        raise InvalidParameter(
            f"x_scale: {name} needs x values for every series (dates or numbers)",
            param="x_scale",
        )
    for i, s in enumerate(spec.series):
        for j, x in enumerate(s.x or ()):
            if x is None:
                continue
            if name == "time" and not scales.MIN_TIME <= x <= scales.MAX_TIME:
                raise InvalidParameter(
                    f"x: {x:g} is outside what a time axis shows (Unix seconds from year 1 "
                    "to 9999; milliseconds must be divided by 1000)",
                    param="x",
                )
            if name == "log" and x <= 0:
                raise InvalidParameter(
                    f"x_scale: log needs x values > 0; series {i + 1}, point {j + 1} is {x:g}",
                    param="x_scale",
                )
    for bound, param in ((spec.x_axis.min, "x_min"), (spec.x_axis.max, "x_max")):
        if bound is None:
            continue
        if name == "log" and bound <= 0:
            raise InvalidParameter(f"{param}: a log axis needs bounds > 0", param=param)
        if name == "time" and not scales.MIN_TIME <= bound <= scales.MAX_TIME:
            raise InvalidParameter(
                f"{param}: {bound:g} is outside what a time axis shows (Unix seconds)",
                param=param,
            )


def _check_log_y(spec: ChartSpec) -> None:
    if spec.kind not in ANNOTATED or spec.horizontal or spec.stacked:
        raise InvalidParameter(
            "y_scale: log is for unstacked vertical bar, line, area and scatter charts",
            param="y_scale",
        )
    for i, s in enumerate(spec.series):
        if s.axis != "left":
            continue
        for j, v in enumerate(s.values):
            if v is not None and v <= 0:
                raise InvalidParameter(
                    f"y_scale: log needs values > 0; series {i + 1}, point {j + 1} is {v:g} "
                    "(use a gap, _, for a missing value)",
                    param="y_scale",
                )
    for bound, param in ((spec.y_axis.min, "y_min"), (spec.y_axis.max, "y_max")):
        if bound is not None and bound <= 0:
            raise InvalidParameter(f"{param}: a log axis needs bounds > 0", param=param)


def _check_right(spec: ChartSpec) -> None:
    right = [s for s in spec.series if s.axis == "right"]
    if not right:
        return
    if spec.kind not in DUAL or spec.horizontal or spec.stacked:
        raise InvalidParameter(
            "axis: a right y axis is for unstacked vertical bar, line and area charts",
            param="axis",
        )
    if len(right) == len(spec.series):
        raise InvalidParameter("axis: at least one series stays on the left axis", param="axis")
    if not any(v is not None for s in right for v in s.values):
        raise InvalidParameter("axis: the right axis series have no numbers", param="axis")
    if not any(v is not None for s in spec.series if s.axis == "left" for v in s.values):
        raise InvalidParameter("axis: the left axis series have no numbers", param="axis")


def check_drawable(spec: ChartSpec) -> None:
    """A spec with axes features must be drawn by the canvas (the artists do not know them)."""
    from chartographer.charts.draw.fields import canvas_only
    from chartographer.charts.render import drawn_on_canvas

    needed = canvas_only(spec)
    if needed and not drawn_on_canvas(spec):
        raise InvalidParameter(
            f"{needed[0]}: cannot be combined yet with what this chart also asks for "
            "(a feature only the artist renderer draws)",
            param=needed[0],
        )
