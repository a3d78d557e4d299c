"""Reused figures must draw exactly what a new figure draws: no render sees another."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from matplotlib.figure import Figure

from chartographer.charts.artists import figures
from chartographer.charts.layout import font_sizes
from chartographer.charts.render import draw_chart, encode_figure, render_chart
from chartographer.charts.spec import Axis, ChartKind, ChartSpec, Series
from chartographer.formats import ImageFormat

KINDS = [
    ChartKind.bar,
    ChartKind.line,
    ChartKind.area,
    ChartKind.sparkline,
    ChartKind.pie,
    ChartKind.doughnut,
    ChartKind.scatter,
    ChartKind.radar,
    ChartKind.gauge,
]


@st.composite
def specs(draw: st.DrawFn) -> ChartSpec:
    kind = draw(st.sampled_from(KINDS))
    count = 1 if kind is ChartKind.gauge else draw(st.integers(3, 7))
    n_series = 1 if kind is ChartKind.gauge else draw(st.integers(1, 3))
    values = st.floats(0.5, 100, allow_nan=False).map(lambda v: round(v, 2))
    series = tuple(
        Series(
            values=tuple(draw(st.lists(values, min_size=count, max_size=count))),
            name=draw(st.sampled_from([None, "alpha", "beta"])),
        )
        for _ in range(n_series)
    )
    return ChartSpec(
        kind=kind,
        series=series,
        labels=tuple(draw(st.lists(st.sampled_from(["a", "bb", "ccc"]), max_size=count))),
        title=draw(st.sampled_from([None, "Title"])),
        width=draw(st.sampled_from([200, 320])),
        height=200,
        stacked=draw(st.booleans()),
        horizontal=draw(st.booleans()),
        value_labels=draw(st.booleans()),
        background=draw(st.sampled_from(["#FFFFFF", "#FFEEDD"])),
        y_axis=Axis(title=draw(st.sampled_from([None, "units"]))),
    )


def fresh_render(spec: ChartSpec) -> bytes:
    fig = Figure(figsize=(spec.width / 100, spec.height / 100), dpi=100 * spec.scale)
    fig.patch.set_facecolor(spec.background)
    draw_chart(fig, spec, font_sizes(spec))
    return encode_figure(fig, spec).body


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(first=specs(), second=specs())
def test_reused_figures_draw_like_new_ones(first: ChartSpec, second: ChartSpec) -> None:
    render_chart(first)  # leave a used figure of this size in the pool
    assert render_chart(second).body == fresh_render(second)


def test_failed_render_drops_its_figure() -> None:
    spec = ChartSpec(kind=ChartKind.bar, series=(Series(values=(1.0,)),), width=123, height=77)
    try:
        with figures.borrowed_figure(123, 77, 1.0) as pooled:
            pooled.axes.plot([0, 1], [0, 1])
            raise RuntimeError("render failed")
    except RuntimeError:
        pass
    with figures.borrowed_figure(123, 77, 1.0) as pooled:
        assert len(pooled.axes.lines) == 0  # a new figure, not the failed one
    assert render_chart(spec).media_type == "image/png"


def test_figures_with_extra_axes_or_log_scales_are_not_reused() -> None:
    with figures.borrowed_figure(111, 99, 1.0) as pooled:
        pooled.figure.add_axes((0.5, 0.5, 0.2, 0.2))
        first = pooled
    with figures.borrowed_figure(111, 99, 1.0) as pooled:
        assert pooled is not first
        pooled.axes.set_yscale("log")
        second = pooled
    with figures.borrowed_figure(111, 99, 1.0) as pooled:
        assert pooled is not second


def test_pool_is_bounded() -> None:
    for size in range(figures.POOL_SIZE + 5):
        with figures.borrowed_figure(50 + size, 50, 1.0):
            pass
    assert len(figures._pool) <= figures.POOL_SIZE


def test_svg_output_is_deterministic() -> None:
    spec = ChartSpec(
        kind=ChartKind.line, series=(Series(values=(1.0, 3.0, 2.0)),), format=ImageFormat.svg
    )
    assert render_chart(spec).body == render_chart(spec).body
