"""cht=map and legacy cht=t: the asked regions are coloured, the others are not."""

from __future__ import annotations

import numpy as np
import pytest
from fastapi.testclient import TestClient
from PIL import Image

from chartographer.charts.google.choropleth import blend
from chartographer.charts.special.choropleth import MapChartSpec, Projection, unwrapped
from tests.charts.googlecheck import encode_raw, fetch

# points well inside each country / state: (lng, lat)
PARIS = (2.35, 48.85)
MADRID = (-3.70, 40.42)
BERLIN = (13.40, 52.52)
PAMPLONA = (-1.64, 42.81)  # Spain, near the French border
FRANKFURT = (8.68, 50.11)
SACRAMENTO = (-121.5, 38.6)
RENO = (-119.8, 39.5)  # Nevada, just across the state line
AUSTIN = (-97.74, 30.27)


def spec_for(client: TestClient, query: str) -> tuple[Image.Image, MapChartSpec]:
    from chartographer.charts.google.choropleth import map_spec
    from chartographer.charts.google.query import GoogleQuery
    from chartographer.formats import ImageFormat

    image, _ = fetch(client, query)
    pairs = [tuple(p.split("=", 1)) for p in query.split("&")]
    cht, _, variant = dict(pairs)["cht"].partition(":")
    spec = map_spec(GoogleQuery.from_pairs(pairs), cht, variant, ImageFormat.png)  # type: ignore[arg-type]
    return image, spec


def pixel_at(image: Image.Image, spec: MapChartSpec, lng: float, lat: float) -> tuple[int, ...]:
    x, y = Projection(spec).point(lng, lat)
    assert 0 <= x < image.width and 0 <= y < image.height, "point outside the map"
    return tuple(image.convert("RGB").getpixel((round(x), round(y))))


def close(pixel: tuple[int, ...], color: str, tolerance: int = 12) -> bool:
    rgb = [int(color[i : i + 2], 16) for i in (0, 2, 4)]
    return all(abs(a - b) <= tolerance for a, b in zip(pixel[:3], rgb, strict=True))


def test_france_is_coloured_and_spain_is_not(client: TestClient) -> None:
    image, spec = spec_for(client, "cht=map&chs=400x300&chld=FR&chco=BEBEBE,FF0000")
    assert image.size == (400, 300)
    assert close(pixel_at(image, spec, *PARIS), "FF0000")
    assert close(pixel_at(image, spec, *PAMPLONA), "BEBEBE")
    assert close(pixel_at(image, spec, *FRANKFURT), "BEBEBE")
    # the automatic fit shows mainland France, not the whole world with it
    red = np.all(np.abs(np.asarray(image, dtype=int) - [255, 0, 0]) <= 12, axis=-1)
    assert red.mean() > 0.15
    assert close(image.getpixel((2, 2)), "FFFFFF")  # sea: the background


def test_the_world_view_shows_every_country(client: TestClient) -> None:
    image, spec = spec_for(client, "cht=map:fixed=-60,-180,84,180&chs=600x300&chld=BR|AU")
    # defaults: grey countries, the regions along Google's default gradient
    assert close(pixel_at(image, spec, -47.9, -15.8), "EDF0D4")  # Brasília, first colour
    assert close(pixel_at(image, spec, 134.0, -25.0), "13390A")  # Australia, last colour
    assert close(pixel_at(image, spec, *MADRID), "BEBEBE")
    assert close(pixel_at(image, spec, 100.0, 60.0), "BEBEBE")  # Siberia, drawn once


def test_data_values_pick_colours_along_the_gradient(client: TestClient) -> None:
    query = "cht=map&chs=500x300&chld=FR|ES|DE&chd=t:0,50,100&chco=FFFFFF,0000FF,FF0000"
    image, spec = spec_for(client, query)
    assert close(pixel_at(image, spec, *PARIS), "0000FF")
    assert close(pixel_at(image, spec, *MADRID), blend(["#0000FF", "#FF0000"], 0.5)[1:], 16)
    assert close(pixel_at(image, spec, *BERLIN), "FF0000")
    assert close(pixel_at(image, spec, 12.5, 41.9), "FFFFFF")  # Rome: the default colour


def test_us_states(client: TestClient) -> None:
    query = "cht=map&chs=500x300&chld=US-CA|US-TX&chco=DDDDDD|00AA00|AA00AA"
    image, spec = spec_for(client, query)
    assert close(pixel_at(image, spec, *SACRAMENTO), "00AA00")
    assert close(pixel_at(image, spec, *AUSTIN), "AA00AA")
    assert close(pixel_at(image, spec, *RENO), "DDDDDD")


def test_background_fill(client: TestClient) -> None:
    image, spec = spec_for(client, "cht=map&chs=300x200&chld=FR&chf=bg,s,336699")
    assert close(image.getpixel((1, 1)), "336699")
    assert close(pixel_at(image, spec, -3.5, 45.5), "336699")  # the Bay of Biscay


def test_auto_padding_and_fixed_bounds(client: TestClient) -> None:
    _, tight = spec_for(client, "cht=map&chs=300x300&chld=FR")
    _, padded = spec_for(client, "cht=map:auto=5,5,5,5&chs=300x300&chld=FR")
    assert padded.bounds[0] == pytest.approx(tight.bounds[0] - 5)
    assert padded.bounds[3] == pytest.approx(tight.bounds[3] + 5)
    image, fixed = spec_for(client, "cht=map:fixed=35,-10,60,20&chs=300x300&chld=DE")
    assert fixed.bounds == (-10.0, 35.0, 20.0, 60.0)
    assert close(pixel_at(image, fixed, *BERLIN), "13390A")


def test_legacy_t_with_chtm(client: TestClient) -> None:
    image, spec = spec_for(
        client, "cht=t&chs=440x220&chtm=europe&chld=FRDE&chd=t:0,100&chco=FFFFFF,00FF00,0000FF"
    )
    assert close(pixel_at(image, spec, *PARIS), "00FF00")
    assert close(pixel_at(image, spec, *BERLIN), "0000FF")
    assert close(pixel_at(image, spec, *MADRID), "FFFFFF")
    assert close(image.getpixel((1, 1)), "EAF7FE")  # the legacy sea colour
    usa, us_spec = spec_for(client, "cht=t&chs=440x220&chtm=usa&chld=CA&chco=FFFFFF,FF0000")
    assert close(pixel_at(usa, us_spec, *SACRAMENTO), "FF0000")


@pytest.mark.parametrize(
    ("query", "status", "param"),
    [
        ("cht=map&chs=601x300&chld=FR", 413, "chs"),
        ("cht=map&chs=600x600&chld=FR", 413, "chs"),  # 360,000 > Google's 300,000
        ("cht=t&chs=441x220&chld=FR", 413, "chs"),
        ("cht=map&chs=300x200", 400, "chld"),
        ("cht=map&chs=300x200&chld=XX|QQ", 400, "chld"),
        ("cht=map:fixed=1,2,3&chs=300x200&chld=FR", 400, "cht"),
        ("cht=map:fixed=50,0,40,10&chs=300x200&chld=FR", 400, "cht"),
        ("cht=map:zoom=3&chs=300x200&chld=FR", 400, "cht"),
        ("cht=t&chs=300x200&chld=FR&chtm=moon", 400, "chtm"),
        ("cht=map&chs=300x200&chld=FR&chof=svg", 400, "chof"),
    ],
)
def test_map_problems_name_the_parameter(
    client: TestClient, query: str, status: int, param: str
) -> None:
    response = client.get("/chart?" + encode_raw(query))
    assert response.status_code == status, response.text
    assert response.json()["param"] == param


def test_unknown_codes_and_unsupported_params_warn(client: TestClient) -> None:
    response = client.get(
        "/chart?" + encode_raw("cht=map&chs=300x200&chld=FR|XX&chtt=Hi&chf=c,s,000000")
    )
    assert response.status_code == 200
    warning = response.headers["x-chartographer-warning"]
    assert "'XX'" in warning and "chtt" in warning and "chf" in warning


def test_missing_values_use_the_default_colour(client: TestClient) -> None:
    query = "cht=map&chs=400x300&chld=FR|ES&chd=t:100&chco=BEBEBE,00FF00,FF0000"
    response = client.get("/chart?" + encode_raw(query))
    assert "2 regions" in response.headers["x-chartographer-warning"]
    image, spec = spec_for(client, query)
    assert close(pixel_at(image, spec, *PARIS), "FF0000")
    assert close(pixel_at(image, spec, *MADRID), "BEBEBE")


def test_antimeridian_rings_do_not_streak() -> None:
    ring = np.array(
        [
            [170.0, 60.0],
            [180.0, 60.0],
            [-180.0, 60.0],
            [-170.0, 60.0],
            [-170.0, 65.0],
            [170.0, 65.0],
        ]
    )
    parts = unwrapped(ring)
    assert len(parts) == 2
    assert np.abs(np.diff(parts[0][:, 0])).max() <= 180
    pole = np.array(
        [[-180.0, -70.0], [0.0, -70.0], [180.0, -70.0], [180.0, -90.0], [-180.0, -90.0]]
    )
    assert len(unwrapped(pole)) == 1


def test_blend_ends() -> None:
    assert blend(["#000000", "#FFFFFF"], 0) == "#000000"
    assert blend(["#000000", "#FFFFFF"], 2) == "#FFFFFF"
    assert blend(["#123456"], 0.5) == "#123456"


def test_world_edge_under_one_pixel_from_the_border() -> None:
    # found by the property test: the ±180° edge a fraction of a pixel inside the image
    from chartographer.charts.special.choropleth import draw_map_chart

    for width in (599, 600, 601):
        spec = MapChartSpec(
            width=width // 2,
            height=200,
            regions=(("FR", "#FF0000"),),
            bounds=(-180.0, -58.0, 180.0, 84.0),
        )
        assert draw_map_chart(spec).size == (width // 2, 200)
