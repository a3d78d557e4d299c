"""The shipped Natural Earth data: lookups by ISO code, shapes where the world has them."""

from __future__ import annotations

import gzip
import json
from importlib import resources

import numpy as np
import pytest

from chartographer.geodata import (
    ATTRIBUTION,
    DATA_FILE,
    Layer,
    NaturalEarth,
    natural_earth,
    ring_contains,
)


@pytest.fixture(scope="module")
def ne() -> NaturalEarth:
    return natural_earth()


def test_loaded_once_per_process(ne: NaturalEarth) -> None:
    assert natural_earth() is ne
    assert "Natural Earth" in ne.source and ATTRIBUTION == "Natural Earth"


@pytest.mark.parametrize(
    ("code", "name", "inside", "outside"),
    [
        ("FR", "France", (2.35, 48.86), (-0.13, 51.51)),  # Paris in, London out
        ("us", "United States of America", (-97.74, 30.27), (-99.13, 19.43)),  # Austin, Mexico City
        ("AU", "Australia", (115.86, -31.95), (174.76, -36.85)),  # Perth, Auckland
        ("BR", "Brazil", (-46.63, -23.55), (-58.38, -34.60)),  # São Paulo, Buenos Aires
        ("JP", "Japan", (139.69, 35.69), (126.98, 37.57)),  # Tokyo, Seoul
    ],
)
def test_country_by_alpha2(
    ne: NaturalEarth,
    code: str,
    name: str,
    inside: tuple[float, float],
    outside: tuple[float, float],
) -> None:
    country = ne.country(code)
    assert country is not None
    assert country.name == name and country.code == code.upper() == country.country
    assert country.contains(*inside)
    assert not country.contains(*outside)
    west, south, east, north = country.bbox
    assert west <= inside[0] <= east and south <= inside[1] <= north


def test_unknown_codes_are_none(ne: NaturalEarth) -> None:
    assert ne.country("ZZ") is None
    assert ne.subdivision("US-ZZ") is None


def test_holes_are_cut(ne: NaturalEarth) -> None:
    # Lesotho is an enclave: South Africa's polygon has it as a hole
    south_africa, lesotho = ne.country("ZA"), ne.country("LS")
    assert south_africa is not None and lesotho is not None
    maseru = (27.48, -29.31)
    assert lesotho.contains(*maseru)
    assert not south_africa.contains(*maseru)
    assert south_africa.contains(28.05, -26.20)  # Johannesburg
    assert any(len(polygon) > 1 for polygon in south_africa.polygons)


def test_rings_are_oriented_for_nonzero_fill(ne: NaturalEarth) -> None:
    def area(ring: np.ndarray) -> float:
        x, y = ring[:, 0], ring[:, 1]
        return float(0.5 * np.sum(x * np.roll(y, -1) - np.roll(x, -1) * y))

    south_africa = ne.country("ZA")
    assert south_africa is not None
    for polygon in south_africa.polygons:
        assert area(polygon[0]) > 0
        assert all(area(hole) < 0 for hole in polygon[1:])


@pytest.mark.parametrize(
    ("code", "name", "inside"),
    [
        ("US-CA", "California", (-118.24, 34.05)),
        ("us-tx", "Texas", (-97.74, 30.27)),
        ("US-NY", "New York", (-73.76, 42.65)),  # Albany
        ("CA-ON", "Ontario", (-81.0, 48.0)),
        ("AU-QLD", "Queensland", (153.03, -27.47)),
        ("AU-TAS", "Tasmania", (146.5, -42.0)),
        ("BR-SP", "São Paulo", (-46.63, -23.55)),
    ],
)
def test_first_level_units_by_iso_3166_2(
    ne: NaturalEarth, code: str, name: str, inside: tuple[float, float]
) -> None:
    unit = ne.subdivision(code)
    assert unit is not None
    assert unit.name == name and unit.code == code.upper()
    assert unit.contains(*inside)


def test_every_us_state_and_dc(ne: NaturalEarth) -> None:
    states = ne.subdivisions_of("us")
    assert len(states) == 51
    assert {"US-AK", "US-HI", "US-DC", "US-WY"} <= set(states)
    assert all(s.country == "US" for s in states.values())
    assert ne.subdivisions_of("FR") == {}


def test_layers_have_what_a_basemap_draws(ne: NaturalEarth) -> None:
    assert ne.land.filled and ne.lakes.filled and not ne.rivers.filled
    for layer in (ne.land, ne.lakes, ne.rivers, ne.borders, ne.admin1_lines):
        assert len(layer.parts) == len(layer.bboxes) > 100
    # Lake Victoria is a lake; the mid-Atlantic is in no land ring, Madrid in one
    assert any(ring_contains(r, 33.0, -1.0) for r in ne.lakes.within((32.0, -3.0, 34.5, 0.5)))
    assert not any(ring_contains(r, -37.5, 32.5) for r in ne.land.within((-38, 32, -37, 33)))
    assert any(ring_contains(r, -3.7, 40.4) for r in ne.land.within((-4, 40, -3, 41)))
    assert ne.rivers.within((-91.5, 29.0, -89.0, 33.0))  # the lower Mississippi
    assert ne.borders.within((5.0, 45.0, 10.0, 50.0))  # France/Germany/Switzerland


def test_layer_of_no_parts_is_empty() -> None:
    empty = Layer.of("empty", False, [])
    assert empty.within((-180, -90, 180, 90)) == []


def test_shipped_file_is_compact_and_names_its_source() -> None:
    raw = resources.files("chartographer.geodata").joinpath(DATA_FILE).read_bytes()
    assert len(raw) < 2 * 1024 * 1024
    doc = json.loads(gzip.decompress(raw))
    assert doc["format"] == 1 and "public domain" in doc["source"]
