"""The maps service's set-up from settings: disk cache, geocoder, icons, limits, teardown."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from fastapi import FastAPI

from chartographer.config import Settings
from chartographer.maps import service
from chartographer.maps.geocode import NominatimGeocoder
from chartographer.maps.httptiles import HttpTileSource
from tests.maps.conftest import MapClient, TileServer


def test_service_from_settings(tile_server: TileServer, tmp_path: Path) -> None:
    settings = Settings(
        tiles=tile_server.template,
        tile_cache_dir=str(tmp_path / "tiles"),
        geocoder_url=tile_server.url,
        tile_contact="ops@example.org",
        tile_sources={"plain": "none"},
    )
    app = FastAPI()
    service.setup(app, settings)
    maps: service.MapService = app.state.maps
    assert isinstance(maps.geocoder, NominatimGeocoder)
    default = maps.sources["default"]
    assert isinstance(default, HttpTileSource) and default.disk is maps.disk
    assert maps.client.headers["User-Agent"].endswith("contact: ops@example.org")
    assert maps.maptypes == {
        "default": "default",
        "plain": "plain",
        "builtin": "builtin",
        "roadmap": "default",
    }
    asyncio.run(service.teardown(app))
    assert (tmp_path / "tiles" / "tiles.sqlite").exists()
    asyncio.run(service.teardown(FastAPI()))  # nothing set up: nothing to do


def test_icons_must_be_png(tmp_path: Path) -> None:
    bad = tmp_path / "icon.gif"
    bad.write_bytes(b"GIF89a")
    with pytest.raises(ValueError, match="not a PNG"):
        service.load_icons({"https://x/icon.gif": str(bad)})


def test_place_lookups_are_limited(map_client: MapClient) -> None:
    client = map_client(maps_max_places=1)
    response = client.get("/maps/api/staticmap?size=100x100&markers=Tok,AK|Melbourne")
    assert response.status_code == 413
    assert "limit of 1" in response.json()["detail"]
