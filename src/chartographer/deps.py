"""Dependency aliases shared by the routers (one place, ``Annotated`` style).

They are ``async``: a sync dependency is run through the thread pool, which costs
more than the attribute lookup it does.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from chartographer.charts.native.params import Limits
from chartographer.config import Settings
from chartographer.imaging import ImageService


async def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


async def get_images(request: Request) -> ImageService:
    images: ImageService = request.app.state.images
    return images


async def get_limits(request: Request) -> Limits:
    limits: Limits = request.app.state.limits
    return limits


SettingsDep = Annotated[Settings, Depends(get_settings)]
ImagesDep = Annotated[ImageService, Depends(get_images)]
LimitsDep = Annotated[Limits, Depends(get_limits)]
