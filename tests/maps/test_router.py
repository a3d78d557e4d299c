"""The map routes end to end: real app, real tile server on 127.0.0.1, decoded images."""

from __future__ import annotations

import io
import math
from pathlib import Path
from urllib.parse import parse_qsl

import pytest
from PIL import Image

from chartographer.maps.geo import Viewport, project
from tests.conftest import decode
from tests.maps.conftest import MapClient, TileServer, tile_color, write_mbtiles

EXAMPLES = Path("/work/shared/examples/google-static-maps-urls.txt")
LOCAL_EXAMPLES = Path(__file__).parent / "google-static-maps-urls.txt"


def example_urls() -> list[str]:
    source = EXAMPLES if EXAMPLES.exists() else LOCAL_EXAMPLES
    lines = source.read_text().splitlines()
    return [line for line in lines if line.strip() and not line.startswith("#")]


def close(pixel: tuple[int, ...], color: tuple[int, int, int], tolerance: int = 14) -> bool:
    return all(abs(a - b) <= tolerance for a, b in zip(pixel[:3], color, strict=True))


@pytest.mark.parametrize("query", example_urls())
def test_every_example_url_renders_at_size_times_scale(map_client: MapClient, query: str) -> None:
    client = map_client()
    # sent exactly as pasted: open mode ignores Google's placeholder key= with a warning
    response = client.get("/maps/api/staticmap?" + query)
    assert response.status_code == 200, response.text
    if "key=YOUR_API_KEY" in query:
        assert "not a Chartographer key" in response.headers["x-chartographer-warning"]
    items = dict(parse_qsl(query))
    width, height = (int(v) for v in items["size"].split("x"))
    scale = int(items.get("scale", "1"))
    fmt = items.get("format", "png")
    assert response.headers["content-type"] == {"png": "image/png", "gif": "image/gif"}[fmt]
    image = decode(response.content)
    assert image.size == (width * scale, height * scale)
    assert len(image.convert("RGB").getcolors(1 << 20) or []) > 3  # tiles, not a blank


def test_brooklyn_example_markers_land_on_their_pixels(map_client: MapClient) -> None:
    client = map_client()
    markers = [
        ("0x00FF00", (40.702147, -74.015794)),
        ("0xFF00FF", (40.711614, -74.012318)),
        ("0xFFFF00", (40.718217, -73.998284)),
    ]
    query = "&".join(f"markers=color:{c}|{lat},{lng}" for c, (lat, lng) in markers)
    response = client.get(
        f"/maps/api/staticmap?center=40.71,-74.005&zoom=13&size=600x300&format=png32&{query}"
    )
    assert response.status_code == 200
    assert "x-chartographer-warning" not in response.headers
    image = decode(response.content).convert("RGB")
    view = Viewport(40.71, -74.005, 13, 600, 300, 1)
    for color, (lat, lng) in markers:
        x, y = view.to_pixel(lat, lng)
        rgb = tuple(int(color[i : i + 2], 16) for i in (2, 4, 6))
        assert close(image.getpixel((round(x), round(y) - 12)), rgb)  # the pin's stem
        assert close(image.getpixel((round(x) + 6, round(y) - 25)), rgb)  # its head


def test_retina_uses_deeper_tiles_and_places_them(
    map_client: MapClient, tile_server: TileServer
) -> None:
    client = map_client()
    response = client.get("/maps/api/staticmap?center=0,0&zoom=2&size=256x256&scale=2&format=png32")
    assert response.status_code == 200
    image = decode(response.content).convert("RGB")
    assert image.size == (512, 512)
    zooms = {r["path"].split("/")[1] for r in tile_server.tile_requests()}
    assert zooms == {"3"}
    # the pixel just up-left of the centre is tile (3, 3, 3), just down-right is (3, 4, 4)
    assert close(image.getpixel((250, 250)), tile_color(3, 3, 3), 4)
    assert close(image.getpixel((262, 262)), tile_color(3, 4, 4), 4)
    ua = tile_server.tile_requests()[0]["headers"]["User-Agent"]
    assert ua.startswith("Chartographer/")


def test_scale_four_from_a_shallow_source_is_upscaled(
    map_client: MapClient, tile_server: TileServer
) -> None:
    client = map_client(tile_sources={"low": {"url": tile_server.template, "max_zoom": 2}})
    response = client.get("/maps/api/staticmap?center=0,0&zoom=2&size=100x100&scale=4&maptype=low")
    assert response.status_code == 200
    assert decode(response.content).size == (400, 400)
    assert {r["path"].split("/")[1] for r in tile_server.tile_requests()} == {"2"}


def test_missing_tiles_are_hatched_and_reported(
    map_client: MapClient, tile_server: TileServer
) -> None:
    tile_server.fail.add((1, 0, 0))
    client = map_client()
    response = client.get("/maps/api/staticmap?center=0,0&zoom=1&size=512x512&format=png32")
    assert response.status_code == 200
    assert "1 of 4 tiles unavailable" in response.headers["x-chartographer-warning"]
    image = decode(response.content).convert("RGB")
    top_left = {image.getpixel((x, y)) for x in range(0, 200, 7) for y in range(0, 200, 7)}
    assert (214, 214, 214) in top_left and any(p[0] > p[1] + 60 for p in top_left)  # hatching
    assert close(image.getpixel((300, 300)), tile_color(1, 1, 1), 4)
    # the partial image is not cached as the complete one: once the tile is back, it shows
    tile_server.fail.clear()
    client.app.state.maps.sources["default"]._failed.clear()
    again = client.get("/maps/api/staticmap?center=0,0&zoom=1&size=512x512&format=png32")
    assert "x-chartographer-warning" not in again.headers
    assert close(decode(again.content).convert("RGB").getpixel((100, 100)), tile_color(1, 0, 0), 4)


def test_no_tile_at_all_past_the_basemap_zooms_is_a_502_naming_the_source(
    map_client: MapClient, tile_server: TileServer
) -> None:
    tile_server.down = True
    client = map_client()
    response = client.get("/maps/api/staticmap?center=0,0&zoom=13&size=100x100")
    assert response.status_code == 502
    assert response.headers["content-type"] == "application/problem+json"
    assert "'default'" in response.json()["detail"]
    assert "zoom 10" in response.json()["detail"]


def test_etag_304_and_cache_hit_without_tile_requests(
    map_client: MapClient, tile_server: TileServer
) -> None:
    client = map_client()
    url = "/maps/api/staticmap?center=10,10&zoom=4&size=120x80&markers=label:Hi|10,10"
    first = client.get(url)
    assert first.status_code == 200 and first.headers["x-cache"] == "MISS"
    fetched = len(tile_server.tile_requests())
    second = client.get(url)
    assert second.headers["x-cache"] == "HIT" and second.content == first.content
    not_modified = client.get(url, headers={"If-None-Match": first.headers["etag"]})
    assert not_modified.status_code == 304
    assert len(tile_server.tile_requests()) == fetched


def test_attribution_is_always_drawn(map_client: MapClient, tile_server: TileServer) -> None:
    client = map_client(tile_attribution="© Test contributors")
    response = client.get("/maps/api/staticmap?center=0,0&zoom=1&size=300x200&format=png32")
    image = decode(response.content).convert("RGB")
    corner = [image.getpixel((x, 195)) for x in range(150, 299)]
    assert any(max(p) < 80 for p in corner)  # dark text in the bottom-right box


def test_none_source_draws_background_without_warnings(map_client: MapClient) -> None:
    client = map_client(tiles="none")
    response = client.get(
        "/maps/api/staticmap?size=200x100&markers=color:0x0000FF|0,0&format=png32"
    )
    assert response.status_code == 200
    assert "x-chartographer-warning" not in response.headers
    image = decode(response.content).convert("RGB")
    assert image.getpixel((5, 5)) == (229, 227, 223)


def test_mbtiles_source_flips_rows(map_client: MapClient, tmp_path: Path) -> None:
    path = write_mbtiles(tmp_path / "w.mbtiles", range(0, 3))
    client = map_client(tiles=f"mbtiles://{path}")
    response = client.get("/maps/api/staticmap?center=0,0&zoom=2&size=512x512&format=png32")
    assert response.status_code == 200
    image = decode(response.content).convert("RGB")
    # top-left quarter of the image at zoom 2 around 0,0: tile (2, 1, 1)
    assert close(image.getpixel((10, 10)), tile_color(2, 1, 1), 4)
    assert close(image.getpixel((500, 300)), tile_color(2, 2, 2), 4)


def test_path_and_polygon_pixels(map_client: MapClient) -> None:
    client = map_client(tiles="none")
    response = client.get(
        "/maps/api/staticmap?center=0,0&zoom=5&size=200x200&format=png32"
        "&path=color:0xFF0000FF|weight:6|0,-2|0,2"
        "&path=color:0x00000000|fillcolor:0x0000FFFF|-1,-1|-1,1|-2,1|-2,-1"
    )
    image = decode(response.content).convert("RGB")
    view = Viewport(0, 0, 5, 200, 200, 1)
    x, y = view.to_pixel(0, 1)
    assert close(image.getpixel((round(x), round(y))), (255, 0, 0))
    x, y = view.to_pixel(-1.5, 0)
    assert close(image.getpixel((round(x), round(y))), (0, 0, 255))
    assert image.getpixel((5, 5)) == (229, 227, 223)


def test_icon_from_allow_list(map_client: MapClient, tmp_path: Path) -> None:
    icon = tmp_path / "icon.png"
    Image.new("RGBA", (20, 20), (0, 200, 0, 255)).save(icon)
    client = map_client(tiles="none", map_icons={"https://example.org/i.png": str(icon)})
    response = client.get(
        "/maps/api/staticmap?center=0,0&zoom=3&size=100x100&format=png32"
        "&markers=anchor:center|icon:https://example.org/i.png|0,0"
    )
    assert "x-chartographer-warning" not in response.headers
    assert close(decode(response.content).convert("RGB").getpixel((50, 50)), (0, 200, 0), 2)


def test_problems_name_the_parameter(map_client: MapClient) -> None:
    client = map_client()
    for query, param, status in (
        ("center=0,0&zoom=1", "size", 422),
        ("size=700x100&center=0,0&zoom=1", "size", 413),
        ("size=100x100&center=0,0&zoom=99", "zoom", 422),
        ("size=100x100&center=0,0&zoom=1&scale=3", "scale", 422),
        ("size=100x100&markers=color:0xZZ|1,1", "markers", 422),
        ("size=100x100&path=enc:_p~iF~ps|U_", "path", 422),
        ("size=100x100", "center", 422),
    ):
        response = client.get("/maps/api/staticmap?" + query)
        assert response.status_code == status, query
        assert response.headers["content-type"] == "application/problem+json"
        assert response.json()["param"] == param


def test_operator_size_limit(map_client: MapClient) -> None:
    client = map_client(maps_max_size=1024)
    response = client.get("/maps/api/staticmap?size=1000x100&center=0,0&zoom=1&maptype=roadmap")
    assert response.status_code == 200
    assert decode(response.content).size == (1000, 100)


def test_native_get(map_client: MapClient) -> None:
    client = map_client(tiles="none")
    response = client.get(
        "/v1/maps",
        params={
            "width": 300,
            "height": 200,
            "scale": 2,
            "markers": "color:0xFF0000|label:Berlin|52.5163,13.3777",
            "paths": "color:0x0000FFFF|52.5,13.3|52.55,13.45",
            "circles": "color:0x00FF00|fillcolor:0x00FF0080|weight:2|52.52,13.40,800",
            "padding": 30,
        },
    )
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "image/png"
    assert decode(response.content).size == (600, 400)
    bad = client.get("/v1/maps", params={"tile_provider": "satellite", "center": "0,0", "zoom": 1})
    assert bad.status_code == 422 and bad.json()["param"] == "tile_provider"
    bad_circle = client.get("/v1/maps", params={"circles": "1,2", "zoom": 1})
    assert bad_circle.status_code == 422 and bad_circle.json()["param"] == "circles"
    far = client.get("/v1/maps", params={"circles": "1,2,0", "zoom": 1})
    assert far.status_code == 422
    named = client.get("/v1/maps", params={"center": "Tok,AK", "zoom": 8, "format": "webp"})
    assert named.status_code == 200 and named.headers["content-type"] == "image/webp"


def test_native_post_geojson_and_circles(map_client: MapClient) -> None:
    client = map_client(tiles="none")
    body = {
        "width": 400,
        "height": 300,
        "format": "png",
        "geojson": {
            "type": "FeatureCollection",
            "features": [
                {
                    "type": "Feature",
                    "properties": {"marker-color": "#ff0000", "marker-symbol": "HQ"},
                    "geometry": {"type": "Point", "coordinates": [13.3777, 52.5163]},
                },
                {
                    "type": "Feature",
                    "properties": {"fill": "#0000ff", "fill-opacity": 1, "stroke-width": 0},
                    "geometry": {
                        "type": "Polygon",
                        "coordinates": [
                            [
                                [13.30, 52.48],
                                [13.34, 52.48],
                                [13.34, 52.50],
                                [13.30, 52.50],
                                [13.30, 52.48],
                            ]
                        ],
                    },
                },
                {"type": "Feature", "properties": None, "geometry": None},
            ],
        },
        "circles": [{"center": {"lat": 52.53, "lng": 13.45}, "radius": 500, "fill": "#00ff00ff"}],
    }
    response = client.post("/v1/maps", json=body)
    assert response.status_code == 200, response.text
    image = decode(response.content).convert("RGB")
    assert image.size == (400, 300)
    colors = {c for _, c in image.getcolors(1 << 20) or []}
    assert any(close(c, (0, 0, 255), 2) for c in colors)
    assert any(close(c, (0, 255, 0), 2) for c in colors)
    assert any(close(c, (255, 0, 0), 2) for c in colors)
    bad = client.post("/v1/maps", json={"geojson": {"type": "Point", "coordinates": [200, 0]}})
    assert bad.status_code == 422 and bad.json()["param"].startswith("geojson")
    centered = client.post("/v1/maps", json={"center": {"lat": 1, "lng": 2}, "zoom": 3})
    assert centered.status_code == 200
    by_name = client.post("/v1/maps", json={"center": "Melbourne", "zoom": 3})
    assert by_name.status_code == 200 and "x-chartographer-warning" not in by_name.headers


def test_marker_pixel_for_every_size(map_client: MapClient) -> None:
    client = map_client(tiles="none")
    for size in ("tiny", "small", "mid", "normal"):
        response = client.get(
            "/maps/api/staticmap?center=0,0&zoom=3&size=100x100&format=png32"
            f"&markers=size:{size}|color:0x8000FF|0,0"
        )
        image = decode(response.content).convert("RGB")
        assert close(image.getpixel((50, 45)), (128, 0, 255)), size


def test_jpeg_and_gif_formats(map_client: MapClient) -> None:
    client = map_client(tiles="none")
    for fmt, media in (("jpg", "image/jpeg"), ("jpg-baseline", "image/jpeg"), ("gif", "image/gif")):
        response = client.get(f"/maps/api/staticmap?center=0,0&zoom=1&size=64x64&format={fmt}")
        assert response.headers["content-type"] == media
        assert decode(response.content).size == (64, 64)


def test_projection_of_a_marker_matches_the_math(map_client: MapClient) -> None:
    # marker 3 tiles east of the centre at zoom 4 → 3·256 px away horizontally? no: use 1 tile
    client = map_client(tiles="none")
    lng = 360 / 16  # one tile east at zoom 4
    response = client.get(
        f"/maps/api/staticmap?center=0,0&zoom=4&size=640x200&format=png32&markers=color:0x00FFFF|0,{lng}"
    )
    image = decode(response.content).convert("RGB")
    x = 320 + (project(0, lng, 4)[0] - project(0, 0, 4)[0])
    assert x == pytest.approx(576)
    assert close(image.getpixel((576, 100 - 12)), (0, 255, 255))
    assert not math.isnan(x)
    assert io is not None


def test_renders_in_a_worker_process(map_client: MapClient) -> None:
    # the spec and the fetched tiles travel to a render worker by pickling
    client = map_client(render_processes=1)
    response = client.get(
        "/maps/api/staticmap?center=0,0&zoom=1&size=256x256&format=png32&markers=label:W|0,0"
    )
    assert response.status_code == 200, response.text
    image = decode(response.content).convert("RGB")
    assert close(image.getpixel((10, 10)), tile_color(1, 0, 0), 4)
