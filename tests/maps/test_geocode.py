"""Places: the offline gazetteer and the Nominatim-compatible client (local server)."""

from __future__ import annotations

import asyncio

import httpx
import pytest

from chartographer.maps.geocode import Gazetteer, NominatimGeocoder, Place
from tests.maps.conftest import TileServer


@pytest.mark.parametrize(
    ("query", "name", "lat", "exact"),
    [
        ("Delta Junction,AK", "Delta Junction", 64.04, True),
        ("Tok,AK", "Tok", 63.34, True),
        ("Melbourne", "Melbourne", -37.81, True),
        ("Melbourne,FL", "Melbourne", 28.08, True),
        ("Melbourne, Florida", "Melbourne", 28.08, True),
        ("Paris,France", "Paris", 48.85, True),
        ("Brooklyn+Bridge,New+York,NY", "Brooklyn Bridge", 40.71, True),  # a landmark
        ("Wall+Street,New+York,NY", "New York City", 40.71, False),
    ],
)
def test_gazetteer(query: str, name: str, lat: float, exact: bool) -> None:
    place = Gazetteer().lookup(query)
    assert place is not None
    assert place.name == name and place.lat == pytest.approx(lat, abs=0.01) and place.exact is exact


def test_gazetteer_unknowns() -> None:
    gazetteer = Gazetteer()
    assert gazetteer.lookup("Xyzzyville") is None
    assert gazetteer.lookup(" , ,") is None
    assert asyncio.run(gazetteer.geocode("Tok,AK")) == gazetteer.lookup("Tok,AK")
    with pytest.raises(ValueError, match="one of"):
        Gazetteer(123)


def test_nominatim_with_cache_and_fallback(tile_server: TileServer) -> None:
    tile_server.geocode["Colosseo"] = (41.8902, 12.4922)

    async def scenario() -> None:
        client = httpx.AsyncClient(headers={"User-Agent": "Chartographer-test"})
        geocoder = NominatimGeocoder(tile_server.url, client, Gazetteer())
        place = await geocoder.geocode("Colosseo")
        assert place == Place(41.8902, 12.4922, "Colosseo")
        assert await geocoder.geocode("colosseo ") == place  # cached (normalised)
        assert await geocoder.geocode("Atlantis") is None
        tile_server.down = True
        fallback = await geocoder.geocode("Tok,AK")  # the server fails: the gazetteer answers
        assert fallback is not None and fallback.name == "Tok"
        await client.aclose()

    asyncio.run(scenario())
    searches = [r for r in tile_server.requests if r["path"].startswith("/search")]
    assert len(searches) == 3
    assert "format=jsonv2" in searches[0]["path"]


def test_public_nominatim_is_rate_limited() -> None:
    geocoder = NominatimGeocoder(
        "https://nominatim.openstreetmap.org", httpx.AsyncClient(), Gazetteer()
    )
    assert geocoder._interval == 1.0


def test_qualifier_that_matches_nothing_is_ignored() -> None:
    place = Gazetteer().lookup("Melbourne,Japan")
    assert place is not None and place.lat < 0  # still the biggest Melbourne


def test_nominatim_spacing_and_bad_answers(tile_server: TileServer) -> None:
    tile_server.geocode["Nowhere Xyz"] = (100.0, 0.0)
    tile_server.geocode["Tok,AK"] = (63.3, -143.0)

    async def scenario() -> None:
        client = httpx.AsyncClient()
        geocoder = NominatimGeocoder(tile_server.url + "/", client, Gazetteer())
        geocoder._interval = 0.05  # as for the public instance, but short
        assert (await geocoder.geocode("Tok,AK")) == Place(63.3, -143.0, "Tok,AK")
        # out-of-range coordinates are not believed: the gazetteer answers instead
        assert await geocoder.geocode("Nowhere Xyz") is None
        await client.aclose()

    asyncio.run(scenario())
