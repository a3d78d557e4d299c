"""The container recipe, checked statically (no Docker engine runs here)."""

from __future__ import annotations

import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).parent.parent


def instructions() -> list[tuple[str, str]]:
    lines = (ROOT / "Dockerfile").read_text().replace("\\\n", " ").splitlines()
    out = []
    for line in lines:
        line = line.strip()
        if line and not line.startswith("#"):
            keyword, _, rest = line.partition(" ")
            out.append((keyword.upper(), rest))
    return out


def test_hadolint_passes() -> None:
    hadolint = shutil.which("hadolint") or str(Path(sys.executable).parent / "hadolint")
    result = subprocess.run(
        [hadolint, "--failure-threshold", "warning", str(ROOT / "Dockerfile")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_layers_follow_the_fastapi_container_guide() -> None:
    steps = instructions()
    keywords = [k for k, _ in steps]
    copies = [rest for k, rest in steps if k == "COPY"]
    # requirements are copied and installed before any source code
    assert "requirements.txt" in copies[0]
    first_install = next(i for i, (k, r) in enumerate(steps) if k == "RUN" and "-r" in r)
    first_src = next(i for i, (k, r) in enumerate(steps) if k == "COPY" and "src" in r)
    assert first_install < first_src
    user = next(rest for k, rest in steps if k == "USER")
    assert user.strip() not in ("root", "0")
    assert keywords.index("USER") > first_src
    assert "HEALTHCHECK" in keywords
    cmd = next(rest for k, rest in steps if k == "CMD")
    assert "--proxy-headers" in cmd
    assert "0.0.0.0" in cmd


def test_requirements_match_the_pinned_runtime_dependencies() -> None:
    pinned = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    listed = [
        line.strip()
        for line in (ROOT / "requirements.txt").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    ]
    assert listed == pinned
    assert all("==" in dep for dep in pinned)


def test_dockerignore_keeps_secrets_and_bulk_out() -> None:
    ignored = (ROOT / ".dockerignore").read_text().split()
    for entry in (".git", ".venv", "data", "tests"):
        assert entry in ignored
