"""A module as it was at an earlier commit, loaded beside this tree's (benchmarks' baselines)."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path
from types import ModuleType

HERE = Path(__file__).resolve().parent.parent


def module_at(rev: str, source: str, name: str, workdir: Path) -> ModuleType:
    """``source`` (a path in the repository) at ``rev``, imported as module ``name``."""
    text = subprocess.run(
        ["git", "show", f"{rev}:{source}"], cwd=HERE, capture_output=True, text=True, check=True
    ).stdout
    path = workdir / f"{name}.py"
    path.write_text(text)
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module
