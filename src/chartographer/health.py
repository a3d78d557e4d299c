"""Liveness and readiness probes."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

router = APIRouter(tags=["health"])

#: readiness checks registered by subsystems (database, Redis…): name → coroutine
ReadinessCheck = Callable[[], Awaitable[None]]


@router.get("/healthz", summary="Liveness")
async def healthz() -> dict[str, str]:
    """The process is up and serving."""
    return {"status": "ok"}


@router.get("/readyz", summary="Readiness", responses={503: {"description": "not ready"}})
async def readyz(request: Request) -> JSONResponse:
    """Every dependency (render pool, database, Redis when configured) is reachable."""
    checks: dict[str, ReadinessCheck] = request.app.state.readiness
    results: dict[str, str] = {}
    ready = True
    for name, check in checks.items():
        try:
            await check()
            results[name] = "ok"
        except Exception as exc:  # a probe reports, it does not raise
            results[name] = f"unavailable: {type(exc).__name__}"
            ready = False
    body = {"status": "ok" if ready else "unavailable", "checks": results}
    return JSONResponse(body, status_code=200 if ready else 503)
