"""Native ``/v1/maps`` parameters (seeds' names) → :class:`MapDraft`.

GET takes ``center``, ``zoom``, ``width``, ``height``, ``tile_provider``,
``scale``, ``format``, ``padding``, and repeatable ``markers``/``paths`` in the
Google style syntax plus ``circles`` (``style|lat,lng,radius_m``). POST takes
the same names as JSON, with GeoJSON overlays and circles in metres.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field

from chartographer.errors import InvalidParameter
from chartographer.maps import geo
from chartographer.maps.geojson import add_geojson
from chartographer.maps.google import parse_markers, parse_path
from chartographer.maps.params import (
    MapDraft,
    PathDraft,
    check_latlng,
    parse_color,
    parse_location,
    parse_scale,
)
from chartographer.maps.spec import MapFormat

MAX_RADIUS_M = 20_000_000


class NativeFormat(StrEnum):
    png = "png"
    jpg = "jpg"
    webp = "webp"
    gif = "gif"

    @property
    def map_format(self) -> MapFormat:
        return MapFormat.png32 if self is NativeFormat.png else MapFormat(self.value)


_Dim = Field(ge=1, le=2048)


class _Common(BaseModel):
    model_config = ConfigDict(extra="forbid")

    zoom: Annotated[int | None, Field(ge=0, le=geo.MAX_ZOOM, description="0–22; fit if absent")] = (
        None
    )
    width: Annotated[int, _Dim, Field(description="width in CSS pixels")] = 600
    height: Annotated[int, _Dim, Field(description="height in CSS pixels")] = 400
    scale: Annotated[
        int, Field(description="pixel density: 1, 2 or 4", json_schema_extra={"enum": [1, 2, 4]})
    ] = 1
    format: Annotated[NativeFormat, Field(description="png, jpg, webp or gif")] = NativeFormat.png
    tile_provider: Annotated[str, Field(max_length=64, description="configured tile source")] = (
        "default"
    )
    padding: Annotated[
        int | None, Field(ge=0, le=500, description="pixels kept free around fitted overlays")
    ] = None


class MapQuery(_Common):
    """``GET /v1/maps`` query parameters."""

    model_config = ConfigDict(extra="ignore")  # key/signature belong to the gateway

    center: Annotated[
        str | None, Field(description="'lat,lng' or a place", examples=["52.5163,13.3777"])
    ] = None
    markers: Annotated[
        list[str], Field(description="Google syntax: color:red|label:A|52.5163,13.3777")
    ] = []
    paths: Annotated[
        list[str], Field(description="Google syntax: color:0x0000ffcc|weight:4|lat,lng|lat,lng")
    ] = []
    circles: Annotated[
        list[str], Field(description="color:0xff0000|fillcolor:0xff000040|lat,lng,radius_m")
    ] = []


class LatLng(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)

    lat: Annotated[float, Field(ge=-90, le=90)]
    lng: Annotated[float, Field(ge=-180, le=180)]


class Circle(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)

    center: LatLng
    radius: Annotated[float, Field(gt=0, le=MAX_RADIUS_M, description="metres")]
    color: Annotated[str, Field(max_length=40)] = "#1E64F0"
    fill: Annotated[str | None, Field(max_length=40)] = "#1E64F040"
    weight: Annotated[float, Field(ge=0, le=50)] = 2.0


class MapBody(_Common):
    """``POST /v1/maps`` JSON body."""

    center: LatLng | Annotated[str, Field(max_length=200)] | None = None
    # strict numbers, but the format is a JSON string matched against the enum
    format: Annotated[NativeFormat, Field(strict=False, description="png, jpg, webp or gif")] = (
        NativeFormat.png
    )
    geojson: Annotated[
        dict[str, Any] | None,
        Field(description="a GeoJSON geometry, Feature or FeatureCollection (simplestyle)"),
    ] = None
    circles: list[Circle] = []

    model_config = ConfigDict(
        extra="forbid",
        strict=True,  # JSON: false is not a number, "3" is not a zoom
        json_schema_extra={
            "examples": [
                {
                    "width": 500,
                    "height": 300,
                    "geojson": {
                        "type": "Feature",
                        "properties": {"stroke": "#d62728", "stroke-width": 4},
                        "geometry": {
                            "type": "LineString",
                            "coordinates": [[13.3777, 52.5163], [13.4050, 52.5200]],
                        },
                    },
                    "circles": [{"center": {"lat": 52.5163, "lng": 13.3777}, "radius": 300}],
                }
            ]
        },
    )


def _draft(common: _Common, maptypes: dict[str, str]) -> MapDraft:
    if common.tile_provider not in maptypes:
        names = ", ".join(sorted(maptypes))
        raise InvalidParameter(
            f"tile_provider: {common.tile_provider[:30]!r} is not configured; use one of {names}",
            param="tile_provider",
        )
    return MapDraft(
        width=common.width,
        height=common.height,
        scale=parse_scale(common.scale),
        format=common.format.map_format,
        source=maptypes[common.tile_provider],
        zoom=common.zoom,
        padding=common.padding,
    )


def circle_path(
    lat: float, lng: float, radius: float, color: str, fill: str | None, weight: float
) -> PathDraft:
    ring = geo.circle((lat, lng), radius)
    return PathDraft(list(ring), color=color, weight=weight, fill=fill, closed=True)


def parse_circle(value: str, param: str = "circles") -> PathDraft:
    color, fill, weight = "#1E64F0FF", "#1E64F040", 2.0
    where = None
    for token in value.split("|"):
        name, sep, arg = token.partition(":")
        if sep and name == "color":
            color = parse_color(arg, param, alpha=True)
        elif sep and name == "fillcolor":
            fill = parse_color(arg, param, alpha=True)
        elif sep and name == "weight":
            weight = parse_path(f"weight:{arg}|0,0|0,1", param).weight
        elif token.strip():
            where = token
    parts = (where or "").split(",")
    try:
        lat, lng, radius = (float(p) for p in parts)
    except ValueError:
        raise InvalidParameter(
            f"{param}: expected lat,lng,radius_m (e.g. 52.5,13.4,500) after the styles",
            param=param,
        ) from None
    check_latlng(lat, lng, param)
    if not 0 < radius <= MAX_RADIUS_M:
        raise InvalidParameter(
            f"{param}: radius must be more than 0 and at most {MAX_RADIUS_M} m", param=param
        )
    return circle_path(lat, lng, radius, color, fill, weight)


def draft_from_query(
    query: MapQuery, maptypes: dict[str, str], icons: list[str], path_limit: int
) -> MapDraft:
    draft = _draft(query, maptypes)
    if query.center and query.center.strip():
        draft.center = parse_location(query.center, "center")
    for value in query.markers:
        group, warnings = parse_markers(value, icons)
        draft.markers.append(group)
        draft.warnings += warnings
    draft.paths += [parse_path(value, "paths", path_limit) for value in query.paths]
    draft.paths += [parse_circle(value) for value in query.circles]
    return draft


def draft_from_body(body: MapBody, maptypes: dict[str, str]) -> MapDraft:
    draft = _draft(body, maptypes)
    if isinstance(body.center, LatLng):
        draft.center = (body.center.lat, body.center.lng)
    elif isinstance(body.center, str) and body.center.strip():
        draft.center = parse_location(body.center, "center")
    if body.geojson is not None:
        add_geojson(draft, body.geojson)
    for i, c in enumerate(body.circles):
        param = f"circles[{i}]"
        fill = parse_color(c.fill, param + ".fill", alpha=True) if c.fill else None
        color = parse_color(c.color, param + ".color", alpha=True)
        draft.paths.append(circle_path(c.center.lat, c.center.lng, c.radius, color, fill, c.weight))
    return draft
