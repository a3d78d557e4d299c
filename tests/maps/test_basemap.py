"""The built-in basemap: land and water where Natural Earth has them, styled by Google rules."""

from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image

from chartographer.errors import InvalidParameter
from chartographer.maps import basemap
from chartographer.maps.geo import project
from chartographer.maps.mapstyle import DEFAULT, BasemapStyle, parse_color, parse_styles
from tests.maps.conftest import MapClient, TileServer

# the README's map: the Atlantic and France at zoom 4 (see README.md)
README_MAP = "/maps/api/staticmap?center=46,-10&zoom=4&size=600x300&markers=color:red|48.857,2.352"
WATER, LAND = DEFAULT.water[:3], DEFAULT.land[:3]


def pixel_of(lat: float, lng: float, center: tuple[float, float], zoom: int, size: tuple[int, int]):
    cx, cy = project(*center, zoom)
    x, y = project(lat, lng, zoom)
    return round(x - cx + size[0] / 2), round(y - cy + size[1] / 2)


def near(color: tuple[int, ...], want: tuple[int, ...], tolerance: int = 6) -> bool:
    return all(abs(a - b) <= tolerance for a, b in zip(color[:3], want, strict=True))


def open_image(body: bytes) -> Image.Image:
    return Image.open(io.BytesIO(body))


def test_readme_map_offline_falls_back_to_land_and_water(
    map_client: MapClient, tile_server: TileServer
) -> None:
    tile_server.down = True  # as on a machine without internet
    response = map_client().get(README_MAP)
    assert response.status_code == 200
    assert response.headers["content-type"] == "image/png"
    assert "built-in Natural Earth basemap" in response.headers["x-chartographer-warning"]
    image = open_image(response.content).convert("RGB")
    assert image.size == (600, 300)
    atlantic = pixel_of(45.0, -25.0, (46, -10), 4, image.size)
    france = pixel_of(46.5, 2.5, (46, -10), 4, image.size)  # central France, away from labels
    assert near(image.getpixel(atlantic), WATER)
    assert near(image.getpixel(france), LAND)
    # the marker over Paris is drawn (red near the pin's head)
    px, py = pixel_of(48.857, 2.352, (46, -10), 4, image.size)
    head = image.crop((px - 8, py - 36, px + 8, py - 14))
    assert any(r > 200 and g < 90 and b < 90 for r, g, b in head.get_flattened_data())
    # the same URL again is a cache hit with the same bytes and no further tile attempts
    attempts = len(tile_server.tile_requests())
    again = map_client().get(README_MAP)
    assert again.status_code == 200 and len(tile_server.tile_requests()) >= attempts


def test_builtin_source_by_name(map_client: MapClient) -> None:
    response = map_client().get(
        "/maps/api/staticmap?center=46,-10&zoom=4&size=300x200&maptype=builtin&format=png32"
    )
    assert response.status_code == 200
    assert "x-chartographer-warning" not in response.headers
    image = open_image(response.content).convert("RGB")
    assert near(image.getpixel(pixel_of(45.0, -15.0, (46, -10), 4, image.size)), WATER)


def test_water_style_recolours_exactly_the_water(map_client: MapClient) -> None:
    client = map_client()
    base = "/maps/api/staticmap?center=46,-10&zoom=4&size=300x200&maptype=builtin&format=png32"
    plain = np.asarray(open_image(client.get(base).content).convert("RGB")).astype(int)
    styled_response = client.get(base + "&style=feature:water|element:geometry|color:0x102030")
    assert styled_response.status_code == 200
    styled = np.asarray(open_image(styled_response.content).convert("RGB")).astype(int)
    was_water = np.all(np.abs(plain - WATER) <= 2, axis=2)
    changed = np.any(plain != styled, axis=2)
    assert was_water.mean() > 0.3
    assert np.all(changed[was_water])  # every water pixel was recoloured …
    recoloured = np.all(np.abs(styled[was_water] - (16, 32, 48)) <= 2, axis=1)
    assert recoloured.mean() > 0.98  # (rivers are water too, blended at their edges)
    was_land = np.all(plain == LAND, axis=2)
    assert was_land.mean() > 0.1
    assert changed[was_land].mean() < 0.005  # … and no land pixel (but a river's faint fringe)


def test_styles_hide_borders_and_labels(map_client: MapClient) -> None:
    client = map_client()
    base = "/maps/api/staticmap?center=50,10&zoom=5&size=300x300&maptype=builtin&format=png32"
    plain = np.asarray(open_image(client.get(base).content).convert("RGB")).astype(int)
    bare = client.get(base + "&style=feature:administrative|visibility:off")
    assert bare.status_code == 200
    hidden = np.asarray(open_image(bare.content).convert("RGB")).astype(int)
    dark = lambda a: np.all(a < 150, axis=2)  # noqa: E731 — border lines and label text
    assert dark(plain).sum() > 200
    assert dark(hidden).sum() < dark(plain).sum() / 3  # what stays is the attribution


def test_style_on_an_http_source_is_reported_ignored(map_client: MapClient) -> None:
    response = map_client().get(
        "/maps/api/staticmap?center=0,0&zoom=2&size=100x100&style=feature:water|color:0x000000"
    )
    assert response.status_code == 200
    assert "ignored" in response.headers["x-chartographer-warning"]


def test_bad_style_is_a_422_naming_style(map_client: MapClient) -> None:
    response = map_client().get(
        "/maps/api/staticmap?center=0,0&zoom=2&size=100x100&maptype=builtin"
        "&style=feature:water|color:blue"
    )
    assert response.status_code == 422
    assert response.json()["param"] == "style"


def test_parse_styles_covers_google_stylers() -> None:
    style, notes = parse_styles(
        [
            "feature:road|visibility:off",
            "feature:landscape.natural|element:geometry.fill|color:0x00ff00",
            "feature:administrative.country|element:geometry.stroke|weight:3|color:0xff0000",
            "feature:administrative.province|visibility:off",
            "element:labels.text.fill|color:0x000001",
            "feature:administrative.locality|element:labels.text.stroke|visibility:off",
            "feature:administrative.locality|element:labels.icon|lightness:50",
            "feature:water|saturation:-100|gamma:2|hue:0xff0000|invert_lightness:true",
            "feature:poi.park|visibility:simplified",
            "",
        ]
    )
    assert style.land == (0, 255, 0, 255)
    assert style.country == (255, 0, 0, 255) and style.country_weight == 3
    assert style.province[3] == 0
    assert style.text == (0, 0, 1, 255) and style.halo[3] == 0
    assert style.dot != DEFAULT.dot and style.water != DEFAULT.water
    assert len(notes) == 2 and all("not drawn" in n for n in notes)
    hidden, _ = parse_styles(["feature:all|element:labels|visibility:off"])
    assert parse_styles(["feature:water|invert_lightness:false"])[0].water == DEFAULT.water
    assert not hidden.labels_visible
    nothing, _ = parse_styles(["feature:water|visibility:off", "feature:landscape|visibility:off"])
    assert nothing.background == (229, 227, 223, 255)
    assert parse_styles(["feature:water|visibility:off"])[0].background == DEFAULT.land


@pytest.mark.parametrize(
    "rule",
    [
        "feature:water|color:0xzzzzzz",
        "feature:water|element:banner|color:0xffffff",
        "feature:water|visibility:maybe",
        "feature:water|lightness:lots",
        "feature:administrative|weight:heavy",
        "feature:water|sparkle:1",
        "feature:water|novalue",
    ],
)
def test_parse_styles_rejects_nonsense(rule: str) -> None:
    with pytest.raises(InvalidParameter) as error:
        parse_styles([rule])
    assert error.value.param == "style"


def test_too_many_style_rules() -> None:
    with pytest.raises(InvalidParameter):
        parse_styles(["feature:water|color:0x000000"] * 65)


def test_parse_color_with_alpha() -> None:
    assert parse_color("#11223344") == (0x11, 0x22, 0x33, 0x44)


def test_tiles_join_up_and_labels_continue_across_edges() -> None:
    left = np.asarray(basemap.render_tile(5, 16, 10, 256, DEFAULT)).astype(int)
    right = np.asarray(basemap.render_tile(5, 17, 10, 256, DEFAULT)).astype(int)
    # the columns either side of the seam are alike (land, water and lines line up)
    assert np.abs(left[:, -1] - right[:, 0]).mean() < 12
    big = np.asarray(basemap.render_tile(5, 16, 10, 512, DEFAULT))
    assert big.shape == (512, 512, 3)
    assert basemap.render_tile(5, 16 + 32, 10, 256, DEFAULT).tobytes() == bytes(
        left.astype(np.uint8).tobytes()
    )


def test_low_zoom_world_and_antimeridian() -> None:
    world = np.asarray(basemap.render_tile(0, 0, 0, 256, DEFAULT)).astype(int)
    water = np.all(np.abs(world - WATER) <= 2, axis=2).mean()
    land = np.all(np.abs(world - LAND) <= 2, axis=2).mean()
    assert 0.45 < water < 0.8 and 0.15 < land < 0.5
    # no band of land across the Arctic ocean from the polygons that cross ±180°
    row = world[40]
    assert np.all(np.abs(row - WATER) <= 2, axis=1).mean() > 0.2
    # Chukotka (east of 180°) is land on the tile at the western edge
    chukotka = np.asarray(basemap.render_tile(3, 0, 1, 256, DEFAULT)).astype(int)
    assert np.all(np.abs(chukotka[200:250, 0:20] - LAND) <= 2, axis=2).mean() > 0.2


def test_style_is_hashable_for_the_tile_cache() -> None:
    assert hash(BasemapStyle()) == hash(DEFAULT)


def test_label_thinning_keeps_the_biggest_of_neighbours() -> None:
    every = basemap.cities()[:400]
    picked = basemap.thin(every, 4)
    assert picked and picked[0] == 0  # the most populous place is always labelled
    assert len(basemap.thin(every, 8)) >= len(picked)  # more room at higher zooms
    assert basemap.thin(every, 1) == []  # no labels on the world tiles
    # the shipped picks are what thin() chooses from the shipped places
    assert list(basemap._places()["labels"]["5"]) == basemap.thin(basemap.cities(), 5)
