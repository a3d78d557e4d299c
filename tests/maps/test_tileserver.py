"""The tile server: /tiles/{source}/{z}/{x}/{y}.png|webp for every source, TileJSON, demo page."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image

from chartographer.maps import httptiles
from tests.maps.conftest import MapClient, TileServer, tile_color, write_mbtiles


def test_builtin_tile_png_and_retina_webp(map_client: MapClient) -> None:
    client = map_client()
    response = client.get("/tiles/builtin/4/8/5.png")
    assert response.status_code == 200
    assert response.headers["content-type"] == "image/png"
    image = Image.open(io.BytesIO(response.content))
    assert image.size == (256, 256) and image.format == "PNG"
    assert len(set(image.convert("RGB").get_flattened_data())) > 20  # a drawn map, not a blank
    assert response.headers["x-cache"] == "MISS" and "etag" in response.headers
    again = client.get("/tiles/builtin/4/8/5.png")
    assert again.headers["x-cache"] == "HIT"
    assert (
        client.get(
            "/tiles/builtin/4/8/5.png", headers={"If-None-Match": response.headers["etag"]}
        ).status_code
        == 304
    )
    retina = client.get("/tiles/builtin/4/8/5@2x.webp")
    assert retina.headers["content-type"] == "image/webp"
    assert Image.open(io.BytesIO(retina.content)).size == (512, 512)
    styled = client.get("/tiles/builtin/4/8/5.png?style=feature:water|color:0x000000")
    assert styled.status_code == 200 and styled.content != response.content


def test_tilejson_per_source(map_client: MapClient, tmp_path: Path) -> None:
    mbtiles = write_mbtiles(tmp_path / "t.mbtiles", range(0, 3))
    client = map_client(tile_sources={"local": f"mbtiles://{mbtiles}"})
    doc = client.get("/tiles/builtin.json").json()
    assert doc["tilejson"] == "3.0.0" and doc["scheme"] == "xyz"
    assert doc["tiles"] == ["http://testserver/tiles/builtin/{z}/{x}/{y}.png"]
    assert (doc["minzoom"], doc["maxzoom"]) == (0, 10)
    assert "Natural Earth" in doc["attribution"]
    local = client.get("/tiles/local.json?key=k1").json()
    assert local["maxzoom"] == 2 and local["tiles"][0].endswith(".png?key=k1")
    assert client.get("/tiles/nowhere.json").status_code == 404


def test_mbtiles_and_http_tiles_served(
    map_client: MapClient, tile_server: TileServer, tmp_path: Path
) -> None:
    mbtiles = write_mbtiles(tmp_path / "t.mbtiles", range(0, 3), fmt="jpg")
    client = map_client(tile_sources={"local": f"mbtiles://{mbtiles}", "plain": "none"})
    http = client.get("/tiles/default/2/1/1.png")
    assert http.status_code == 200
    assert Image.open(io.BytesIO(http.content)).convert("RGB").getpixel((5, 5)) == tile_color(
        2, 1, 1
    )
    webp = client.get("/tiles/default/2/1/1.webp")
    assert webp.headers["content-type"] == "image/webp"
    assert Image.open(io.BytesIO(webp.content)).convert("RGB").getpixel((5, 5)) == tile_color(
        2, 1, 1
    )
    local = client.get("/tiles/local/2/3/1.png")  # a JPEG tile, served as PNG
    assert local.status_code == 200 and local.content.startswith(b"\x89PNG")
    got = Image.open(io.BytesIO(local.content)).convert("RGB").getpixel((5, 5))
    assert all(abs(a - b) < 8 for a, b in zip(got, tile_color(2, 3, 1), strict=True))
    assert client.get("/tiles/local/5/0/0.png").status_code == 404  # past its zooms
    assert client.get("/tiles/local/2/3/1@2x.png").status_code == 404  # no retina tiles
    assert client.get("/tiles/plain/1/0/0.png").status_code == 404
    assert client.get("/tiles/default/2/9/0.png").status_code == 404
    assert client.get("/tiles/default/2/1/1.gif").status_code == 404


def test_http_source_down_serves_builtin_tile_with_warning(
    map_client: MapClient, tile_server: TileServer, tmp_path: Path
) -> None:
    tile_server.down = True
    mbtiles = write_mbtiles(tmp_path / "t.mbtiles", range(0, 2), region=(0, 0, 0, 0))
    client = map_client(tile_sources={"local": f"mbtiles://{mbtiles}"})
    response = client.get("/tiles/default/3/4/2.png")
    assert response.status_code == 200
    assert "unreachable" in response.headers["x-chartographer-warning"]
    assert client.get("/tiles/local/1/1/1.png").status_code == 404  # MBTiles: no fallback


def test_tiles_are_behind_the_access_layer(map_client: MapClient) -> None:
    client = map_client(access_mode="keys", key_hash_secret="test-secret")
    response = client.get("/tiles/builtin/0/0/0.png")
    assert response.status_code == 401


def test_demo_page_and_vendored_leaflet(map_client: MapClient) -> None:
    client = map_client()
    page = client.get("/maps/demo")
    assert page.status_code == 200 and "text/html" in page.headers["content-type"]
    assert 'src="static/leaflet.js"' in page.text and '<option value="builtin">' in page.text
    script = client.get("/maps/static/leaflet.js")
    assert script.status_code == 200 and "Leaflet 1.9.4" in script.text
    assert client.get("/maps/static/demo.css").headers["content-type"].startswith("text/css")
    assert client.get("/maps/static/secret.py").status_code == 404


def test_scale_2_uses_a_sources_retina_tiles(
    map_client: MapClient, tile_server: TileServer
) -> None:
    client = map_client(tiles=tile_server.url + "/{z}/{x}/{y}{r}.png")
    response = client.get("/maps/api/staticmap?center=0,0&zoom=3&size=100x100&scale=2")
    assert response.status_code == 200
    paths = [r["path"] for r in tile_server.tile_requests()]
    assert paths and all(p.endswith("@2x.png") for p in paths)
    plain = map_client(tiles=tile_server.url + "/{z}/{x}/{y}{r}.png")
    before = len(tile_server.tile_requests())
    plain.get("/maps/api/staticmap?center=0,0&zoom=3&size=100x100")
    assert all(not r["path"].endswith("@2x.png") for r in tile_server.tile_requests()[before:])


def test_fallback_image_is_not_kept_once_the_source_is_back(
    map_client: MapClient, tile_server: TileServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(httptiles, "NEGATIVE_TTL", 0.001)  # failures are retried at once
    tile_server.down = True
    client = map_client()
    url = "/maps/api/staticmap?center=10,10&zoom=3&size=100x100&format=png32"
    first = client.get(url)
    assert "unreachable" in first.headers["x-chartographer-warning"]
    tile_server.down = False
    second = client.get(url)
    assert second.status_code == 200 and "x-chartographer-warning" not in second.headers
    pixel = Image.open(io.BytesIO(second.content)).convert("RGB").getpixel((50, 50))
    assert pixel == tile_color(3, 4, 3)  # the source's own tile, not the basemap


def test_a_tile_that_is_not_an_image_is_a_404(map_client: MapClient, tmp_path: Path) -> None:
    import sqlite3

    mbtiles = write_mbtiles(tmp_path / "t.mbtiles", range(0, 2))
    with sqlite3.connect(mbtiles) as db:
        db.execute("UPDATE tiles SET tile_data = ? WHERE zoom_level = 1", (b"not an image",))
    client = map_client(tile_sources={"local": f"mbtiles://{mbtiles}"})
    response = client.get("/tiles/local/1/0/0.webp")
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
