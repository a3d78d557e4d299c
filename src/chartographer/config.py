"""One settings object for the whole service.

Every knob is read from the environment with the ``CHARTOGRAPHER_`` prefix (or
passed explicitly to :func:`chartographer.app.create_app`). Nothing else in the
package reads the environment. Every default is safe to run on a laptop:
``make run`` needs no configuration at all.
"""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Service configuration with zero-config defaults."""

    model_config = SettingsConfigDict(env_prefix="CHARTOGRAPHER_", extra="ignore")

    # --- serving -----------------------------------------------------------
    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=1, le=65535)
    workers: int = Field(default=1, ge=1, le=64, description="uvicorn worker processes")
    root_path: str = Field(default="", description="path prefix when served behind a proxy")
    log_level: str = "info"

    # --- rendering -----------------------------------------------------------
    render_processes: int = Field(
        default=2, ge=0, le=64, description="render worker processes; 0 renders in-process"
    )
    render_timeout: float = Field(
        default=10.0, gt=0, le=300, description="seconds one render may take before it is killed"
    )
    render_queue: int = Field(
        default=64, ge=1, description="renders waiting for a worker before new ones get 503"
    )

    # --- limits (native API; Google-compatible routes add their own) ------------
    max_width: int = Field(default=2000, ge=16, description="largest width in CSS pixels")
    max_height: int = Field(default=2000, ge=16, description="largest height in CSS pixels")
    max_pixels: int = Field(
        default=4_000_000, ge=256, description="largest output area, after scale, in pixels"
    )
    max_points: int = Field(default=10_000, ge=1, description="most data points over all series")
    max_series: int = Field(default=24, ge=1, description="most data series in one chart")
    max_label_length: int = Field(default=200, ge=1, description="longest label or title")
    max_labels: int = Field(default=2_000, ge=1, description="most category labels")

    # --- caching -------------------------------------------------------------
    cache_bytes: int = Field(
        default=64 * 1024 * 1024, ge=0, description="memory for rendered images; 0 disables"
    )
    cache_max_age: int = Field(
        default=86_400, ge=0, description="Cache-Control max-age for images, seconds"
    )
