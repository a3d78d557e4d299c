"""Which category labels an axis shows, at which angle: pure, renderer-independent.

:func:`plan_labels` takes the labels, the pixels between the first and last
category centres and the room beyond them, and a text-width function (the
renderer's measure or an estimate), and returns a :class:`LabelPlan`:

- labels are thinned **evenly**, always keeping the first and the last; no two
  drawn labels overlap and none reaches past the image edge (a label at an
  edge is aligned inwards, a label too long for the room is shortened with
  ``…``);
- multi-word labels are **wrapped** onto two lines (split at the space that
  makes the wider line narrowest) when that shows more labels than one line;
- rotating (45° or 90°) is chosen only when it shows more labels than
  horizontal text, one line or wrapped (wrapped text reads better, so it wins
  a tie);
- **time-like** labels (month names, ``2024-01``, ISO dates, years) are thinned
  onto calendar steps instead: 24 monthly labels show every 3rd or 6th month
  starting on a quarter (Jan, Apr, Jul, Oct), never every 5th.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date

#: pixels between two neighbouring labels
GAP = 6.0
ANGLES = (0, 45, 90)
_MONTH_NAMES = (
    "january february march april may june july august september october november december"
)
_MONTHS = {
    name: i + 1
    for i, full in enumerate(_MONTH_NAMES.split(" "))
    for name in (full, full[:3], full[:4])
}
_MONTH_YEAR = re.compile(r"^([A-Za-z]+)\.?(?:[ '-]+(\d{2}|\d{4}))?$")
_ISO_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[T ].*)?$")
_YEAR = re.compile(r"^(1[5-9]\d\d|2\d\d\d)$")


@dataclass(frozen=True)
class LabelPlan:
    """Indices of the labels to draw, their text (maybe shortened), angle and alignment."""

    shown: tuple[int, ...]
    texts: tuple[str, ...]
    #: degrees counter-clockwise; rotated labels hang right-aligned from their tick
    angle: int = 0
    #: per shown label: -1 text starts at its tick, 0 centred, 1 text ends at its tick
    align: tuple[int, ...] = ()
    #: pixels the labels take across the axis (their height, or rotated depth)
    depth: float = 0.0
    #: lines of text per label (2 when wrapped; ``texts`` then hold a ``\n``)
    lines: int = 1


def estimate_width(text: str, points: float) -> float:
    """Pixels ``text`` takes at ``points`` (DejaVu Sans averages ~0.6 em; CJK and the
    ``…`` that shortened labels end or break with are ~1 em)."""
    wide = sum(1 for ch in text if ord(ch) >= 0x2E80 or ch == "…")
    return ((len(text) - wide) * 0.6 + wide * 1.0) * points * 100 / 72


def _positions(count: int, span: float) -> list[float]:
    if count == 1:
        return [0.0]
    return [span * i / (count - 1) for i in range(count)]


def even_indices(count: int, shown: int) -> list[int]:
    """``shown`` indices spread evenly over ``range(count)``, first and last included."""
    if shown >= count:
        return list(range(count))
    if shown <= 1:
        return [0]
    return sorted({round(j * (count - 1) / (shown - 1)) for j in range(shown)})


def _extents(
    index: int,
    pos: float,
    width: float,
    angle: int,
    line: float,
    span: float,
    room: tuple[float, float],
) -> tuple[float, float, int]:
    """Interval a label covers along the axis and its alignment (edge labels turn inwards)."""
    if angle == 90:
        return pos - line / 2, pos + line / 2, 0
    if angle == 45:
        reach = width * math.cos(math.radians(45)) + line * 0.7
        return pos - reach, pos + line * 0.7, 1
    lo, hi = pos - width / 2, pos + width / 2
    if lo < -room[0]:
        return pos, pos + width, -1
    if hi > span + room[1]:
        return pos - width, pos, 1
    return lo, hi, 0


def _fits(
    chosen: Sequence[int],
    widths: Sequence[float],
    positions: Sequence[float],
    angle: int,
    line: float,
    span: float,
    room: tuple[float, float],
) -> tuple[bool, tuple[int, ...]]:
    aligns = []
    previous = -math.inf
    for index in chosen:
        lo, hi, align = _extents(index, positions[index], widths[index], angle, line, span, room)
        if lo < -room[0] - 0.5 or hi > span + room[1] + 0.5 or lo < previous + GAP:
            return False, ()
        previous = hi
        aligns.append(align)
    return True, tuple(aligns)


def shorten(text: str, limit: float, width_of: Callable[[str], float]) -> str:
    """``text``, cut with ``…`` to at most ``limit`` pixels."""
    if width_of(text) <= limit:
        return text
    for end in range(len(text) - 1, 0, -1):
        cut = text[:end].rstrip() + "…"
        if width_of(cut) <= limit:
            return cut
    return "…"


def shorten_middle(text: str, limit: float, width_of: Callable[[str], float]) -> str:
    """``text`` with its middle cut to ``…`` so it fits ``limit`` pixels, keeping more
    of the end (where labels that share a beginning differ: ``Dep…Name 12``)."""
    if width_of(text) <= limit:
        return text
    for kept in range(len(text) - 1, 1, -1):
        tail = math.ceil(kept * 0.6)
        cut = text[: kept - tail].rstrip() + "…" + text[len(text) - tail :].lstrip()
        if width_of(cut) <= limit:
            return cut
    return shorten(text, limit, width_of)


def shorten_all(texts: Sequence[str], limit: float, width_of: Callable[[str], float]) -> list[str]:
    """Each label shortened to ``limit``; cut in the middle instead when cutting the ends
    would make different labels read the same (``Department o…`` thirty times)."""
    shown = [shorten(t, limit, width_of) for t in texts]
    if len(set(shown)) < len(set(texts)):
        shown = [shorten_middle(t, limit, width_of) for t in texts]
    return shown


def wrap_two(text: str, width_of: Callable[[str], float]) -> str:
    """``text`` on two lines, split at the space that makes the wider line narrowest
    (``text`` itself if it has no inner space)."""
    words = text.split()
    if len(words) < 2:
        return text
    splits = ((" ".join(words[:k]), " ".join(words[k:])) for k in range(1, len(words)))
    best = min(splits, key=lambda pair: max(width_of(pair[0]), width_of(pair[1])))
    return "\n".join(best)


def _widest(text: str, width_of: Callable[[str], float]) -> float:
    return max(width_of(part) for part in text.split("\n"))


def plan_labels(
    labels: Sequence[str],
    span: float,
    width_of: Callable[[str], float],
    line: float,
    *,
    room: float | tuple[float, float] = 0.0,
    max_depth: float | None = None,
    rotate: bool = True,
    wrap: bool = True,
) -> LabelPlan:
    """The labels to draw along an axis ``span`` pixels from first to last centre.

    ``room`` is the pixels beyond the first and last centres that labels may use
    (to the image edge), one number for both sides or ``(left, right)``;
    ``line`` the height of one line of text; ``max_depth`` caps how deep rotated
    labels may hang (longer ones are shortened) and whether wrapped ones fit;
    ``wrap`` allows two-line labels.
    """
    count = len(labels)
    room = (room, room) if isinstance(room, int | float) else room
    if count == 0:
        return LabelPlan((), ())
    positions = _positions(count, span)
    texts = list(labels)
    widths = [width_of(t) for t in texts]
    timed = calendar_candidates(labels)
    if timed:
        for chosen in timed:
            ok, aligns = _fits(chosen, widths, positions, 0, line, span, room)
            if ok:
                return _plan(chosen, texts, 0, aligns, line)
    best: LabelPlan | None = None
    two_lines = wrap and (max_depth is None or max_depth >= 2 * line)
    tries = [(0, False)] + [(0, True)] * two_lines + [(a, False) for a in ANGLES[1:] if rotate]
    for angle, wrapped in tries:
        if wrapped:
            plan = _wrapped(texts, width_of, positions, line, span, room)
        else:
            plan = _one_line(texts, width_of, positions, angle, line, span, room, max_depth)
        if plan is not None and (best is None or len(plan.shown) > len(best.shown)):
            best = plan
        if best is not None and len(best.shown) == count:
            break
    if best is None:  # not even one label fits whole: the first, shortened, if anything
        first = shorten(texts[0], span + room[1], width_of)
        if width_of(first) > span + room[1]:
            return LabelPlan((), (), depth=line)
        return _plan([0], [first], 0, (-1,), line)
    return best


def _one_line(
    texts: Sequence[str],
    width_of: Callable[[str], float],
    positions: Sequence[float],
    angle: int,
    line: float,
    span: float,
    room: tuple[float, float],
    max_depth: float | None,
) -> LabelPlan | None:
    """Labels on one line at ``angle``: rotated ones shortened to ``max_depth``,
    horizontal ones to the whole axis."""
    if angle:
        limit = math.inf if max_depth is None else max_depth / math.sin(math.radians(angle))
    else:
        limit = span + room[1]
    shown = shorten_all(texts, limit, width_of)
    widths = [width_of(t) for t in shown]
    return _densest(shown, widths, positions, angle, line, span, room)


def _wrapped(
    texts: Sequence[str],
    width_of: Callable[[str], float],
    positions: Sequence[float],
    line: float,
    span: float,
    room: tuple[float, float],
) -> LabelPlan | None:
    """Horizontal labels on up to two lines (each line shortened to the axis if need be)."""
    if not any(len(t.split()) > 1 for t in texts):
        return None
    limit = span + room[1]
    wrapped = [
        "\n".join(shorten(part, limit, width_of) for part in wrap_two(t, width_of).split("\n"))
        for t in texts
    ]
    widths = [_widest(t, width_of) for t in wrapped]
    plan = _densest(wrapped, widths, positions, 0, line, span, room)
    if plan is None or not any("\n" in t for t in plan.texts):
        return None  # nothing shown needed a second line: one-line text did the same
    return replace(plan, depth=2 * line, lines=2)


def _densest(
    texts: Sequence[str],
    widths: Sequence[float],
    positions: Sequence[float],
    angle: int,
    line: float,
    span: float,
    room: tuple[float, float],
) -> LabelPlan | None:
    count = len(texts)
    # every k-th label (plus the last) for the smallest k that fits, then even spreads
    tried: set[int] = set()
    for step in range(1, count):
        shown = math.ceil((count - 1) / step) + 1
        if shown in tried:
            continue
        tried.add(shown)
        chosen = even_indices(count, shown)
        ok, aligns = _fits(chosen, widths, positions, angle, line, span, room)
        if ok:
            return _plan(chosen, list(texts), angle, aligns, line, widths)
    ok, aligns = _fits([0], widths, positions, angle, line, span, room)
    return _plan([0], list(texts), angle, aligns, line, widths) if ok else None


def _plan(
    chosen: Sequence[int],
    texts: Sequence[str],
    angle: int,
    aligns: tuple[int, ...],
    line: float,
    widths: Sequence[float] | None = None,
) -> LabelPlan:
    depth = line
    if angle and widths is not None:
        longest = max(widths[i] for i in chosen)
        depth = longest * math.sin(math.radians(angle)) + line * math.cos(math.radians(angle))
    return LabelPlan(tuple(chosen), tuple(texts[i] for i in chosen), angle, aligns, depth)


# --- time-like labels --------------------------------------------------------


def parse_calendar(text: str) -> tuple[str, date | int] | None:
    """``("month", date)``, ``("day", date)`` or ``("year", year)`` for a time-like label."""
    value = text.strip()
    if match := _ISO_DATE.match(value):
        try:
            return "day", date(int(match[1]), int(match[2]), int(match[3]))
        except ValueError:
            return None
    if match := _ISO_MONTH.match(value):
        month = int(match[2])
        return ("month", date(int(match[1]), month, 1)) if 1 <= month <= 12 else None
    if _YEAR.match(value):
        return "year", int(value)
    if match := _MONTH_YEAR.match(value):
        named = _MONTHS.get(match[1].lower())
        if named is None:
            return None
        year = int(match[2]) if match[2] else 2000
        return "month", date(year + (2000 if year < 100 else 0), named, 1)
    return None


def calendar_candidates(labels: Sequence[str]) -> list[list[int]]:
    """For time-like labels, index sets on calendar steps from densest to sparsest."""
    parsed = [parse_calendar(t) for t in labels]
    if len(labels) < 3 or any(p is None for p in parsed):
        return []
    kinds = {p[0] for p in parsed if p is not None}
    if len(kinds) != 1:
        return []
    kind = kinds.pop()
    values = [p[1] for p in parsed if p is not None]
    rules: list[Callable[[date | int, int], bool]]
    if kind == "year":
        rules = [_every_years(k) for k in (1, 2, 5, 10, 20, 50, 100)]
    elif kind == "month":
        rules = [_every_months(k) for k in (1, 2, 3, 6, 12)]
        rules += [_every_years(k) for k in (2, 5, 10)]
    else:
        rules = [
            lambda d, i: True,
            lambda d, i: _ordinal(d) % 2 == 0,
            lambda d, i: isinstance(d, date) and d.weekday() == 0,
            lambda d, i: isinstance(d, date) and d.day in (1, 15),
            *(_every_months(k) for k in (1, 3, 6, 12)),
        ]
    out = []
    for rule in rules:
        chosen = [i for i, v in enumerate(values) if rule(v, i)]
        if chosen and chosen not in out:
            out.append(chosen)
    return out


def _ordinal(value: date | int) -> int:
    return value.toordinal() if isinstance(value, date) else value


def _every_months(step: int) -> Callable[[date | int, int], bool]:
    def rule(value: date | int, _index: int) -> bool:
        return isinstance(value, date) and value.day == 1 and (value.month - 1) % step == 0

    return rule


def _every_years(step: int) -> Callable[[date | int, int], bool]:
    def rule(value: date | int, _index: int) -> bool:
        if isinstance(value, date):
            return value.month == 1 and value.day == 1 and value.year % step == 0
        return value % step == 0

    return rule
