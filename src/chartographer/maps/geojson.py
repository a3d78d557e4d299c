"""GeoJSON overlays (RFC 7946) with simplestyle properties → markers and paths.

Points become markers (``marker-color``, ``marker-size`` small/medium/large,
``marker-symbol`` as the label); lines become paths (``stroke``,
``stroke-width``, ``stroke-opacity``, ``geodesic``); polygons become filled
paths (``fill``, ``fill-opacity``; holes are cut out of the fill and
outlined). Every problem is a 422 naming the JSON path of the offending member.
"""

from __future__ import annotations

import math
from typing import Any

from chartographer.errors import InvalidParameter
from chartographer.maps.params import (
    Location,
    MapDraft,
    MarkerGroup,
    PathDraft,
    check_label,
    check_latlng,
    parse_color,
)
from chartographer.maps.spec import MarkerSize

MAX_DEPTH = 8
_SIZES: dict[str, MarkerSize] = {"small": "small", "medium": "mid", "large": "normal"}
_GEOMETRIES = {
    "Point",
    "MultiPoint",
    "LineString",
    "MultiLineString",
    "Polygon",
    "MultiPolygon",
    "GeometryCollection",
}


def _fail(where: str, message: str) -> InvalidParameter:
    return InvalidParameter(f"{where}: {message}", param=where)


def _position(value: Any, where: str) -> tuple[float, float]:
    if (
        not isinstance(value, list)
        or len(value) < 2
        or not all(isinstance(v, int | float) and not isinstance(v, bool) for v in value[:2])
    ):
        raise _fail(where, "a position is [longitude, latitude]")
    lng, lat = float(value[0]), float(value[1])
    if not (math.isfinite(lat) and math.isfinite(lng)):
        raise _fail(where, "coordinates must be finite numbers")
    return check_latlng(lat, lng, where)


def _positions(value: Any, where: str, minimum: int) -> list[tuple[float, float]]:
    if not isinstance(value, list) or len(value) < minimum:
        raise _fail(where, f"expected an array of at least {minimum} positions")
    return [_position(v, f"{where}[{i}]") for i, v in enumerate(value)]


def _opacity(props: dict[str, Any], name: str, default: float, where: str) -> str:
    value = props.get(name, default)
    if not isinstance(value, int | float) or isinstance(value, bool) or not 0 <= value <= 1:
        raise _fail(f"{where}.{name}", "opacity must be a number from 0 to 1")
    return f"{round(value * 255):02X}"


def _color(props: dict[str, Any], name: str, default: str, where: str) -> str:
    value = props.get(name, default)
    if not isinstance(value, str):
        raise _fail(f"{where}.{name}", "a colour is a string like #ff0000")
    return parse_color(value, f"{where}.{name}")


def _stroke(props: dict[str, Any], where: str) -> tuple[str, float]:
    color = _color(props, "stroke", "#555555", where) + _opacity(
        props, "stroke-opacity", 1.0, where
    )
    width = props.get("stroke-width", 3)
    if not isinstance(width, int | float) or isinstance(width, bool) or not 0 <= width <= 50:
        raise _fail(f"{where}.stroke-width", "must be a number from 0 to 50")
    return color, float(width)


def _add_geometry(
    draft: MapDraft, geometry: Any, props: dict[str, Any], where: str, depth: int
) -> None:
    if depth > MAX_DEPTH:
        raise _fail(where, f"nested deeper than {MAX_DEPTH} levels")
    if not isinstance(geometry, dict) or geometry.get("type") not in _GEOMETRIES:
        raise _fail(where, "expected a geometry (Point, LineString, Polygon, Multi…)")
    kind = geometry["type"]
    if kind == "GeometryCollection":
        members = geometry.get("geometries")
        if not isinstance(members, list):
            raise _fail(f"{where}.geometries", "expected an array of geometries")
        for i, member in enumerate(members):
            _add_geometry(draft, member, props, f"{where}.geometries[{i}]", depth + 1)
        return
    coords = geometry.get("coordinates")
    at = f"{where}.coordinates"
    if kind in ("Point", "MultiPoint"):
        points = [_position(coords, at)] if kind == "Point" else _positions(coords, at, 0)
        size = props.get("marker-size", "medium")
        if size not in _SIZES:
            raise _fail(f"{where}.marker-size", "must be small, medium or large")
        symbol = props.get("marker-symbol")
        label = check_label(str(symbol), f"{where}.marker-symbol") if symbol else None
        color = _color(props, "marker-color", "#7E7E7E", where)
        draft.markers.append(MarkerGroup(list(points), color=color, size=_SIZES[size], label=label))
        return
    geodesic = props.get("geodesic") is True
    color, weight = _stroke(props, where)
    if kind in ("LineString", "MultiLineString"):
        lines = [coords] if kind == "LineString" else coords
        if not isinstance(lines, list):
            raise _fail(at, "expected an array of lines")
        for i, line in enumerate(lines):
            points = _positions(line, f"{at}[{i}]" if kind != "LineString" else at, 2)
            draft.paths.append(PathDraft(list(points), color, weight, geodesic=geodesic))
        return
    polygons = [coords] if kind == "Polygon" else coords
    if not isinstance(polygons, list):
        raise _fail(at, "expected an array of polygons")
    fill = _color(props, "fill", "#555555", where) + _opacity(props, "fill-opacity", 0.6, where)
    for i, rings in enumerate(polygons):
        here = at if kind == "Polygon" else f"{at}[{i}]"
        if not isinstance(rings, list) or not rings:
            raise _fail(here, "a polygon is an array of linear rings")
        exterior, *holes = (
            list[Location](_positions(ring, f"{here}[{j}]", 4)) for j, ring in enumerate(rings)
        )
        draft.paths.append(
            PathDraft(
                exterior,
                color,
                weight,
                fill=fill,
                geodesic=geodesic,
                closed=True,
                holes=list(holes),
            )
        )


def add_geojson(draft: MapDraft, data: Any, where: str = "geojson", depth: int = 0) -> None:
    """Add a GeoJSON object (geometry, Feature or FeatureCollection) to ``draft``."""
    if not isinstance(data, dict):
        raise _fail(where, "expected a GeoJSON object")
    kind = data.get("type")
    if kind == "FeatureCollection":
        features = data.get("features")
        if not isinstance(features, list):
            raise _fail(f"{where}.features", "expected an array of features")
        for i, feature in enumerate(features):
            add_geojson(draft, feature, f"{where}.features[{i}]", depth + 1)
    elif kind == "Feature":
        props = data.get("properties") or {}
        if not isinstance(props, dict):
            raise _fail(f"{where}.properties", "expected an object or null")
        if data.get("geometry") is not None:
            _add_geometry(draft, data["geometry"], props, f"{where}.geometry", depth + 1)
    else:
        _add_geometry(draft, data, {}, where, depth)
