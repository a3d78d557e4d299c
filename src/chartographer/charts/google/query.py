"""The raw Google query: parameter lookup, colours, sizes and collected warnings."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from chartographer.charts.google.errors import GoogleChartError
from chartographer.charts.spec import parse_color
from chartographer.errors import InvalidParameter, LimitExceeded

#: Google's own colours: orange first, as the old charts looked
GOOGLE_PALETTE = (
    "#FF9900",
    "#3366CC",
    "#DC3912",
    "#109618",
    "#990099",
    "#0099C6",
    "#DD4477",
    "#66AA00",
    "#B82E2E",
    "#316395",
)
MAX_TEXT = 2000
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_BREAKS = re.compile(r"[\t\n\r]")


@dataclass
class GoogleQuery:
    """Parameters as sent (the last value wins, as on Google) and the warnings so far."""

    params: Mapping[str, str]
    max_side: int = 1000
    max_pixels: int = 300_000
    max_points: int = 10_000
    max_series: int = 24
    warnings: list[str] = field(default_factory=list)

    @classmethod
    def from_pairs(cls, pairs: Sequence[tuple[str, str]], **limits: Any) -> GoogleQuery:
        params: dict[str, str] = {}
        for key, value in pairs:
            if len(value) > 64_000:
                raise LimitExceeded(f"{key}: value longer than 64000 characters", param=key)
            # control characters draw as missing glyphs; DOT and TeX in chl keep line breaks
            value = _CONTROL.sub("", value if key == "chl" else _BREAKS.sub(" ", value))
            params[key] = value
        return cls(params, **limits)

    def get(self, name: str) -> str | None:
        value = self.params.get(name)
        return None if value is None else value

    def text(self, name: str) -> str | None:
        """A label text: ``None`` when absent or empty, refused when too long."""
        value = self.params.get(name)
        if value is None or value == "":
            return None
        if len(value) > MAX_TEXT:
            raise LimitExceeded(
                f"{name}: {len(value)} characters exceeds the limit of {MAX_TEXT}", param=name
            )
        return value

    def warn(self, message: str) -> None:
        if message not in self.warnings:
            self.warnings.append(message)

    def size(self, default: tuple[int, int] | None = None) -> tuple[int, int]:
        """``chs=WxH`` within Google's limits (or the operator's)."""
        raw = self.params.get("chs")
        if raw is None or raw.strip() == "":
            if default is not None:
                return default
            raise GoogleChartError(
                "chs: missing; give the size as WIDTHxHEIGHT, e.g. chs=300x200", param="chs"
            )
        parts = raw.lower().split("x")
        try:
            width, height = (int(p) for p in parts) if len(parts) == 2 else (0, 0)
        except ValueError:
            width = height = 0
        if width <= 0 or height <= 0:
            raise GoogleChartError(
                f"chs: {raw[:20]!r} is not WIDTHxHEIGHT, e.g. chs=300x200", param="chs"
            )
        for value in (width, height):
            if value > self.max_side:
                raise LimitExceeded(
                    f"chs: {value} px exceeds the limit of {self.max_side} px a side", param="chs"
                )
            if value < 16:
                raise InvalidParameter(
                    f"chs: {value} px is below the minimum of 16 px", param="chs"
                )
        if width * height > self.max_pixels:
            raise LimitExceeded(
                f"chs: {width}x{height} = {width * height} pixels exceeds the limit of "
                f"{self.max_pixels} pixels",
                param="chs",
            )
        return width, height

    def color(self, text: str, param: str) -> str | None:
        """One colour, or ``None`` with a warning when it cannot be read."""
        try:
            return parse_color(text, param)
        except InvalidParameter:
            self.warn(f"{param}: {text[:20]!r} is not a colour (RRGGBB[AA]); ignored")
            return None

    def colors(self) -> tuple[tuple[str, ...], ...]:
        """``chco``: series separated by commas, elements of a series by ``|``."""
        raw = self.params.get("chco")
        if not raw:
            return ()
        out = []
        for group in raw.split(","):
            shades = tuple(c for c in (self.color(p, "chco") for p in group.split("|") if p) if c)
            if shades:
                out.append(shades)
        return tuple(out)

    def number(self, text: str, param: str, default: float) -> float:
        """A number in a styling list; a bad one warns and takes the default."""
        try:
            value = float(text)
        except ValueError:
            if text.strip() != "":
                self.warn(f"{param}: {text[:20]!r} is not a number; ignored")
            return default
        if value != value or abs(value) > 1e9:
            self.warn(f"{param}: {text[:20]!r} is out of range; ignored")
            return default
        return value

    def labels(self, name: str) -> tuple[str, ...]:
        value = self.text(name)
        return tuple(value.split("|")) if value is not None else ()
