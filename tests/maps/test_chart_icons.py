"""Static Maps markers whose icon is a Google chart-server URL: drawn here, never fetched."""

from __future__ import annotations

import threading
import urllib.request
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from chartographer.charts.google.icons import icon_spec
from chartographer.charts.icons.render import draw_icon
from chartographer.maps.google import parse_markers
from tests.conftest import decode
from tests.maps.conftest import MapClient

PIN = "https://chart.apis.google.com/chart?chst%3Dd_map_pin_letter%26chld%3DA%257CFF0000%257C000000"


class Canary:
    """A loopback HTTP proxy that records every request sent to it and answers 502."""

    def __init__(self) -> None:
        self.seen: list[str] = []
        canary = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:
                return None

            def _record(self) -> None:
                canary.seen.append(f"{self.command} {self.path}")
                self.send_response(502)
                self.send_header("Content-Length", "0")
                self.end_headers()

            do_GET = do_HEAD = do_POST = do_CONNECT = _record

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True).start()


@pytest.fixture
def canary(monkeypatch: pytest.MonkeyPatch) -> Iterator[Canary]:
    """Every proxy-honouring client in the process (httpx, urllib) now goes to the canary."""
    trap = Canary()
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy"):
        monkeypatch.setenv(name, trap.url)
    for name in ("NO_PROXY", "no_proxy"):
        monkeypatch.delenv(name, raising=False)
    yield trap
    trap.server.shutdown()
    trap.server.server_close()


def close(pixel: tuple[int, ...], color: tuple[int, int, int], tolerance: int = 30) -> bool:
    return all(abs(a - b) <= tolerance for a, b in zip(pixel[:3], color, strict=True))


def test_chart_icon_marker_is_drawn_at_its_pixel_without_a_fetch(
    map_client: MapClient, canary: Canary
) -> None:
    # the canary sees a fetch when one is made: the control proves the trap works
    with pytest.raises(OSError):
        urllib.request.urlopen("http://chart.apis.google.com/chart?chst=probe", timeout=5)
    assert canary.seen == ["GET http://chart.apis.google.com/chart?chst=probe"]
    client = map_client(tiles="none")
    response = client.get(
        f"/maps/api/staticmap?center=0,0&zoom=3&size=100x100&format=png32&markers=icon:{PIN}|0,0"
    )
    assert response.status_code == 200, response.text
    assert "x-chartographer-warning" not in response.headers
    image = decode(response.content).convert("RGB")
    # the 21×34 pin stands on (50, 50): tail just above the location, red head higher up
    assert close(image.getpixel((50, 46)), (255, 0, 0), 60)
    assert close(image.getpixel((43, 27)), (255, 0, 0))
    assert close(image.getpixel((57, 27)), (255, 0, 0))
    letter = [image.getpixel((x, y)) for x in range(46, 55) for y in range(23, 32)]
    assert any(sum(p) < 200 for p in letter)  # the black "A" in the head
    assert close(image.getpixel((50, 60)), image.getpixel((5, 5)), 4)  # nothing below the tip
    assert canary.seen == ["GET http://chart.apis.google.com/chart?chst=probe"]  # no new request


def test_retina_map_draws_the_icon_at_scale(map_client: MapClient, canary: Canary) -> None:
    client = map_client(tiles="none")
    response = client.get(
        "/maps/api/staticmap?center=0,0&zoom=3&size=100x100&scale=2&format=png32"
        f"&markers=icon:{PIN}|0,0"
    )
    image = decode(response.content).convert("RGB")
    assert close(image.getpixel((86, 54)), (255, 0, 0))  # head, twice as far from the tip
    assert canary.seen == []


def test_marker_anchor_is_the_pin_tip_even_for_slanted_pins() -> None:
    url = "http://chart.googleapis.com/chart?chst=d_map_xpin_letter&chld=pin_sleft%7CA%7C00FF00"
    group, warnings = parse_markers(f"icon:{url}|1,2", [])
    assert group.icon == url and not warnings
    from chartographer.maps.chart_icons import chart_icon_sprite

    drawn = chart_icon_sprite(url, 1)
    assert drawn is not None
    sprite, tip = drawn
    expected, expected_tip = draw_icon(icon_spec("d_map_xpin_letter", "pin_sleft|A|00FF00"))
    assert tip == expected_tip and sprite.size == expected.size


def test_bad_chart_icon_url_names_markers(map_client: MapClient) -> None:
    client = map_client(tiles="none")
    bad = "https://chart.apis.google.com/chart?chst%3Dd_map_pin_icon%26chld%3Dnope"
    response = client.get(
        f"/maps/api/staticmap?center=0,0&zoom=3&size=100x100&markers=icon:{bad}|0,0"
    )
    assert response.status_code == 422
    assert response.json()["param"] == "markers"
    assert "icon" in response.json()["detail"]


def test_other_urls_stay_refused() -> None:
    group, warnings = parse_markers("icon:https://chart.apis.google.com/chart?cht=p|1,2", [])
    assert group.icon is None and warnings
