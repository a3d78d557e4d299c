"""Pies, doughnuts, radars and gauges drawn on the canvas: what a person sees in the pixels."""

from __future__ import annotations

import io
import math
import re
from urllib.parse import parse_qsl

import numpy as np
import pytest
from PIL import Image

from chartographer.charts.draw.canvas import Canvas
from chartographer.charts.draw.round import draw_round, plot_box, supports_round
from chartographer.charts.google.build import GoogleOptions, plan_chart
from chartographer.charts.google.query import GoogleQuery
from chartographer.charts.layout import font_sizes
from chartographer.charts.native.params import Limits
from chartographer.charts.spec import ChartKind, ChartSpec, Series
from chartographer.charts.styling import Marker, Styling
from chartographer.formats import ImageFormat

LIMITS = Limits(
    max_width=1000,
    max_height=1000,
    max_pixels=1_000_000,
    max_points=1000,
    max_series=10,
    max_label_length=200,
    max_labels=100,
)


def google(query: str) -> ChartSpec:
    plan = plan_chart(GoogleQuery.from_pairs(parse_qsl(query)), GoogleOptions(limits=LIMITS))
    spec: ChartSpec = plan.argument
    return spec


def draw(spec: ChartSpec) -> bytes:
    assert supports_round(spec)
    canvas = Canvas(spec.width, spec.height, spec.scale, spec.format, spec.background)
    draw_round(canvas, spec, font_sizes(spec))
    return canvas.finish(spec.styling.opacity).body


def pixels(spec: ChartSpec, mode: str = "RGB") -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(draw(spec))).convert(mode), dtype=int)


def near(image: np.ndarray, color: str, tolerance: int = 24) -> np.ndarray:
    rgb = [int(color[i : i + 2], 16) for i in (0, 2, 4)]
    found: np.ndarray = np.all(np.abs(image[..., :3] - rgb) <= tolerance, axis=-1)
    return found


def disc(image: np.ndarray, colors: tuple[str, ...]) -> tuple[float, float, float, float]:
    """Centre and half-extents (x, y) of the pixels in any of ``colors``, found in the image."""
    mask = np.zeros(image.shape[:2], dtype=bool)
    for color in colors:
        mask |= near(image, color)
    ys, xs = np.nonzero(mask)
    return (
        (xs.min() + xs.max()) / 2,
        (ys.min() + ys.max()) / 2,
        (xs.max() - xs.min()) / 2,
        (ys.max() - ys.min()) / 2,
    )


def at_angle(
    image: np.ndarray, centre: tuple[float, float], r: float, degrees: float
) -> np.ndarray:
    """The pixel ``r`` px from ``centre`` at ``degrees`` anticlockwise from 3 o'clock."""
    x = centre[0] + r * math.cos(math.radians(degrees))
    y = centre[1] - r * math.sin(math.radians(degrees))
    pixel: np.ndarray = image[round(y), round(x)]
    return pixel


RGB = ("FF0000", "00AA00", "0000FF")


@pytest.mark.parametrize(
    ("chp", "first"),
    [("", 0.0), ("&chp=1.5708", -90.0), ("&chp=3.1416", -180.0)],
)
def test_google_slices_start_at_three_oclock_and_chp_turns_them_clockwise(
    chp: str, first: float
) -> None:
    spec = google("cht=p&chs=300x300&chd=t:25,25,50&chco=FF0000|00AA00|0000FF" + chp)
    image = pixels(spec)
    cx, cy, rx, _ = disc(image, RGB)
    # clockwise from ``first``: red for a quarter, green the next quarter, blue the half
    for offset, color in ((-45, "FF0000"), (-135, "00AA00"), (-270, "0000FF")):
        pixel = at_angle(image, (cx, cy), rx * 0.6, first + offset)
        assert near(pixel[None], color)[0], (offset, color, pixel)


def test_native_slices_start_at_twelve_oclock() -> None:
    spec = ChartSpec(
        kind=ChartKind.pie,
        series=(Series(values=(25.0, 75.0), point_colors=("#FF0000", "#0000FF")),),
        width=240,
        height=240,
    )
    image = pixels(spec)
    cx, cy, rx, _ = disc(image, ("FF0000", "0000FF"))
    assert near(at_angle(image, (cx, cy), rx * 0.6, 45)[None], "FF0000")[0]  # upper right
    assert near(at_angle(image, (cx, cy), rx * 0.6, 135)[None], "0000FF")[0]  # upper left


def test_p3_is_squashed_and_shows_a_darker_rim_below_its_front() -> None:
    spec = google("cht=p3&chs=400x200&chd=t:1&chco=FF0000")
    image = pixels(spec)
    cx, cy, rx, ry = disc(image, ("FF0000",))
    assert ry / rx == pytest.approx(0.55, abs=0.03)  # the top face, seen from above at a tilt
    column = image[:, round(cx)]
    rim = near(column, "B30000", 12)  # 70 % of the slice colour
    below = np.nonzero(rim)[0]
    assert len(below) >= 10  # a band of the rim colour under the face…
    assert below.min() >= cy + ry - 2  # …below it, not on it
    assert not near(image[: round(cy - ry) - 2], "B30000", 12).any()  # nothing behind


def test_google_labels_spread_apart_stay_inside_and_have_leaders() -> None:
    labels = "|".join(f"slice number {i}" for i in range(8))
    spec = google(
        f"cht=p&chs=360x220&chd=t:40,30,1,1,1,1,1,25&chl={labels}&chco=FF0000|00AA00|0000FF"
    )
    image = pixels(spec)
    ink = np.all(image < 110, axis=-1)  # text is dark grey (#333)
    assert not ink[:, :2].any() and not ink[:, -2:].any()  # no label runs off the image
    assert not ink[:2].any() and not ink[-2:].any()
    # eight separate lines of text: count the bands of rows holding ink beside the pie
    cx = disc(image, RGB)[0]
    for side in (ink[:, : round(cx) - 60], ink[:, round(cx) + 60 :]):
        rows = side.any(axis=1)
        bands = int(np.count_nonzero(np.diff(np.concatenate([[0], rows, [0]])) == 1))
        assert bands >= 2
    # the small slices' labels do not pile up: total bands equals the label count
    left = ink[:, : round(cx) - 60].any(axis=1)
    right = ink[:, round(cx) + 60 :].any(axis=1)
    count = sum(
        int(np.count_nonzero(np.diff(np.concatenate([[0], r, [0]])) == 1)) for r in (left, right)
    )
    assert count == 8
    assert near(image, "999999", 10).any()  # leader lines


def test_pie_legend_lists_each_slice_in_its_colour() -> None:
    spec = google("cht=p&chs=360x200&chd=t:1,2,3&chdl=one|two|three&chco=FF0000|00AA00|0000FF")
    image = pixels(spec)
    cx, _, rx, _ = disc(image[:, :200], RGB)
    legend = image[:, round(cx + rx) + 8 :]
    for color in RGB:  # a swatch of every slice colour right of the pie
        assert near(legend, color).sum() >= 20, color
    assert np.all(legend < 110, axis=-1).any()  # and the names beside them


def test_chf_c_fills_the_plot_box_and_chf_a_makes_the_image_translucent() -> None:
    spec = google("cht=p&chs=300x200&chd=t:60,40&chf=c,s,DDEEFF|a,s,00000080")
    image = pixels(spec, "RGBA")
    assert spec.styling.opacity is not None
    assert np.all(np.abs(image[..., 3] - 128) <= 1)
    face = near(image, "DDEEFF", 3)
    box = plot_box(spec, font_sizes(spec))
    assert face.any()
    _ys, xs = np.nonzero(face)
    assert xs.min() >= box.left - 1 and xs.max() <= box.left + box.width + 1
    assert not face[:, :5].any()  # the background around the plot box is not filled


def test_value_labels_are_drawn_on_the_slices_in_white() -> None:
    spec = ChartSpec(
        kind=ChartKind.doughnut,
        series=(Series(values=(50.0, 50.0), point_colors=("#000080", "#800000")),),
        value_labels=True,
        width=300,
        height=300,
    )
    image = pixels(spec)
    white = np.all(image > 230, axis=-1)
    cx, cy, rx, _ = disc(image, ("000080", "800000"))
    ring = white[round(cy) - 20 : round(cy) + 20]
    # white digits on the ring, left and right of the hole (which is white as a whole)
    assert ring[:, round(cx + rx * 0.75) - 15 : round(cx + rx * 0.75) + 15].mean() > 0.02
    assert white[round(cy), round(cx)]  # the hole


def _radar(query: str) -> tuple[ChartSpec, np.ndarray]:
    spec = google(query)
    return spec, pixels(spec)


def test_radar_draws_spokes_rings_and_labels() -> None:
    _spec, image = _radar("cht=r&chs=300x300&chd=t:50,50,50,50&chxl=0:|N|E|S|W&chxt=x")
    grid = near(image, "DDDDDD", 6)
    h, w = grid.shape
    assert grid[: h // 2 - 10, w // 2 - 2 : w // 2 + 3].any()  # the spoke to 12 o'clock
    assert grid.sum() > 400  # rings and spokes
    ink = np.all(image < 110, axis=-1)
    assert ink[: h // 4].any() and ink[-h // 4 :].any()  # N above, S below


@pytest.mark.parametrize(("values", "closed"), [("10,90,90,10", True), ("10,90,90", False)])
def test_radar_closes_a_series_only_when_google_repeats_the_first_value(
    values: str, closed: bool
) -> None:
    """Google closes a radar line whose last value repeats the first; others stay open."""
    spec, image = _radar(f"cht=r&chs=300x300&chd=t:{values}&chco=FF0000&chxl=0:|a|b|c&chxt=x")
    box = plot_box(spec, font_sizes(spec))
    side = min(box.width, box.height)
    unit = side / 2.1
    cx, cy = box.left + box.width / 2, box.top + box.height / 2
    # the closing segment runs from spoke 2 (radius 0.9) back to spoke 0 (radius 0.1)
    p2 = (
        cx + 0.9 * unit * math.cos(math.radians(-150)),
        cy - 0.9 * unit * math.sin(-5 * math.pi / 6),
    )
    p0 = (cx, cy - 0.1 * unit)
    mid = ((p2[0] + p0[0]) / 2, (p2[1] + p0[1]) / 2)
    patch = near(
        image[round(mid[1]) - 2 : round(mid[1]) + 3, round(mid[0]) - 2 : round(mid[0]) + 3],
        "FF0000",
        60,
    )
    assert bool(patch.any()) is closed


def test_radar_chm_b_fills_the_series_and_shapes_mark_its_points() -> None:
    _spec, image = _radar(
        "cht=r&chs=300x300&chd=t:80,80,80,80&chco=0000FF&chm=B,FFCC00,0,0,0|o,00AA00,0,-1,10"
    )
    h, w = image.shape[:2]
    assert near(image[h // 2 - 5 : h // 2 + 5, w // 2 - 5 : w // 2 + 5], "FFCC00", 30).mean() > 0.5
    assert near(image, "00AA00", 30).sum() > 4 * 40  # four dots


def test_native_radar_is_filled_faintly_and_closed() -> None:
    spec = ChartSpec(
        kind=ChartKind.radar,
        series=(Series(values=(4.0, 4.0, 4.0, None), color="#FF0000"),),
        labels=("a", "b", "c", "d"),
        width=300,
        height=300,
    )
    image = pixels(spec)
    faint = np.all(np.abs(image - [255, 204, 204]) <= 12, axis=-1)  # red at 20 % on white
    assert faint.sum() > 500


def test_radar_markers_the_canvas_cannot_draw_fall_back() -> None:
    spec = google("cht=r&chs=200x200&chd=t:1,2,3&chm=N,000000,0,-1,10")
    assert not supports_round(spec)
    spec = spec.model_copy(
        update={"styling": Styling(markers=(Marker(type="o", color="#000000", series=5),))}
    )
    assert not supports_round(spec)


def test_gauge_needle_points_at_its_value_and_labels_show() -> None:
    spec = google("cht=gom&chs=300x200&chd=t:25&chl=Quarter&chxt=x,y&chxl=0:|Quarter|1:|slow|fast")
    image = pixels(spec)
    ink = np.all(image < 80, axis=-1)  # the needle and hub are #333
    ys, xs = np.nonzero(ink)
    hub_y = ys.max()
    # the needle at 25 % leans left of the hub: ink up and to the left of the centre column
    hub_x = np.median(xs[ys > hub_y - 5])
    upper = ys < hub_y - 30
    assert (xs[upper] < hub_x).mean() > 0.8
    grey = np.all(np.abs(image - 0x55) <= 30, axis=-1)  # the dial labels (#555)
    assert grey[:, : image.shape[1] // 3].any() and grey[:, -image.shape[1] // 3 :].any()


def test_native_gauge_shows_its_ends_and_value() -> None:
    spec = ChartSpec(kind=ChartKind.gauge, series=(Series(values=(80.0,)),), width=300, height=200)
    image = pixels(spec)
    bands = [near(image, c, 10).sum() for c in ("59A14F", "EDC948", "E15759")]
    assert all(b > 500 for b in bands)
    ink = np.all(image < 80, axis=-1)
    ys, xs = np.nonzero(ink)
    assert xs[ys < ys.max() - 40].mean() > image.shape[1] / 2  # 80 %: the needle leans right


def test_svg_keeps_text_as_text_and_sizes_in_px() -> None:
    spec = google("cht=p&chs=300x200&chd=t:1,2&chl=apples|pears&chof=svg")
    assert spec.format is ImageFormat.svg
    body = draw(spec).decode()
    assert re.search(r'width="300px" height="200px"', body)
    assert "apples" in body and "<text" in body


def test_scale_multiplies_the_pixels() -> None:
    spec = ChartSpec(
        kind=ChartKind.pie,
        series=(Series(values=(1.0, 1.0), point_colors=("#FF0000", "#0000FF")),),
        width=200,
        height=100,
        scale=2,
    )
    image = pixels(spec)
    assert image.shape[:2] == (200, 400)
    assert near(image, "FF0000").sum() == pytest.approx(near(image, "0000FF").sum(), rel=0.05)


SAME_AS_ARTISTS = [
    "cht=p&chs=300x200&chd=t:30,20,50&chl=red|green|blue",
    "cht=p3&chs=400x200&chd=t:30,20,50&chl=alpha|beta|gamma&chdl=A|B|C&chtt=Hello",
    "cht=p&chp=1.2&chs=300x200&chd=t:1,2,3,4,5,6&chl=a|b|c|d|e|f&chco=FF0000",
    "cht=pc&chs=300x300&chd=t:1,2,3|4,5,6&chp=1&chdl=x|y",
    "cht=pd&chs=300x200&chd=t:1,2&chf=c,s,DDEEFF|bg,s,FFFFEE",
    "cht=p&chs=300x200&chd=t:1,2&chf=a,s,00000080&chdl=one|two&chdlp=b",
    "cht=r&chs=300x300&chd=t:10,20,30,40,50,10&chxl=0:|a|b|c|d|e&chxt=x,y"
    "&chm=B,FF000080,0,0,0|o,0000FF,0,-1,8|s,00FF00,0,-1,6|D,000000,0,0,1&chdl=s1&chg=10,10,4,2",
    "cht=r&chs=250x250&chd=t:10,_,30,40|5,5,5,5&chco=FF0000,0000FF&chls=3|1",
    "cht=gom&chs=300x200&chd=t:70,20&chl=Hi|Lo&chxt=x,y&chxl=0:|Groovy|1:||faster|",
    "cht=gom&chs=150x100&chd=t:70&chl=Hello&chtt=Meter",
    "cht=v&chs=300x200&chd=t:100,80,60,30,30,30,10&chdl=A|B|C",
    "cht=v&chs=200x100&chd=t:100,50,0,20",
]


@pytest.mark.parametrize("query", SAME_AS_ARTISTS)
def test_the_canvas_draws_the_artist_renderers_pixels(query: str) -> None:
    """The port keeps every behaviour: the very pixels the matplotlib artists drew."""
    from chartographer.charts.render import render_chart, render_with_artists

    spec = google(query)
    assert supports_round(spec)
    # Google's pies keep the legacy labels; native ``pie_labels`` are the canvas's own
    assert spec.pie_labels is None
    canvas = np.asarray(Image.open(io.BytesIO(render_chart(spec).body)).convert("RGBA"))
    artists = np.asarray(Image.open(io.BytesIO(render_with_artists(spec).body)).convert("RGBA"))
    assert np.array_equal(canvas, artists)


def test_a_gradient_behind_a_pie_is_the_artists_gradient_within_a_level() -> None:
    """The canvas computes the gradient at the output resolution; the artists resampled
    a 256×256 image: the two differ by rounding only."""
    from chartographer.charts.render import render_chart, render_with_artists

    spec = google("cht=p&chs=300x200&chd=t:1,2&chf=bg,lg,0,FF0000,0,0000FF,1")
    canvas = np.asarray(Image.open(io.BytesIO(render_chart(spec).body)).convert("RGB"), int)
    artists = np.asarray(Image.open(io.BytesIO(render_with_artists(spec).body)).convert("RGB"), int)
    assert np.abs(canvas - artists).max() <= 2


def test_venn_circles_overlap_as_the_data_says() -> None:
    spec = google("cht=v&chs=300x200&chd=t:100,100,0,50&chco=FF0000,0000FF")
    image = pixels(spec)
    # 55 % red and blue on white; where they overlap, a mix of both
    red = np.all(np.abs(image - [255, 115, 115]) <= 12, axis=-1)
    blue = np.all(np.abs(image - [115, 115, 255]) <= 12, axis=-1)
    both = (image[..., 0] < 130) & (image[..., 2] > 60) & (image[..., 1] < 90)
    assert red.sum() > 1000 and blue.sum() > 1000 and both.sum() > 300
    red_x = np.nonzero(red)[1].mean()
    blue_x = np.nonzero(blue)[1].mean()
    assert red_x < blue_x  # A on the left, B to its right
    assert red.sum() == pytest.approx(blue.sum(), rel=0.1)  # equal sizes


def test_gradient_backgrounds_are_painted_behind_round_charts() -> None:
    spec = google("cht=r&chs=200x200&chd=t:1,2,3&chf=bg,lg,0,FF0000,0,0000FF,1|c,s,00FF00")
    image = pixels(spec)
    assert near(image[5, 2][None], "FF0000", 30)[0]  # the left edge red…
    assert near(image[5, -3][None], "0000FF", 30)[0]  # …the right edge blue
    assert near(image, "00FF00", 10).sum() > 1000  # and the plot face over it
    spec = google("cht=gom&chs=200x120&chd=t:50&chf=c,lg,90,FFFF00,0,00FFFF,1")
    image = pixels(spec)
    assert near(image, "FFFF00", 40).any() and near(image, "00FFFF", 40).any()


def test_a_series_drawn_below_its_markers_and_value_labels_on_rings() -> None:
    spec = google(
        "cht=r&chs=240x240&chd=t:50,60,70&chco=0000FF&chm=D,FF0000,0,0,10,-1|B,00FF00,0,0,0"
    )
    assert spec.styling.markers[0].above is False
    image = pixels(spec)
    assert near(image, "FF0000", 40).sum() > 50  # the line marker
    assert near(image, "00FF00", 10).sum() > 500  # the fill
    rings = ChartSpec(
        kind=ChartKind.doughnut,
        series=(Series(values=(1.0, 1.0)), Series(values=(0.0, 0.0)), Series(values=(2.0,))),
        value_labels=True,
        width=200,
        height=200,
    )
    assert np.all(pixels(rings) > 230, axis=-1).any()


def test_what_the_canvas_does_not_draw_stays_with_the_artists() -> None:
    bar = ChartSpec(kind=ChartKind.bar, series=(Series(values=(1.0,)),))
    assert not supports_round(bar)
    pie = google("cht=p&chs=200x200&chd=t:1,2")
    axes = pie.model_copy(update={"styling": pie.styling.model_copy(update={"axes": ()})})
    assert not supports_round(axes)
    marked = pie.model_copy(
        update={"styling": Styling(markers=(Marker(type="o", color="#000000", series=0),))}
    )
    assert not supports_round(marked)


def test_meter_dial_labels_at_the_ends_stay_inside_the_image() -> None:
    """The artist renderer let "slow" and "crazy" run off the image's sides."""
    spec = google(
        "cht=gom&chs=300x200&chd=t:70&chxt=x,y&chxl=0:|Groovy|1:|slow|faster|crazy&chco=FF0000"
    )
    image = pixels(spec)
    grey = np.all(np.abs(image - 0x55) <= 40, axis=-1)  # the dial labels are #555
    assert not grey[:, :2].any() and not grey[:, -2:].any()
    third = image.shape[1] // 3
    assert grey[:, :third].sum() > 30 and grey[:, -third:].sum() > 30  # both ends labelled


def test_a_field_the_round_drawers_do_not_draw_keeps_the_artists() -> None:
    from chartographer.charts.styling import MarkerSeries

    pie = google("cht=p&chs=200x200&chd=t:1,2")
    compound = pie.model_copy(
        update={"styling": Styling(marker_series=(MarkerSeries(values=(1.0,)),))}
    )
    assert supports_round(pie) and not supports_round(compound)
