"""Map fixtures: a real tile server on 127.0.0.1 and generated MBTiles files (no network)."""

from __future__ import annotations

import io
import sqlite3
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from PIL import Image

from chartographer.app import create_app
from chartographer.config import Settings


def tile_color(z: int, x: int, y: int) -> tuple[int, int, int]:
    """A distinct solid colour per tile, so tests can tell where each tile landed."""
    return (
        (x * 67 + z * 13) % 160 + 40,
        (y * 89 + z * 7) % 160 + 40,
        (x * 31 + y * 17 + z * 53) % 160 + 40,
    )


def tile_png(z: int, x: int, y: int, fmt: str = "PNG", size: int = 256) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (size, size), tile_color(z, x, y)).save(buf, format=fmt)
    return buf.getvalue()


@dataclass
class TileServer:
    """Serves ``/{z}/{x}/{y}.png`` with ETag/304 and Cache-Control; records requests."""

    url: str = ""
    max_age: int = 60
    fail: set[tuple[int, int, int]] = field(default_factory=set)
    empty: set[tuple[int, int, int]] = field(default_factory=set)
    down: bool = False
    version: int = 1
    requests: list[dict[str, Any]] = field(default_factory=list)
    geocode: dict[str, tuple[float, float]] = field(default_factory=dict)

    @property
    def template(self) -> str:
        return self.url + "/{z}/{x}/{y}.png"

    def tile_requests(self) -> list[dict[str, Any]]:
        return [r for r in self.requests if r["path"].endswith(".png")]


def _handler(state: TileServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            return None

        def do_GET(self) -> None:
            state.requests.append({"path": self.path, "headers": dict(self.headers)})
            if self.path.startswith("/search"):
                return self._search()
            retina = self.path.endswith("@2x.png")
            parts = self.path.strip("/").removesuffix(".png").removesuffix("@2x").split("/")
            try:
                z, x, y = (int(p) for p in parts)
            except ValueError:
                return self._send(404, b"no")
            if state.down or (z, x, y) in state.fail:
                return self._send(500, b"broken")
            etag = f'"{z}-{x}-{y}-v{state.version}"'
            headers = {
                "ETag": etag,
                "Cache-Control": f"max-age={state.max_age}",
                "Last-Modified": "Sat, 01 Nov 2025 00:00:00 GMT",
            }
            if (z, x, y) in state.empty:
                return self._send(200, b"", headers)
            if self.headers.get("If-None-Match") == etag:
                return self._send(304, b"", headers)
            body = tile_png(z, x, y, size=512) if retina else tile_png(z, x, y)
            self._send(200, body, {**headers, "Content-Type": "image/png"})

        def _search(self) -> None:
            import json
            from urllib.parse import parse_qs, urlsplit

            query = parse_qs(urlsplit(self.path).query).get("q", [""])[0]
            if state.down:
                return self._send(500, b"down")
            hit = state.geocode.get(query)
            body = [{"lat": str(hit[0]), "lon": str(hit[1]), "display_name": query}] if hit else []
            self._send(200, json.dumps(body).encode(), {"Content-Type": "application/json"})

        def _send(self, status: int, body: bytes, headers: dict[str, str] | None = None) -> None:
            self.send_response(status)
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    return Handler


@pytest.fixture
def tile_server() -> Iterator[TileServer]:
    state = TileServer()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(state))
    server.daemon_threads = True
    state.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield state
    server.shutdown()
    server.server_close()


def write_mbtiles(
    path: Path,
    zooms: range,
    *,
    region: tuple[int, int, int, int] | None = None,
    fmt: str = "png",
    metadata: dict[str, str] | None = None,
) -> Path:
    """An MBTiles file with generated tiles (TMS rows), optionally only in a tile region."""
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE metadata (name TEXT, value TEXT)")
    db.execute(
        "CREATE TABLE tiles (zoom_level INTEGER, tile_column INTEGER, tile_row INTEGER, "
        "tile_data BLOB)"
    )
    meta = {
        "name": "test",
        "format": fmt,
        "minzoom": str(zooms.start),
        "maxzoom": str(zooms.stop - 1),
        "attribution": "© Test Tiles",
    }
    meta.update(metadata or {})
    db.executemany("INSERT INTO metadata VALUES (?, ?)", meta.items())
    pil = {"png": "PNG", "jpg": "JPEG", "webp": "WEBP"}.get(fmt, "PNG")
    for z in zooms:
        n = 2**z
        x0, y0, x1, y1 = region if region and z == zooms.stop - 1 else (0, 0, n - 1, n - 1)
        if n > 16 and not region:
            continue
        for x in range(x0, x1 + 1):
            for y in range(y0, y1 + 1):
                db.execute(
                    "INSERT INTO tiles VALUES (?, ?, ?, ?)",
                    (z, x, n - 1 - y, tile_png(z, x, y, pil)),
                )
    db.commit()
    db.close()
    return path


MapClient = Callable[..., TestClient]


@pytest.fixture
def map_client(
    make_settings: Callable[..., Settings], tile_server: TileServer
) -> Iterator[MapClient]:
    """A started app whose default tiles come from the local tile server (no rate limits)."""
    clients: list[TestClient] = []

    def make(**overrides: Any) -> TestClient:
        base: dict[str, Any] = {"tiles": tile_server.template, "open_limits": []}
        base.update(overrides)
        client = TestClient(create_app(make_settings(**base)))
        client.__enter__()
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.__exit__(None, None, None)
