"""GeoJSON overlays → markers and paths; every mistake is a 422 naming its JSON path."""

from __future__ import annotations

from typing import Any

import pytest

from chartographer.errors import ChartographerError
from chartographer.maps.geojson import add_geojson
from chartographer.maps.params import MapDraft


def draft_of(data: Any) -> MapDraft:
    draft = MapDraft(width=100, height=100)
    add_geojson(draft, data)
    return draft


def feature(geometry: dict[str, Any], **props: Any) -> dict[str, Any]:
    return {"type": "Feature", "properties": props, "geometry": geometry}


def test_every_geometry_type() -> None:
    square = [[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]
    hole = [[0.2, 0.2], [0.4, 0.2], [0.4, 0.4], [0.2, 0.2]]
    collection = {
        "type": "FeatureCollection",
        "features": [
            feature({"type": "Point", "coordinates": [1, 2]}, **{"marker-size": "large"}),
            feature(
                {"type": "MultiPoint", "coordinates": [[1, 2], [3, 4]]},
                **{"marker-color": "#00ff00"},
            ),
            feature({"type": "LineString", "coordinates": [[0, 0], [1, 1]]}, geodesic=True),
            feature(
                {"type": "MultiLineString", "coordinates": [[[0, 0], [1, 1]], [[2, 2], [3, 3]]]}
            ),
            feature(
                {"type": "Polygon", "coordinates": [square, hole]},
                fill="#ff0000",
                **{"fill-opacity": 0.5},
            ),
            feature({"type": "MultiPolygon", "coordinates": [[square], [square]]}),
            feature(
                {
                    "type": "GeometryCollection",
                    "geometries": [{"type": "Point", "coordinates": [5, 6]}],
                },
                **{
                    "marker-symbol": "Z",
                    "stroke": "#123456",
                    "stroke-width": 2,
                    "stroke-opacity": 0.5,
                },
            ),
        ],
    }
    draft = draft_of(collection)
    assert [g.size for g in draft.markers] == ["normal", "mid", "mid"]
    assert draft.markers[1].color == "#00FF00" and draft.markers[1].locations == [
        (2.0, 1.0),
        (4.0, 3.0),
    ]
    assert draft.markers[2].label == "Z"
    lines = [p for p in draft.paths if p.fill is None and not p.closed]
    assert len(lines) == 3 and lines[0].geodesic
    polygons = [p for p in draft.paths if p.closed]
    assert polygons[0].fill == "#FF000080"  # the hole travels with its polygon, to be cut
    assert len(polygons[0].holes) == 1 and len(polygons[0].holes[0]) == 4
    assert len(polygons) == 3 and all(not p.holes for p in polygons[1:])
    assert draft_of({"type": "Point", "coordinates": [7, 8]}).markers[0].locations == [(8.0, 7.0)]


@pytest.mark.parametrize(
    ("data", "where"),
    [
        ([], "geojson"),
        ({"type": "FeatureCollection", "features": {}}, "geojson.features"),
        ({"type": "Feature", "properties": [1], "geometry": None}, "geojson.properties"),
        ({"type": "Circle"}, "geojson"),
        ({"type": "Point", "coordinates": [1]}, "geojson.coordinates"),
        ({"type": "Point", "coordinates": [True, 1]}, "geojson.coordinates"),
        ({"type": "Point", "coordinates": [1e309, 1]}, "geojson.coordinates"),
        ({"type": "Point", "coordinates": [0, 91]}, "geojson.coordinates"),
        ({"type": "LineString", "coordinates": [[0, 0]]}, "geojson.coordinates"),
        ({"type": "MultiLineString", "coordinates": 5}, "geojson.coordinates"),
        ({"type": "Polygon", "coordinates": [[[0, 0], [1, 1], [0, 0]]]}, "geojson.coordinates[0]"),
        ({"type": "Polygon", "coordinates": [[]]}, "geojson.coordinates[0]"),
        ({"type": "MultiPolygon", "coordinates": [[]]}, "geojson.coordinates[0]"),
        ({"type": "MultiPolygon", "coordinates": "x"}, "geojson.coordinates"),
        ({"type": "GeometryCollection", "geometries": None}, "geojson.geometries"),
    ],
)
def test_structural_mistakes(data: Any, where: str) -> None:
    with pytest.raises(ChartographerError) as caught:
        draft_of(data)
    assert caught.value.status == 422 and caught.value.param == where


@pytest.mark.parametrize(
    ("props", "where"),
    [
        ({"marker-size": "huge"}, "marker-size"),
        ({"marker-color": 5}, "marker-color"),
        ({"marker-color": "#zzzzzz"}, "marker-color"),
        ({"stroke-width": "3"}, "stroke-width"),
        ({"stroke-opacity": 2}, "stroke-opacity"),
        ({"fill-opacity": True}, "fill-opacity"),
    ],
)
def test_style_mistakes(props: dict[str, Any], where: str) -> None:
    geometry = (
        {"type": "Point", "coordinates": [0, 0]}
        if where.startswith("marker")
        else {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 0]]]}
    )
    with pytest.raises(ChartographerError) as caught:
        draft_of(feature(geometry, **props))
    assert caught.value.param is not None and caught.value.param.endswith(where)


def test_nesting_is_bounded() -> None:
    data: dict[str, Any] = {"type": "Point", "coordinates": [0, 0]}
    for _ in range(12):
        data = {"type": "GeometryCollection", "geometries": [data]}
    with pytest.raises(ChartographerError, match="nested deeper"):
        draft_of(data)
