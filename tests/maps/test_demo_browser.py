"""The Leaflet demo page in a real browser (Debian's Chromium via Playwright), tiles from /tiles."""

from __future__ import annotations

import io
import os
import shutil
import threading
from collections.abc import Callable, Iterator
from typing import Any

import numpy as np
import pytest
import uvicorn
from PIL import Image

from chartographer.app import create_app
from chartographer.config import Settings
from chartographer.maps.mapstyle import DEFAULT
from tests.services import _unavailable, free_port, wait_for_port

CHROMIUM = os.environ.get("CHARTOGRAPHER_CHROMIUM", "/usr/bin/chromium")


@pytest.fixture
def live_server(make_settings: Callable[..., Settings]) -> Iterator[str]:
    """The app served by uvicorn on a free loopback port (the browser needs real HTTP)."""
    port = free_port()
    app = create_app(make_settings(tiles="builtin"))
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    wait_for_port(port, timeout=120)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=30)


def test_leaflet_demo_shows_builtin_tiles(live_server: str) -> None:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("playwright is not installed")
    if shutil.which(CHROMIUM) is None:
        _unavailable(f"no Chromium at {CHROMIUM}")
    requests: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        page: Any = browser.new_page(viewport={"width": 800, "height": 500})
        page.on("request", lambda r: requests.append(r.url))
        page.goto(live_server + "/maps/demo")
        # loaded, and faded in: Leaflet raises each tile's opacity to 1 over ~200 ms, and a
        # screenshot in between sees blended colours (a full run on a busy machine did)
        page.wait_for_function(
            "[...document.querySelectorAll('img.leaflet-tile-loaded')]"
            ".filter(t => getComputedStyle(t).opacity === '1').length >= 6",
            timeout=120_000,
        )
        shot = page.screenshot()
        browser.close()
    # every request stayed on this server: Leaflet itself and every tile are local
    assert requests and all(u.startswith(live_server) for u in requests)
    assert any("/tiles/builtin/4/" in u for u in requests)
    image = np.asarray(Image.open(io.BytesIO(shot)).convert("RGB"))[60:, :].astype(int)
    water = np.all(np.abs(image - DEFAULT.water[:3]) <= 3, axis=2).mean()
    land = np.all(np.abs(image - DEFAULT.land[:3]) <= 3, axis=2).mean()
    assert water > 0.1 and land > 0.1  # a map of Europe and the Atlantic, as a person sees it
