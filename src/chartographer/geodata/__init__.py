"""Natural Earth boundaries and physical layers, shipped with the package.

One compact file, ``naturalearth.json.gz`` (built at dev time by
``scripts/build_geodata.py`` from Natural Earth 1:50m; Natural Earth is in the
public domain, see ``NOTICE.md`` beside this module), loaded once per process:

- :meth:`NaturalEarth.country` — a country by ISO 3166-1 alpha-2 (``"FR"``);
- :meth:`NaturalEarth.subdivision` — a first-level unit by ISO 3166-2 (``"US-CA"``;
  Natural Earth has them at 1:50m for the United States, Canada, Australia, Brazil);
- :class:`Layer` s for drawing: ``land``, ``lakes``, ``rivers``, ``borders`` (land
  borders between countries), ``admin1_lines`` (between first-level units).

Coordinates are ``(longitude, latitude)`` in degrees, as float64 numpy arrays.
Exterior rings run counter-clockwise and holes clockwise, so a non-zero fill
of all the rings of a polygon cuts its holes.
"""

from __future__ import annotations

import functools
import gzip
import json
from dataclasses import dataclass
from importlib import resources
from typing import Any

import numpy as np
import numpy.typing as npt

__all__ = ["Feature", "Layer", "NaturalEarth", "natural_earth"]

Coords = npt.NDArray[np.float64]
Polygon = tuple[Coords, ...]  # exterior ring, then holes
BBox = tuple[float, float, float, float]  # west, south, east, north
DATA_FILE = "naturalearth.json.gz"
ATTRIBUTION = "Natural Earth"


@dataclass(frozen=True)
class Feature:
    """A country or first-level unit: its code, name and polygons."""

    code: str | None
    name: str
    polygons: tuple[Polygon, ...]
    #: ISO 3166-1 alpha-2 of the country (the feature's own code for a country)
    country: str | None = None

    @property
    def bbox(self) -> BBox:
        rings = [p[0] for p in self.polygons]
        lo = np.min([r.min(axis=0) for r in rings], axis=0)
        hi = np.max([r.max(axis=0) for r in rings], axis=0)
        return float(lo[0]), float(lo[1]), float(hi[0]), float(hi[1])

    def contains(self, lng: float, lat: float) -> bool:
        """Whether the point lies inside the feature (holes excluded)."""
        return any(
            ring_contains(p[0], lng, lat) and not any(ring_contains(h, lng, lat) for h in p[1:])
            for p in self.polygons
        )


def ring_contains(ring: Coords, x: float, y: float) -> bool:
    """Even-odd ray test of one closed ring."""
    xs, ys = ring[:, 0], ring[:, 1]
    xn, yn = np.roll(xs, -1), np.roll(ys, -1)
    crosses = (ys > y) != (yn > y)
    with np.errstate(divide="ignore", invalid="ignore"):
        at = xs + (y - ys) * (xn - xs) / (yn - ys)
    return bool(np.count_nonzero(crosses & (x < at)) % 2)


@dataclass(frozen=True)
class Layer:
    """Rings (polygon layers) or lines, with a bounding box per part for culling."""

    name: str
    filled: bool
    parts: tuple[Coords, ...]
    #: (n, 4) west, south, east, north of each part
    bboxes: npt.NDArray[np.float64]

    @classmethod
    def of(cls, name: str, filled: bool, parts: list[Coords]) -> Layer:
        boxes = np.array(
            [(*p.min(axis=0), *p.max(axis=0)) for p in parts], dtype=np.float64
        ).reshape(-1, 4)
        return cls(name, filled, tuple(parts), boxes)

    def within(self, bbox: BBox) -> list[Coords]:
        """The parts whose bounding box meets ``bbox`` (west, south, east, north)."""
        west, south, east, north = bbox
        b = self.bboxes
        hit = (b[:, 0] <= east) & (b[:, 2] >= west) & (b[:, 1] <= north) & (b[:, 3] >= south)
        return [self.parts[i] for i in np.flatnonzero(hit)]


class NaturalEarth:
    """The shipped Natural Earth data (use :func:`natural_earth` for the shared instance)."""

    def __init__(self, doc: dict[str, Any]) -> None:
        q = float(doc["quantum"])
        self.source: str = doc["source"]

        def ring(flat: list[int]) -> Coords:
            deltas = np.asarray(flat, dtype=np.int64).reshape(-1, 2)
            return np.cumsum(deltas, axis=0).astype(np.float64) * q

        def polygons(raw: list[list[list[int]]]) -> tuple[Polygon, ...]:
            return tuple(tuple(ring(r) for r in poly) for poly in raw if poly)

        self.all_countries: tuple[Feature, ...] = tuple(
            Feature(c["code"], c["name"], polygons(c["polygons"]), c["code"])
            for c in doc["countries"]
        )
        self.countries: dict[str, Feature] = {
            c.code: c for c in self.all_countries if c.code is not None
        }
        self.subdivisions: dict[str, Feature] = {
            a["code"]: Feature(a["code"], a["name"], polygons(a["polygons"]), a["country"])
            for a in doc["admin1"]
        }
        self.land = Layer.of("land", True, [r for p in polygons(doc["land"]) for r in p])
        self.lakes = Layer.of("lakes", True, [r for p in polygons(doc["lakes"]) for r in p])
        self.rivers = Layer.of("rivers", False, [ring(r) for r in doc["rivers"]])
        self.borders = Layer.of("borders", False, [ring(r) for r in doc["borders"]])
        self.admin1_lines = Layer.of("admin1_lines", False, [ring(r) for r in doc["admin1_lines"]])

    def country(self, code: str) -> Feature | None:
        """A country by ISO 3166-1 alpha-2 code (case-insensitive), or None."""
        return self.countries.get(code.upper())

    def subdivision(self, code: str) -> Feature | None:
        """A first-level unit by ISO 3166-2 code (``US-CA``, case-insensitive), or None."""
        return self.subdivisions.get(code.upper())

    def subdivisions_of(self, country: str) -> dict[str, Feature]:
        """The first-level units Natural Earth has for one country (may be empty)."""
        wanted = country.upper()
        return {k: v for k, v in self.subdivisions.items() if v.country == wanted}


@functools.cache
def natural_earth() -> NaturalEarth:
    """The shipped data, decoded once per process."""
    raw = resources.files(__package__).joinpath(DATA_FILE).read_bytes()
    return NaturalEarth(json.loads(gzip.decompress(raw)))
