"""Map defects users hit: centre without zoom, jagged paths, pin anchors, holes, png32."""

from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image

from tests.maps.conftest import MapClient


def rgb(body: bytes) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(body)).convert("RGB")).astype(int)


def test_numeric_center_without_zoom_renders_at_a_default_zoom(map_client: MapClient) -> None:
    response = map_client().get(
        "/maps/api/staticmap?center=48.85,2.35&size=200x100&maptype=builtin"
    )
    assert response.status_code == 200
    warning = response.headers["x-chartographer-warning"]
    assert "unknown place" not in warning and "zoom 10" in warning


def test_png32_is_rgba(map_client: MapClient) -> None:
    response = map_client().get("/maps/api/staticmap?center=0,0&zoom=2&size=64x64&format=png32")
    image = Image.open(io.BytesIO(response.content))
    assert image.format == "PNG" and image.mode == "RGBA"
    png8 = map_client().get("/maps/api/staticmap?center=0,0&zoom=2&size=64x64&format=png")
    assert Image.open(io.BytesIO(png8.content)).mode == "P"


def test_anchor_moves_custom_icons_only(map_client: MapClient) -> None:
    client = map_client(tiles="none")
    base = "/maps/api/staticmap?center=10,10&zoom=5&size=120x120&format=png32&markers="
    plain = client.get(base + "color:red|10,10").content
    anchored = client.get(base + "anchor:topleft|color:red|10,10")
    assert anchored.status_code == 200
    assert rgb(anchored.content).tolist() == rgb(plain).tolist()


@pytest.mark.parametrize("fmt", ["png32", "png", "jpg", "webp", "gif"])
def test_paths_and_polygon_edges_are_anti_aliased(map_client: MapClient, fmt: str) -> None:
    client = map_client(tiles="none")
    response = client.get(
        "/maps/api/staticmap?center=0,0&zoom=4&size=200x200&format="
        + fmt
        + "&path=color:0x000000ff|weight:3|-10,-10|10,12"
        + "&path=color:0x00000000|fillcolor:0x0000ffff|-5,5|8,9|-2,14"
    )
    assert response.status_code == 200
    image = rgb(response.content)
    grey = np.abs(image[:, :, 0] - image[:, :, 1]) < 12  # the line is black on grey
    levels = {int(v) for v in image[grey][:, 0] if 40 < v < 190}
    assert len(levels) >= 4, f"{fmt}: a sloped line's edge shows intermediate shades"
    blue = image[(image[:, :, 2] > image[:, :, 0] + 20)]
    assert len({tuple(p) for p in blue}) >= 4, f"{fmt}: the polygon's edge is blended"


def test_geojson_polygon_holes_are_cut(map_client: MapClient) -> None:
    client = map_client(tiles="none")
    outer = [[-10, -10], [10, -10], [10, 10], [-10, 10], [-10, -10]]
    hole = [[-4, -4], [-4, 4], [4, 4], [4, -4], [-4, -4]]  # the same winding as the outer ring
    body = {
        "width": 200,
        "height": 200,
        "center": {"lat": 0, "lng": 0},
        "zoom": 4,
        "format": "png",
        "geojson": {
            "type": "Feature",
            "properties": {"fill": "#ff0000", "fill-opacity": 1, "stroke-width": 1},
            "geometry": {"type": "Polygon", "coordinates": [outer, hole]},
        },
    }
    response = client.post("/v1/maps", json=body)
    assert response.status_code == 200, response.text
    image = rgb(response.content)
    centre, ring = image[100, 100], image[100, 100 + 70]
    assert not (centre[0] > 200 and centre[1] < 60)  # the hole shows the background
    assert ring[0] > 200 and ring[1] < 60 and ring[2] < 60  # the ring is filled


def red_columns(body: bytes) -> list[int]:
    """Columns holding a red pin's pixels, grouped: one group per pin that is drawn."""
    image = rgb(body)
    red = (image[:, :, 0] > 200) & (image[:, :, 1] < 80) & (image[:, :, 2] < 80)
    columns = np.flatnonzero(red.any(axis=0))
    groups = [c for i, c in enumerate(columns) if i == 0 or c - columns[i - 1] > 3]
    return groups


def test_three_city_st_markers_all_inside(map_client: MapClient) -> None:
    client = map_client(tiles="none")
    response = client.get(
        "/maps/api/staticmap?size=400x300&markers=color:red|Perth WA|Hobart TAS|Darwin NT"
    )
    assert response.status_code == 200
    assert "x-chartographer-warning" not in response.headers
    assert len(red_columns(response.content)) == 3


def test_street_address_marker_is_drawn_approximately(map_client: MapClient) -> None:
    client = map_client(tiles="none")
    response = client.get(
        "/maps/api/staticmap?size=400x300&markers=color:red"
        "|1600 Amphitheatre Parkway Mountain View, CA|Austin TX|Xyzzyville"
    )
    assert response.status_code == 200
    warning = response.headers["x-chartographer-warning"]
    assert "approximately at Mountain View" in warning and "Xyzzyville" in warning
    assert len(red_columns(response.content)) == 2  # both found markers, inside the map
