"""Styling parameters parsed Google's way: readable parts apply, the rest warn and skip."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from chartographer.charts.artists.decorations import fill_pixels
from chartographer.charts.artists.venn import centre_distance, lens_area
from chartographer.charts.google import styles
from chartographer.charts.google.axes import AxisContext, parse_axes
from chartographer.charts.google.chart import blend
from chartographer.charts.google.query import GoogleQuery
from chartographer.charts.styling import Fill
from chartographer.errors import LimitExceeded
from tests.charts.googlecheck import fetch, share


def q(**params: str) -> GoogleQuery:
    return GoogleQuery(dict(params))


def test_fills_skip_what_they_cannot_read() -> None:
    query = q(chf="bg|c,s,zz|bg,qq,1|c,lg,0,FF0000,0|bg,ls,0,FF0000,0|a,s,000000|b0,s,00FF00")
    fills = styles.parse_fills(query)
    assert set(fills) == {"a", "b0"}
    text = " ".join(query.warnings)
    for part in (
        "needs <area>",
        "not a colour",
        "'qq'",
        "needs colour,offset",
        "above 0",
    ):
        assert part in text
    gradient = styles.parse_fills(q(chf="c,lg,0,FF0000,0,zz,1,0000FF,1"))["c"]
    assert gradient.colors == ("#FF0000", "#0000FF")


def test_marker_points_and_refusals() -> None:
    query = q()
    assert styles.parse_points(query, "2:8:3") == (2, 8, 3)
    assert styles.parse_points(query, "::") == (0, -1, 1)
    assert styles.parse_points(query, "-3") == (0, -1, 3)
    assert styles.parse_points(query, "x") is None
    markers = styles.parse_markers(
        q(chm="o,zz,0,0,5|o,FF0000,0,x,5|b,FF0000,0,7,0|o,FF0000,0,0,5,-1"), series_count=1
    )
    assert len(markers) == 1 and markers[0].above is False


def test_numbers_out_of_range_take_the_default() -> None:
    query = q()
    assert query.number("1e99", "chg", 3.0) == 3.0
    assert query.number("nan", "chg", 3.0) == 3.0
    assert "out of range" in query.warnings[0]
    assert q().size((10, 20)) == (10, 20)
    with pytest.raises(LimitExceeded):
        GoogleQuery.from_pairs([("chd", "x" * 64_001)])


def test_axes_positions_ranges_and_styles() -> None:
    query = q(
        chxt="x,y,r,t",
        chxl="0:|a|b|c",
        chxp="0,0,25,100|1,0,33.3,100|x,1",
        chxr="2,0,10,2.5|3,0,1e9,1",
        chxs="1,FF0000,10,0,_,00FF00,0000FF|2,,,,l,zz|q,1",
    )
    strips = parse_axes(query, AxisContext(bars=3))
    assert strips[0].positions == (0.0, 0.25, 1.0) and strips[0].labels == ("a", "b", "c")
    assert strips[1].labels == ("0", "33.3", "100")
    assert strips[1].color == "#FF0000" and strips[1].tick_color == "#00FF00"
    assert strips[1].axis_color == "#0000FF" and not strips[1].line and not strips[1].ticks
    assert strips[2].labels == ("0", "2.5", "5", "7.5", "10")
    assert strips[2].line and not strips[2].ticks
    assert len(strips[3].labels) <= 7  # a step too small for the range: automatic ticks
    assert any("axis index" in w for w in query.warnings)
    orphan = q(chxt="x", chxl="a|b")
    assert parse_axes(orphan, AxisContext()) == parse_axes(q(chxt="x"), AxisContext())
    assert "chxl" in orphan.warnings[0]


def test_gradients_and_stripes_paint_as_specified() -> None:
    solid = fill_pixels(Fill(kind="solid", colors=("#FF0000",)), 4, 3)
    assert solid.shape == (3, 4, 4) and (solid[..., 0] == 1).all()
    across = fill_pixels(Fill(kind="gradient", colors=("#000000", "#FFFFFF"), stops=(0, 1)), 8, 2)
    assert across[0, 0, 0] < across[0, -1, 0]  # 0°: left to right
    upward = fill_pixels(
        Fill(kind="gradient", colors=("#000000", "#FFFFFF"), stops=(0, 1), angle=90), 2, 8
    )
    assert upward[-1, 0, 0] < upward[0, 0, 0]  # 90°: bottom to top
    stripes = fill_pixels(
        Fill(kind="stripes", colors=("#000000", "#FFFFFF"), stops=(0.25, 0.25)), 8, 1
    )
    assert list(stripes[0, :, 0]) == [0, 0, 1, 1, 0, 0, 1, 1]


def test_colour_helpers_and_venn_geometry() -> None:
    assert blend(["#FF0000"], 3) == ("#FF0000",) * 3
    assert blend(["#000000", "#FFFFFF"], 3)[1] == "#808080"
    assert lens_area(1, 1, 3) == 0.0
    assert lens_area(1, 0.5, 0.1) == pytest.approx(3.14159 * 0.25, rel=1e-4)
    assert centre_distance(1, 1, 0) == 2
    assert centre_distance(1, 0.5, 10) == 0.5
    d = centre_distance(1, 1, 1.0)
    assert lens_area(1, 1, d) == pytest.approx(1.0, rel=1e-6)


def test_background_gradient_under_a_solid_plot_area(client: TestClient) -> None:
    image, _ = fetch(
        client, "cht=lc&chs=200x120&chd=t:10,90&chf=bg,lg,0,FF0000,0,0000FF,1|c,s,FFFFFF"
    )
    assert share(image.crop((90, 40, 110, 60)), "FFFFFF", tolerance=3) > 0.5
    assert image.getpixel((1, 60))[0] > 200 and image.getpixel((198, 60))[2] > 200


def test_pie_with_fewer_slice_colours_interpolates(client: TestClient) -> None:
    image, _ = fetch(client, "cht=p&chs=200x100&chd=t:1,1,1&chco=FF0000|0000FF")
    assert share(image, "800080", tolerance=12) > 0.01
