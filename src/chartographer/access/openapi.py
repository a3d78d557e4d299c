"""OpenAPI for protected routes: the key schemes ("Authorize" in /docs) and refusals."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI

from chartographer.access.middleware import is_protected
from chartographer.openapi import problem

SCHEMES: dict[str, Any] = {
    "keyQuery": {"type": "apiKey", "in": "query", "name": "key", "description": "key=cg_live_…"},
    "keyHeader": {"type": "apiKey", "in": "header", "name": "X-API-Key"},
    "bearer": {"type": "http", "scheme": "bearer", "description": "Authorization: Bearer …"},
}
REFUSALS = {
    "401": problem("no key, or the key is malformed, unknown, revoked or expired"),
    "403": problem("referrer, address or URL signature refused"),
    "429": problem("rate-limited or quota-exceeded; see Retry-After and RateLimit"),
}


def add_security(app: FastAPI, keys_required: bool) -> None:
    """Declare how protected operations authenticate; optional in ``open`` mode."""
    build = app.openapi
    done = False

    def openapi() -> dict[str, Any]:
        nonlocal done
        schema = build()
        if done:
            return schema
        done = True
        schema.setdefault("components", {}).setdefault("securitySchemes", {}).update(SCHEMES)
        requirement: list[dict[str, list[str]]] = [{name: []} for name in SCHEMES]
        if not keys_required:
            requirement.append({})  # anonymous calls are allowed in open mode
        for path, operations in schema.get("paths", {}).items():
            if not is_protected(path):
                continue
            for operation in operations.values():
                operation.setdefault("security", requirement)
                responses = operation.setdefault("responses", {})
                for status, response in REFUSALS.items():
                    responses.setdefault(status, response)
        return schema

    app.openapi = openapi  # type: ignore[method-assign]
