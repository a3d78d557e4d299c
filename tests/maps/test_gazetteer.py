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

#: "City, Unit" and "City CODE" beyond the US/CA/AU/BR: each within ADMIN1_KM of the real place
ADMIN1_KM = 10.0
ADMIN1 = [
    ("Pune, Maharashtra", 18.52, 73.86),
    ("Pune MH", 18.52, 73.86),
    ("Aurangabad, Maharashtra", 19.88, 75.34),
    ("Aurangabad, Bihar", 24.75, 84.37),
    ("Hyderabad, Telangana", 17.38, 78.46),
    ("Bengaluru, Karnataka, India", 12.97, 77.59),
    ("Guadalajara, Jalisco", 20.67, -103.35),
    ("Guadalajara JAL", 20.67, -103.35),
    ("Mérida, Yucatán", 20.97, -89.62),
    ("Merida, Extremadura", 38.92, -6.34),
    ("Monterrey, Nuevo León, México", 25.67, -100.31),
    ("Puebla, Puebla", 19.04, -98.21),
    ("Freiburg BW", 47.99, 7.85),
    ("München, Bayern", 48.14, 11.58),
    ("Munich, Bavaria", 48.14, 11.58),
    ("Köln NW", 50.94, 6.96),
    ("Dresden, Sachsen", 51.05, 13.74),
    ("Graz, Styria", 47.07, 15.44),
    ("Linz, Oberösterreich", 48.31, 14.29),
    ("Lausanne VD", 46.52, 6.63),
    ("Zürich ZH", 47.37, 8.55),
    ("Roma RM", 41.89, 12.48),
    ("Milano MI", 45.46, 9.19),
    ("Torino TO", 45.07, 7.69),
    ("Firenze, Toscana", 43.77, 11.25),
    ("Florence, Tuscany", 43.77, 11.25),
    ("Santiago de Compostela, Galicia", 42.88, -8.54),
    ("Córdoba, Andalucía", 37.88, -4.78),
    ("Cordoba, Cordoba, Argentina", -31.41, -64.18),
    ("Sapporo, Hokkaido", 43.06, 141.35),
    ("Fuchu, Tokyo", 35.67, 139.48),
    ("Date, Hokkaido", 42.47, 140.87),
    ("Date, Fukushima", 37.82, 140.56),
    ("Chengdu, Sichuan", 30.66, 104.06),
    ("Suzhou, Jiangsu", 31.30, 120.62),
    ("Suzhou, Anhui", 33.64, 116.98),
    ("Edinburgh, Scotland", 55.95, -3.19),
    ("Cardiff, Wales", 51.48, -3.18),
    ("Belfast, Northern Ireland", 54.60, -5.93),
    ("Perth, Scotland", 56.40, -3.43),
    ("Hamilton, Waikato", -37.79, 175.28),
    ("Hamilton, Ontario", 43.25, -79.85),
    ("Durban, KwaZulu-Natal", -29.86, 31.03),
    ("Bloemfontein, Free State", -29.12, 26.21),
    ("Lyon, Auvergne-Rhône-Alpes", 45.76, 4.83),
    ("Springfield IL", 39.80, -89.64),
    ("Springfield MO", 37.21, -93.29),
]
#: one name, two places: the qualifier decides (each is in ADMIN1 or CITIES too)
AMBIGUOUS = [
    ("Springfield IL", "Springfield MO"),
    ("Aurangabad, Maharashtra", "Aurangabad, Bihar"),
    ("Mérida, Yucatán", "Merida, Extremadura"),
    ("Suzhou, Jiangsu", "Suzhou, Anhui"),
    ("Date, Hokkaido", "Date, Fukushima"),
    ("Hamilton, Waikato", "Hamilton, Ontario"),
    ("Perth, Scotland", "Perth WA"),
    ("Córdoba, Andalucía", "Cordoba, Cordoba, Argentina"),
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


@pytest.mark.parametrize(("query", "lat", "lng"), ADMIN1)
def test_first_level_units_of_more_countries(
    gazetteer: Gazetteer, query: str, lat: float, lng: float
) -> None:
    place = gazetteer.lookup(query)
    assert place is not None, query
    assert haversine((place.lat, place.lng), (lat, lng)) < ADMIN1_KM * 1000, (query, place)
    assert place.exact


@pytest.mark.parametrize(("one", "other"), AMBIGUOUS)
def test_the_qualifier_picks_between_places_of_one_name(
    gazetteer: Gazetteer, one: str, other: str
) -> None:
    a, b = gazetteer.lookup(one), gazetteer.lookup(other)
    assert a is not None and b is not None
    assert normalise(a.name) == normalise(b.name)
    assert haversine((a.lat, a.lng), (b.lat, b.lng)) > 100_000, (one, a, other, b)


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
    # a known unit without a city of that name is no city either, not the biggest namesake
    assert gazetteer.lookup("Springfield Hokkaido") is None
    assert gazetteer.lookup("Paris Bavaria") is None
    # a street address's tail names a city elsewhere (Rivoli, Piedmont): not that one
    assert gazetteer.lookup("Rue de Rivoli, Île-de-France") is None


def test_normalise_folds_case_accents_and_dots() -> None:
    assert normalise("  São+Paulo ") == "sao paulo"
    assert normalise("St. Louis") == "st louis"


def test_the_admin1_table_links_every_listed_country_to_iso_3166_2() -> None:
    import pycountry

    from chartographer.maps.admin1 import COUNTRIES, _table

    units = _table()["units"]
    for country in COUNTRIES:
        isos = [u["iso"] for u in units[country].values()]
        assert len(isos) >= 4 and None not in isos, country
        assert len(set(isos)) == len(isos), country  # one GeoNames code per ISO unit
        for iso in isos:
            assert pycountry.subdivisions.get(code=iso) is not None, iso
    assert _table()["it_provinces"]["RM"] == "07"  # Roma → Lazio (GeoNames IT.07)
