"""``GET /v1/usage``: the calling key's own usage."""

from __future__ import annotations

import asyncio
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel

from chartographer.access import service
from chartographer.access.deps import RuntimeDep, SubscriberDep
from chartographer.access.tally import Tally
from chartographer.db import SessionDep
from chartographer.openapi import problem

router = APIRouter(prefix="/v1", tags=["usage"])


class UsageDay(BaseModel):
    day: date
    route: str
    requests: int
    cache_hits: int
    bytes: int
    render_ms: float


class UsageTotals(BaseModel):
    requests: int
    cache_hits: int
    bytes: int
    render_ms: float


class UsageReport(BaseModel):
    client_id: str
    key: str
    plan: str
    days: int
    totals: UsageTotals
    usage: list[UsageDay]


@router.get(
    "/usage",
    response_model=UsageReport,
    summary="Your usage",
    responses={
        401: problem("no key (or signature) was sent, or it is not valid"),
        403: problem("the key may not be used from this referrer or address"),
        422: problem("`days` is out of range; `param` names it"),
        429: problem("a rate limit or quota is exhausted; see Retry-After"),
        503: problem("the key database cannot be reached; see Retry-After"),
    },
)
async def get_usage(
    subscriber: SubscriberDep,
    runtime: RuntimeDep,
    session: SessionDep,
    days: Annotated[int, Query(ge=1, le=366, description="how many days back")] = 30,
) -> UsageReport:
    """Requests, cache hits, bytes and render time of the calling key, per day and route."""
    assert subscriber.subscription_id is not None and subscriber.key_label is not None
    merged: dict[tuple[date, str], Tally] = {}
    rows = await asyncio.to_thread(
        service.usage_report, session, days, subscriber.subscription_id, subscriber.key_label
    )
    for row in rows:
        merged.setdefault((row.day, row.route), Tally()).add(
            Tally(row.requests, row.cache_hits, row.bytes, row.render_ms)
        )
    # counts not yet flushed by this process are part of the answer too
    for (_sub, _label, day, route), tally in runtime.writer.buffer.snapshot(
        subscriber.subscription_id, subscriber.key_label
    ):
        merged.setdefault((day, route), Tally()).add(tally)
    usage = [
        UsageDay(day=day, route=route, **vars(tally))
        for (day, route), tally in sorted(merged.items())
    ]
    total = Tally()
    for tally in merged.values():
        total.add(tally)
    return UsageReport(
        client_id=subscriber.client_id or "",
        key=subscriber.key_label,
        plan=subscriber.plan,
        days=days,
        totals=UsageTotals(**vars(total)),
        usage=usage,
    )
