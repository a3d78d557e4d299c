"""Places as locations: the offline gazetteer (default) and a Nominatim-compatible client.

The gazetteer (:mod:`chartographer.maps.gazetteer`) knows GeoNames cities,
first-level units and a table of landmarks, and says when a result is
approximate (a street address resolved to its city) so the caller can warn.

The HTTP geocoder is configured by the operator only (never by a request). It
identifies itself, caches answers and keeps to one request per second when it
talks to the public OpenStreetMap Nominatim. When it fails, the gazetteer answers.
"""

from __future__ import annotations

import asyncio
import logging
import math
import time
from typing import Any, Protocol
from urllib.parse import urlsplit

import cachetools
import httpx

from chartographer.maps.gazetteer import POPULATIONS, Gazetteer, Place, load_index, normalise

log = logging.getLogger(__name__)
__all__ = ["POPULATIONS", "Gazetteer", "Geocoder", "NominatimGeocoder", "Place", "load_index"]


class Geocoder(Protocol):
    async def geocode(self, query: str) -> Place | None: ...


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
