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


def declare_limits(app: Any, settings: Any) -> None:
    """Make the schema state the limits the server enforces (from ``settings``).

    Static field bounds cannot know the configured limits, so a schema-valid
    request (``/v1/maps?height=2047``) could be refused with 413. After the
    schema is built, the size parameters and body properties get the
    configured maxima, and ``cht`` is required on ``GET /chart``.
    """
    maxima = {
        "/v1/charts/{kind}": {"width": settings.max_width, "height": settings.max_height},
        "/v1/maps": {"width": settings.maps_max_size, "height": settings.maps_max_size},
    }
    build = app.openapi
    done = False

    def openapi() -> dict[str, Any]:
        nonlocal done
        schema: dict[str, Any] = build()
        if done:
            return schema
        done = True
        components = schema.get("components", {}).get("schemas", {})
        for path, limits in maxima.items():
            for operation in schema.get("paths", {}).get(path, {}).values():
                for parameter in operation.get("parameters", []):
                    if parameter.get("name") in limits:
                        parameter["schema"]["maximum"] = limits[parameter["name"]]
                for content in operation.get("requestBody", {}).get("content", {}).values():
                    ref = content.get("schema", {}).get("$ref", "")
                    properties = components.get(ref.rsplit("/", 1)[-1], {}).get("properties", {})
                    for name, limit in limits.items():
                        if name in properties:
                            properties[name]["maximum"] = limit
        google = schema.get("paths", {}).get("/chart", {})
        for parameter in google.get("get", {}).get("parameters", []):
            if parameter.get("name") == "cht":
                parameter["required"] = True
                parameter["schema"] = {"type": "string", "minLength": 1}
        form = google.get("post", {}).get("requestBody", {}).get("content", {})
        for content in form.values():
            content.get("schema", {})["required"] = ["cht"]
        return schema

    app.openapi = openapi
