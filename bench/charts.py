"""Uncached chart renders: Chartographer's renderer vs the seeds' naive approach.

The naive approach is the one in the charts-API seed: a new ``Figure`` per
request, plot, ``savefig`` to PNG. Both run alternately in this one process on
one core, on the same fixed suite, so machine noise hits both equally; we
print per-chart medians and the ratio (naive / ours). The artist renderer
(``render_with_artists``, what every kind used before ``charts.draw``) runs
beside them too, so the canvas's gain is measured in the same run (the
``artists/ours`` column). Run: ``make bench`` or
``python -m bench.charts [--rounds N]``.
"""

from __future__ import annotations

import argparse
import io
import statistics
import time
from collections.abc import Callable

from matplotlib.figure import Figure

from chartographer.charts.artists import figures, raster
from chartographer.charts.draw import canvas, surface
from chartographer.charts.native.params import ChartQuery, Limits, spec_from_query
from chartographer.charts.render import render_chart, render_with_artists
from chartographer.charts.spec import ChartKind, ChartSpec
from chartographer.config import Settings

# (name, kind, query) — every kind, sizes from 300×200 to 800×400
SUITE: list[tuple[str, str, dict[str, object]]] = [
    (
        "bar 300x200",
        "bar",
        {"values": ["3,7,5,2,8"], "labels": "a,b,c,d,e", "width": 300, "height": 200},
    ),
    (
        "bar grouped 600x400",
        "bar",
        {
            "values": ["3,7,5,9", "4,2,6,5"],
            "labels": "Q1,Q2,Q3,Q4",
            "series": "2025,2026",
            "width": 600,
            "height": 400,
            "title": "Revenue",
        },
    ),
    (
        "bar stacked horiz 500x300",
        "bar",
        {
            "values": ["3,7,5", "4,2,6"],
            "labels": "x,y,z",
            "stacked": True,
            "horizontal": True,
            "width": 500,
            "height": 300,
        },
    ),
    (
        "line 800x400",
        "line",
        {
            "values": [",".join(str((i * 37) % 23) for i in range(60))],
            "width": 800,
            "height": 400,
            "title": "Latency",
        },
    ),
    (
        "area stacked 600x300",
        "area",
        {
            "values": ["1,3,2,4,3,5", "2,2,3,1,2,2"],
            "labels": "a,b,c,d,e,f",
            "stacked": True,
            "width": 600,
            "height": 300,
        },
    ),
    (
        "sparkline 300x200",
        "sparkline",
        {"values": ["5,6,3,8,7,9,4,6,8,10,7"], "width": 300, "height": 200},
    ),
    (
        "pie 400x300",
        "pie",
        {"values": ["30,20,50"], "labels": "red,green,blue", "width": 400, "height": 300},
    ),
    (
        "doughnut 400x400",
        "doughnut",
        {"values": ["10,20,30,40"], "labels": "a,b,c,d", "width": 400, "height": 400},
    ),
    (
        "scatter bubbles 600x400",
        "scatter",
        {
            "values": ["3,5,2,8,6"],
            "x": ["1,2,3,4,5"],
            "sizes": ["10,20,5,40,15"],
            "width": 600,
            "height": 400,
        },
    ),
    (
        "radar 400x400",
        "radar",
        {
            "values": ["4,3,5,2,4"],
            "labels": "speed,power,range,cost,ease",
            "width": 400,
            "height": 400,
        },
    ),
    ("gauge 300x200", "gauge", {"values": ["72"], "width": 300, "height": 200}),
    (
        "line 2 series 800x400",
        "line",
        {
            "values": ["1,4,2,5,3,6,4,7", "2,3,3,4,4,5,5,6"],
            "labels": "a,b,c,d,e,f,g,h",
            "series": "x,y",
            "width": 800,
            "height": 400,
        },
    ),
]


def naive_render(spec: ChartSpec) -> bytes:
    """The seeds' approach, generalised to every kind: new Figure, plot, savefig."""
    fig = Figure(figsize=(spec.width / 100, spec.height / 100))
    kind = spec.kind
    values = [[v or 0.0 for v in s.values] for s in spec.series]
    labels = list(spec.labels)
    axes = fig.add_subplot(projection="polar") if kind is ChartKind.radar else fig.subplots()
    if kind is ChartKind.bar:
        xs = range(len(values[0]))
        for row in values:
            if spec.horizontal:
                axes.barh(xs, row)
            else:
                axes.bar(xs, row)
        if labels:
            axes.set_xticks(list(xs), labels)
    elif kind in (ChartKind.line, ChartKind.sparkline):
        for row in values:
            axes.plot(row)
    elif kind is ChartKind.area:
        for row in values:
            axes.fill_between(range(len(row)), row)
    elif kind in (ChartKind.pie, ChartKind.doughnut):
        wedge = {"width": 0.5} if kind is ChartKind.doughnut else None
        axes.pie(values[0], labels=labels or None, wedgeprops=wedge)
    elif kind is ChartKind.scatter:
        s = spec.series[0]
        axes.scatter(s.x, values[0], s=[v * 10 for v in (s.sizes or ())] or None)
    elif kind is ChartKind.radar:
        import numpy as np

        angles = np.linspace(0, 2 * np.pi, len(values[0]), endpoint=False)
        axes.plot(angles, values[0])
        axes.fill(angles, values[0], alpha=0.3)
    elif kind is ChartKind.gauge:
        axes.pie([values[0][0], 100 - values[0][0]], startangle=180, wedgeprops={"width": 0.3})
    if spec.title:
        axes.set_title(spec.title)
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    return buf.getvalue()


def ours(spec: ChartSpec) -> bytes:
    return render_chart(spec).body


def ours_cold(spec: ChartSpec) -> bytes:
    """Our renderer with its per-worker figure pool and text-run cache emptied first.

    Process-wide font lookups (matplotlib's ``findfont`` cache, ``raster.font_paths``)
    stay: a fresh worker's warm-up has made them before its first request.
    """
    figures._pool.clear()
    raster._renderers.clear()
    surface._pool.clear()
    canvas._METRICS.clear()
    return render_chart(spec).body


def artists(spec: ChartSpec) -> bytes:
    return render_with_artists(spec).body


def artists_cold(spec: ChartSpec) -> bytes:
    figures._pool.clear()
    raster._renderers.clear()
    return render_with_artists(spec).body


def median_ms(fn: Callable[[ChartSpec], bytes], spec: ChartSpec, samples: list[float]) -> None:
    start = time.perf_counter()
    fn(spec)
    samples.append((time.perf_counter() - start) * 1000)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument(
        "--cold", action="store_true", help="empty our per-worker caches before every render"
    )
    args = parser.parse_args()
    render = ours_cold if args.cold else ours
    legacy = artists_cold if args.cold else artists
    limits = Limits.from_settings(Settings())
    specs = [
        (name, spec_from_query(ChartKind(kind), ChartQuery(**q), limits))  # type: ignore[arg-type]
        for name, kind, q in SUITE
    ]
    for _, spec in specs:  # warm every path (fonts, caches)
        naive_render(spec)
        ours(spec)
        artists(spec)
    print(
        f"{'chart':28} {'naive ms':>9} {'artists':>9} {'ours ms':>9} {'ratio':>6} "
        f"{'artists/ours':>12}"
    )
    ratios = []
    total_naive: list[float] = []
    total_ours: list[float] = []
    total_artists: list[float] = []
    for name, spec in specs:
        naive_s: list[float] = []
        ours_s: list[float] = []
        artists_s: list[float] = []
        for _ in range(args.rounds):  # alternate: same noise for all
            median_ms(naive_render, spec, naive_s)
            median_ms(legacy, spec, artists_s)
            median_ms(render, spec, ours_s)
        n, o = statistics.median(naive_s), statistics.median(ours_s)
        a = statistics.median(artists_s)
        ratios.append(n / o)
        total_naive.append(n)
        total_ours.append(o)
        total_artists.append(a)
        print(f"{name:28} {n:9.2f} {a:9.2f} {o:9.2f} {n / o:6.2f} {a / o:12.2f}")
    geo = statistics.geometric_mean(ratios)
    print(
        f"{'suite (sum of medians)':28} {sum(total_naive):9.2f} {sum(total_artists):9.2f} "
        f"{sum(total_ours):9.2f} {sum(total_naive) / sum(total_ours):6.2f} "
        f"{sum(total_artists) / sum(total_ours):12.2f}"
    )
    mode, target = ("cold", 5) if args.cold else ("warm", 10)
    suite = sum(total_naive) / sum(total_ours)
    print(f"geometric mean of per-chart ratios: {geo:.2f}x")
    print(
        f"| native in-process suite vs naive Figure + savefig, {mode} | {suite:.1f}× faster "
        f"| target ≥ {target}: {'met' if suite >= target else 'NOT met'} |"
    )


if __name__ == "__main__":
    main()
