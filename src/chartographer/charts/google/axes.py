"""Axes: ``chxt`` with ``chxl``/``chxp``/``chxr``/``chxs`` → labelled axis strips.

Google's axes are labels only: an axis has its own range (0–100 unless
``chxr`` says otherwise, or the data range under ``chds=a``) and never moves
the data. Labels from ``chxl`` are spread evenly, or placed at ``chxp``
positions given in the axis range; ``chxtc`` sets the tick lengths.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Any

from matplotlib.ticker import MaxNLocator

from chartographer.charts.google.query import GoogleQuery
from chartographer.charts.styling import AxisStrip

_SIDES = ("x", "y", "r", "t")
_AXIS_HEAD = re.compile(r"^(\d+):$")
MAX_AXES = 12
MAX_AXIS_LABELS = 200
#: longest outward tick mark Google drew (``chxtc``), pixels
MAX_TICK = 25.0


@dataclass(frozen=True)
class AxisContext:
    """What the axis parser needs to know about the chart."""

    horizontal: bool = False
    #: bars per category axis, when labels sit on bar centres
    bars: int = 0
    #: the data range under ``chds=a`` (value axes show it by default)
    auto_range: tuple[float, float] | None = None


def parse_axes(query: GoogleQuery, context: AxisContext) -> tuple[AxisStrip, ...]:
    raw = query.get("chxt")
    if not raw:
        return ()
    sides = []
    for name in raw.split(",")[:MAX_AXES]:
        side = name.strip()
        if side in _SIDES:
            sides.append(side)
        else:
            query.warn(f"chxt: axis {side[:10]!r} is not x, y, r or t; ignored")
            sides.append("")
    labels = _indexed_labels(query)
    positions = _indexed_numbers(query, "chxp")
    ranges = _indexed_numbers(query, "chxr")
    styles = _indexed_styles(query)
    lengths = _indexed_numbers(query, "chxtc")
    strips = []
    for index, side in enumerate(sides):
        if not side:
            continue
        strip = _strip(
            side,
            index,
            labels.get(index),
            positions.get(index),
            ranges.get(index),
            styles.get(index, []),
            query,
            context,
        )
        if lengths.get(index):  # chxtc: outward at most 25 px (Google's cap), inward any
            ticks = tuple(min(max(v, -1000.0), MAX_TICK) for v in lengths[index])
            strip = strip.model_copy(update={"tick_lengths": ticks})
        strips.append(strip)
    return tuple(strips)


def _strip(
    side: str,
    index: int,
    labels: list[str] | None,
    positions: list[float] | None,
    given_range: list[float] | None,
    style: list[str],
    query: GoogleQuery,
    context: AxisContext,
) -> AxisStrip:
    value_side = ("x", "t") if context.horizontal else ("y", "r")
    category = side not in value_side and context.bars > 0
    if given_range and len(given_range) >= 2 and given_range[0] != given_range[1]:
        start, end = given_range[0], given_range[1]
        step = given_range[2] if len(given_range) > 2 else 0.0
    elif context.auto_range is not None and side in value_side:
        (start, end), step = context.auto_range, 0.0
    else:
        start, end, step = 0.0, 100.0, 0.0
    span = end - start
    if labels is not None:
        if positions is not None and len(positions) >= len(labels):
            fractions = [(p - start) / span for p in positions[: len(labels)]]
        elif category and len(labels) == context.bars:
            fractions = [(i + 0.5) / len(labels) for i in range(len(labels))]
        else:
            count = len(labels)
            fractions = [i / (count - 1) if count > 1 else 0.5 for i in range(count)]
        texts = labels
    else:
        if positions:
            values = positions
        elif step and abs(span / step) <= MAX_AXIS_LABELS:
            count = int(abs(span / step) + 1e-9)
            values = [start + i * step for i in range(count + 1)]
        else:
            lo, hi = min(start, end), max(start, end)
            values = list(_nice_ticks(lo, hi))
        fractions = [(v - start) / span for v in values]
        texts = [_format(v) for v in values]
    kept = [(f, t) for f, t in zip(fractions, texts, strict=True) if -1e-9 <= f <= 1 + 1e-9]
    fields = _style_fields(style, query)
    hidden = fields.get("font_size") == 0.0  # chxs font size 0: ticks, no labels
    if hidden:
        del fields["font_size"]
    return AxisStrip(
        side=side,  # type: ignore[arg-type]
        positions=tuple(f for f, _ in kept),
        labels=tuple("" if hidden else t for _, t in kept),
        **fields,
    )


@functools.lru_cache(maxsize=1024)
def _nice_ticks(lo: float, hi: float) -> tuple[float, ...]:
    """Matplotlib's five-bin nice ticks within ``lo``–``hi`` (a pure function: kept).

    A new ``MaxNLocator`` per axis was 9 % of the event loop's time on the Google
    suite under load; nearly every chart asks for the default 0–100.
    """
    return tuple(float(v) for v in MaxNLocator(nbins=5).tick_values(lo, hi) if lo <= v <= hi)


def _format(value: float) -> str:
    if float(value).is_integer():
        return str(int(value))
    return f"{value:.4g}"


def _indexed_labels(query: GoogleQuery) -> dict[int, list[str]]:
    """``chxl=0:|a|b|1:|c|d`` → {0: [a, b], 1: [c, d]}."""
    raw = query.get("chxl")
    out: dict[int, list[str]] = {}
    if not raw:
        return out
    current: list[str] | None = None
    for token in raw.split("|"):
        head = _AXIS_HEAD.match(token.strip())
        if head:
            current = out.setdefault(int(head.group(1)), [])
        elif current is not None and len(current) < MAX_AXIS_LABELS:
            current.append(token)
        elif current is None:
            query.warn("chxl: labels must follow an axis index such as 0:|; ignored")
            return out
    return out


def _indexed_numbers(query: GoogleQuery, name: str) -> dict[int, list[float]]:
    """``chxp``/``chxr``: ``index,n1,n2,…`` groups separated by ``|``."""
    raw = query.get(name)
    out: dict[int, list[float]] = {}
    if not raw:
        return out
    for group in raw.split("|"):
        fields = group.split(",")
        index = query.number(fields[0], name, -1.0)
        if index < 0 or not float(index).is_integer():
            query.warn(f"{name}: {group[:20]!r} must start with an axis index; ignored")
            continue
        out[int(index)] = [query.number(f, name, 0.0) for f in fields[1 : MAX_AXIS_LABELS + 1]]
    return out


def _indexed_styles(query: GoogleQuery) -> dict[int, list[str]]:
    raw = query.get("chxs")
    out: dict[int, list[str]] = {}
    if not raw:
        return out
    for group in raw.split("|"):
        fields = group.split(",")
        digits = re.match(r"^\d+", fields[0])
        if digits is None:
            query.warn(f"chxs: {group[:20]!r} must start with an axis index; ignored")
            continue
        if fields[0][digits.end() :]:
            query.warn("chxs: number formats are not supported; labels drawn as given")
        out[int(digits.group(0))] = fields[1:]
    return out


def _style_fields(style: list[str], query: GoogleQuery) -> dict[str, Any]:
    fields = [*style, "", "", "", "", "", ""]
    out: dict[str, Any] = {}
    color = query.color(fields[0], "chxs") if fields[0] else None
    if color:
        out["color"] = color
    if fields[1]:
        size = query.number(fields[1], "chxs", 11.0)
        out["font_size"] = 0.0 if size <= 0 else min(max(size, 4.0), 72.0) * 0.72
    if fields[2]:
        out["alignment"] = max(-1, min(1, int(query.number(fields[2], "chxs", 0.0))))
    if fields[3]:
        mode = fields[3]
        out["line"] = "l" in mode
        out["ticks"] = "t" in mode
    for key, text in (("tick_color", fields[4]), ("axis_color", fields[5])):
        parsed = query.color(text, "chxs") if text else None
        if parsed:
            out[key] = parsed
    return out
