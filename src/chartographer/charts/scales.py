"""Time and log axes, and the right-hand y axis: pure tick logic, no drawing.

A time axis holds Unix seconds (UTC) and is ticked on calendar units — years,
months, weeks, days, hours, minutes, seconds — the smallest step whose labels
fit the axis, each unit written its own way (``2026``, ``Jan 2026``, ``Mar 3``,
``14:00``). A log axis is ticked at powers of ten, with 2× and 5× between them
where the decades are tall enough. A spec whose series say ``axis="right"`` is
drawn as two views (:func:`side_view`), one per y axis, over the same x axis.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable
from datetime import UTC, datetime
from functools import partial

from chartographer.charts.numbers import format_value
from chartographer.charts.spec import ChartSpec

#: the datetimes a time axis can label (years 1 to 9999)
MIN_TIME = datetime(1, 1, 1, tzinfo=UTC).timestamp()
MAX_TIME = datetime(9999, 12, 31, 23, 59, 59, tzinfo=UTC).timestamp()

_MINUTE, _HOUR, _DAY = 60, 3600, 86400


def parse_time(text: str) -> float | None:
    """An ISO 8601 date or datetime as Unix seconds (UTC when no offset); None if not one."""
    item = text.strip()
    if len(item) < 8 or item[4:5] != "-":  # not a date (and never a plain number)
        return None
    try:
        moment = datetime.fromisoformat(item.replace("z", "Z"))
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.timestamp()


def _at(seconds: float) -> datetime:
    return datetime.fromtimestamp(seconds, UTC)


# --- time ticks -------------------------------------------------------------------


def _months(lo: datetime, hi: datetime, step: int) -> list[datetime]:
    """The starts of every ``step``-th month (January-aligned) from ``lo`` to ``hi``."""
    index = lo.year * 12 + lo.month - 1
    if lo != datetime(lo.year, lo.month, 1, tzinfo=UTC):
        index += 1
    index = -(-index // step) * step
    ticks = []
    while index // 12 <= hi.year:
        moment = datetime(index // 12, index % 12 + 1, 1, tzinfo=UTC)
        if moment > hi:
            break
        ticks.append(moment)
        index += step
    return ticks


def _fixed(lo: float, hi: float, step: float, origin: float = 0.0) -> list[datetime]:
    """Multiples of ``step`` seconds past ``origin`` from ``lo`` to ``hi``."""
    first = math.ceil((lo - origin) / step - 1e-9)
    last = math.floor((hi - origin) / step + 1e-9)
    return [_at(origin + i * step) for i in range(first, last + 1)]


#: 1970-01-05, a Monday: weeks start on Mondays (ISO 8601)
_MONDAY = 4 * _DAY


def _clock(moment: datetime) -> str:
    if moment.hour == moment.minute == moment.second == 0:
        return _day(moment)  # midnight: say which day
    return moment.strftime("%H:%M" if moment.second == 0 else "%H:%M:%S")


def _day(moment: datetime) -> str:
    return f"{moment:%b} {moment.day}"


def _year(moment: datetime) -> str:
    return str(moment.year)


#: candidate steps from finest to coarsest: (name, ticks from lo to hi, label)
_Step = tuple[str, Callable[[float, float], list[datetime]], Callable[[datetime], str]]


def _month_ticks(lo: float, hi: float, months: int) -> list[datetime]:
    return _months(_at(lo), _at(hi), months)


def _month_label(moment: datetime) -> str:
    return f"{moment:%b} {moment.year}"


def _steps() -> list[_Step]:
    steps: list[_Step] = []
    for seconds in (1, 5, 15, 30):
        steps.append((f"{seconds}s", partial(_fixed, step=seconds), _clock))
    for minutes in (1, 5, 15, 30):
        steps.append((f"{minutes}min", partial(_fixed, step=minutes * _MINUTE), _clock))
    for hours in (1, 3, 6, 12):
        steps.append((f"{hours}h", partial(_fixed, step=hours * _HOUR), _clock))
    for days in (1, 2):
        steps.append((f"{days}d", partial(_fixed, step=days * _DAY), _day))
    for weeks in (1, 2):
        steps.append((f"{weeks}w", partial(_fixed, step=weeks * 7 * _DAY, origin=_MONDAY), _day))
    for months in (1, 2, 3, 6):
        steps.append((f"{months}mo", partial(_month_ticks, months=months), _month_label))
    for years in (1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000):
        steps.append((f"{years}y", partial(_month_ticks, months=years * 12), _year))
    return steps


STEPS = _steps()


def time_ticks(
    lo: float,
    hi: float,
    length: float,
    measure: Callable[[str], float],
    room: tuple[float, float] = (math.inf, math.inf),
) -> tuple[str, list[float], list[str]]:
    """Calendar ticks between ``lo`` and ``hi`` (Unix seconds) for an axis ``length`` px long.

    The finest step whose labels, each ``measure``-d wide, keep a gap from their
    neighbours wins; at least two ticks if any step gives two. Returns the
    step's name (``"3mo"``), the tick positions and their labels.
    """
    lo, hi = max(lo, MIN_TIME), min(hi, MAX_TIME)
    fallback: tuple[str, list[float], list[str]] | None = None
    for name, ticks_of, label in STEPS:
        if (hi - lo) / _span(name) > 400:  # far too fine: skip without listing
            continue
        moments = ticks_of(lo, hi)
        positions = [m.timestamp() for m in moments]
        labels = [label(m) for m in moments]
        if name.endswith("mo"):  # the year on January (and the first tick) only
            labels = [
                t if m.month == 1 or i == 0 else t[:3]
                for i, (t, m) in enumerate(zip(labels, moments, strict=True))
            ]
        if len(moments) < 2:
            fallback = fallback or (name, positions, labels)
            continue
        if _fits(positions, labels, lo, hi, length, measure, room):
            return name, positions, labels
    return fallback or ("", [], [])


def _fits(
    positions: list[float],
    labels: list[str],
    lo: float,
    hi: float,
    length: float,
    measure: Callable[[str], float],
    room: tuple[float, float],
) -> bool:
    """Each pair of neighbouring labels keeps an 8 px gap: centred on their ticks, or,
    where centring would cross the image edge (``room`` px beyond each end of the
    axis), starting or ending at the tick, as the drawer turns them inward."""
    spans = []
    for p, text in zip(positions, labels, strict=True):
        at, width = (p - lo) / (hi - lo) * length, measure(text)
        if at - width / 2 < 2 - room[0]:
            spans.append((at, at + width))
        elif at + width / 2 > length + room[1] - 2:
            spans.append((at - width, at))
        else:
            spans.append((at - width / 2, at + width / 2))
    return all(b[0] - a[1] >= 8 for a, b in itertools.pairwise(spans))


def _span(name: str) -> float:
    """The rough length of one step in seconds."""
    number = int("".join(ch for ch in name if ch.isdigit()))
    unit = name.lstrip("0123456789")
    seconds = {"s": 1, "min": _MINUTE, "h": _HOUR, "d": _DAY, "w": 7 * _DAY}
    seconds |= {"mo": 30 * _DAY, "y": 365 * _DAY}
    return number * seconds[unit]


# --- log ticks --------------------------------------------------------------------


def log_limits(
    positive: list[float], lo: float | None, hi: float | None, pad: float = 0.0
) -> tuple[float, float]:
    """Axis bounds on whole decades around the positive data (fixed bounds kept).

    ``pad`` (a share of the data's decades, at least 0.02 of one) keeps markers
    on a power of ten whole: data ending on 1000 runs the axis on to 10,000.
    """
    smallest = min(positive, default=1.0)
    largest = max(positive, default=10.0)
    room = max(math.log10(largest / smallest) * pad, 0.02) if pad else 0.0
    low = lo if lo is not None else 10.0 ** _decade_below(smallest / 10**room)
    high = hi if hi is not None else 10.0 ** _decade_above(largest * 10**room)
    if high <= low:
        high = low * 10
    return low, high


def _decade_below(value: float) -> int:
    """The largest power of ten ≤ ``value`` (exact at powers, whatever log10 rounds to)."""
    exponent = math.floor(math.log10(value))
    if 10.0 ** (exponent + 1) <= value:
        exponent += 1
    elif 10.0**exponent > value:
        exponent -= 1
    return exponent


def _decade_above(value: float) -> int:
    """The smallest power of ten ≥ ``value``."""
    exponent = math.ceil(math.log10(value))
    if 10.0 ** (exponent - 1) >= value:
        exponent -= 1
    elif 10.0**exponent < value:
        exponent += 1
    return exponent


def log_ticks(lo: float, hi: float, length: float, line: float) -> tuple[list[float], list[str]]:
    """Ticks on a log axis from ``lo`` to ``hi`` (> 0), ``length`` px long.

    Powers of ten (every k-th if the decades are short); 2× and 5× between them
    labelled where a decade holds three label lines with room, as bare tick
    marks where it holds two. Labels use the compact number format.
    """
    first, last = math.floor(math.log10(lo) + 1e-9), math.ceil(math.log10(hi) - 1e-9)
    decades = max(last - first, 1)
    per_decade = length / decades
    every = max(1, math.ceil(line * 2 / per_decade))
    majors = [10.0**e for e in range(first, last + 1) if (e - first) % every == 0]
    ticks: list[tuple[float, bool]] = [(v, True) for v in majors]
    if every == 1 and per_decade >= line * 2.5:
        labelled = per_decade >= line * 5
        for e in range(first, last + 1):
            ticks += [(m * 10.0**e, labelled) for m in (2.0, 5.0)]
    slack = (hi - lo) * 1e-9
    inside = sorted((v, shown) for v, shown in ticks if lo - slack <= v <= hi + slack)
    texts = [format_value(v) for v, _ in inside]  # each decade its own decimals
    labels = [t if shown else "" for t, (_, shown) in zip(texts, inside, strict=True)]
    return [v for v, _ in inside], labels


#: headroom of markers past the data on a log axis (as ``charts.layout.value_scale``)
LOG_PAD = {"line": 0.02, "scatter": 0.05}


def log_labels(spec: ChartSpec, length: float, line: float) -> list[str]:
    positive = [v for s in spec.series for v in s.values if v is not None and v > 0]
    pad = LOG_PAD.get(spec.kind.value, 0.0)
    lo, hi = log_limits(positive, spec.y_axis.min, spec.y_axis.max, pad)
    return log_ticks(lo, hi, length, line)[1]


# --- the right-hand axis ----------------------------------------------------------


def has_right_axis(spec: ChartSpec) -> bool:
    return any(s.axis == "right" for s in spec.series)


def side_view(spec: ChartSpec, side: str) -> ChartSpec:
    """The chart as one y axis sees it: the other side's series become gaps.

    Gaps keep every series in place (bar groups, colours, the legend); the
    right view takes the right axis as its y axis and its own number format.
    Either view is a one-axis spec (every series on its "left").
    """
    series = tuple(
        s.model_copy(update={"axis": "left"})
        if s.axis == side
        else s.model_copy(update={"values": (None,) * len(s.values), "axis": "left"})
        for s in spec.series
    )
    update: dict[str, object] = {"series": series}
    if side == "right":
        update |= {
            "y_axis": spec.y2_axis,
            "number_format": spec.y2_number_format or spec.number_format,
            "y_scale": "linear",
            "annotations": (),
        }
    return spec.model_copy(update=update)
