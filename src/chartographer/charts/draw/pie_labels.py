"""Native pie labels that never collide: beside their slices, or outside with leader lines.

Pure geometry in CSS pixels (origin top-left, y downward), used by
:func:`~chartographer.charts.draw.pie_layout.pie_layout` for specs with
``pie_labels`` set (the native API). The rule, documented in
``docs/chart-design.md``:

1. **Beside the slice** (the legacy place, at 1.08 radii on the slice's
   bisector) when no two labels overlap and all lie inside the plot area.
2. Otherwise **outside, in two columns** (right of the pie for slices on its
   right half, left for the others), each label at its slice's height pushed
   apart just enough that none overlaps, joined to its slice by a leader line
   (slice edge → 1.1 radii on the bisector → the label). The pie shrinks (to
   :data:`MIN_SHRINK` of its size at most) so the widest label of each column
   fits beside it.
3. When even that does not fit — more labels than lines in the plot's height,
   or labels too wide — the **smallest slices of the column that does not
   fit lose their labels** first, one at a time, until the rest fit. Those
   slices are named only in the legend.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from chartographer.charts.draw.placement import PAD, Rect, text_rect

#: where a label beside its slice is anchored, and where a leader bends (radii)
BESIDE, ELBOW = 1.08, 1.1
#: the outside columns start this far from the centre (radii), text this far after (px)
COLUMN, TEXT_GAP = 1.22, 3.0
#: the pie may shrink to this fraction of its size to make room for the columns;
#: outside labels need at least the first step (so the elbows stay in the plot box)
MIN_SHRINK, OUTSIDE_SHRINK = 0.35, 1.05 / 1.12


@dataclass(frozen=True)
class Item:
    """One label to place: its slice's bisector (radians), share, text and text size (px)."""

    index: int
    mid: float
    share: float
    text: str
    width: float
    height: float


@dataclass(frozen=True)
class Geometry:
    """The pie in CSS px at full size: centre, radius, squash and rim depth (px)."""

    cx: float
    cy: float
    radius: float
    tilt: float = 1.0
    depth: float = 0.0

    def at(self, r: float, mid: float, shrink: float) -> tuple[float, float]:
        """The point ``r`` radii out on bisector ``mid`` of the pie shrunk by ``shrink``."""
        radius = self.radius * shrink
        s = math.sin(mid)
        y = r * radius * s * self.tilt - (self.depth * shrink if s < 0 else 0.0)
        return self.cx + r * radius * math.cos(mid), self.cy - y


@dataclass(frozen=True)
class Label:
    index: int
    text: str
    #: the text's anchor (vertically centred): right-hand labels start there, left ones end
    x: float
    y: float
    right: bool
    rect: Rect
    #: the leader from the slice edge to beside the text, or empty beside the slice
    leader: tuple[tuple[float, float], ...]


@dataclass(frozen=True)
class Placement:
    shrink: float
    labels: tuple[Label, ...]
    #: slice indices whose labels did not fit (named only in the legend)
    dropped: tuple[int, ...]


def place_pie_labels(items: Sequence[Item], pie: Geometry, bounds: Rect) -> Placement:
    """Labels for ``items`` around ``pie``, all inside ``bounds`` with no two overlapping."""
    beside = _beside(items, pie, bounds)
    if beside is not None:
        return Placement(1.0, beside, ())
    kept = list(items)
    while kept:
        placed, full = _outside(kept, pie, bounds)
        if placed is not None:
            dropped = tuple(sorted({i.index for i in items} - {i.index for i in kept}))
            return Placement(placed.shrink, placed.labels, dropped)
        # the smallest slice of the column that does not fit loses its label
        smallest = min(
            (item for item in kept if _right(item) == full),
            key=lambda item: (item.share, -item.index),
        )
        kept.remove(smallest)
    return Placement(1.0, (), tuple(sorted(i.index for i in items)))


def _right(item: Item) -> bool:
    return math.cos(item.mid) >= 0


def _beside(items: Sequence[Item], pie: Geometry, bounds: Rect) -> tuple[Label, ...] | None:
    labels: list[Label] = []
    for item in items:
        x, y = pie.at(BESIDE, item.mid, 1.0)
        right = math.cos(item.mid) >= 0
        rect = text_rect(x, y, item.width, item.height, "left" if right else "right", "center")
        if not rect.inside(bounds):
            return None
        if any(rect.grown(PAD).overlaps(other.rect) for other in labels):
            return None
        labels.append(Label(item.index, item.text, x, y, right, rect, ()))
    return tuple(labels)


def _outside(items: Sequence[Item], pie: Geometry, bounds: Rect) -> tuple[Placement | None, bool]:
    """Both columns, or ``None`` and the side (``True``: right) that cannot fit."""
    sides = {right: [item for item in items if _right(item) == right] for right in (True, False)}
    shrinks = {}
    for right, side in sides.items():
        if side:
            widest = max(item.width for item in side)
            room = (bounds.right - pie.cx) if right else (pie.cx - bounds.left)
            shrinks[right] = (room - TEXT_GAP - widest - PAD) / (COLUMN * pie.radius)
    tightest = min(shrinks, key=lambda right: shrinks[right])
    shrink = min(OUTSIDE_SHRINK, shrinks[tightest])
    if shrink < MIN_SHRINK:
        return None, tightest
    labels: list[Label] = []
    for right, side in sides.items():
        column = _column(side, pie, bounds, shrink, right=right)
        if column is None:
            return None, right
        labels += column
    return Placement(shrink, tuple(sorted(labels, key=lambda label: label.index)), ()), True


def _column(
    side: Sequence[Item], pie: Geometry, bounds: Rect, shrink: float, *, right: bool
) -> list[Label] | None:
    """One side's labels at their slices' heights, pushed apart to a line each."""
    if not side:
        return []
    line = max(item.height for item in side) + 2 * PAD
    top, bottom = bounds.top + line / 2, bounds.bottom - line / 2
    if (len(side) - 1) * line > bottom - top:
        return None
    order = sorted(side, key=lambda item: pie.at(ELBOW, item.mid, shrink)[1])
    ys = [pie.at(ELBOW, item.mid, shrink)[1] for item in order]
    ys[0] = max(ys[0], top)
    for k in range(1, len(ys)):  # downwards: each at least a line below the last
        ys[k] = max(ys[k], ys[k - 1] + line)
    ys[-1] = min(ys[-1], bottom)
    for k in range(len(ys) - 2, -1, -1):  # then back up from the bottom edge
        ys[k] = min(ys[k], ys[k + 1] - line)
    sign = 1.0 if right else -1.0
    column = pie.cx + sign * COLUMN * pie.radius * shrink
    out = []
    for item, y in zip(order, ys, strict=True):
        x = column + sign * TEXT_GAP
        rect = text_rect(x, y, item.width, item.height, "left" if right else "right", "center")
        leader = (pie.at(1.0, item.mid, shrink), pie.at(ELBOW, item.mid, shrink), (column, y))
        out.append(Label(item.index, item.text, x, y, right, rect, leader))
    return out


def percent(share: float) -> str:
    """A share 0–1 as a percentage: whole numbers from 10 %, one decimal below."""
    value = 100 * share
    if round(value) >= 10:
        return f"{value:.0f}%"
    text = f"{value:.1f}".removesuffix(".0")
    return f"{text}%"
