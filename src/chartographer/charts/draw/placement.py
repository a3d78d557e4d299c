"""Where value labels go so that none sits on a line or on another label: pure geometry.

Everything here is CSS pixels, origin top-left, y downward, and knows nothing
of canvases or specs, so it is tested with plain numbers. A label is a
:class:`Candidate`: its text's size and the boxes it may take, best first.
:func:`place` keeps, in order, the first box of each candidate that overlaps
neither a box kept before it nor any obstacle segment (the drawn lines); a
candidate with no free box is dropped rather than drawn over something.

:func:`line_sides` chooses, for each point of a line, whether its label goes
above or below: below at a local minimum (the line comes down to the point
and goes up again, so the space under it is free), above everywhere else.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass

from chartographer.geometry import clip_segment

#: CSS px kept clear around a label's text
PAD = 1.0


@dataclass(frozen=True)
class Rect:
    left: float
    top: float
    right: float
    bottom: float

    def overlaps(self, other: Rect) -> bool:
        return (
            self.left < other.right
            and other.left < self.right
            and self.top < other.bottom
            and other.top < self.bottom
        )

    def grown(self, by: float) -> Rect:
        return Rect(self.left - by, self.top - by, self.right + by, self.bottom + by)

    def inside(self, outer: Rect) -> bool:
        return (
            self.left >= outer.left
            and self.right <= outer.right
            and self.top >= outer.top
            and self.bottom <= outer.bottom
        )


Point = tuple[float, float]
Segment = tuple[Point, Point]


def text_rect(x: float, y: float, width: float, height: float, ha: str, va: str) -> Rect:
    """The box of a ``width`` × ``height`` text anchored at ``x, y`` with this alignment."""
    left = x - {"left": 0.0, "center": width / 2, "right": width}[ha]
    top = y - {"top": 0.0, "center": height / 2, "bottom": height}[va]
    return Rect(left, top, left + width, top + height)


def crosses(rect: Rect, segment: Segment) -> bool:
    """Whether ``segment`` passes through ``rect`` (Liang–Barsky clipping)."""
    (x0, y0), (x1, y1) = segment
    if any(math.isnan(v) for v in (x0, y0, x1, y1)):
        return False
    box = (rect.left, rect.top, rect.right, rect.bottom)
    return clip_segment((x0, y0), (x1, y1), box) is not None


@dataclass(frozen=True)
class Candidate:
    """One label: its text and the boxes it may take, the preferred one first."""

    text: str
    #: (anchor x, anchor y, ha, va) per place, with the box the text fills there
    places: tuple[tuple[float, float, str, str, Rect], ...]


@dataclass(frozen=True)
class Placed:
    text: str
    x: float
    y: float
    ha: str
    va: str
    rect: Rect


def place(
    candidates: Sequence[Candidate],
    obstacles: Sequence[Segment] = (),
    bounds: Rect | None = None,
) -> list[Placed]:
    """The first free place of each candidate, in order; candidates with none are dropped.

    A place is free when its box (grown by :data:`PAD`) overlaps no kept box,
    no ``obstacles`` segment passes through it, and it lies within ``bounds``.
    """
    kept: list[Placed] = []
    for candidate in candidates:
        for x, y, ha, va, rect in candidate.places:
            clear = rect.grown(PAD)
            if bounds is not None and not rect.inside(bounds):
                continue
            if any(clear.overlaps(p.rect) for p in kept):
                continue
            if any(crosses(clear, s) for s in obstacles):
                continue
            kept.append(Placed(candidate.text, x, y, ha, va, rect))
            break
    return kept


def line_sides(ys: Sequence[float]) -> list[bool]:
    """Per point of a line (data values, NaN = gap): ``True`` to label it above.

    A point is labelled below when it is lower than every defined neighbour (a
    minimum); a lone point or a maximum or slope point is labelled above.
    """
    out = []
    for k, y in enumerate(ys):
        neighbours = [ys[j] for j in (k - 1, k + 1) if 0 <= j < len(ys) and not math.isnan(ys[j])]
        out.append(not (neighbours and all(y < n for n in neighbours)))
    return out


def polyline_segments(points: Sequence[Point]) -> list[Segment]:
    """The drawn pieces of a polyline (a NaN point is a gap)."""
    return [
        (a, b) for a, b in itertools.pairwise(points) if not any(math.isnan(v) for v in (*a, *b))
    ]
