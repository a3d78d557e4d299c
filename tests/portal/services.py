"""Real OpenID provider (node + panva's oidc-provider) and Chromium for the portal tests.

Missing Node, ``npm ci`` not run, or no Chromium: a skip, or a failure with
``CHARTOGRAPHER_REQUIRE_SERVICES=1`` (CI), as in :mod:`tests.services`.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from tests.services import _unavailable, free_port, wait_for_port

NODE_DIR = Path(__file__).with_name("node")
CLIENT_ID = "chartographer-portal"
CLIENT_SECRET = "portal-test-client-secret-0123456789"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@dataclass
class Provider:
    issuer: str
    process: subprocess.Popen[bytes]

    @property
    def discovery_url(self) -> str:
        return self.issuer + "/.well-known/openid-configuration"


def start_provider(redirect_uris: list[str]) -> Iterator[Provider]:
    node = shutil.which("node")
    if node is None:
        _unavailable("node is not installed (apt-get install nodejs)")
    if not (NODE_DIR / "node_modules" / "oidc-provider").is_dir():
        _unavailable(f"oidc-provider is not installed (cd {NODE_DIR} && npm ci)")
    port = free_port()
    process = subprocess.Popen(
        [node, "provider.mjs", str(port), CLIENT_ID, CLIENT_SECRET, ",".join(redirect_uris)],
        cwd=NODE_DIR,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for_port(port, timeout=30)
        yield Provider(f"http://127.0.0.1:{port}", process)
    finally:
        process.terminate()
        process.wait(10)


def require_chromium() -> str:
    if not Path(CHROMIUM).exists():
        _unavailable("chromium is not installed (apt-get install chromium)")
    if not (NODE_DIR / "node_modules" / "axe-core" / "axe.min.js").exists():
        _unavailable(f"axe-core is not installed (cd {NODE_DIR} && npm ci)")
    return CHROMIUM
