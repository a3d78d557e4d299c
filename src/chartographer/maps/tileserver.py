"""The tile server: ``/tiles/{source}/{z}/{x}/{y}.png`` (and ``.webp``, ``@2x``) and TileJSON.

Every configured source is served — MBTiles files, HTTP sources (through the
same polite cache static maps use) and the built-in basemap — so a Leaflet or
MapLibre page can use the service as its tile provider. ``/tiles`` sits behind
the access layer (keys, rate limits, quotas, metering) like every image route,
and tiles go through the image cache and render pool (ETag, 304, single flight).
``/maps/demo`` is a Leaflet page (Leaflet vendored, no CDN) that shows them.
"""

from __future__ import annotations

import hashlib
import io
import re
from importlib import resources
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import HTMLResponse
from PIL import Image, UnidentifiedImageError

from chartographer.deps import ImagesDep
from chartographer.errors import ChartographerError, InvalidParameter
from chartographer.formats import ImageFormat, Rendered, encode_raster
from chartographer.imaging import serve_image
from chartographer.maps.builtin import BuiltinSource, render_tile_image
from chartographer.maps.mapstyle import parse_styles
from chartographer.maps.router import MapsDep
from chartographer.openapi import image_responses, problem

router = APIRouter(tags=["tiles"])
_TILE = re.compile(r"^(\d{1,7})(@2x)?\.(png|webp)$")
_FORMATS = {"png": ImageFormat.png, "webp": ImageFormat.webp}
_STATIC = {
    "leaflet.js": "text/javascript",
    "leaflet.css": "text/css",
    "demo.js": "text/javascript",
    "demo.css": "text/css",
}
RESPONSES = image_responses("image/png", "image/webp")
RESPONSES[404] = problem("no such source, or no tile there (outside its zooms or its data)")


class TileNotFound(ChartographerError):
    status = 404
    type = "tile-not-found"
    title = "No such tile"


def transcode(body: bytes, image_format: ImageFormat) -> Rendered:
    """A source's tile in the requested format (as it is when it already is)."""
    signature = b"\x89PNG" if image_format is ImageFormat.png else b"RIFF"
    if body.startswith(signature):
        return Rendered(body, image_format.media_type, ())
    try:
        image: Image.Image = Image.open(io.BytesIO(body))
        image.load()
    except (UnidentifiedImageError, OSError, ValueError):
        raise TileNotFound("the source's tile is not an image", param="source") from None
    if image.mode not in ("RGB", "RGBA"):
        image = image.convert("RGBA")
    return Rendered(encode_raster(image, image_format), image_format.media_type, ())


def _tile_address(
    maps: Any, source: str, z: int, x: int, name: str
) -> tuple[Any, int, int, int, bool, ImageFormat]:
    match = _TILE.match(name)
    if match is None:
        raise TileNotFound(f"{name[:40]!r}: expected {{y}}.png, {{y}}.webp or {{y}}@2x.png")
    tile_source = maps.sources.get(source)
    if tile_source is None or not tile_source.draws_tiles:
        raise TileNotFound(f"no tile source {source[:40]!r}", param="source")
    y, retina, fmt = int(match.group(1)), bool(match.group(2)), _FORMATS[match.group(3)]
    if not tile_source.min_zoom <= z <= tile_source.max_zoom:
        raise TileNotFound(
            f"zoom {z} is outside {source!r}'s zooms {tile_source.min_zoom}–{tile_source.max_zoom}",
            param="z",
        )
    if not (0 <= x < 2**z and 0 <= y < 2**z):
        raise TileNotFound(f"tile {z}/{x}/{y} does not exist", param="x")
    if retina and not isinstance(tile_source, BuiltinSource):
        raise TileNotFound(f"source {source!r} has no @2x tiles", param="source")
    return tile_source, z, x, y, retina, fmt


@router.get(
    "/tiles/{source}/{z}/{x}/{tile}",
    response_class=Response,
    responses=RESPONSES,
    summary="A map tile from a configured source (XYZ scheme)",
)
async def get_tile(
    source: str,
    z: int,
    x: int,
    tile: Annotated[str, "{y}.png, {y}.webp, {y}@2x.png or {y}@2x.webp"],
    request: Request,
    images: ImagesDep,
    maps: MapsDep,
    style: Annotated[
        list[str] | None, Query(description="Google style rules (built-in basemap only)")
    ] = None,
) -> Response:
    """One 256×256 tile (512×512 for ``@2x``) as PNG or WebP, for Leaflet, MapLibre, …"""
    tile_source, z, x, y, retina, fmt = _tile_address(maps, source, z, x, tile)
    if isinstance(tile_source, BuiltinSource):
        return await _builtin(request, images, tile_source, z, x, y, retina, fmt, style or [])
    found = (await tile_source.fetch([(z, x, y)])).get((z, x, y))
    if found is None:
        if maps.is_http(tile_source) and z <= maps.builtin.max_zoom:
            warning = f"tiles: source {source!r} unreachable; built-in basemap tile served"
            return await _builtin(
                request, images, maps.builtin, z, x, y, retina, fmt, [], warning=warning
            )
        raise TileNotFound(f"source {source!r} has no tile {z}/{x}/{y}", param="source")
    digest = hashlib.sha256(tile_source.identity.encode()).hexdigest()[:16]
    key = f"tile-{digest}-{z}-{x}-{y}-{fmt.value}-" + hashlib.sha256(found).hexdigest()[:16]
    return await serve_image(request, images, key, transcode, found, fmt)


async def _builtin(
    request: Request,
    images: Any,
    source: BuiltinSource,
    z: int,
    x: int,
    y: int,
    retina: bool,
    fmt: ImageFormat,
    rules: list[str],
    warning: str | None = None,
) -> Response:
    basemap_style, notes = parse_styles(rules)
    size = 512 if retina else 256
    canonical = f"{source.identity}|{z}|{x}|{y}|{size}|{fmt.value}|{basemap_style!r}"
    key = "tile-" + hashlib.sha256(canonical.encode()).hexdigest()[:32]
    headers = {}
    notes = [*notes, warning] if warning else notes
    if notes:
        headers["X-Chartographer-Warning"] = "; ".join(notes)[:2000]
    return await serve_image(
        request, images, key, render_tile_image, z, x, y, size, basemap_style, fmt, headers=headers
    )


@router.get(
    "/tiles/{source}.json",
    summary="TileJSON 3.0 for a configured source",
    responses={404: problem("no such tile source")},
)
async def get_tilejson(
    source: str,
    request: Request,
    maps: MapsDep,
    key: Annotated[str | None, Query(description="API key, repeated in the tile URLs")] = None,
) -> dict[str, Any]:
    """A TileJSON document: the tile URL template, zooms, bounds and attribution."""
    tile_source = maps.sources.get(source)
    if tile_source is None or not tile_source.draws_tiles:
        raise TileNotFound(f"no tile source {source[:40]!r}", param="source")
    base = str(request.base_url).rstrip("/")
    query = f"?key={quote(key, safe='')}" if key else ""
    return {
        "tilejson": "3.0.0",
        "name": source,
        "scheme": "xyz",
        "tiles": [f"{base}/tiles/{quote(source)}/{{z}}/{{x}}/{{y}}.png{query}"],
        "minzoom": tile_source.min_zoom,
        "maxzoom": tile_source.max_zoom,
        "bounds": [-180, -85.0511, 180, 85.0511],
        "attribution": tile_source.attribution,
    }


@router.get("/maps/demo", response_class=HTMLResponse, include_in_schema=False)
async def demo_page(maps: MapsDep) -> HTMLResponse:
    """A Leaflet page that uses this server's tiles (Leaflet served from here, no CDN)."""
    names = [n for n, s in maps.sources.items() if s.draws_tiles]
    page = resources.files("chartographer.maps").joinpath("static/demo.html").read_text()
    options = "".join(f'<option value="{quote(n)}">{quote(n)}</option>' for n in names)
    return HTMLResponse(page.replace("<!--SOURCES-->", options))


@router.get("/maps/static/{name}", include_in_schema=False)
async def static_file(name: str) -> Response:
    if name not in _STATIC:
        raise InvalidParameter(f"no static file {name[:40]!r}", param="name", status=404)
    body = resources.files("chartographer.maps").joinpath("static", name).read_bytes()
    return Response(
        body, media_type=_STATIC[name], headers={"Cache-Control": "public, max-age=86400"}
    )
