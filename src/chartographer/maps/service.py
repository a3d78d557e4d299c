"""The maps service: tile sources, geocoder and icons for the app's lifetime.

:func:`setup` builds it in the app's lifespan; routers borrow it from
``app.state.maps``. :meth:`MapService.respond` is the one way a map gets made:
geocode, build the spec, fetch tiles (only when the image is not cached), then
hand everything to :func:`chartographer.imaging.serve_image`.
"""

from __future__ import annotations

import asyncio
import hashlib
from pathlib import Path

import httpx
from fastapi import FastAPI, Request, Response

from chartographer.config import Settings
from chartographer.errors import LimitExceeded
from chartographer.imaging import ImageService, etag_for, serve_image
from chartographer.maps.builtin import BUILTIN, BuiltinSource
from chartographer.maps.geo import wrap_tile
from chartographer.maps.geocode import Gazetteer, Geocoder, NominatimGeocoder, Place
from chartographer.maps.httptiles import DiskCache, HttpTileSource
from chartographer.maps.mapstyle import parse_styles
from chartographer.maps.params import MapDraft, MapLimits, build_spec
from chartographer.maps.render import render_map
from chartographer.maps.spec import MapSpec, TileSet
from chartographer.maps.tiles import (
    MBTilesSource,
    NoTiles,
    SourceConfig,
    TileSource,
    TileSourceUnavailable,
    mbtiles_path,
    parse_source_config,
)


def user_agent(settings: Settings) -> str:
    contact = f" contact: {settings.tile_contact}" if settings.tile_contact else ""
    return settings.tile_user_agent + contact


class MapService:
    def __init__(
        self,
        settings: Settings,
        sources: dict[str, TileSource],
        geocoder: Geocoder,
        client: httpx.AsyncClient,
        disk: DiskCache | None = None,
    ) -> None:
        self.sources = sources
        self.geocoder = geocoder
        self.client = client
        self.disk = disk
        self.limits = MapLimits.from_settings(settings)
        self.icons = load_icons(settings.map_icons)
        builtin = next((s for s in sources.values() if isinstance(s, BuiltinSource)), None)
        self.builtin = builtin if builtin is not None else BuiltinSource()

    def is_http(self, source: TileSource) -> bool:
        return isinstance(source, HttpTileSource)

    @property
    def maptypes(self) -> dict[str, str]:
        """Names a request may use for ``maptype``/``tile_provider``."""
        names = {name: name for name in self.sources}
        names.setdefault("roadmap", "default")
        return names

    async def geocode(self, draft: MapDraft) -> dict[str, Place | None]:
        names = draft.places()
        if len(names) > self.limits.max_places:
            raise LimitExceeded(
                f"{len(names)} place names to look up exceeds the limit of "
                f"{self.limits.max_places}; send latitude,longitude pairs instead",
                param="markers",
            )
        found = await asyncio.gather(*(self.geocoder.geocode(name) for name in names))
        return dict(zip(names, found, strict=True))

    async def spec_for(self, draft: MapDraft, **params: str) -> MapSpec:
        places = await self.geocode(draft)
        source = self.sources[draft.source]
        spec = build_spec(draft, places, self.limits, attribution=source.attribution, **params)
        if not spec.styles:
            return spec
        # rules are checked whichever source draws (a fallback may apply them)
        _, notes = parse_styles(spec.styles)
        if not isinstance(source, BuiltinSource):
            notes = [
                f"style: {len(spec.styles)} style rule(s) ignored; source {spec.source!r} "
                f"serves fixed raster tiles (the {BUILTIN!r} basemap draws styles)"
            ]
        return spec.model_copy(update={"warnings": (*spec.warnings, *notes)})

    async def tiles_for(self, spec: MapSpec) -> tuple[TileSet, int]:
        """The tiles ``spec`` needs, and how many of them could not be had."""
        source = self.sources[spec.source]
        icons = {m.icon: self.icons[m.icon] for m in spec.markers if m.icon in self.icons}
        if not source.draws_tiles:
            return TileSet(zoom=spec.zoom, draw_tiles=False, icons=icons), 0
        if isinstance(source, BuiltinSource):
            return self.builtin_tiles(spec, source, icons), 0
        zoom = spec.viewport.tile_zoom(source.min_zoom, source.max_zoom)
        keys = sorted({wrap_tile(t) for t in spec.viewport.tiles(zoom)})
        if spec.scale >= 2 and isinstance(source, HttpTileSource) and source.retina:
            found = await source.fetch(keys, retina=True)  # @2x tiles: sharp at scale 2
        else:
            found = await source.fetch(keys)
        tiles = {(x, y): found.get((z, x, y)) for z, x, y in keys}
        missing = sum(1 for body in tiles.values() if body is None)
        return TileSet(zoom=zoom, tiles=tiles, icons=icons), missing

    def builtin_tiles(
        self, spec: MapSpec, source: BuiltinSource, icons: dict[str, bytes]
    ) -> TileSet:
        style, _ = parse_styles(spec.styles)
        zoom = spec.viewport.tile_zoom(source.min_zoom, source.max_zoom)
        return TileSet(zoom=zoom, icons=icons, basemap=style)

    async def respond(self, request: Request, images: ImageService, spec: MapSpec) -> Response:
        source = self.sources[spec.source]
        key = spec.cache_key(source.identity)
        fallback = spec.cache_key(self.builtin.identity) + "-fallback"
        if etag_for(key) in request.headers.get("if-none-match", "") or images.cache.get(key):
            # served from the image cache (or 304) without touching tiles; nothing
            # awaits between this check and serve_image's own cache lookup. (A fallback
            # image is not looked up here: the source is tried again first.)
            return await serve_image(request, images, key, render_map, spec, TileSet(spec.zoom))
        tiles, missing = await self.tiles_for(spec)
        if missing and missing == len(tiles.tiles):
            if spec.zoom > self.builtin.max_zoom:
                raise TileSourceUnavailable(
                    f"tile source {spec.source!r} returned none of the {missing} tiles this map "
                    f"needs, and the built-in basemap stops at zoom {self.builtin.max_zoom}; "
                    "try again later",
                    param="maptype",
                )
            # nothing came: draw the offline basemap rather than fail (and say so)
            note = (
                f"tiles: source {spec.source!r} unreachable; drawn with the built-in "
                "Natural Earth basemap"
            )
            spec = spec.model_copy(
                update={
                    "warnings": (*spec.warnings, note),
                    "attribution": self.builtin.attribution,
                }
            )
            tiles = self.builtin_tiles(spec, self.builtin, tiles.icons)
            return await serve_image(request, images, fallback, render_map, spec, tiles)
        if missing:
            # a degraded image must not be served for the complete one later
            holes = ",".join(f"{x}/{y}" for (x, y), body in sorted(tiles.tiles.items()) if not body)
            key += "-partial-" + hashlib.sha256(holes.encode()).hexdigest()[:12]
        return await serve_image(request, images, key, render_map, spec, tiles)


def load_icons(allow_list: dict[str, str]) -> dict[str, bytes]:
    """Read every allow-listed icon once, at start-up (requests never fetch icons)."""
    icons = {}
    for name, path in allow_list.items():
        data = Path(path).read_bytes()
        if not data.startswith(b"\x89PNG"):
            raise ValueError(f"map icon {name!r}: {path} is not a PNG file")
        icons[name] = data
    return icons


def build_sources(
    settings: Settings, client: httpx.AsyncClient, disk: DiskCache | None
) -> dict[str, TileSource]:
    configs = [SourceConfig("default", settings.tiles, attribution=settings.tile_attribution)]
    configs += [parse_source_config(n, v) for n, v in settings.tile_sources.items()]
    sources: dict[str, TileSource] = {}
    for config in configs:
        url = config.url.strip()
        if url.lower() == "none":
            sources[config.name] = NoTiles(config.name, config.attribution)
        elif url.lower() == BUILTIN:
            sources[config.name] = BuiltinSource(config.name, config.attribution)
        elif url.startswith("mbtiles://"):
            sources[config.name] = MBTilesSource(config, mbtiles_path(url))
        else:
            sources[config.name] = HttpTileSource(
                config,
                client,
                memory_bytes=settings.tile_cache_bytes,
                disk=disk,
                min_freshness=settings.tile_min_freshness,
                concurrency=settings.tile_concurrency,
            )
    # the offline basemap is always there, by name (maptype=builtin, /tiles/builtin/…)
    sources.setdefault(BUILTIN, BuiltinSource())
    return sources


def create_service(settings: Settings) -> MapService:
    client = httpx.AsyncClient(
        headers={"User-Agent": user_agent(settings)},
        timeout=httpx.Timeout(settings.tile_timeout),
        limits=httpx.Limits(max_connections=max(settings.tile_concurrency, 4) * 2),
        follow_redirects=False,
    )
    disk = None
    if settings.tile_cache_dir:
        disk = DiskCache(Path(settings.tile_cache_dir), settings.tile_disk_cache_bytes)
    gazetteer = Gazetteer(settings.geocoder_min_population, Path(settings.gazetteer_dir))
    geocoder: Geocoder = gazetteer
    if settings.geocoder_url:
        geocoder = NominatimGeocoder(settings.geocoder_url, client, gazetteer)
    return MapService(settings, build_sources(settings, client, disk), geocoder, client, disk)


def setup(app: FastAPI, settings: Settings) -> None:
    """Create the maps service for the app's lifespan (call :func:`teardown` at the end)."""
    app.state.maps = create_service(settings)


async def teardown(app: FastAPI) -> None:
    service: MapService | None = getattr(app.state, "maps", None)
    if service is None:
        return
    for source in service.sources.values():
        await source.close()
    await service.client.aclose()
    if service.disk is not None:
        service.disk.close()
