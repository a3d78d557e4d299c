"""OpenAPI fragments shared by the image routes."""

from __future__ import annotations

from typing import Any

_BINARY = {"schema": {"type": "string", "format": "binary"}}

PROBLEM_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["type", "title", "status", "detail"],
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "param": {"type": "string"},
        "instance": {"type": "string"},
    },
}


def problem(description: str) -> dict[str, Any]:
    return {
        "description": description,
        "content": {"application/problem+json": {"schema": PROBLEM_SCHEMA}},
    }


def gateway_responses() -> dict[int | str, dict[str, Any]]:
    """Problems the API gateway (keys, IP rules, limits) can answer on any API route."""
    return {
        401: problem("a key or a valid signature is required (keys mode)"),
        403: problem("the key, signature, referrer or client address is not allowed"),
        422: problem("a parameter is invalid; `param` names it"),
        429: problem("a rate limit or quota is exhausted; see Retry-After and RateLimit"),
        503: problem("a shared store is unavailable and the service fails closed"),
    }


def image_responses(*media_types: str) -> dict[int | str, dict[str, Any]]:
    """Responses of an image route: the image, 304, and the problems it can return."""
    return {
        **gateway_responses(),
        200: {
            "description": "the rendered image",
            "content": {m: _BINARY for m in media_types},
        },
        304: {"description": "not modified (If-None-Match matched the ETag)"},
        400: problem("the request cannot be understood"),
        413: problem("a documented limit is exceeded"),
        422: problem("a parameter is invalid; `param` names it"),
        503: problem("the renderer is busy or the render exceeded its time budget"),
    }
