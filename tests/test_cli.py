"""The command line: offline render, and serve as a real process."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
from click.testing import CliRunner

from chartographer.cli import main
from tests.conftest import decode
from tests.imagecheck import max_runs


def test_render_writes_a_png(tmp_path: Path) -> None:
    out = tmp_path / "bar.png"
    result = CliRunner().invoke(
        main,
        [
            "render",
            "bar",
            "--values",
            "3,7,5",
            "--labels",
            "a,b,c",
            "-o",
            str(out),
            "--width",
            "400",
            "--height",
            "300",
        ],
    )
    assert result.exit_code == 0, result.output
    assert "wrote" in result.output
    image = decode(out.read_bytes())
    assert image.size == (400, 300)
    assert max_runs(image, "#4E79A7") == 3


def test_render_format_from_suffix_and_series(tmp_path: Path) -> None:
    out = tmp_path / "chart.svg"
    result = CliRunner().invoke(
        main,
        [
            "render",
            "line",
            "--values",
            "1,2",
            "--values",
            "2,1",
            "--series",
            "a,b",
            "--title",
            "T",
            "--colors",
            "red,blue",
            "-o",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    assert b"<svg" in out.read_bytes()


def test_render_reports_bad_input_as_usage_errors(tmp_path: Path) -> None:
    runner = CliRunner()
    bad_values = runner.invoke(
        main, ["render", "pie", "--values", "abc", "-o", str(tmp_path / "x.png")]
    )
    assert bad_values.exit_code == 2
    assert "values" in bad_values.output
    bad_kind = runner.invoke(
        main, ["render", "nope", "--values", "1", "-o", str(tmp_path / "x.png")]
    )
    assert bad_kind.exit_code == 2
    too_big = runner.invoke(
        main, ["render", "bar", "--values", "1", "--width", "99999", "-o", str(tmp_path / "x.png")]
    )
    assert too_big.exit_code == 2
    assert "width" in too_big.output
    scale = runner.invoke(
        main, ["render", "bar", "--values", "1", "--scale", "9", "-o", str(tmp_path / "x.png")]
    )
    assert scale.exit_code == 2
    assert "scale" in scale.output


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_serve_runs_the_service(tmp_path: Path) -> None:
    port = free_port()
    env = {
        **os.environ,
        "CHARTOGRAPHER_DATABASE_URL": f"sqlite:///{tmp_path / 'serve.db'}",
        "CHARTOGRAPHER_RENDER_PROCESSES": "1",
    }
    server = subprocess.Popen(
        [sys.executable, "-m", "chartographer.cli", "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert time.monotonic() < deadline, "server did not start"
            assert server.poll() is None, server.stdout.read().decode()  # type: ignore[union-attr]
            time.sleep(0.2)
        url = f"{base}/v1/charts/bar?values=3,7,5&labels=a,b,c&width=400&height=300"
        first = httpx.get(url, timeout=30)
        assert first.status_code == 200
        assert decode(first.content).size == (400, 300)
        again = httpx.get(url, headers={"If-None-Match": first.headers["etag"]}, timeout=10)
        assert again.status_code == 304
        bad = httpx.get(f"{base}/v1/charts/bar?values=abc", timeout=10)
        assert bad.status_code == 422
        assert bad.json()["param"] == "values"
    finally:
        server.terminate()
        server.communicate(timeout=20)  # reap and close the pipe


def test_version() -> None:
    result = CliRunner().invoke(main, ["--version"])
    assert result.exit_code == 0
    assert "0.1.0" in result.output
