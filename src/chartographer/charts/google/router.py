"""Google Image Charts compatible routes: ``GET /chart`` and ``POST /chart`` (form)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from functools import partial
from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.responses import HTMLResponse

from chartographer.charts.google.build import GoogleOptions, Plan, plan_chart
from chartographer.charts.google.query import GoogleQuery
from chartographer.charts.google.validate import validation_page
from chartographer.charts.native.params import Limits
from chartographer.config import Settings
from chartographer.deps import ImagesDep, LimitsDep, SettingsDep
from chartographer.headers import add_warnings
from chartographer.imaging import serve_image
from chartographer.openapi import image_responses

router = APIRouter(tags=["google image charts"])

_IMAGES = image_responses("image/png", "image/svg+xml", "image/gif", "image/webp", "image/jpeg")
_REGIONS = {
    "type": "object",
    "properties": {
        "chartshape": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "name": {"type": "string"},
                    "type": {"enum": ["RECT", "CIRCLE", "POLY"]},
                    "coords": {"type": "array", "items": {"type": "integer"}},
                },
            },
        }
    },
}
RESPONSES: dict[int | str, dict[str, Any]] = {
    **_IMAGES,
    200: {
        "description": "the image; chof=json: its image-map regions; chof=validate: a report",
        "content": {
            **_IMAGES[200]["content"],
            "application/json": {"schema": _REGIONS},
            "text/html": {"schema": {"type": "string"}},
        },
    },
    400: {
        "description": "a parameter cannot be drawn (Google's fatal errors); `param` names it",
        "content": {"application/problem+json": {}},
    },
    501: {
        "description": "cht=gv asked for but GraphViz is not installed on this server",
        "content": {"application/problem+json": {}},
    },
}


#: every parameter of ``GET /chart``, documented in ``/openapi.json``. FastAPI does
#: not validate them (the route declares none): ``GoogleQuery`` parses the query
#: once, and a cached URL is answered before any parsing at all (``cached.py``).
PARAMETERS: tuple[tuple[str, str, str | None], ...] = (
    ("cht", "chart type (bvs, p, lc, qr, …)", "bvs"),
    ("chs", "size WIDTHxHEIGHT (≤1000 a side, ≤300,000 px)", "300x200"),
    ("chd", "data: t:, s:, e: or a:", "t:10,50,60,80,40"),
    ("chds", "data scale: min,max per series, or a", None),
    ("chl", "labels (pie, meter) or the text of qr/tx/gv", None),
    ("chco", "colours: series by comma, elements by |", "4D89F9"),
    ("chtt", "title; | breaks lines", "Sales"),
    ("chts", "title colour,size", None),
    ("chdl", "legend labels separated by |", None),
    ("chdlp", "legend position: b, t, r, l", None),
    ("chf", "fills: bg|c, s|lg|ls, …", None),
    ("chm", "markers: B, b, N, D, t, o, s, d, x, c, h, v, r, R", None),
    ("chls", "line styles: width,dash,space per series", None),
    ("chg", "grid: x step,y step,dash,space", None),
    ("chbh", "bar width and gaps, or a / r", None),
    ("chma", "margins: left,right,top,bottom", None),
    ("chxt", "visible axes: x,y,r,t", None),
    ("chxl", "axis labels: 0:|a|b|1:|c|d", None),
    ("chxp", "axis label positions", None),
    ("chxr", "axis ranges: index,start,end[,step]", None),
    ("chxs", "axis styles: index,colour,size,alignment", None),
    ("chld", "qr: level|margin (M|2); chst: icon fields; map: regions", None),
    ("choe", "qr: UTF-8, Shift_JIS or ISO-8859-1", None),
    ("chof", "output: png, svg, gif, webp, jpg, json (regions), validate", None),
    ("chst", "dynamic icon instead of cht, with chld fields", None),
)


def _documented(name: str, description: str, example: str | None) -> dict[str, Any]:
    parameter: dict[str, Any] = {
        "name": name,
        "in": "query",
        "required": False,
        "description": description,
        "schema": {"type": "string", "title": name.capitalize()},
    }
    if example is not None:
        parameter["example"] = example
    return parameter


QUERY_DOCS = {"parameters": [_documented(*p) for p in PARAMETERS]}


def _plan(
    pairs: Sequence[tuple[str, str]], limits: Limits, settings: Settings
) -> tuple[Plan, dict[str, str]] | HTMLResponse:
    """Parse and plan a Google query: what to render, or the ``chof=validate`` page."""
    query = GoogleQuery.from_pairs(
        pairs,
        max_side=settings.google_max_side,
        max_pixels=settings.google_max_pixels,
        max_points=limits.max_points,
        max_series=limits.max_series,
    )
    options = GoogleOptions(
        limits=limits,
        max_side=settings.google_max_side,
        max_pixels=settings.google_max_pixels,
        dot_path=settings.dot_path,
        dot_timeout=settings.dot_timeout,
    )
    if (query.get("chof") or "").strip().lower() == "validate":
        return HTMLResponse(validation_page(query, options))
    plan = plan_chart(query, options)
    headers: dict[str, str] = {}
    add_warnings(headers, plan.warnings)  # one header field, made header-safe
    return plan, headers


async def _serve(
    request: Request,
    pairs: Sequence[tuple[str, str]],
    images: ImagesDep,
    limits: LimitsDep,
    settings: SettingsDep,
) -> Response:
    planned = _plan(pairs, limits, settings)
    if isinstance(planned, Response):
        return planned
    plan, headers = planned
    return await serve_image(
        request, images, plan.key, plan.render, plan.argument, headers=headers, alias=True
    )


def direct_get(request: Request) -> Callable[[], Awaitable[Response]] | None:
    """``GET /chart`` without FastAPI's routing (:mod:`chartographer.direct`).

    None when the query does not plan (the full route then answers with its error)
    or asks for the validation page.
    """
    state = request.app.state
    try:
        planned = _plan(request.query_params.multi_items(), state.limits, state.settings)
    except Exception:
        return None
    if isinstance(planned, Response):
        return None
    plan, headers = planned
    return partial(
        serve_image,
        request, state.images, plan.key, plan.render, plan.argument, headers=headers, alias=True,
    )  # fmt: skip


@router.get(
    "/chart",
    response_class=Response,
    responses=RESPONSES,
    summary="Google Image Charts URL",
    openapi_extra=QUERY_DOCS,
)
async def get_google_chart(
    request: Request, images: ImagesDep, limits: LimitsDep, settings: SettingsDep
) -> Response:
    """Render a chart from a Google Image Charts query string (same syntax, same path)."""
    return await _serve(request, request.query_params.multi_items(), images, limits, settings)


@router.post(
    "/chart",
    response_class=Response,
    responses=RESPONSES,
    summary="Google Image Charts form POST",
    openapi_extra={
        "requestBody": {
            "content": {
                "application/x-www-form-urlencoded": {
                    "schema": {
                        "type": "object",
                        "additionalProperties": {"type": "string"},
                        "properties": {
                            "cht": {"type": "string"},
                            "chs": {"type": "string"},
                            "chd": {"type": "string"},
                            "chl": {"type": "string"},
                        },
                        "example": {
                            "cht": "p",
                            "chs": "300x150",
                            "chd": "t:60,40",
                            "chl": "Yes|No",
                        },
                    }
                }
            }
        }
    },
)
async def post_google_chart(
    request: Request, images: ImagesDep, limits: LimitsDep, settings: SettingsDep
) -> Response:
    """Render a chart from form-encoded Google parameters (for data too long for a URL)."""
    pairs = list(request.query_params.multi_items())
    form = await request.form(max_files=0, max_fields=200)
    pairs += [(k, v) for k, v in form.multi_items() if isinstance(v, str)]
    return await _serve(request, pairs, images, limits, settings)
