"""Charts drawn straight on a canvas (:mod:`.canvas`), without matplotlib's artists.

:data:`DRAWERS` maps each ported kind to its renderer; :func:`supports` says
whether a spec can be drawn here *completely* — a kind that is ported and no
spec feature this package does not draw yet. ``charts.render`` uses this
package when it does and the artist renderer otherwise.
"""

from __future__ import annotations

from collections.abc import Callable

from chartographer.charts.draw.fields import AXIS_FIELDS, SERIES_FIELDS, SPEC_FIELDS, sets_other
from chartographer.charts.spec import ChartKind, ChartSpec
from chartographer.formats import ImageFormat, Rendered


def _cartesian(spec: ChartSpec) -> Rendered:
    from chartographer.charts.draw.chart import render

    return render(spec)


def _round(spec: ChartSpec) -> Rendered:
    from chartographer.charts.draw.round import render_round

    return render_round(spec)


#: kind → renderer; the circular kinds join here
DRAWERS: dict[ChartKind, Callable[[ChartSpec], Rendered]] = {
    ChartKind.bar: _cartesian,
    ChartKind.line: _cartesian,
    ChartKind.area: _cartesian,
    ChartKind.scatter: _cartesian,
    ChartKind.sparkline: _cartesian,
    # pie, doughnut, radar, gauge, venn: charts.draw.round
    ChartKind.pie: _round,
    ChartKind.doughnut: _round,
    ChartKind.radar: _round,
    ChartKind.gauge: _round,
    ChartKind.venn: _round,
}

#: what each kind cannot draw yet: spec → True if the spec needs it
_GAPS: dict[ChartKind, Callable[[ChartSpec], bool]] = {}


#: the spec and styling fields ``charts.draw`` draws for the cartesian kinds; a field
#: added later (by any front door) keeps a spec on the artist renderer until it is here
CARTESIAN_SPEC_FIELDS = SPEC_FIELDS
CARTESIAN_STYLING_FIELDS = frozenset(
    {
        "background_fill", "plot_fill", "grid", "bar_group", "bar_pixels", "opacity",
        "bar_overlap", "margins", "axes", "plain_lines", "frame", "raw_values",
        "legend_order", "legend_color", "legend_size", "legend_labels",
        # circular-only: no effect on a cartesian chart
        "pie_start", "pie_3d", "radar_closed", "dial_labels",
    }
)  # fmt: skip


# not yet: "markers", "marker_series" (Google chm), drawn by charts.markers
def _cartesian_gaps(spec: ChartSpec) -> bool:
    """Whether ``spec`` sets anything the canvas's cartesian kinds do not draw."""
    return (
        sets_other(spec, CARTESIAN_SPEC_FIELDS)
        or sets_other(spec.styling, CARTESIAN_STYLING_FIELDS)
        or sets_other(spec.x_axis, AXIS_FIELDS)
        or sets_other(spec.y_axis, AXIS_FIELDS)
        or sets_other(spec.y2_axis, AXIS_FIELDS)
        or any(sets_other(s, SERIES_FIELDS) for s in spec.series)
        or any(strip.tick_lengths for strip in spec.styling.axes or ())  # Google chxtc: artists
    )


for _kind in (
    ChartKind.bar,
    ChartKind.line,
    ChartKind.area,
    ChartKind.scatter,
    ChartKind.sparkline,
):
    _GAPS[_kind] = _cartesian_gaps


def _round_gaps(spec: ChartSpec) -> bool:
    from chartographer.charts.draw.round import supports_round

    return not supports_round(spec)


for _kind in (
    ChartKind.pie,
    ChartKind.doughnut,
    ChartKind.radar,
    ChartKind.gauge,
    ChartKind.venn,
):
    _GAPS[_kind] = _round_gaps


def supports(spec: ChartSpec) -> bool:
    """Whether :func:`render` draws ``spec`` completely."""
    if spec.kind not in DRAWERS or spec.format not in _FORMATS:
        return False
    gaps = _GAPS.get(spec.kind)
    return gaps is None or not gaps(spec)


_FORMATS = frozenset(ImageFormat)


def render(spec: ChartSpec) -> Rendered:
    """Draw a spec :func:`supports`."""
    return DRAWERS[spec.kind](spec)
