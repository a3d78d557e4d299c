"""``chd`` decoding and ``chds`` scaling, with Google's semantics.

Google never plots raw numbers: every value becomes a fraction of its data
range first. Basic text (``t:`` without ``chds``) has the fixed range 0–100
(negative values are missing, values above 100 are clipped); simple encoding
``s:`` has 0–61, extended ``e:`` 0–4095; ``chds`` gives one range per series
(the last pair repeats) and ``chds=a`` (or ``a:`` data) fits one range to the
data, from min(0, smallest) to the largest.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from chartographer.charts.google.errors import GoogleChartError

SIMPLE = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
EXTENDED = SIMPLE + "-."
_SIMPLE_INDEX = {ch: i for i, ch in enumerate(SIMPLE)}
_EXTENDED_INDEX = {ch: i for i, ch in enumerate(EXTENDED)}
_PREFIX = re.compile(r"^([tsea])(\d*):(.*)$", re.DOTALL)
MAX_ABS = 1e15
#: fractions of a range beyond ±FAR are drawn at ±FAR (far off the chart either way)
FAR = 1e6

Values = tuple[float | None, ...]


@dataclass(frozen=True)
class ChartData:
    """Decoded ``chd``: series of values (``None`` = missing) and their encoding."""

    series: tuple[Values, ...]
    encoding: str  # "t", "s", "e" or "a"
    #: ``t1:`` … ``tN:``: only the first N series are drawn as the chart, the rest feed markers
    drawn: int | None = None
    #: what could be decoded but not used (an odd ``e:`` character)
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class Scaled:
    """Series with the data range each is drawn on."""

    series: tuple[Values, ...]
    ranges: tuple[tuple[float, float], ...]
    auto: bool = False
    #: ``tN:``: the chart type draws the first N series; the rest only feed markers
    drawn: int | None = None

    @property
    def drawn_count(self) -> int:
        return len(self.series) if self.drawn is None else self.drawn

    def fractions(self, index: int) -> Values:
        """Series ``index`` as fractions 0–1 of its range (may fall outside)."""
        lo, hi = self.ranges[index]
        span = hi - lo
        # far outside the range is off the chart either way; bounded, it stays drawable
        return tuple(
            None if v is None else min(max((v - lo) / span, -FAR), FAR) for v in self.series[index]
        )


def decode_chd(text: str, max_points: int) -> ChartData:
    """Decode ``t:``, ``s:``, ``e:`` or ``a:`` data; a malformed string is fatal."""
    match = _PREFIX.match(text.strip())
    if not match:
        raise GoogleChartError(
            f"chd: {text[:40]!r} must start with t:, s:, e: or a: (e.g. chd=t:10,20,30)",
            param="chd",
        )
    encoding, digits, body = match.group(1), match.group(2), match.group(3)
    drawn = int(digits) if digits else None
    notes: list[str] = []
    if len(body) > max_points * 24:
        raise GoogleChartError(
            f"chd: data longer than the limit of {max_points} points", param="chd", status=413
        )
    if encoding in "ta":
        series = tuple(_text_series(part) for part in body.split("|"))
    elif encoding == "s":
        series = tuple(_simple_series(part) for part in body.split(","))
    else:
        parts = body.split(",")
        odd = sum(1 for part in parts if len(part) % 2)
        if odd:
            notes.append(
                f"chd: {odd} extended-encoding series had an odd number of characters; "
                "the last character of each was dropped"
            )
        series = tuple(_extended_series(part[: len(part) - len(part) % 2]) for part in parts)
    count = sum(len(s) for s in series)
    if count > max_points:
        raise GoogleChartError(
            f"chd: {count} data points exceeds the limit of {max_points}", param="chd", status=413
        )
    if drawn is not None and drawn > len(series):
        notes.append(
            f"chd: {encoding}{digits}: more series to draw than the {len(series)} given; "
            "all are drawn"
        )
        drawn = None
    return ChartData(series, encoding, drawn, tuple(notes))


def _text_series(part: str) -> Values:
    if part.strip() == "":
        return ()
    out: list[float | None] = []
    for item in part.split(","):
        item = item.strip()
        if item in ("_", ""):
            out.append(None)
            continue
        try:
            value = float(item)
        except ValueError:
            raise GoogleChartError(
                f"chd: {item[:20]!r} is not a number; t: data is numbers separated by commas, "
                "series by |",
                param="chd",
            ) from None
        if not math.isfinite(value) or abs(value) > MAX_ABS:
            raise GoogleChartError(f"chd: {item[:20]!r} is out of range", param="chd")
        out.append(value)
    return tuple(out)


def _simple_series(part: str) -> Values:
    out: list[float | None] = []
    for ch in part:
        if ch == "_":
            out.append(None)
        elif ch in _SIMPLE_INDEX:
            out.append(float(_SIMPLE_INDEX[ch]))
        else:
            raise GoogleChartError(
                f"chd: {ch!r} is not a simple-encoding character (A-Z, a-z, 0-9, _)", param="chd"
            )
    return tuple(out)


def _extended_series(part: str) -> Values:
    out: list[float | None] = []
    for i in range(0, len(part), 2):
        pair = part[i : i + 2]
        if pair == "__":
            out.append(None)
        elif pair[0] in _EXTENDED_INDEX and pair[1] in _EXTENDED_INDEX:
            out.append(float(_EXTENDED_INDEX[pair[0]] * 64 + _EXTENDED_INDEX[pair[1]]))
        else:
            raise GoogleChartError(
                f"chd: {pair!r} is not an extended-encoding pair (A-Z, a-z, 0-9, -, ., __)",
                param="chd",
            )
    return tuple(out)


def encode_simple(values: Values) -> str:
    """Encode integers 0–61 (``None`` → ``_``): the inverse of simple decoding."""
    return "".join("_" if v is None else SIMPLE[int(v)] for v in values)


def encode_extended(values: Values) -> str:
    """Encode integers 0–4095 (``None`` → ``__``): the inverse of extended decoding."""
    out = []
    for v in values:
        if v is None:
            out.append("__")
        else:
            n = int(v)
            out.append(EXTENDED[n // 64] + EXTENDED[n % 64])
    return "".join(out)


def parse_chds(text: str | None) -> tuple[tuple[float, float], ...] | str | None:
    """``chds``: ``"a"`` for automatic, or (min, max) pairs; bad pairs are fatal."""
    if text is None or text.strip() == "":
        return None
    if text.strip().lower() == "a":
        return "a"
    numbers: list[float] = []
    for item in text.split(","):
        try:
            value = float(item)
        except ValueError:
            raise GoogleChartError(
                f"chds: {item[:20]!r} is not a number; use min,max pairs or a", param="chds"
            ) from None
        if not math.isfinite(value) or abs(value) > MAX_ABS:
            raise GoogleChartError(f"chds: {item[:20]!r} is out of range", param="chds")
        numbers.append(value)
    if len(numbers) % 2:
        numbers.append(100.0 if len(numbers) == 1 else numbers[-1])
    pairs = []
    for lo, hi in zip(numbers[::2], numbers[1::2], strict=True):
        if abs(hi - lo) <= max(1e-280, max(abs(lo), abs(hi)) * 1e-12):
            # an empty range would divide by zero, and one narrower than float rounding
            # (0,1e-320) overflows: Google drew both flat
            hi = lo + 1
        pairs.append((lo, hi))
    return tuple(pairs)


def scale(data: ChartData, chds: str | None, warnings: list[str]) -> Scaled:
    """Attach to each series the range Google would draw it on."""
    count = len(data.series)
    parsed = parse_chds(chds)
    if data.encoding in "se":
        if parsed is not None:
            warnings.append("chds: ignored, it applies to t: data only")
        top = 61.0 if data.encoding == "s" else 4095.0
        return Scaled(data.series, ((0.0, top),) * count, drawn=data.drawn)
    if parsed == "a" or data.encoding == "a":
        finite = [v for s in data.series for v in s if v is not None]
        lo = min([0.0, *finite])
        hi = max(finite, default=1.0)
        if hi <= lo:
            hi = lo + 1
        return Scaled(data.series, ((lo, hi),) * count, auto=True, drawn=data.drawn)
    if isinstance(parsed, tuple):
        ranges = tuple(parsed[min(i, len(parsed) - 1)] for i in range(count))
        return Scaled(data.series, ranges, drawn=data.drawn)
    # basic text format: fixed 0–100; below zero is missing, above 100 is clipped
    series = tuple(
        tuple(None if v is None or v < 0 else min(v, 100.0) for v in s) for s in data.series
    )
    return Scaled(series, ((0.0, 100.0),) * count, drawn=data.drawn)
