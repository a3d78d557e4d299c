"""The seeds' ``generate_name`` sample: a small JSON endpoint behind the same gateway."""

from __future__ import annotations

import random
from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel

from chartographer.errors import ChartographerError
from chartographer.openapi import gateway_responses, problem

router = APIRouter(prefix="/v1", tags=["names"])

NAMES = ("Minnie", "Margaret", "Myrtle", "Noa", "Nadia")


class NameOut(BaseModel):
    name: str


@router.get(
    "/names",
    response_model=NameOut,
    summary="Random name",
    responses={**gateway_responses(), 404: problem("no name starts that way")},
)
async def generate_name(
    starts_with: Annotated[
        str | None, Query(max_length=50, description="case-insensitive prefix", examples=["n"])
    ] = None,
) -> NameOut:
    """A random name, optionally one starting with ``starts_with``."""
    names = list(NAMES)
    if starts_with:
        names = [n for n in names if n.lower().startswith(starts_with.lower())]
    if not names:
        raise ChartographerError(
            f"starts_with: no name starts with {starts_with!r}",
            param="starts_with",
            status=404,
            type="not-found",
            title="Not found",
        )
    return NameOut(name=random.choice(names))
