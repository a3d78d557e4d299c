"""Projection, viewport, fitting and great-circle maths against known values."""

from __future__ import annotations

import itertools
import math

import mercantile
import pytest

from chartographer.maps import geo


def test_projection_known_values() -> None:
    assert geo.project(0, 0, 0) == pytest.approx((128.0, 128.0))
    assert geo.project(geo.MAX_LAT, -180, 1) == pytest.approx((0.0, 0.0), abs=1e-6)
    assert geo.project(-geo.MAX_LAT, 180, 2) == pytest.approx((1024.0, 1024.0), abs=1e-6)
    # scale 2 doubles every pixel coordinate
    assert geo.project(40.0, -74.0, 5, 2) == pytest.approx(
        tuple(2 * v for v in geo.project(40.0, -74.0, 5))
    )
    # latitudes beyond the Mercator limit are clamped, not infinite
    assert geo.project(90, 0, 0)[1] == pytest.approx(0.0, abs=1e-6)


def test_projection_agrees_with_mercantile_tiles() -> None:
    for lat, lng, zoom in ((52.52, 13.405, 10), (-33.8688, 151.2093, 14), (40.7, -74.0, 3)):
        x, y = geo.project(lat, lng, zoom)
        tile = mercantile.tile(lng, lat, zoom)
        assert (math.floor(x / 256), math.floor(y / 256)) == (tile.x, tile.y)
        west, south, east, north = geo.tile_bounds(zoom, tile.x, tile.y)
        assert west <= lng <= east and south <= lat <= north


def test_unproject_inverts_project() -> None:
    for lat, lng in ((0.0, 0.0), (63.259591, -144.667969), (-37.814, 144.96332)):
        assert geo.unproject(*geo.project(lat, lng, 7, 2), 7, 2) == pytest.approx((lat, lng))


def test_viewport_pixels_and_tiles() -> None:
    view = geo.Viewport(lat=0, lng=0, zoom=1, width=256, height=256, scale=1)
    assert view.origin() == pytest.approx((128.0, 128.0))
    assert view.to_pixel(0, 0) == pytest.approx((128.0, 128.0))
    assert view.tiles(1) == [(1, 0, 0), (1, 1, 0), (1, 0, 1), (1, 1, 1)]
    # retina: scale 2 asks for tiles one zoom deeper, each still 256 output pixels
    retina = geo.Viewport(lat=0, lng=0, zoom=1, width=256, height=256, scale=2)
    assert retina.tile_zoom(0, 19) == 2
    assert retina.tile_span(2) == 256
    # a source that stops early is upscaled
    assert retina.tile_zoom(0, 1) == 1 and retina.tile_span(1) == 512
    # the world wraps horizontally; rows outside the world are not requested
    wide = geo.Viewport(lat=0, lng=179, zoom=0, width=600, height=600, scale=1)
    assert {t[2] for t in wide.tiles(0)} == {0}
    assert [geo.wrap_tile(t) for t in wide.tiles(0)] == [(0, 0, 0)] * len(wide.tiles(0))


def test_to_pixel_takes_nearest_copy_of_the_world() -> None:
    view = geo.Viewport(lat=0, lng=179, zoom=2, width=200, height=200, scale=1)
    x_east, _ = view.to_pixel(0, -179)  # just across the antimeridian: to the right
    assert 100 < x_east < 200


def test_fit_shows_every_point() -> None:
    points = [(40.702147, -74.015794), (40.711614, -74.012318), (40.718217, -73.998284)]
    (lat, lng), zoom = geo.fit(points, 600, 300, padding=20)
    view = geo.Viewport(lat, lng, zoom, 600, 300, 1)
    for p in points:
        x, y = view.to_pixel(*p)
        assert 20 <= x <= 580 and 20 <= y <= 280
    # one zoom deeper would not fit
    deeper = geo.Viewport(lat, lng, zoom + 1, 600, 300, 1)
    assert not all(
        20 <= deeper.to_pixel(*p)[0] <= 580 and 20 <= deeper.to_pixel(*p)[1] <= 280 for p in points
    )
    # a fixed zoom keeps it; a fixed centre stays the centre
    assert geo.fit(points, 600, 300, padding=20, zoom=4)[1] == 4
    center, _ = geo.fit(points, 600, 300, padding=20, center=(41.0, -74.0))
    assert center == (41.0, -74.0)
    # a single point is capped at max_zoom
    assert geo.fit(points[:1], 600, 300, padding=20, max_zoom=15)[1] == 15


def test_great_circle_and_geodesic_densify() -> None:
    line = geo.great_circle((0.0, 0.0), (0.0, 90.0), step_deg=15)
    assert len(line) == 7
    assert line[3] == pytest.approx((0.0, 45.0), abs=1e-9)
    # London → New York bends north of the straight Mercator line
    arc = geo.densify_geodesic([(51.5, -0.13), (40.7, -74.0)])
    assert max(p[0] for p in arc) > 51.5
    assert geo.densify_geodesic([(1.0, 2.0)]) == [(1.0, 2.0)]
    assert geo.great_circle((10.0, 10.0), (10.0, 10.0))[-1] == pytest.approx((10.0, 10.0))
    assert geo.great_circle((0.0, 0.0), (0.0, 180.0)) == [(0.0, 0.0), (0.0, 180.0)]  # antipodes
    # longitudes stay continuous across the antimeridian
    pacific = geo.great_circle((0.0, 170.0), (0.0, -170.0), step_deg=5)
    assert all(b[1] > a[1] for a, b in itertools.pairwise(pacific))


def test_circle_has_the_right_radius() -> None:
    ring = geo.circle((52.52, 13.405), 1000.0, segments=36)
    assert ring[0] == ring[-1] and len(ring) == 37
    for point in ring:
        assert geo.haversine((52.52, 13.405), point) == pytest.approx(1000.0, rel=1e-6)
    assert geo.haversine((0, 0), (0, 1)) == pytest.approx(111_195, rel=1e-3)
