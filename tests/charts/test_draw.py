"""The artist-free renderer (``charts.draw``): its canvas, and the same charts as the artists.

The canvas tests decode what it drew: text in several scripts is ink (not the
"tofu" box of a missing glyph), ``scale`` multiplies pixels, every format
decodes, SVG is sized in px and keeps its text as text. The renderer tests
draw each spec with both renderers and require the same picture — and, so
that "the same" cannot mean "equally wrong", that bars and lines are where a
reader expects them.
"""

from __future__ import annotations

import io
import itertools
import re
from urllib.parse import parse_qsl

import numpy as np
import pytest
from fastapi import FastAPI
from matplotlib.path import Path
from PIL import Image
from pydantic import BaseModel

from chartographer.charts import draw
from chartographer.charts.draw.axes import autoscale, nonsingular
from chartographer.charts.draw.canvas import Canvas, device_size
from chartographer.charts.draw.fields import sets_other as _sets_other
from chartographer.charts.draw.text import font_families
from chartographer.charts.google.build import GoogleOptions, plan_chart
from chartographer.charts.google.query import GoogleQuery
from chartographer.charts.render import quiet_glyphs, render_chart, render_with_artists
from chartographer.charts.spec import Axis, ChartKind, ChartSpec, Series
from chartographer.charts.styling import AxisStrip, Fill, Grid, Marker, MarkerSeries, Styling
from chartographer.formats import ImageFormat
from tests.charts.googlecheck import sample_queries
from tests.imagecheck import color_fraction, rgb_array, runs_along_row

INK = "#000000"


def decode(body: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(body))
    image.load()
    return image


def text_ink(text: str, scale: float = 1.0) -> np.ndarray:
    canvas = Canvas(200, 60, scale, ImageFormat.png, "#FFFFFF")
    with quiet_glyphs():  # the missing-glyph sample warns, as it should
        canvas.text(10, 40, text, size=20, color=INK)
    ink: np.ndarray = rgb_array(decode(canvas.finish().body).convert("RGB")).max(axis=-1) < 128
    return ink


# --- the canvas ----------------------------------------------------------------------


def test_svg_is_sized_in_px_and_keeps_text_as_text() -> None:
    canvas = Canvas(600, 400, 1.0, ImageFormat.svg, "#FFFFFF")
    canvas.rect(10, 10, 100, 50, fill="#FF0000")
    canvas.text(300, 200, "Umsatz 2024 中文", size=12, color="#333333", ha="center")
    body = canvas.finish().body.decode()
    assert re.search(r'<svg[^>]* width="600px" height="400px"', body)
    assert 'viewBox="0 0 600 400"' in body
    assert re.search(r"<text[^>]*>Umsatz 2024 中文</text>", body)
    assert "Noto Sans CJK JP" in body or "DejaVu Sans" in body  # the fallback list as CSS
    assert "<dc:date>" not in body  # equal charts, equal bytes


@pytest.mark.parametrize("text", ["Hello", "中文字", "日本語", "한국어", "★☂"])
def test_scripts_draw_as_glyphs_not_missing_boxes(text: str) -> None:
    missing = text_ink("\U0010fffd" * len(text))  # no font has it: the missing-glyph box
    drawn = text_ink(text)
    assert drawn.sum() > 20
    assert drawn.sum() != missing.sum() or not np.array_equal(drawn, missing)
    # a missing box is a hollow rectangle per character; glyphs are not
    assert not np.array_equal(drawn, missing)


def test_emoji_are_drawn_in_colour_on_the_text_baseline() -> None:
    canvas = Canvas(300, 80, 2.0, ImageFormat.png, "#FFFFFF")
    canvas.text(150, 40, "Hi 😀 中文 👍🏽!", size=20, color=INK, ha="center", va="center")
    width, _, _ = canvas.measure("😀", size=20)
    arr = rgb_array(decode(canvas.finish().body).convert("RGB"))
    yellow = (arr[..., 0] > 200) & (arr[..., 1] > 150) & (arr[..., 2] < 100)
    assert yellow.sum() > 500  # the smiley's face, not a black outline or a box
    rows = np.nonzero(yellow.any(axis=1))[0]
    ink_rows = np.nonzero((arr.max(axis=-1) < 80).any(axis=1))[0]
    assert abs(rows.mean() - ink_rows.mean()) < 15  # on the line with the text
    assert 20 < width < 40  # about one em at 20 pt (27.8 px)


def test_svg_keeps_emoji_as_text() -> None:
    canvas = Canvas(100, 50, 1.0, ImageFormat.svg, "#FFFFFF")
    canvas.text(10, 30, "ok 😀", size=10, color=INK)
    assert "ok 😀</text>" in canvas.finish().body.decode()


def test_cjk_comes_from_the_noto_fallback() -> None:
    assert "Noto Sans CJK JP" in font_families()  # Debian's fonts-noto-cjk


def test_scale_two_doubles_the_pixels_and_the_ink() -> None:
    one, two = text_ink("Sales 42"), text_ink("Sales 42", scale=2.0)
    assert two.shape == (one.shape[0] * 2, one.shape[1] * 2)
    assert 3.0 < two.sum() / one.sum() < 5.0  # area grows by the square of the scale
    assert device_size(333, 111, 1.5) == (499, 166)


@pytest.mark.parametrize("fmt", list(ImageFormat))
def test_every_format_decodes_at_the_exact_size(fmt: ImageFormat) -> None:
    canvas = Canvas(321, 123, 2.0, fmt, "#FFFFFF")
    canvas.rect(0, 0, 160, 123, fill="#0000FF")
    canvas.text(200, 60, "x", size=10, color=INK)
    rendered = canvas.finish()
    assert rendered.media_type == fmt.media_type
    if fmt is ImageFormat.svg:
        assert b'width="321px"' in rendered.body
        return
    if fmt is ImageFormat.pdf:  # parsed in tests/charts/test_pdf.py
        assert b"/MediaBox [ 0 0 321 123 ]" in rendered.body
        return
    image = decode(rendered.body)
    assert image.size == (642, 246)
    rgb = rgb_array(image.convert("RGB"))
    assert np.all(np.abs(rgb[100, 50] - [0, 0, 255]) < 40)  # the left half is blue
    assert np.all(rgb[100, 600] > 200)  # the right half is white


def test_shapes_clip_dash_and_transparency() -> None:
    canvas = Canvas(100, 100, 1.0, ImageFormat.png, "#FFFFFF00")
    with canvas.clip(0, 0, 50, 100):
        canvas.rect(0, 0, 100, 100, fill="#FF0000")
    canvas.path([(0, 75), (100, 75)], stroke="#0000FF", line_width=4, dash=[4, 4])
    canvas.curve(Path.circle((75, 25), 10), fill="#00FF00", stroke=INK)
    canvas.markers([(10, 90)], Path.unit_rectangle(), size=5, fill=INK)
    canvas.image(60, 60, 20, 20, lambda w, h: np.ones((h, w, 4)))
    pixels = np.asarray(decode(canvas.finish(opacity=0.5).body).convert("RGBA"))
    assert tuple(pixels[10, 10]) == (255, 0, 0, 128)  # clipped fill, half opaque
    assert pixels[10, 60, 3] == 0  # outside the clip: the transparent background
    row = pixels[75, :56, 2] > 128  # left of the image
    assert 3 <= int(np.count_nonzero(np.diff(row.astype(int)) == 1)) <= 8  # dashes
    assert pixels[25, 75, 1] > 200  # the circle


def test_text_measure_and_alignment() -> None:
    canvas = Canvas(200, 100, 1.0, ImageFormat.png, "#FFFFFF")
    width, height, descent = canvas.measure("Hg", size=20)
    assert width > 20 and height > descent > 0
    canvas.text(100, 50, "Hg", size=20, color=INK, ha="right", va="top")
    canvas.text(100, 50, "Hg\nHg", size=20, color=INK, ha="left", va="bottom", rotation=90)
    canvas.text(10, 90, "", size=20, color=INK)
    ink = rgb_array(decode(canvas.finish().body).convert("RGB")).max(axis=-1) < 128
    rows, cols = np.nonzero(ink[:, :100])
    assert rows.min() >= 50 and cols.max() < 100  # right/top: left of and below the anchor
    rows, cols = np.nonzero(ink[:, 100:])
    assert rows.max() <= 50  # rotated, bottom-aligned: above the anchor


def test_scales_widen_empty_ranges_like_matplotlib() -> None:
    assert nonsingular(0.0, 0.0) == (-0.05, 0.05)
    assert nonsingular(2.0, 2.0) == (1.9, 2.1)
    assert nonsingular(float("nan"), 1.0) == (-0.05, 0.05)
    assert nonsingular(3.0, 1.0) == (1.0, 3.0)
    assert autoscale(0.0, 10.0) == (-0.5, 10.5)


# --- same charts as the artist renderer ----------------------------------------------


def _s(*values: float | None, **extra: object) -> Series:
    return Series(values=values, **extra)  # type: ignore[arg-type]


NATIVE = {
    "bar": ChartSpec(
        kind=ChartKind.bar, series=(_s(3, 7, 5),), labels=("a", "b", "c"), title="Sales"
    ),
    "grouped": ChartSpec(
        kind=ChartKind.bar,
        series=(_s(3, 7, 5, name="x"), _s(1, -2, 2, name="y")),
        labels=("aa", "bb", "cc"),
        value_labels=True,
        x_axis=Axis(title="X"),
        y_axis=Axis(title="Y"),
        legend_position="bottom",
    ),
    "hstacked": ChartSpec(
        kind=ChartKind.bar,
        horizontal=True,
        stacked=True,
        series=(_s(3, -2, 5, name="x"), _s(1, 2, None, name="y")),
        labels=("one", "two", "three"),
        value_labels=True,
        legend_position="left",
        plot_background="#EEEEEE",
    ),
    "line": ChartSpec(
        kind=ChartKind.line,
        series=(_s(1, 4, None, 5, name="a", dash=(2.0, 1.0)), _s(2, 3, 3, 1, name="b")),
        labels=("Q1", "Q2", "Q3", "Q4"),
        value_labels=True,
        legend_position="top",
        scale=2.0,
    ),
    "xy": ChartSpec(
        kind=ChartKind.line,
        series=(_s(1, 4, 2, x=(0.0, 2.0, 3.5)),),
        y_axis=Axis(min=0, max=10, ticks=(0, 5, 10), tick_labels=("lo", "mid", "hi")),
    ),
    "area": ChartSpec(kind=ChartKind.area, series=(_s(1, 4, 2, 5), _s(-2, 3, 3, 1))),
    "stacked-area": ChartSpec(
        kind=ChartKind.area, stacked=True, series=(_s(1, 4, 2, 5), _s(2, 3, 3, 1))
    ),
    "scatter": ChartSpec(
        kind=ChartKind.scatter,
        series=(
            _s(1, 4, 2, 5, x=(0.0, 1.0, 2.0, 3.5)),
            _s(3, None, 1, x=(1.0, 2.0, 3.0), point_colors=("#FF0000", "#00AA00")),
        ),
    ),
    "bubbles": ChartSpec(
        kind=ChartKind.scatter,
        series=(_s(1, 4, 2, x=(0.0, 1.0, 2.0), sizes=(1.0, 2.0, 3.0)),),
        format=ImageFormat.webp,
    ),
    "sparkline": ChartSpec(
        kind=ChartKind.sparkline, series=(_s(1, 4, None, 5, 3, 6),), width=200, height=50
    ),
    "sparklines": ChartSpec(
        kind=ChartKind.sparkline,
        series=(_s(1, 4, 2), _s(2, 2, 3)),
        y_axis=Axis(min=0, max=8),
        title="t",
    ),
    "crowded-legend": ChartSpec(
        kind=ChartKind.line,
        series=tuple(_s(i, i + 1, i * 2, name=f"a rather long series name {i}") for i in range(6)),
        legend_position="bottom",
        width=300,
        styling=Styling(legend_order=(5, 4, 3, 2, 1, 0)),
    ),
    "edges": ChartSpec(
        kind=ChartKind.scatter,
        series=(_s(3, 3, x=(2.0, 2.0)), _s(-1.0, x=(2.0,))),
        x_axis=Axis(min=5, max=5),
        y_axis=Axis(min=-4, max=-4, ticks=(-4.0,)),
    ),
    "positive-only": ChartSpec(
        kind=ChartKind.line, series=(_s(0.001, 0.002, 0.0),), y_axis=Axis(max=0.01)
    ),
    "sparkline-face": ChartSpec(
        kind=ChartKind.sparkline, series=(_s(1, 4, 2),), plot_background="#DDEEFF"
    ),
    "google-line": ChartSpec(
        kind=ChartKind.line,
        series=(_s(10, 40, 25, 30, name="a"), _s(5, 5, 20, None)),
        gridlines=False,
        legend_position="bottom",
        x_axis=Axis(min=0, max=3, ticks=(), tick_labels=(), visible=False),
        styling=Styling(
            axes=(AxisStrip(side="x", positions=(0, 1 / 3, 2 / 3, 1), labels=tuple("abcd")),),
            grid=Grid(x_step=33.3, y_step=20, dash=2, space=2, y_offset=10),
            plain_lines=True,
            frame=False,
            legend_color="#AA0000",
            legend_size=12,
        ),
    ),
    "google-area": ChartSpec(
        kind=ChartKind.area,
        series=(_s(10, 40, 25, 30),),
        plot_background="#FFFFEE",
        styling=Styling(axes=(), plain_lines=True, grid=Grid(y_step=50, space=0)),
    ),
    "google-axes": ChartSpec(
        kind=ChartKind.bar,
        series=(_s(10, 40, 25),),
        gridlines=False,
        x_axis=Axis(ticks=(), tick_labels=(), visible=False),
        y_axis=Axis(min=0, max=50, ticks=(), tick_labels=(), visible=False),
        styling=Styling(
            axes=(
                AxisStrip(side="x", positions=(1 / 6, 0.5, 5 / 6), labels=("Jan", "Feb", "Mar")),
                AxisStrip(side="y", positions=(0, 0.5, 1), labels=("0", "25", "50")),
                AxisStrip(side="r", positions=(0, 1), labels=("lo", "hi"), alignment=0),
                AxisStrip(side="t", positions=(0.5,), labels=("top",), ticks=False),
            ),
            grid=Grid(x_step=20, y_step=25),
            background_fill=Fill(kind="gradient", colors=("#FFFFFF", "#CCCCFF"), stops=(0, 1)),
            plot_fill=Fill(kind="stripes", colors=("#EEEEEE", "#FFFFFF"), stops=(0.2, 0.2)),
            bar_pixels=(20.0, 4.0, 10.0),
            margins=(10, 10, 10, 10),
            opacity=0.8,
            legend_order=(0,),
        ),
    ),
}


def _same_picture(spec: ChartSpec) -> tuple[Image.Image, Image.Image]:
    """Both renderers' pictures of ``spec``, required to match.

    Only for specs both draw the same way: the canvas-only placement of the native API
    (``tidy_labels``: value labels off the line, the zero line; ``pie_labels``) is not
    in the artists, so specs setting it are compared with what a person sees instead
    (``test_value_labels``, ``test_pie_labels``).
    """
    assert spec.pie_labels is None and not spec.tidy_labels
    assert draw.supports(spec)
    new, old = draw.render(spec), render_with_artists(spec)
    assert new.media_type == old.media_type
    a, b = decode(new.body), decode(old.body)
    assert a.size == b.size
    diff = np.abs(rgb_array(a.convert("RGB")) - rgb_array(b.convert("RGB")))
    # the baselines' own bar: no region may change
    assert diff.mean() < 0.5 and (diff.max(axis=-1) > 40).mean() < 0.001, spec.kind
    return a, b


@pytest.mark.parametrize("name", sorted(NATIVE))
def test_both_renderers_draw_the_same_chart(name: str) -> None:
    _same_picture(NATIVE[name])


def test_render_chart_dispatches_to_the_canvas() -> None:
    spec = NATIVE["bar"]
    assert render_chart(spec).body == draw.render(spec).body


def test_bars_are_where_a_reader_expects_them() -> None:
    spec = NATIVE["bar"]  # 3, 7, 5 in the palette's first colour
    image, _ = _same_picture(spec)
    color = spec.palette[0]
    arr = rgb_array(image.convert("RGB"))
    target = np.array([int(color[i : i + 2], 16) for i in (1, 3, 5)])
    hit = np.all(np.abs(arr - target) <= 12, axis=-1)
    columns = np.nonzero(hit.any(axis=0))[0]
    assert (
        runs_along_row(image.convert("RGB"), int(np.nonzero(hit.any(axis=1))[0].max()), color) == 3
    )
    heights = []
    for lo, hi in _runs(columns):
        heights.append(int(hit[:, (lo + hi) // 2].sum()))
    assert len(heights) == 3
    assert heights[1] > heights[2] > heights[0]  # 7 > 5 > 3
    assert abs(heights[1] / heights[0] - 7 / 3) < 0.1


def test_lines_rise_where_the_data_rises() -> None:
    spec = ChartSpec(kind=ChartKind.line, series=(_s(1, 9),), gridlines=False, width=300)
    image, _ = _same_picture(spec)
    arr = rgb_array(image.convert("RGB"))
    target = np.array([0x4E, 0x79, 0xA7])
    hit = np.all(np.abs(arr - target) <= 20, axis=-1)
    cols = np.nonzero(hit.any(axis=0))[0]
    first, last = cols.min() + 8, cols.max() - 8

    def top(column: int) -> int:
        return int(np.nonzero(hit[:, column])[0].mean())

    assert top(first) > top(last) + 100  # y grows downward: the right end is higher


def _runs(columns: np.ndarray) -> list[tuple[int, int]]:
    runs, start = [], int(columns[0])
    for prev, cur in itertools.pairwise(columns.tolist()):
        if cur != prev + 1:
            runs.append((start, int(prev)))
            start = int(cur)
    runs.append((start, int(columns[-1])))
    return runs


def test_google_fills_and_axes_are_drawn() -> None:
    image, _ = _same_picture(NATIVE["google-axes"])
    assert image.mode == "RGBA"
    assert np.asarray(image)[..., 3].max() <= 205  # chf=a 0.8
    assert color_fraction(image.convert("RGB"), "#4E79A7", 40) > 0.02  # the bars


def test_svg_from_the_canvas_keeps_labels_as_text() -> None:
    spec = NATIVE["grouped"].model_copy(update={"format": ImageFormat.svg, "width": 600})
    body = render_chart(spec).body.decode()
    assert re.search(r'<svg[^>]* width="600px"', body)
    for label in ("aa", "bb", "cc", "X", "Y"):
        assert re.search(rf"<text[^>]*>{label}</text>", body), label


def test_specs_with_unported_features_take_the_artist_renderer() -> None:
    marked = NATIVE["bar"].model_copy(
        update={"styling": Styling(markers=(Marker(type="o", color="#FF0000", series=0),))}
    )
    assert not draw.supports(marked)
    assert render_chart(marked).body == render_with_artists(marked).body
    pie = ChartSpec(kind=ChartKind.pie, series=(_s(1, 2),))
    assert draw.supports(pie) is (ChartKind.pie in draw.DRAWERS)


def test_a_field_the_canvas_does_not_know_keeps_the_artists() -> None:
    class Extended(BaseModel):
        drawn: int = 0
        added_later: tuple[int, ...] = ()

    assert not _sets_other(Extended(drawn=3), frozenset({"drawn"}))
    assert _sets_other(Extended(added_later=(1,)), frozenset({"drawn"}))
    hidden = NATIVE["line"].model_copy(
        update={"styling": Styling(marker_series=(MarkerSeries(values=(1.0, 2.0)),))}
    )
    assert not draw.supports(hidden)


def _google_specs(app: FastAPI) -> list[tuple[str, ChartSpec]]:
    options = GoogleOptions(limits=app.state.limits)
    found = []
    for source, query in sample_queries():
        pairs = parse_qsl(query.replace("+", "%2B").replace("%2B", " "), keep_blank_values=True)
        plan = plan_chart(GoogleQuery.from_pairs(pairs), options)
        if isinstance(plan.argument, ChartSpec) and draw.supports(plan.argument):
            found.append((source, plan.argument))
    return found


def test_google_samples_look_the_same_on_the_canvas(app: FastAPI) -> None:
    specs = _google_specs(app)
    assert len(specs) >= 3  # the bar, line and sparkline samples without chm markers
    for source, spec in specs:
        try:
            _same_picture(spec)
        except AssertionError as error:  # pragma: no cover - names the failing sample
            raise AssertionError(source) from error
