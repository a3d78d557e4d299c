"""Numbers people read: nice axis scales and the text of every number on a chart.

Pure functions, shared by every renderer (axes, value labels, gauges, legends):

- :func:`nice_scale` picks round tick values whose first and last tick hug the
  data (data peaking at 9.8e8 gets an axis ending at 1e9, not 1.25e9);
- :func:`axis_labels` writes one axis's ticks with one unit and one number of
  decimals (``0``, ``0.2B`` … ``1.0B``), never in scientific notation;
- :func:`format_value` writes a single value (``1.45M``, ``12,345``);
- :func:`parse_number_format` reads the ``number_format`` parameter.

``number_format`` syntax (a small subset of Python's and d3's format specs)::

    [prefix][group][.decimals][type][suffix]

``group`` is ``,`` (``1,234``), ``_`` (a space: ``1 234``) or ``'`` (``1'234``);
``decimals`` is 0–6; ``type`` is ``f`` (full numbers, never compact), ``s``
(always compact: ``1.2K``, ``3.4M``, ``1.25B``, ``2T``) or ``%`` (the value
times 100, with a ``%`` sign). Without a type numbers of 10,000 and more are
compact and smaller ones are written in full (the default, ``,``). The prefix
and suffix are free text without digits, ``,``, ``_``, ``'`` or ``.``:
``$,.2f`` → ``$1,234.50``; ``.1f%`` → ``12.5%`` for 12.5; ``.0%`` → ``13%``
for 0.125; ``€s`` → ``€1.2M``; ``,f kg`` → ``1,500 kg``.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache

from chartographer.errors import InvalidParameter

#: compact units, largest first
UNITS = ((1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "K"))
#: numbers from this magnitude are compact unless the format says ``f``
COMPACT_FROM = 1e4
#: nice tick steps within a decade
STEPS = (1.0, 2.0, 2.5, 5.0, 10.0)
MAX_DECIMALS = 6
#: narrowest span ticked (float rounding and subnormals below that)
MIN_SPAN = 1e-280
_GROUPS = {",": ",", "_": " ", "'": "'"}
_FORMAT = re.compile(
    r"^(?P<prefix>[^\d,_'.]*?)(?=[,_'.fs%])(?P<group>[,_'])?(?:\.(?P<decimals>\d+))?"
    r"(?P<type>[fs%])?(?P<suffix>[^\d,_'.]*)$"
)


@dataclass(frozen=True)
class NumberFormat:
    """How numbers are written; the default is compact from 10,000, with commas."""

    prefix: str = ""
    suffix: str = ""
    group: str = ","
    #: fixed decimals, or ``None`` for as many as the value (or the axis step) needs
    decimals: int | None = None
    #: ``None`` auto (compact from 10,000), ``f`` full, ``s`` compact, ``%`` percent
    type: str | None = None


DEFAULT = NumberFormat()


@lru_cache(maxsize=256)
def parse_number_format(text: str, param: str = "number_format") -> NumberFormat:
    """Read a ``number_format`` value; a malformed one is a 422 naming ``param``."""
    match = _FORMAT.match(text)
    if match is None or len(text) > 40:
        raise InvalidParameter(
            f"{param}: {text[:40]!r} is not a number format; use "
            "[prefix][,][.decimals][f|s|%][suffix], e.g. $,.2f or .1% or s",
            param=param,
        )
    decimals = match.group("decimals")
    if decimals is not None and int(decimals) > MAX_DECIMALS:
        raise InvalidParameter(
            f"{param}: {int(decimals)} decimals is more than the limit of {MAX_DECIMALS}",
            param=param,
        )
    group = match.group("group")
    return NumberFormat(
        prefix=match.group("prefix"),
        suffix=match.group("suffix"),
        group=_GROUPS[group] if group else "",
        decimals=None if decimals is None else int(decimals),
        type=match.group("type"),
    )


# --- scales ------------------------------------------------------------------


def nice_scale(lo: float, hi: float, max_ticks: int = 6) -> list[float]:
    """Round ticks (1-2-2.5-5 steps) from one at or below ``lo`` to one at or above ``hi``.

    The first and last ticks are meant as the axis bounds, so they hug the
    data: the smallest step whose ticks cover it in at most ``max_ticks``
    ticks (at least 3) is taken, and the ends are the nearest ticks outside.
    """
    if hi < lo:
        lo, hi = hi, lo
    if hi == lo:
        pad = abs(lo) * 0.1 or 1.0
        lo, hi = lo - pad, hi + pad
    floor = max(MIN_SPAN, 1e-9 * max(abs(lo), abs(hi)))
    if hi - lo < floor:  # narrower than floats can tick: widen around the middle
        middle = lo / 2 + hi / 2
        lo, hi = middle - floor, middle + floor
    max_ticks = max(max_ticks, 3)  # a range across zero needs three
    raw = hi / (max_ticks - 1) - lo / (max_ticks - 1)  # no overflow near 1e308
    exponent = math.floor(math.log10(raw))
    while True:
        for mantissa in STEPS[:-1]:
            step = mantissa * 10.0**exponent
            if step < raw * (1 - 1e-9):
                continue
            first = math.floor(lo / step + 1e-9)
            last = math.ceil(hi / step - 1e-9)
            if last - first + 1 <= max_ticks:
                last = max(last, first + 1)
                return [_clean(i * step, step) for i in range(first, last + 1)]
        exponent += 1


def _clean(value: float, step: float) -> float:
    """``value`` rounded to the step's precision (0.30000000000000004 → 0.3)."""
    digits = max(0, -math.floor(math.log10(step)) + 2)
    cleaned = round(value, digits)
    return 0.0 if cleaned == 0 else cleaned


# --- text --------------------------------------------------------------------


def _decimals_needed(values: list[float], cap: int = MAX_DECIMALS) -> int:
    """Fewest decimals that write every value exactly (to 1e-9 of the largest)."""
    scale = max((abs(v) for v in values), default=0.0)
    for places in range(cap + 1):
        if all(abs(round(v, places) - v) <= 1e-9 * max(scale, 1e-300) for v in values):
            return places
    return cap


def _unit_for(magnitude: float, fmt: NumberFormat) -> tuple[float, str]:
    compact = fmt.type == "s" or (fmt.type is None and magnitude >= COMPACT_FROM)
    if compact:
        for size, name in UNITS:
            if magnitude >= size:
                return size, name
    return 1.0, ""


def _write(value: float, decimals: int, fmt: NumberFormat, unit: tuple[float, str]) -> str:
    size, name = unit
    scaled = value / size
    # half up, as people round (0.125 → 0.13), from the shortest repr of the float
    rounded = Decimal(repr(abs(scaled))).quantize(Decimal(1).scaleb(-decimals), ROUND_HALF_UP)
    text = f"{rounded:,.{decimals}f}".replace(",", fmt.group or "")
    percent = "%" if fmt.type == "%" else ""
    if not any(ch in "123456789" for ch in text):  # zero has no unit and no sign
        zero = "0" if fmt.decimals is None else text
        return f"{fmt.prefix}{zero}{percent}{fmt.suffix}"
    sign = "-" if scaled < 0 else ""
    return f"{sign}{fmt.prefix}{text}{name}{percent}{fmt.suffix}"


def format_value(value: float, fmt: NumberFormat = DEFAULT) -> str:
    """One number as a person writes it: ``12,345``, ``1.45M``, ``0.25``, ``$3.50``."""
    if not math.isfinite(value):
        return str(value)
    value = value * 100 if fmt.type == "%" else value
    unit = _unit_for(abs(value), fmt)
    if fmt.decimals is not None:
        return _write(value, fmt.decimals, fmt, unit)
    scaled = abs(value) / unit[0]
    if scaled == 0:
        return _write(0.0, 0, fmt, unit)
    # three significant digits compact (1.45M, 12.3K, 250K), up to six in full
    significant = 3 if unit[1] else 6
    places = max(0, significant - 1 - math.floor(math.log10(scaled)))
    if unit[1] and round(scaled, places) >= 1000 and unit != UNITS[0]:
        unit = UNITS[UNITS.index(unit) - 1]  # 999.96K is 1M
        places = 2
    places = min(places, 12)
    return _write(value, _decimals_needed([round(value / unit[0], places)], places), fmt, unit)


def axis_labels(ticks: list[float], fmt: NumberFormat = DEFAULT) -> list[str]:
    """The labels of one axis: one unit and one number of decimals for every tick.

    The unit is that of the largest tick (``0``, ``0.5M``, ``1.0M``); a unit that
    would need more than two decimals to tell the ticks apart gives way to the
    next smaller one (``2,000``, ``2,005``, ``2,010``, never ``2.005K``).
    """
    if not ticks:
        return []
    values = [t * 100 if fmt.type == "%" else t for t in ticks]
    magnitude = max(abs(v) for v in values)
    unit = _unit_for(magnitude, fmt)
    if fmt.decimals is not None:
        return [_write(v, fmt.decimals, fmt, unit) for v in values]
    while True:
        scaled = [v / unit[0] for v in values]
        places = _decimals_needed(scaled, 12)
        if places <= 2 or not unit[1]:
            break
        smaller = [u for u in UNITS if u[0] < unit[0]]
        unit = smaller[0] if smaller else (1.0, "")
    if places > MAX_DECIMALS:  # below a millionth: not an ordinary magnitude
        digits = _significant_needed(values)
        return [f"{fmt.prefix}{v:.{digits}g}{fmt.suffix}" if v else "0" for v in values]
    return [_write(v, places, fmt, unit) for v in values]


def _significant_needed(values: list[float]) -> int:
    for digits in range(1, 17):
        if len({f"{v:.{digits}g}" for v in values}) == len(set(values)):
            return digits
    return 17  # pragma: no cover - 17 digits tell any two floats apart


def number_text(value: float, fmt_text: str | None) -> str:
    """:func:`format_value` for a spec's ``number_format`` text (``None`` = default)."""
    return format_value(value, parse_number_format(fmt_text) if fmt_text else DEFAULT)
