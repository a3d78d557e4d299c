"""Prepare shared metrics for several worker processes, without importing prometheus-client.

prometheus-client picks its value storage when it is first imported, from
``PROMETHEUS_MULTIPROC_DIR``. Servers that *fork* their workers (Granian does)
hand them the parent's modules, so the variable must be set before the parent
imports prometheus-client: this module imports nothing of it.
"""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from pathlib import Path

from chartographer.config import Settings

MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"  # prometheus-client's own variable


def prepare_multiprocess(settings: Settings) -> None:
    """Before starting several workers: give them a fresh shared metrics directory.

    Called by ``chartographer serve`` in the supervising process, before any
    worker imports prometheus-client. An operator-set directory is emptied (old
    files would add stale counts); otherwise a private temporary one is made.
    """
    if settings.workers <= 1 and not settings.metrics_dir:
        return
    if settings.metrics_dir:
        path = Path(settings.metrics_dir)
        path.mkdir(parents=True, exist_ok=True)
    else:
        path = Path(tempfile.mkdtemp(prefix="chartographer-metrics-"))
        atexit.register(shutil.rmtree, path, True)
    for stale in path.glob("*.db"):
        stale.unlink()
    os.environ[MULTIPROC_ENV] = str(path)
