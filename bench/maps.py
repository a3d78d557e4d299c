"""Warm-cache static map renders: Chartographer vs ``py-staticmaps`` on the same tiles.

Both draw a 400×400 map at zoom 12 with 3 markers and a 10-point line, from
tiles served by a tile server on 127.0.0.1 that both have already fetched once
(their tile caches are warm: ours in memory, py-staticmaps' on disk, as each
library ships). Our rendered-image cache is *not* used: every iteration builds
the spec, looks the tiles up and renders and encodes a PNG. The two alternate
in one process so machine noise hits both; we print medians and the ratio.
The built-in Natural Earth basemap is measured twice: its tiles drawn cold
(the per-worker tile memo emptied first) and cached, and a whole warm map with
``maptype=builtin`` and the same overlays against py-staticmaps.
Run: ``python -m bench.maps [--rounds N]``.
"""

from __future__ import annotations

import argparse
import asyncio
import io
import random
import statistics
import tempfile
import threading
import time
from functools import cache
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import staticmaps
from PIL import Image, ImageDraw

from chartographer.config import Settings
from chartographer.maps import basemap, service
from chartographer.maps.mapstyle import DEFAULT
from chartographer.maps.params import MapDraft, MarkerGroup, PathDraft
from chartographer.maps.render import render_map
from chartographer.maps.spec import MapFormat

CENTER = (52.5163, 13.3777)
MARKERS = [(52.5163, 13.3777), (52.5251, 13.3694), (52.5076, 13.3904)]
LINE = [(52.50 + i * 0.004, 13.33 + (i % 3) * 0.02 + i * 0.006) for i in range(10)]


@cache
def textured_tile(z: int, x: int, y: int) -> bytes:
    """A tile with streets-like detail, so decoding costs what a real tile costs."""
    rnd = random.Random(z * 1_000_003 + x * 1009 + y)
    image = Image.new("RGB", (256, 256), (242, 239, 233))
    draw = ImageDraw.Draw(image)
    for _ in range(60):
        a = (rnd.randrange(256), rnd.randrange(256))
        b = (rnd.randrange(256), rnd.randrange(256))
        color = rnd.choice([(255, 255, 255), (250, 210, 160), (170, 210, 240), (200, 230, 190)])
        draw.line((a, b), fill=color, width=rnd.randrange(1, 6))
    buf = io.BytesIO()
    image.save(buf, format="PNG")
    return buf.getvalue()


class _Tiles(BaseHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        return None

    def do_GET(self) -> None:
        z, x, y = (int(p) for p in self.path.strip("/").removesuffix(".png").split("/"))
        body = textured_tile(z, x, y)
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        self.send_header("Cache-Control", "max-age=604800")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def start_tile_server() -> tuple[ThreadingHTTPServer, str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Tiles)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


class Ours:
    def __init__(self, base: str, loop: asyncio.AbstractEventLoop, tiles: str = "") -> None:
        self.loop = loop
        settings = Settings(tiles=tiles or base + "/{z}/{x}/{y}.png", render_processes=0)
        self.maps = service.create_service(settings)

    async def _once(self, fmt: MapFormat) -> bytes:
        draft = MapDraft(width=400, height=400, center=CENTER, zoom=12, format=fmt)
        draft.markers.append(MarkerGroup(list(MARKERS), color="#E53935", label="A"))
        draft.paths.append(PathDraft(list(LINE), color="#1E64F0CC", weight=4))
        spec = await self.maps.spec_for(draft)
        tiles, missing = await self.maps.tiles_for(spec)
        assert missing == 0
        return render_map(spec, tiles).body

    def render(self) -> bytes:
        """Full-colour PNG, like py-staticmaps' output."""
        return self.loop.run_until_complete(self._once(MapFormat.png32))

    def render_png8(self) -> bytes:
        """8-bit PNG: Google's (and our Google route's) default ``format=png``."""
        return self.loop.run_until_complete(self._once(MapFormat.png8))


class Theirs:
    def __init__(self, base: str, cache_dir: str) -> None:
        self.provider = staticmaps.TileProvider(
            "local", url_pattern=base + "/$z/$x/$y.png", attribution="local", max_zoom=19
        )
        self.cache_dir = cache_dir

    def render(self) -> bytes:
        context = staticmaps.Context()
        context.set_cache_dir(self.cache_dir)
        context.set_tile_provider(self.provider)
        context.set_zoom(12)
        context.set_center(staticmaps.create_latlng(*CENTER))
        for lat, lng in MARKERS:
            context.add_object(staticmaps.Marker(staticmaps.create_latlng(lat, lng), size=12))
        line = [staticmaps.create_latlng(lat, lng) for lat, lng in LINE]
        context.add_object(staticmaps.Line(line, color=staticmaps.BLUE, width=4))
        image = context.render_pillow(400, 400)
        buf = io.BytesIO()
        image.save(buf, format="PNG")
        return buf.getvalue()


#: Europe at zooms 4 to 8: what a basemap user pans over
BASEMAP_TILES = [(4, 8, 5), (5, 16, 10), (6, 33, 21), (7, 67, 43), (8, 134, 86)]


def basemap_rows(rounds: int) -> None:
    """Basemap tile draw time, cold (memo emptied) and cached, in ms per tile."""
    basemap.warm_up()
    cold: list[float] = []
    cached: list[float] = []
    for _ in range(max(3, rounds // 4)):
        for z, x, y in BASEMAP_TILES:
            basemap._render_tile.cache_clear()
            started = time.perf_counter()
            basemap.render_tile(z, x, y, 256, DEFAULT)
            cold.append((time.perf_counter() - started) * 1000)
            started = time.perf_counter()
            basemap.render_tile(z, x, y, 256, DEFAULT)
            cached.append((time.perf_counter() - started) * 1000)
    print("built-in basemap, 256 px tiles over Europe, zooms 4-8 (draw only, no encode)")
    for name, ms in (("cold", cold), ("cached", cached)):
        print(f"  {name:8} median {statistics.median(ms):7.2f} ms  max {max(ms):7.2f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=60)
    args = parser.parse_args()
    server, base = start_tile_server()
    loop = asyncio.new_event_loop()
    with tempfile.TemporaryDirectory() as cache_dir:
        ours, theirs = Ours(base, loop), Theirs(base, cache_dir)
        builtin = Ours(base, loop, tiles="builtin")
        runners = {
            "ours png32": ours.render,
            "ours png8": ours.render_png8,
            "builtin png32": builtin.render,
            "builtin png8": builtin.render_png8,
            "py-staticmaps": theirs.render,
        }
        sizes = {}
        for _ in range(3):  # warm both tile caches (and fonts, sprites, imports)
            sizes = {name: len(fn()) for name, fn in runners.items()}
        times: dict[str, list[float]] = {name: [] for name in runners}
        for _ in range(args.rounds):
            for name, fn in runners.items():
                started = time.perf_counter()
                fn()
                times[name].append((time.perf_counter() - started) * 1000)
        loop.run_until_complete(ours.maps.client.aclose())
        loop.run_until_complete(builtin.maps.client.aclose())
    loop.close()
    server.shutdown()
    theirs_ms = statistics.median(times["py-staticmaps"])
    print("400x400 zoom-12 map, 3 markers, 10-point line, warm tile caches, PNG out")
    print(f"{'renderer':16} {'median ms':>10} {'p90 ms':>8} {'bytes':>8} {'ratio':>6}")
    for name in runners:
        median = statistics.median(times[name])
        p90 = statistics.quantiles(times[name], n=10)[-1]
        print(f"{name:16} {median:10.2f} {p90:8.2f} {sizes[name]:8d} {theirs_ms / median:6.2f}")
    print(f"ratio = py-staticmaps median / this row's median (target >= 2x); rounds={args.rounds}")
    basemap_rows(args.rounds)


if __name__ == "__main__":
    main()
