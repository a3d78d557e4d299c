"""Dependency aliases of the access layer."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from chartographer.access.errors import MissingKey
from chartographer.access.gate import Principal
from chartographer.access.lifespan import AccessRuntime


def get_runtime(request: Request) -> AccessRuntime:
    runtime: AccessRuntime = request.app.state.access
    return runtime


def get_subscriber(request: Request) -> Principal:
    """The calling subscription (a key or a signed URL); anonymous callers get 401."""
    principal: Principal | None = getattr(request.state, "access", None)
    if principal is None or principal.subscription_id is None:
        raise MissingKey("this route reports a key's own usage: send your API key")
    return principal


RuntimeDep = Annotated[AccessRuntime, Depends(get_runtime)]
SubscriberDep = Annotated[Principal, Depends(get_subscriber)]
