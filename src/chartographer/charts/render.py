"""Pure chart rendering: :class:`ChartSpec` in, image bytes out.

Uses ``matplotlib.figure.Figure`` with the Agg canvas directly (never pyplot:
no global figure registry). Speed comes from doing less than a naive
``Figure`` + ``savefig``: the layout is computed from the spec
(``charts.layout``), axes are drawn as a few plain artists (``charts.guides``),
figures and text rasters are reused inside a worker (``charts.figures``,
``charts.raster``), and PNG is encoded from the canvas buffer with a fast zlib
level. The kinds live in ``charts.cartesian`` and ``charts.circular``.

``render_chart`` first asks ``charts.draw`` — the same charts drawn straight
on the Agg/SVG renderer, without artists — and keeps the artists for the
kinds and features it does not draw yet (``charts.draw.supports``).
"""

from __future__ import annotations

import io
import logging
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from typing import cast

import matplotlib

matplotlib.use("Agg")

import numpy as np
from matplotlib import colors as mcolors
from matplotlib import rcParams
from matplotlib.axes import Axes
from matplotlib.collections import LineCollection
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.text import Text
from PIL import Image

from chartographer.charts import draw, fonts, themes
from chartographer.charts.artists import decorations
from chartographer.charts.artists.cartesian import (
    draw_area,
    draw_bar,
    draw_line,
    draw_scatter,
    draw_sparkline,
)
from chartographer.charts.artists.circular import draw_doughnut, draw_gauge, draw_pie, draw_radar
from chartographer.charts.artists.figures import borrowed_figure
from chartographer.charts.artists.legend import draw_legend
from chartographer.charts.artists.raster import FastCanvas
from chartographer.charts.artists.venn import draw_venn
from chartographer.charts.draw.pdf import figure_pdf
from chartographer.charts.layout import CARTESIAN, INK, font_sizes, plot_margins
from chartographer.charts.spec import ChartKind, ChartSpec, Series
from chartographer.formats import ImageFormat, Rendered, encode_raster
from chartographer.png import drop_alpha, encode_png

rcParams["svg.hashsalt"] = "chartographer"  # deterministic SVG ids → stable ETags
rcParams["svg.fonttype"] = "path"
rcParams["path.simplify"] = True
# Labels are text: "$5 to $10" is not maths (and "Price $^$" is no parse error).
# Only cht=tx formulas are mathtext, and charts.tex asks for it explicitly.
rcParams["text.parse_math"] = False
# every text falls back glyph by glyph to Noto CJK/Arabic/Hebrew/symbols (charts.fonts)
rcParams["font.family"] = fonts.family_list(None)
# a fallback without a bold face is drawn regular; that is not worth a log line
logging.getLogger("matplotlib.font_manager").setLevel(logging.ERROR)


def render_chart(spec: ChartSpec) -> Rendered:
    """Render ``spec`` to PNG, SVG, WebP or PDF bytes.

    Kinds ported to the artist-free canvas (``charts.draw``) are drawn there
    when it draws every feature of the spec; the rest take the artist renderer.
    """
    if drawn_on_canvas(spec):
        with quiet_glyphs():
            return draw.render(spec)
    return render_with_artists(spec)


def drawn_on_canvas(spec: ChartSpec) -> bool:
    """Whether :func:`render_chart` draws ``spec`` on the canvas (``charts.draw``)."""
    return draw.supports(spec)


def render_with_artists(spec: ChartSpec) -> Rendered:
    """The matplotlib-artist renderer (every kind and feature)."""
    with borrowed_figure(spec.width, spec.height, spec.scale) as pooled, quiet_glyphs():
        fig = pooled.figure
        fig.patch.set_facecolor(spec.background)
        draw_chart(fig, spec, font_sizes(spec), ax=pooled.axes)
        return encode_figure(fig, spec)


@contextmanager
def quiet_glyphs() -> Iterator[None]:
    """A character the font lacks is drawn as a box; that is not worth a warning per render."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=r"Glyph \d+ .*missing from font")
        yield


def draw_chart(
    fig: Figure, spec: ChartSpec, fonts: dict[str, float], ax: Axes | None = None
) -> None:
    """Draw every part of ``spec`` on ``fig``, on ``ax`` if given (else a new Axes)."""
    margins = plot_margins(spec, fonts)
    margins = decorations.plot_area(spec, fonts, margins)  # hook: Google styling layout
    if spec.title:
        fig.text(
            0.5,
            1 - 6 / spec.height,
            spec.title,
            ha="center",
            va="top",
            fontsize=spec.title_size or fonts["title"],
            color=spec.title_color or INK,
            fontweight="bold",
        )
    kind = spec.kind
    if ax is None:
        ax = fig.add_axes((margins[0], margins[1], margins[2], margins[3]))
    else:
        ax.set_position((margins[0], margins[1], margins[2], margins[3]))
    DRAWERS[kind](ax, spec, fonts)
    if spec.plot_background:
        ax.set_facecolor(spec.plot_background)
    elif kind in CARTESIAN or kind is ChartKind.radar:
        ax.set_facecolor("none")
    if spec.show_legend and (kind is not ChartKind.gauge or spec.styling.dial_labels is not None):
        draw_legend(fig, ax, spec, fonts)
    decorations.decorate(fig, ax, spec, fonts)  # hook: Google fills, markers, axes
    finish_text_and_theme(fig, spec)


#: the light theme's colours as the legacy drawing modules write them
_LIGHT = themes.theme_colors("light")


def finish_text_and_theme(fig: Figure, spec: ChartSpec) -> None:
    """Apply ``font``, right-to-left shaping and a dark theme to what was drawn.

    The legacy drawing modules write light-theme colours and the default font;
    one pass over the figure's artists swaps them (only when the spec asks,
    so a default chart costs nothing).
    """
    family = fonts.family_list(spec.font) if spec.font else None
    rtl = fonts.has_rtl(spec.model_dump_json())
    dark = themes.theme_colors(spec.theme) if spec.theme != "light" else None
    if family is None and not rtl and dark is None:
        return
    swap = {}
    if dark is not None:
        swap = {
            _LIGHT.ink.lower(): dark.ink,
            _LIGHT.grid.lower(): dark.grid,
            _LIGHT.line.lower(): dark.line,
            "#ffffff": dark.background,
        }
    # what this render added: a pooled figure's own artists (Axes patch, empty
    # titles) stay as they are for the next chart
    own = {id(fig.patch)} | {id(a.patch) for a in fig.axes}
    for artist in fig.findobj(lambda a: id(a) not in own):
        if isinstance(artist, Text):
            if not artist.get_text():
                continue
            if family is not None:
                artist.set_fontfamily(family)
            if rtl:
                artist.set_text(fonts.visual_text(artist.get_text()))
            if swap:
                artist.set_color(swap.get(mcolors.to_hex(artist.get_color()), artist.get_color()))
        elif swap and isinstance(artist, Line2D):
            artist.set_color(swap.get(mcolors.to_hex(artist.get_color()), artist.get_color()))
            edge = mcolors.to_hex(cast(str, artist.get_markeredgecolor()))
            artist.set_markeredgecolor(swap.get(edge, edge))
        elif swap and isinstance(artist, LineCollection):
            colors = [mcolors.to_hex(cast(str, c)) for c in artist.get_colors()]
            artist.set_colors([swap.get(c, c) for c in colors])
        elif swap and isinstance(artist, Patch):
            face = mcolors.to_hex(artist.get_facecolor())
            if face == _LIGHT.ink.lower():
                artist.set_facecolor(dark.ink if dark else face)
            edge = mcolors.to_hex(artist.get_edgecolor(), keep_alpha=True)
            if edge == "#ffffffff":
                artist.set_edgecolor(swap["#ffffff"])


DRAWERS = {
    ChartKind.bar: draw_bar,
    ChartKind.line: draw_line,
    ChartKind.area: draw_area,
    ChartKind.sparkline: draw_sparkline,
    ChartKind.pie: draw_pie,
    ChartKind.doughnut: draw_doughnut,
    ChartKind.scatter: draw_scatter,
    ChartKind.gauge: draw_gauge,
    ChartKind.radar: draw_radar,
    ChartKind.venn: draw_venn,  # hook: Google cht=v
}


def encode_figure(fig: Figure, spec: ChartSpec) -> Rendered:
    """SVG and PDF through matplotlib; rasters from the Agg buffer, encoded fast by Pillow."""
    fmt = spec.format
    if fmt is ImageFormat.svg:
        buf = io.BytesIO()
        fig.savefig(buf, format="svg", metadata={"Date": None}, facecolor=spec.background)
        return Rendered(buf.getvalue(), fmt.media_type)
    if fmt is ImageFormat.pdf:  # what the canvas does not draw yet (a dark theme, font=)
        return Rendered(figure_pdf(fig, spec.width, spec.height), fmt.media_type)
    canvas = FastCanvas(fig)
    canvas.draw()
    pixels = np.asarray(canvas.buffer_rgba())
    opacity = spec.styling.opacity  # hook: Google chf=a
    if opacity is not None:
        pixels = pixels.copy()
        pixels[..., 3] = np.round(pixels[..., 3] * opacity).astype(np.uint8)
    elif spec.background.upper().endswith(("FF",)) or len(spec.background) == 7:
        pixels = drop_alpha(pixels)  # opaque: smaller files, faster encode
    if fmt is ImageFormat.png:
        return Rendered(encode_png(pixels), fmt.media_type)
    image = Image.fromarray(np.ascontiguousarray(pixels))
    return Rendered(encode_raster(image, fmt), fmt.media_type)


def warm_up() -> None:
    """Render one small chart so fonts and caches are loaded before real traffic."""
    spec = ChartSpec(
        kind=ChartKind.bar,
        series=(Series(values=(1.0, 2.0)),),
        labels=("a", "b"),
        title="warm",
        width=120,
        height=80,
    )
    render_chart(spec)
