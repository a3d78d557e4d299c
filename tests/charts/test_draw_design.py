"""Themes, backgrounds, fonts, right-to-left text and wrapped labels drawn by the canvas.

Every spec here is asserted to be claimed by ``charts.draw`` and rendered with the
artist renderer switched off, so what is checked is the canvas's own drawing.
"""

from __future__ import annotations

from collections.abc import Iterator

import arabic_reshaper
import numpy as np
import pytest

from chartographer.charts import draw, render
from chartographer.charts.draw.canvas import Canvas
from chartographer.charts.layout import category_plan, font_sizes
from chartographer.charts.native.params import ChartQuery, Limits, spec_from_query
from chartographer.charts.render import render_with_artists
from chartographer.charts.spec import ChartKind, ChartSpec
from chartographer.charts.themes import recolor
from chartographer.config import Settings
from chartographer.formats import ImageFormat
from tests.conftest import decode
from tests.imagecheck import rgb_array

#: one query per canvas kind, each with a title so there is text to see
KINDS = {
    "bar": {"values": ["3,7,5"], "labels": "a,b,c"},
    "line": {"values": ["3,7,5", "2,4,6"], "labels": "a,b,c", "series": "x,y"},
    "area": {"values": ["3,7,5"], "labels": "a,b,c"},
    "scatter": {"values": ["3,7,5"], "x": ["1,2,3"]},
    "sparkline": {"values": ["3,7,5,6,2"]},
    "pie": {"values": ["3,7,5"], "labels": "a,b,c"},
    "doughnut": {"values": ["3,7,5"], "labels": "a,b,c"},
    "radar": {"values": ["3,7,5,4"], "labels": "a,b,c,d"},
    "gauge": {"values": ["40"]},
    "venn": {"values": ["100,80,60,30,30,30,10"], "series": "A,B,C"},
}


def spec_of(kind: str, **query: object) -> ChartSpec:
    return spec_from_query(
        ChartKind(kind), ChartQuery.model_validate(query), Limits.from_settings(Settings())
    )


@pytest.fixture(autouse=True)
def no_artists(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Rendering through the artists fails the test: these specs are the canvas's."""

    def refuse(spec: ChartSpec) -> None:
        raise AssertionError(f"{spec.kind} took the artist renderer")

    monkeypatch.setattr(render, "render_with_artists", refuse)
    yield


def canvas_picture(spec: ChartSpec):  # type: ignore[no-untyped-def]
    assert draw.supports(spec), spec
    return decode(render.render_chart(spec).body)


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_dark_theme_darkens_the_ground_and_lightens_the_text_of_every_kind(kind: str) -> None:
    query = {**KINDS[kind], "title": "Dark Sales", "width": 300, "height": 200}
    dark = rgb_array(canvas_picture(spec_of(kind, theme="dark", **query)))
    light = rgb_array(canvas_picture(spec_of(kind, **query)))
    for y, x in ((1, 1), (1, -2), (-2, 1), (-2, -2)):
        assert (dark[y, x] < 60).all() and (light[y, x] > 240).all(), kind
    title = slice(0, 24)
    # the title band: light ink on dark, none of the light theme's dark ink
    assert (dark[title].min(axis=2) > 180).sum() > 40, kind
    assert (dark[title].max(axis=2) < 90).mean() > 0.8, kind
    assert (light[title].max(axis=2) < 90).sum() > 40, kind


def test_dark_axes_gridlines_and_legend_take_the_theme_colours() -> None:
    query = {**KINDS["line"], "width": 400, "height": 300, "theme": "dark"}
    spec = spec_of("line", **query)
    pixels = rgb_array(canvas_picture(spec))
    grid = recolor("dark")["#DDDDDD"]
    target = np.array([int(grid[i : i + 2], 16) for i in (1, 3, 5)])
    assert (np.abs(pixels - target).max(axis=2) <= 3).sum() > 200  # gridlines
    # the light theme's grid colour is nowhere: it would glare on the dark ground
    assert (np.abs(pixels - 0xDD).max(axis=2) <= 2).sum() < 20
    # legend names and tick labels: light text in the right-hand legend and left axis
    assert (pixels[:, -80:].min(axis=2) > 180).sum() > 20
    assert (pixels[:, :40].min(axis=2) > 180).sum() > 20


def test_dark_pie_edges_take_the_background_not_white() -> None:
    spec = spec_of("pie", theme="dark", **KINDS["pie"])
    pixels = rgb_array(canvas_picture(spec))
    assert (pixels.min(axis=2) >= 250).sum() == 0


@pytest.mark.parametrize("fmt", ["png", "webp"])
@pytest.mark.parametrize("theme", ["light", "dark"])
@pytest.mark.parametrize("kind", ["bar", "pie", "radar"])
def test_transparent_backgrounds_have_alpha_zero_in_the_corners(
    kind: str, theme: str, fmt: str
) -> None:
    spec = spec_of(kind, background="transparent", theme=theme, format=fmt, **KINDS[kind])
    picture = canvas_picture(spec)
    assert picture.mode == "RGBA"
    alpha = np.asarray(picture)[..., 3]
    assert alpha[0, 0] == alpha[0, -1] == alpha[-1, 0] == alpha[-1, -1] == 0
    assert (alpha == 255).sum() > 1000  # the marks are opaque


def test_named_palette_on_the_canvas() -> None:
    spec = spec_of("doughnut", palette="okabe-ito", theme="dark", **KINDS["doughnut"])
    pixels = rgb_array(canvas_picture(spec))
    for color in ("#E69F00", "#56B4E9", "#009E73"):
        target = np.array([int(color[i : i + 2], 16) for i in (1, 3, 5)])
        assert (np.abs(pixels - target).max(axis=2) <= 4).mean() > 0.01, color


def band(title: str, **query: object) -> np.ndarray:
    spec = spec_of("bar", values=["1,2"], title=title, width=300, height=200, **query)
    return rgb_array(canvas_picture(spec))[:26].astype(int)


def ink(pixels: np.ndarray) -> int:
    return int((pixels.min(axis=2) < 128).sum())


def test_a_font_choice_changes_the_glyphs() -> None:
    sans, serif, mono = (
        band("Sales"),
        band("Sales", font="DejaVu Serif"),
        band("Sales", font="dejavu sans mono"),
    )
    assert ink(serif) > 30 and ink(mono) > 30
    assert np.abs(serif - sans).mean() > 0.5 and np.abs(mono - sans).mean() > 0.5
    svg = render.render_chart(
        spec_of("bar", values=["1,2"], title="Sales", font="DejaVu Serif", format="svg")
    ).body.decode()
    assert "font-family:'DejaVu Serif'" in svg.replace('"', "'") or "DejaVu Serif" in svg


def test_cjk_and_colour_emoji_still_draw_under_a_chosen_font() -> None:
    tofu = band("\ue000\ue000\ue000", font="DejaVu Serif")
    cjk = band("销售额", font="DejaVu Serif")
    assert ink(cjk) > 20 and np.abs(cjk - tofu).mean() > 0.5
    emoji = band("Sales 😀", font="DejaVu Serif")
    r, g, b = emoji[..., 0], emoji[..., 1], emoji[..., 2]
    assert ((r > 180) & (g > 120) & (b < 90)).sum() > 10  # the yellow face, in colour
    assert np.abs(emoji - band("Sales", font="DejaVu Serif")).mean() > 0.3


def test_arabic_title_is_shaped_and_not_tofu() -> None:
    word = "مرحبا"
    tofu = band("\ue000" * len(word))
    shaped = band(word)
    assert ink(shaped) > 20 and np.abs(shaped - tofu).mean() > 0.5
    # the same letters in their isolated forms (what an unshaped renderer draws)
    isolated = band("".join(arabic_reshaper.reshape(ch) for ch in word))
    assert ink(isolated) > 20
    assert np.abs(shaped - isolated).mean() > 0.3  # joined forms are other glyphs
    columns = lambda p: int((p.min(axis=2) < 128).any(axis=0).sum())  # noqa: E731
    assert columns(shaped) < columns(isolated)  # joined letters sit closer together


def test_hebrew_and_arabic_labels_and_legends_draw_right_to_left() -> None:
    spec = spec_of("bar", values=["1,2", "2,1"], labels="שלום,مرحبا", series="אבג,abc")
    assert ink(rgb_array(canvas_picture(spec)).astype(int)) > 100
    svg = render.render_chart(spec.model_copy(update={"format": ImageFormat.svg})).body.decode()
    assert "שלום" in svg and "אבג" in svg  # SVG keeps the logical order: the viewer shapes
    flipped = band("םולש")  # the letters in the opposite order draw another picture
    assert np.abs(band("שלום") - flipped).mean() > 0.3
    assert np.abs(band("שלום") - band("\ue000" * 4)).mean() > 0.5


def test_canvas_measures_right_to_left_text_as_drawn() -> None:
    canvas = Canvas(200, 60, 1.0, ImageFormat.png, "#FFFFFF")
    joined = canvas.measure("مرحبا", size=10)[0]
    isolated = canvas.measure("".join(arabic_reshaper.reshape(ch) for ch in "مرحبا"), size=10)[0]
    assert 0 < joined < isolated
    canvas.finish()


LONG_WORDS = [f"Northern Region {i}" for i in range(6)]


def test_wrapped_labels_are_drawn_on_two_lines_inside_the_image() -> None:
    spec = spec_of("bar", values=["1,2,3,4,5,6"], labels=",".join(LONG_WORDS), width=600)
    plan = category_plan(spec, font_sizes(spec))
    assert plan is not None and plan.lines == 2 and len(plan.shown) == 6
    pixels = rgb_array(canvas_picture(spec))
    dark = pixels.max(axis=2) < 150
    rows = np.nonzero(dark[300:].any(axis=1))[0] + 300  # text below the bars
    bands = np.split(rows, np.nonzero(np.diff(rows) > 1)[0] + 1)
    assert len(bands) >= 2  # two lines of label text
    assert not dark[:, 0].any() and not dark[:, -1].any() and not dark[-1].any()  # not clipped
    one_line = spec.model_copy(update={"labels": tuple(t.replace(" ", "") for t in LONG_WORDS)})
    assert (category_plan(one_line, font_sizes(one_line)) or plan).lines == 1


#: themed, fonted and right-to-left specs both renderers draw alike. Left out, as the
#: canvas draws more there: gauges and radars in the dark theme (their muted grey text
#: is lightened; the artists keep it #555/#777), pie value labels in the dark theme
#: (kept white on the slices; the artists paint them the background colour) and emoji
#: (in colour; the artists draw outlines)
SAME_AS_ARTISTS = [
    *((kind, {"theme": "dark"}) for kind in sorted(KINDS) if kind not in ("gauge", "radar")),
    *((kind, {"font": "DejaVu Serif", "title": "Sales"}) for kind in sorted(KINDS)),
    *((kind, {"title": "שלום مرحبا"}) for kind in sorted(KINDS)),
    ("bar", {"theme": "dark", "background": "transparent", "value_labels": True}),
    ("line", {"theme": "dark", "font": "DejaVu Sans Mono", "value_labels": True}),
]


@pytest.mark.parametrize(("kind", "extra"), SAME_AS_ARTISTS)
def test_themed_canvas_pixels_are_the_artist_renderers(kind: str, extra: dict[str, object]) -> None:
    # tidy value labels (moved off lines, collisions dropped) are the canvas's own
    spec = spec_of(kind, **KINDS[kind], **extra).model_copy(update={"tidy_labels": False})
    canvas = np.asarray(canvas_picture(spec).convert("RGBA"))
    artists = np.asarray(decode(render_with_artists(spec).body).convert("RGBA"))
    assert np.array_equal(canvas, artists)
