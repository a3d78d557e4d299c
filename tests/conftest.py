"""Shared fixtures: settings, app and client. Feature suites add their own."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from PIL import Image

from chartographer.app import create_app
from chartographer.config import Settings

pytest_plugins = ["tests.services"]

SettingsFactory = Callable[..., Settings]


@pytest.fixture
def anyio_backend() -> str:
    """Async tests run on asyncio, like the service."""
    return "asyncio"


@pytest.fixture
def make_settings(tmp_path: Path) -> SettingsFactory:
    """Settings for a test: in-process rendering, state under ``tmp_path``."""

    def factory(**overrides: Any) -> Settings:
        base: dict[str, Any] = {
            "render_processes": 0,
            "database_url": f"sqlite:///{tmp_path / 'chartographer.db'}",
            "open_limits": [],  # feature suites are not rate-limited; tests/access opts in
            "usage_journal_dir": str(tmp_path / "usage-journal"),
        }
        base.update(overrides)
        return Settings(**base)

    return factory


@pytest.fixture
def settings(make_settings: SettingsFactory) -> Settings:
    return make_settings()


@pytest.fixture
def app(settings: Settings) -> FastAPI:
    return create_app(settings)


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app) as test_client:
        yield test_client


def decode(body: bytes) -> Image.Image:
    """Decode an image response body (PNG, WebP, JPEG, GIF) for inspection."""
    image = Image.open(io.BytesIO(body))
    image.load()
    return image
