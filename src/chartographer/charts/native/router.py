"""Native chart API: ``GET``/``POST /v1/charts/{kind}``."""

from __future__ import annotations

import types
import typing
from collections.abc import Awaitable, Callable
from functools import partial
from typing import Annotated, Any

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

RESPONSES = image_responses("image/png", "image/svg+xml", "image/webp", "application/pdf")
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


def _is_list(annotation: Any) -> bool:
    """``list[...]``, or an optional one: FastAPI reads such a field with ``getlist``."""
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        return any(_is_list(arg) for arg in typing.get_args(annotation))
    return origin is list or annotation is list


#: (name in the query string, read every value) for each ``ChartQuery`` field, read the
#: way FastAPI reads a query model: lists take every value, others the last
_QUERY_FIELDS = tuple(
    (info.alias or name, _is_list(info.annotation))
    for name, info in ChartQuery.model_fields.items()
)
# extras and validation aliases would need FastAPI's handling
assert ChartQuery.model_config.get("extra") == "ignore"
assert all(info.validation_alias is None for info in ChartQuery.model_fields.values())


def direct_get(request: Request, kind_text: str) -> Callable[[], Awaitable[Response]] | None:
    """``GET /v1/charts/{kind}`` without FastAPI's routing (:mod:`chartographer.direct`).

    None when the kind or the query does not validate or plan: the full route then
    answers with its usual 422 (the error is the same, the rare path is slower).
    """
    state = request.app.state
    params = request.query_params
    values: dict[str, Any] = {}
    for alias, many in _QUERY_FIELDS:
        if many:
            found = params.getlist(alias)
            if found:
                values[alias] = found
        elif alias in params:
            values[alias] = params[alias]
    try:
        query = ChartQuery.model_validate(values)
        spec = spec_from_query(ChartKind(kind_text), query, state.limits)
    except Exception:
        return None
    return partial(
        serve_image, request, state.images, spec.cache_key(), render_chart, spec, alias=True
    )
