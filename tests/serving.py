"""``chartographer serve`` as a real process on a free loopback port, for end-to-end tests."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tests.services import free_port, wait_for_port


@contextmanager
def serve(env: dict[str, str], log: Path, *args: str) -> Iterator[str]:
    """Run the real command line (uvicorn, its access log) and yield the base URL.

    Only the given ``CHARTOGRAPHER_*`` variables apply (the caller's are dropped);
    rendering is in-process and the database is a SQLite file beside ``log``.
    Everything the server prints goes to ``log``.
    """
    port = free_port()
    full_env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("CHARTOGRAPHER_")},
        "CHARTOGRAPHER_RENDER_PROCESSES": "0",
        "CHARTOGRAPHER_DATABASE_URL": f"sqlite:///{log.parent / (log.stem + '.db')}",
        **env,
    }
    command = [sys.executable, "-m", "chartographer.cli", "serve", "--port", str(port), *args]
    with log.open("wb") as out:
        process = subprocess.Popen(command, env=full_env, stdout=out, stderr=subprocess.STDOUT)
        try:
            wait_for_port(port)
            yield f"http://127.0.0.1:{port}"
        finally:
            process.terminate()
            process.wait(timeout=20)
