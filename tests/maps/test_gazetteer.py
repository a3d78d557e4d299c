"""The offline gazetteer finds what users write: real place strings on five continents."""

from __future__ import annotations

import pytest

from chartographer.maps.gazetteer import Gazetteer, normalise
from chartographer.maps.geo import haversine

#: cities within 25 km of where they are; landmarks within 3 km
CITY_KM, LANDMARK_KM = 25.0, 3.0

CITIES = [
    # North America: "City, ST", "City ST", "City, State, Country"
    ("Austin, TX", 30.27, -97.74),
    ("Austin TX", 30.27, -97.74),
    ("Portland ME", 43.66, -70.26),
    ("Portland, OR", 45.52, -122.68),
    ("Springfield IL", 39.80, -89.64),
    ("Springfield, MA", 42.10, -72.59),
    ("Cambridge MA", 42.37, -71.11),
    ("Paris TX", 33.66, -95.56),
    ("Salt Lake City UT", 40.76, -111.89),
    ("New York NY", 40.71, -74.01),
    ("Kansas City, MO", 39.10, -94.58),
    ("Tok,AK", 63.34, -142.99),
    ("Honolulu, Hawaii", 21.31, -157.86),
    ("Toronto ON", 43.70, -79.42),
    ("London, Ontario", 42.98, -81.23),
    ("London ON", 42.98, -81.23),
    ("Vancouver BC", 49.25, -123.12),
    ("Halifax, NS, Canada", 44.65, -63.58),
    ("Quebec City, QC", 46.81, -71.21),
    ("Mexico City", 19.43, -99.13),
    ("Guadalajara, Mexico", 20.67, -103.35),
    # Oceania
    ("Perth WA", -31.95, 115.86),
    ("Hobart TAS", -42.88, 147.33),
    ("Melbourne, Victoria, Australia", -37.81, 144.96),
    ("Darwin NT", -12.46, 130.84),
    ("Newcastle NSW", -32.93, 151.78),
    ("Brisbane, QLD", -27.47, 153.03),
    ("Auckland, New Zealand", -36.85, 174.76),
    # Europe
    ("Paris, France", 48.85, 2.35),
    ("Cambridge, UK", 52.20, 0.12),
    ("Perth, United Kingdom", 56.40, -3.43),
    ("München", 48.14, 11.58),
    ("Munich, Germany", 48.14, 11.58),
    ("Zürich", 47.37, 8.55),
    ("Kraków, Poland", 50.06, 19.94),
    ("Lisbon", 38.72, -9.13),
    ("Saint Petersburg, Russia", 59.94, 30.31),
    # South America
    ("Sao Paulo, SP, Brazil", -23.55, -46.64),
    ("Rio de Janeiro RJ", -22.91, -43.18),
    ("Córdoba, Argentina", -31.41, -64.18),
    ("Bogotá", 4.61, -74.08),
    # Asia and Africa
    ("Tokyo", 35.69, 139.69),
    ("Osaka, Japan", 34.69, 135.50),
    ("Mumbai, India", 19.07, 72.88),
    ("Hyderabad, Pakistan", 25.39, 68.37),
    ("Nairobi, Kenya", -1.28, 36.82),
    ("Cairo", 30.04, 31.24),
    ("Cape Town, South Africa", -33.93, 18.42),
]

LANDMARKS = [
    ("Colosseo", 41.8902, 12.4922),
    ("Colosseum, Rome, Italy", 41.8902, 12.4922),
    ("Brooklyn Bridge", 40.7061, -73.9969),
    ("Brooklyn Bridge, New York, NY", 40.7061, -73.9969),
    ("Eiffel Tower, Paris", 48.8584, 2.2945),
    ("the Statue of Liberty", 40.6892, -74.0445),
    ("Golden Gate Bridge, San Francisco, CA", 37.8199, -122.4783),
    ("Sydney Opera House", -33.8568, 151.2153),
    ("Taj Mahal, Agra", 27.1751, 78.0421),
    ("Cristo Redentor", -22.9519, -43.2105),
    ("Great Pyramid of Giza", 29.9792, 31.1342),
    ("Brandenburger Tor", 52.5163, 13.3777),
]

APPROXIMATE = [
    # intersections and street addresses resolve to their city, flagged approximate
    ("Broadway and 42nd St, New York, NY", 40.71, -74.01),
    ("1600 Amphitheatre Parkway Mountain View, CA", 37.39, -122.08),
    ("1600 Pennsylvania Avenue NW, Washington, DC", 38.90, -77.04),
    ("221B Baker Street, London, UK", 51.51, -0.13),
    ("10 Downing Street, London", 51.51, -0.13),
    ("Rue de Rivoli, Paris, France", 48.85, 2.35),
]


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    return Gazetteer()


def test_the_table_is_big_enough() -> None:
    assert len(CITIES) + len(LANDMARKS) + len(APPROXIMATE) >= 50


@pytest.mark.parametrize(("query", "lat", "lng"), CITIES)
def test_cities(gazetteer: Gazetteer, query: str, lat: float, lng: float) -> None:
    place = gazetteer.lookup(query)
    assert place is not None, query
    assert haversine((place.lat, place.lng), (lat, lng)) < CITY_KM * 1000, (query, place)
    assert place.exact


@pytest.mark.parametrize(("query", "lat", "lng"), LANDMARKS)
def test_landmarks(gazetteer: Gazetteer, query: str, lat: float, lng: float) -> None:
    place = gazetteer.lookup(query)
    assert place is not None, query
    assert haversine((place.lat, place.lng), (lat, lng)) < LANDMARK_KM * 1000, (query, place)
    assert place.exact


@pytest.mark.parametrize(("query", "lat", "lng"), APPROXIMATE)
def test_addresses_resolve_to_their_city_approximately(
    gazetteer: Gazetteer, query: str, lat: float, lng: float
) -> None:
    place = gazetteer.lookup(query)
    assert place is not None, query
    assert haversine((place.lat, place.lng), (lat, lng)) < CITY_KM * 1000, (query, place)
    assert not place.exact


def test_unit_after_city_must_match() -> None:
    # "Perth WA" is Western Australia's Perth, not Scotland's; an unknown unit is no city
    gazetteer = Gazetteer()
    assert gazetteer.lookup("Perth WA").lng > 100  # type: ignore[union-attr]
    assert gazetteer.lookup("Perth Zz Qq Xx") is None


def test_normalise_folds_case_accents_and_dots() -> None:
    assert normalise("  São+Paulo ") == "sao paulo"
    assert normalise("St. Louis") == "st louis"
