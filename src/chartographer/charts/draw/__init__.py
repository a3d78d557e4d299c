"""Charts drawn straight on a canvas (:mod:`.canvas`), without matplotlib's artists.

:data:`DRAWERS` maps each ported kind to its renderer; :func:`supports` says
whether a spec can be drawn here *completely* — a kind that is ported and no
spec feature this package does not draw yet. ``charts.render`` uses this
package when it does and the artist renderer otherwise.
"""

from __future__ import annotations

from collections.abc import Callable

from chartographer.charts.spec import ChartKind, ChartSpec
from chartographer.imaging import ImageFormat, Rendered


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


def _cartesian_gaps(spec: ChartSpec) -> bool:
    styling = spec.styling
    # chm markers (fills, value labels, shapes, lines, range bands) are not ported yet
    return bool(styling.markers or styling.marker_series)


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
