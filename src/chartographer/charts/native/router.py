"""Native chart API: ``GET``/``POST /v1/charts/{kind}``."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body, Path, Query, Request, Response

from chartographer.charts.native.params import (
    ChartBody,
    ChartQuery,
    spec_from_body,
    spec_from_query,
)
from chartographer.charts.render import render_chart
from chartographer.charts.spec import ChartKind
from chartographer.deps import ImagesDep, LimitsDep
from chartographer.imaging import serve_image
from chartographer.openapi import image_responses

router = APIRouter(prefix="/v1/charts", tags=["charts"])

RESPONSES = image_responses("image/png", "image/svg+xml", "image/webp")
KindPath = Annotated[ChartKind, Path(description="chart type", examples=["bar"])]


@router.get("/{kind}", response_class=Response, responses=RESPONSES, summary="Chart from a URL")
async def get_chart(
    kind: KindPath,
    query: Annotated[ChartQuery, Query()],
    request: Request,
    images: ImagesDep,
    limits: LimitsDep,
) -> Response:
    """Render a chart described by query parameters, e.g. ``values=3,7,5&labels=a,b,c``."""
    spec = spec_from_query(kind, query, limits)
    return await serve_image(request, images, spec.cache_key(), render_chart, spec, alias=True)


@router.post("/{kind}", response_class=Response, responses=RESPONSES, summary="Chart from JSON")
async def post_chart(
    kind: KindPath,
    body: Annotated[ChartBody, Body()],
    request: Request,
    images: ImagesDep,
    limits: LimitsDep,
) -> Response:
    """Render a chart described by a JSON body (the same names, for long data)."""
    spec = spec_from_body(kind, body, limits)
    return await serve_image(request, images, spec.cache_key(), render_chart, spec)
