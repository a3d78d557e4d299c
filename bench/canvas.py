"""Which 2D canvas should draw our charts? The same chart scene on each candidate.

The scene is what a 400×300 bar chart with axes draws: a background, five grid
lines, an axis line, five bars, ten tick labels and a bold title, then a PNG.
Candidates (each only if it imports here):

- ``mpl-artists``: the artist renderer (``render_with_artists``: matplotlib
  artists on a pooled ``Figure``), the baseline;
- ``charts.draw``: the chosen canvas as shipped — the real bar chart drawn by
  ``charts.draw`` (``RendererAgg`` without artists, full layout, PNG by
  ``chartographer.png``), what ``render_chart`` now does for this spec;
- ``agg-direct``: matplotlib's ``RendererAgg`` used as a canvas — ``draw_path``
  for shapes, the cached text runs of ``charts.raster`` for text — no artists;
- ``cairo``: pycairo's image surface (toy text API: no font fallback);
- ``skia``: skia-python's raster surface with ``skia.Font`` text.

Every candidate encodes its pixels with the same Pillow PNG call, so the
figures compare drawing, not encoders. Run: ``python -m bench.canvas``.
"""

from __future__ import annotations

import argparse
import io
import statistics
import time
from collections.abc import Callable

import numpy as np
from matplotlib.backend_bases import GraphicsContextBase
from matplotlib.font_manager import FontProperties
from matplotlib.path import Path
from matplotlib.transforms import IdentityTransform
from PIL import Image

from chartographer.charts import draw
from chartographer.charts.artists.raster import CachingRendererAgg
from chartographer.charts.render import render_with_artists
from chartographer.charts.spec import ChartKind, ChartSpec, Series

W, H = 400, 300
BARS = [3.0, 7.0, 5.0, 2.0, 8.0]
LEFT, RIGHT, TOP, BOTTOM = 40, 390, 30, 270
TICKS = [0, 2, 4, 6, 8]
COLOR = (0x4D / 255, 0x89 / 255, 0xF9 / 255)


def _png(rgba: np.ndarray) -> bytes:
    buf = io.BytesIO()
    Image.fromarray(rgba[..., :3]).save(buf, format="PNG", compress_level=1)
    return buf.getvalue()


def _y(value: float) -> float:
    return BOTTOM - (BOTTOM - TOP) * value / 8


def _spec() -> ChartSpec:
    return ChartSpec(
        kind=ChartKind.bar,
        series=(Series(values=tuple(BARS)),),
        labels=("a", "b", "c", "d", "e"),
        title="Sales",
        width=W,
        height=H,
    )


def scene_artists() -> bytes:
    return render_with_artists(_spec()).body


def scene_draw() -> bytes:
    return draw.render(_spec()).body


_agg = CachingRendererAgg(W, H, 100)
_tick = FontProperties(family="DejaVu Sans", size=8)
_title = FontProperties(family="DejaVu Sans", size=11, weight="bold")


def _rect(x0: float, y0: float, x1: float, y1: float) -> Path:
    # Agg's y axis points up: flip once here
    return Path([(x0, H - y0), (x1, H - y0), (x1, H - y1), (x0, H - y1), (x0, H - y0)], closed=True)


def scene_agg() -> bytes:
    r = _agg
    r.clear()
    identity = IdentityTransform()
    gc = GraphicsContextBase()
    gc.set_antialiased(True)
    r.draw_path(gc, _rect(0, 0, W, H), identity, (1, 1, 1, 1))
    gc.set_linewidth(0.8 * 100 / 72)
    gc.set_foreground("#dddddd")
    for t in TICKS:
        y = _y(t)
        r.draw_path(gc, Path([(LEFT, H - y), (RIGHT, H - y)]), identity)
    gc.set_foreground("#333333")
    r.draw_path(gc, Path([(LEFT, H - BOTTOM), (RIGHT, H - BOTTOM)]), identity)
    slot = (RIGHT - LEFT) / len(BARS)
    fill = GraphicsContextBase()
    fill.set_linewidth(0)
    for i, v in enumerate(BARS):
        x0 = LEFT + slot * i + slot * 0.1
        r.draw_path(fill, _rect(x0, _y(v), x0 + slot * 0.8, BOTTOM), identity, (*COLOR, 1))
    # the cached text runs take their origin from the top edge
    for t in TICKS:
        r.draw_text(gc, LEFT - 22, _y(t) + 3, str(t), _tick, 0)
    for i, name in enumerate("abcde"):
        r.draw_text(gc, LEFT + slot * (i + 0.5) - 3, BOTTOM + 14, name, _tick, 0)
    r.draw_text(gc, W / 2 - 20, 20, "Sales", _title, 0)
    return _png(np.asarray(r.buffer_rgba()))


def scene_cairo() -> bytes:
    import cairo

    surface = cairo.ImageSurface(cairo.FORMAT_RGB24, W, H)
    cr = cairo.Context(surface)
    cr.set_source_rgb(1, 1, 1)
    cr.paint()
    cr.set_line_width(0.8 * 100 / 72)
    cr.set_source_rgb(0xDD / 255, 0xDD / 255, 0xDD / 255)
    for t in TICKS:
        cr.move_to(LEFT, _y(t))
        cr.line_to(RIGHT, _y(t))
    cr.stroke()
    cr.set_source_rgb(0.2, 0.2, 0.2)
    cr.move_to(LEFT, BOTTOM)
    cr.line_to(RIGHT, BOTTOM)
    cr.stroke()
    slot = (RIGHT - LEFT) / len(BARS)
    cr.set_source_rgb(*COLOR)
    for i, v in enumerate(BARS):
        x0 = LEFT + slot * i + slot * 0.1
        cr.rectangle(x0, _y(v), slot * 0.8, BOTTOM - _y(v))
    cr.fill()
    cr.set_source_rgb(0.2, 0.2, 0.2)
    cr.select_font_face("DejaVu Sans")
    cr.set_font_size(8 * 100 / 72)
    for t in TICKS:
        cr.move_to(LEFT - 22, _y(t) + 3)
        cr.show_text(str(t))
    for i, name in enumerate("abcde"):
        cr.move_to(LEFT + slot * (i + 0.5) - 3, BOTTOM + 14)
        cr.show_text(name)
    cr.select_font_face("DejaVu Sans", cairo.FONT_SLANT_NORMAL, cairo.FONT_WEIGHT_BOLD)
    cr.set_font_size(11 * 100 / 72)
    cr.move_to(W / 2 - 20, 20)
    cr.show_text("Sales")
    surface.flush()
    bgra = np.ndarray((H, W, 4), np.uint8, surface.get_data())
    return _png(bgra[..., [2, 1, 0, 3]])


_skia: dict[str, object] = {}


def scene_skia() -> bytes:
    import skia

    if not _skia:  # like the Agg renderer, the surface and fonts live per worker
        _skia["surface"] = skia.Surface(W, H)
        _skia["font"] = skia.Font(skia.Typeface("DejaVu Sans"), 8 * 100 / 72)
        _skia["bold"] = skia.Font(
            skia.Typeface("DejaVu Sans", skia.FontStyle.Bold()), 11 * 100 / 72
        )
    surface: skia.Surface = _skia["surface"]
    canvas = surface.getCanvas()
    canvas.clear(skia.ColorWHITE)
    line = skia.Paint(AntiAlias=True, Style=skia.Paint.kStroke_Style, StrokeWidth=0.8 * 100 / 72)
    line.setColor(skia.Color(0xDD, 0xDD, 0xDD))
    for t in TICKS:
        canvas.drawLine(LEFT, _y(t), RIGHT, _y(t), line)
    line.setColor(skia.Color(0x33, 0x33, 0x33))
    canvas.drawLine(LEFT, BOTTOM, RIGHT, BOTTOM, line)
    bar = skia.Paint(AntiAlias=True, Color=skia.Color(0x4D, 0x89, 0xF9))
    slot = (RIGHT - LEFT) / len(BARS)
    for i, v in enumerate(BARS):
        x0 = LEFT + slot * i + slot * 0.1
        canvas.drawRect(skia.Rect(x0, _y(v), x0 + slot * 0.8, BOTTOM), bar)
    ink = skia.Paint(AntiAlias=True, Color=skia.Color(0x33, 0x33, 0x33))
    font = _skia["font"]
    for t in TICKS:
        canvas.drawString(str(t), LEFT - 22, _y(t) + 3, font, ink)
    for i, name in enumerate("abcde"):
        canvas.drawString(name, LEFT + slot * (i + 0.5) - 3, BOTTOM + 14, font, ink)
    bold = _skia["bold"]
    canvas.drawString("Sales", W / 2 - 20, 20, bold, ink)
    rgba = surface.makeImageSnapshot().toarray(colorType=skia.kRGBA_8888_ColorType)
    return _png(rgba)


def candidates() -> dict[str, Callable[[], bytes]]:
    found: dict[str, Callable[[], bytes]] = {
        "mpl-artists": scene_artists,
        "agg-direct": scene_agg,
        "charts.draw": scene_draw,
    }
    for name, fn, module in (("cairo", scene_cairo, "cairo"), ("skia", scene_skia, "skia")):
        try:
            __import__(module)
        except ImportError:
            print(f"({name}: {module} is not installed; skipped)")
            continue
        found[name] = fn
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=200)
    parser.add_argument("--save", help="write each candidate's PNG to this folder")
    args = parser.parse_args()
    runners = candidates()
    for name, fn in runners.items():  # warm: fonts, caches
        body = fn()
        if args.save:
            with open(f"{args.save}/canvas-{name}.png", "wb") as out:
                out.write(body)
    samples: dict[str, list[float]] = {name: [] for name in runners}
    for _ in range(args.rounds):  # alternate: the same noise for every candidate
        for name, fn in runners.items():
            start = time.perf_counter()
            fn()
            samples[name].append((time.perf_counter() - start) * 1000)
    base = statistics.median(samples["mpl-artists"])
    print(f"{'canvas':12} {'median ms':>9} {'min':>7} {'max':>7} {'vs artists':>10}")
    for name, values in samples.items():
        med = statistics.median(values)
        print(f"{name:12} {med:9.3f} {min(values):7.3f} {max(values):7.3f} {med / base:9.2f}x")


if __name__ == "__main__":
    main()
