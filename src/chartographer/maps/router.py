"""Static map routes: Google-compatible ``/maps/api/staticmap`` and native ``/v1/maps``."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body, Depends, Query, Request, Response

from chartographer.deps import ImagesDep
from chartographer.maps.google import parse_google
from chartographer.maps.native import MapBody, MapQuery, draft_from_body, draft_from_query
from chartographer.maps.service import MapService
from chartographer.maps.spec import MEDIA_TYPES
from chartographer.openapi import image_responses, problem

router = APIRouter(tags=["maps"])

RESPONSES = image_responses(*MEDIA_TYPES)
RESPONSES[502] = problem("the tile source could not deliver any tile of this map")


def get_maps(request: Request) -> MapService:
    maps: MapService = request.app.state.maps
    return maps


MapsDep = Annotated[MapService, Depends(get_maps)]
MARKERS_DOC = "styles then locations, e.g. color:red|label:A|40.714,-74.006 (repeatable)"


@router.get(
    "/maps/api/staticmap",
    response_class=Response,
    responses=RESPONSES,
    summary="Static map (Google Static Maps syntax)",
)
async def get_staticmap(
    request: Request,
    images: ImagesDep,
    maps: MapsDep,
    size: Annotated[str, Query(description="WIDTHxHEIGHT", examples=["600x300"])],
    center: Annotated[
        str | None, Query(description="lat,lng or a place", examples=["40.714,-74.006"])
    ] = None,
    zoom: Annotated[str | None, Query(description="0–22", examples=["12"])] = None,
    scale: Annotated[str | None, Query(description="1, 2 or 4")] = None,
    format: Annotated[
        str | None, Query(description="png, png8, png32, gif, jpg, jpg-baseline, webp")
    ] = None,
    maptype: Annotated[str | None, Query(description="roadmap or a configured source")] = None,
    markers: Annotated[list[str] | None, Query(description=MARKERS_DOC)] = None,
    path: Annotated[list[str] | None, Query(description="styles|locations or enc:…")] = None,
    visible: Annotated[list[str] | None, Query(description="locations to keep in view")] = None,
    style: Annotated[list[str] | None, Query(description="accepted; ignored (raster)")] = None,
    key: Annotated[str | None, Query(description="API key (checked by the gateway)")] = None,
    signature: Annotated[str | None, Query(description="URL signature (gateway)")] = None,
) -> Response:
    """Render a static map from a Google Static Maps URL (same parameters, same path)."""
    # the declared parameters document the route; parsing needs every repeated item
    draft = parse_google(
        request.query_params.multi_items(),
        maptypes=maps.maptypes,
        icons=list(maps.icons),
        path_limit=maps.limits.max_path_points,
    )
    spec = await maps.spec_for(draft)
    return await maps.respond(request, images, spec)


@router.get("/v1/maps", response_class=Response, responses=RESPONSES, summary="Map from a URL")
async def get_map(
    query: Annotated[MapQuery, Query()], request: Request, images: ImagesDep, maps: MapsDep
) -> Response:
    """Render a map from query parameters: ``center=52.52,13.40&zoom=12&markers=…``."""
    draft = draft_from_query(query, maps.maptypes, list(maps.icons), maps.limits.max_path_points)
    spec = await maps.spec_for(draft, path_param="paths", size_param="")
    return await maps.respond(request, images, spec)


@router.post("/v1/maps", response_class=Response, responses=RESPONSES, summary="Map from GeoJSON")
async def post_map(
    body: Annotated[MapBody, Body()], request: Request, images: ImagesDep, maps: MapsDep
) -> Response:
    """Render a map with GeoJSON overlays and circles (radius in metres) from a JSON body."""
    draft = draft_from_body(body, maps.maptypes)
    spec = await maps.spec_for(draft, marker_param="geojson", path_param="geojson", size_param="")
    return await maps.respond(request, images, spec)
