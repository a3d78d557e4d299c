"""Tile sources: the OSM-policy HTTP client (against a real local server) and MBTiles."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import httpx
import pytest

from chartographer.maps.httptiles import CachedTile, DiskCache, HttpTileSource, freshness
from chartographer.maps.tiles import (
    OSM_ATTRIBUTION,
    MBTilesSource,
    NoTiles,
    SourceConfig,
    default_attribution,
    mbtiles_path,
    parse_source_config,
    read_metadata,
)
from tests.maps.conftest import TileServer, tile_png, write_mbtiles

WEEK = 7 * 86_400


def source(
    server: TileServer, *, disk: DiskCache | None = None, min_freshness: float = WEEK
) -> tuple[HttpTileSource, httpx.AsyncClient]:
    client = httpx.AsyncClient(headers={"User-Agent": "Chartographer-test/1 (ops@example.org)"})
    tiles = HttpTileSource(
        SourceConfig("default", server.template),
        client,
        memory_bytes=1 << 20,
        disk=disk,
        min_freshness=min_freshness,
        concurrency=2,
    )
    return tiles, client


def test_identifies_itself_and_reuses_tiles_for_a_week(tile_server: TileServer) -> None:
    async def scenario() -> None:
        tiles, client = source(tile_server)
        found = await tiles.fetch([(1, 0, 0), (1, 1, 0), (1, 0, 0)])
        assert found[(1, 0, 0)] == tile_png(1, 0, 0)
        assert len(tile_server.tile_requests()) == 2  # duplicates asked once
        # the server says max-age=60; we still keep it fresh for at least 7 days
        await tiles.fetch([(1, 0, 0), (1, 1, 0)])
        assert len(tile_server.tile_requests()) == 2
        cached = tiles._memory[tiles.url((1, 0, 0))]
        assert cached.fresh_until > time.time() + WEEK - 60
        await client.aclose()

    asyncio.run(scenario())
    assert tile_server.tile_requests()[0]["headers"]["User-Agent"].endswith("(ops@example.org)")


def test_stale_tiles_are_revalidated_with_etag(tile_server: TileServer) -> None:
    tile_server.max_age = 0

    async def scenario() -> None:
        tiles, client = source(tile_server, min_freshness=0)
        await tiles.fetch([(2, 1, 1)])
        body = (await tiles.fetch([(2, 1, 1)]))[(2, 1, 1)]
        assert body == tile_png(2, 1, 1)
        await client.aclose()

    asyncio.run(scenario())
    first, second = tile_server.tile_requests()
    assert "If-None-Match" not in first["headers"]
    assert second["headers"]["If-None-Match"] == '"2-1-1-v1"'


def test_stale_tile_served_when_the_server_fails(tile_server: TileServer) -> None:
    tile_server.max_age = 0

    async def scenario() -> None:
        tiles, client = source(tile_server, min_freshness=0)
        await tiles.fetch([(2, 0, 0)])
        tile_server.down = True
        assert (await tiles.fetch([(2, 0, 0)]))[(2, 0, 0)] == tile_png(2, 0, 0)
        # a tile never fetched is missing, and the failure is remembered briefly
        assert (await tiles.fetch([(2, 3, 3)]))[(2, 3, 3)] is None
        asked = len(tile_server.tile_requests())
        assert (await tiles.fetch([(2, 3, 3)]))[(2, 3, 3)] is None
        assert len(tile_server.tile_requests()) == asked
        await client.aclose()

    asyncio.run(scenario())


def test_disk_cache_survives_a_restart_and_is_bounded(
    tile_server: TileServer, tmp_path: Path
) -> None:
    async def scenario() -> None:
        disk = DiskCache(tmp_path / "cache", max_bytes=10_000_000)
        tiles, client = source(tile_server, disk=disk)
        await tiles.fetch([(3, 1, 1), (3, 2, 2)])
        await client.aclose()
        disk.close()
        again = DiskCache(tmp_path / "cache", max_bytes=10_000_000)
        fresh, client2 = source(tile_server, disk=again)
        found = await fresh.fetch([(3, 1, 1)])
        assert found[(3, 1, 1)] == tile_png(3, 1, 1)
        await client2.aclose()
        again.close()

    asyncio.run(scenario())
    assert len(tile_server.tile_requests()) == 2
    small = DiskCache(tmp_path / "small", max_bytes=1500)
    for i in range(5):
        small.put(f"k{i}", CachedTile(b"x" * 500, time.time() + 10))
    assert small.get("k0") is None and small.get("k4") is not None
    small.close()
    assert small.get("k4") is None  # a closed/broken cache is a miss, not an error
    small.put("k5", CachedTile(b"x", 0.0))


def test_freshness_rules() -> None:
    now = 1_000_000.0
    assert freshness(httpx.Headers({"cache-control": "public, max-age=30"}), now, 0) == now + 30
    assert freshness(httpx.Headers({"cache-control": "max-age=30"}), now, WEEK) == now + WEEK
    year = httpx.Headers({"cache-control": "s-maxage=5, max-age=31536000"})
    assert freshness(year, now, WEEK) == now + 31_536_000
    expires = httpx.Headers({"expires": "Thu, 01 Jan 2099 00:00:00 GMT"})
    assert freshness(expires, now, 0) > now + 86_400
    assert freshness(httpx.Headers({"expires": "soon"}), now, 10) == now + 10


def test_bad_bodies_and_templates(tile_server: TileServer) -> None:
    with pytest.raises(ValueError, match="must be an http"):
        HttpTileSource(
            SourceConfig("x", "ftp://a/{z}/{x}/{y}"),
            httpx.AsyncClient(),
            memory_bytes=1,
            disk=None,
            min_freshness=0,
            concurrency=1,
        )

    async def scenario() -> None:
        broken = SourceConfig("b", tile_server.url + "/nothing/{z}/{x}/{y}")
        client = httpx.AsyncClient()
        tiles = HttpTileSource(
            broken, client, memory_bytes=1 << 20, disk=None, min_freshness=0, concurrency=1
        )
        assert (await tiles.fetch([(0, 0, 0)]))[(0, 0, 0)] is None
        await tiles.close()
        await client.aclose()

    asyncio.run(scenario())


def test_source_configs_and_attribution() -> None:
    assert parse_source_config("a", "none").url == "none"
    config = parse_source_config(
        "t", {"url": "https://t/{z}/{x}/{y}.png", "attribution": "© T", "max_zoom": 12}
    )
    assert (config.attribution, config.max_zoom) == ("© T", 12)
    with pytest.raises(ValueError, match="url"):
        parse_source_config("t", {"attribution": "x"})
    assert default_attribution("https://tile.openstreetmap.org/{z}/{x}/{y}.png") == OSM_ATTRIBUTION
    assert (
        default_attribution("https://tiles.example.com/{z}/{x}/{y}.png")
        == "Map tiles: tiles.example.com"
    )
    assert default_attribution("none") == ""
    assert mbtiles_path("mbtiles:///srv/a.mbtiles") == Path("/srv/a.mbtiles")


def test_mbtiles_source(tmp_path: Path) -> None:
    path = write_mbtiles(tmp_path / "a.mbtiles", range(0, 2), fmt="jpg")
    tiles = MBTilesSource(SourceConfig("m", f"mbtiles://{path}"), path)
    assert (tiles.min_zoom, tiles.max_zoom, tiles.attribution) == (0, 1, "© Test Tiles")
    assert tiles.identity.startswith(f"mbtiles:{path}:")
    found = asyncio.run(tiles.fetch([(1, 0, 1), (5, 0, 0)]))
    assert found[(1, 0, 1)] == tile_png(1, 0, 1, "JPEG") and found[(5, 0, 0)] is None
    asyncio.run(tiles.close())
    vector = write_mbtiles(tmp_path / "v.mbtiles", range(0, 1), metadata={"format": "pbf"})
    with pytest.raises(ValueError, match="not raster"):
        MBTilesSource(SourceConfig("v", "x"), vector)
    with pytest.raises(ValueError, match="no MBTiles file"):
        MBTilesSource(SourceConfig("v", "x"), tmp_path / "missing.mbtiles")
    junk = tmp_path / "junk.mbtiles"
    junk.write_bytes(b"not sqlite at all" * 100)
    with pytest.raises(ValueError, match="not an MBTiles"):
        read_metadata(junk)


def test_no_tiles_source() -> None:
    none = NoTiles("plain")
    assert none.identity == "none" and not none.draws_tiles
    assert asyncio.run(none.fetch([(0, 0, 0)])) == {}
    asyncio.run(none.close())


def test_concurrent_requests_share_one_download_and_bad_bodies(tile_server: TileServer) -> None:
    tile_server.empty.add((4, 1, 1))

    async def scenario() -> None:
        tiles, client = source(tile_server)
        a, b = await asyncio.gather(tiles.get((4, 2, 2)), tiles.get((4, 2, 2)))
        assert a == b == tile_png(4, 2, 2)
        assert await tiles.get((4, 1, 1)) is None  # an empty body is not a tile
        await client.aclose()

    asyncio.run(scenario())
    assert [r["path"] for r in tile_server.tile_requests()].count("/4/2/2.png") == 1


def test_revalidation_sends_last_modified(tile_server: TileServer) -> None:
    tile_server.max_age = 0

    async def scenario() -> None:
        tiles, client = source(tile_server, min_freshness=0)
        await tiles.fetch([(2, 2, 2)])
        await tiles.fetch([(2, 2, 2)])
        await client.aclose()

    asyncio.run(scenario())
    assert tile_server.tile_requests()[1]["headers"]["If-Modified-Since"].startswith("Sat, 01 Nov")


def test_freshness_without_any_cache_header() -> None:
    assert freshness(httpx.Headers({}), 100.0, 5) == 105.0
