"""First-level units a query may name, beyond the United States: ``Pune, Maharashtra``.

``geodata/admin1.json.gz`` (built by ``scripts/build_admin1.py`` from GeoNames,
CC BY 4.0, and ISO 3166-2 via pycountry) links GeoNames' own first-level codes
(``IN.16``) to the ISO 3166-2 code (``IN-MH``) and the names people write
(``Maharashtra``, ``Mahārāshtra``). :data:`COUNTRIES` says which countries'
units are understood and whether their ISO codes are written too: ``Freiburg
BW`` and ``Perth WA`` are, while a Japanese prefecture's number is not.
Italian addresses carry the *province* (``Roma RM``); a province narrows to its
region.
"""

from __future__ import annotations

import functools
import gzip
import hashlib
import json
from collections.abc import Iterator
from importlib import resources
from typing import Any

DATA_FILE = "admin1.json.gz"

#: country → whether the ISO 3166-2 code (after the dash) is written in addresses
COUNTRIES: dict[str, bool] = {
    "AR": False,
    "AT": False,
    "AU": True,
    "BR": True,
    "CA": True,
    "CH": True,
    "CN": False,
    "DE": True,
    "ES": False,
    "FR": False,
    "GB": False,
    "IN": True,
    "IT": False,
    "JP": False,
    "MX": True,
    "NZ": False,
    "ZA": False,
}


@functools.cache
def _raw() -> bytes:
    # by path from the top package: importing chartographer.geodata would load numpy
    return resources.files("chartographer").joinpath("geodata", DATA_FILE).read_bytes()


def admin1_table_digest() -> str:
    """Changes whenever the shipped table does (part of the index fingerprint)."""
    return hashlib.sha256(_raw()).hexdigest()[:16]


def _table() -> dict[str, Any]:
    doc: dict[str, Any] = json.loads(gzip.decompress(_raw()))
    return doc


def admin1_qualifiers() -> Iterator[tuple[str, str, str]]:
    """(text, country, GeoNames admin-1 code) for every name and written code of a unit."""
    doc = _table()
    for country, units in doc["units"].items():  # the countries of COUNTRIES at build time
        for admin1, unit in units.items():
            for name in unit["names"]:
                yield name, country, admin1
            if unit["iso"] and COUNTRIES.get(country, False):
                yield unit["iso"].split("-", 1)[1], country, admin1
    for province, region in doc["it_provinces"].items():
        yield province, "IT", region
