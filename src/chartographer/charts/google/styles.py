"""Styling parameters: ``chf`` fills, ``chm`` markers, ``chls``, ``chg``, ``chbh``, ``chma``.

Each parser is forgiving in Google's way: a part it cannot read is skipped
with a warning, and the chart still renders.
"""

from __future__ import annotations

import math
import re

from chartographer.charts.google.query import GoogleQuery
from chartographer.charts.styling import Fill, Grid, Marker

_SHAPES = {"o", "s", "d", "x", "c", "h", "v", "V", "C", "a"}
_NUMBER_FORMAT = re.compile(r"^N(?:(.*?)\*([fpec])([A-Z]{3})?(\d*)(z?)[xy]?\*(.*))?$", re.DOTALL)


def parse_fills(query: GoogleQuery) -> dict[str, Fill]:
    """``chf``: fills keyed by area (``bg``, ``c``, ``b<n>``)."""
    raw = query.get("chf")
    fills: dict[str, Fill] = {}
    if not raw:
        return fills
    for part in raw.split("|"):
        fields = part.split(",")
        if len(fields) < 3:
            query.warn(f"chf: {part[:30]!r} needs <area>,<s|lg|ls>,…; ignored")
            continue
        area, kind = fields[0], fields[1]
        fill = _one_fill(query, kind, fields[2:])
        if fill is None:
            continue
        if area in ("bg", "c", "a") or re.fullmatch(r"b\d+", area):
            fills[area] = fill
        else:
            query.warn(f"chf: fill area {area!r} is not supported (bg, c, a, b<n>); ignored")
    return fills


def _one_fill(query: GoogleQuery, kind: str, fields: list[str]) -> Fill | None:
    if kind == "s":
        color = query.color(fields[0], "chf")
        return Fill(kind="solid", colors=(color,)) if color else None
    if kind not in ("lg", "ls"):
        query.warn(f"chf: fill type {kind!r} is not s, lg or ls; ignored")
        return None
    angle = query.number(fields[0], "chf", 0.0)
    pairs = fields[1:]
    colors: list[str] = []
    stops: list[float] = []
    for color_text, stop_text in zip(pairs[::2], pairs[1::2], strict=False):
        color = query.color(color_text, "chf")
        if color is None:
            continue
        colors.append(color)
        stops.append(min(max(query.number(stop_text, "chf", 0.0), 0.0), 1.0))
    if len(colors) < (2 if kind == "lg" else 1):
        query.warn(f"chf: a {kind} fill needs colour,offset pairs; ignored")
        return None
    if kind == "ls" and sum(stops) <= 0:
        query.warn("chf: stripe widths must be above 0; ignored")
        return None
    return Fill(
        kind="gradient" if kind == "lg" else "stripes",
        colors=tuple(colors),
        stops=tuple(stops),
        angle=angle,
    )


def parse_points(query: GoogleQuery, text: str) -> tuple[int, int, int] | None:
    """Which points a marker applies to: ``-1`` all, ``n``, ``-n`` every n-th, ``a:b:n``."""
    text = text.strip()
    if text == "":  # an empty which-points field means every point (chm=N,000000,0,,10)
        return (0, -1, 1)
    if ":" in text:
        parts = [*text.split(":"), "", ""][:3]
        start = int(query.number(parts[0], "chm", 0))
        end = int(query.number(parts[1], "chm", -1))
        step = max(1, int(query.number(parts[2], "chm", 1)))
        return (max(start, 0), end, step)
    value = query.number(text, "chm", math.nan)
    if math.isnan(value):
        return None
    n = int(value)
    if n == -1:
        return (0, -1, 1)
    if n < -1:
        return (0, -1, -n)
    return (n, n, 1)


def parse_markers(query: GoogleQuery, series_count: int) -> tuple[Marker, ...]:
    """``chm``: fills, value labels, lines, text and shapes on series."""
    raw = query.get("chm")
    if not raw:
        return ()
    markers = []
    for part in raw.split("|")[:200]:
        marker = _one_marker(query, part, series_count)
        if marker is not None:
            markers.append(marker)
    return tuple(markers)


def _one_marker(query: GoogleQuery, part: str, series_count: int) -> Marker | None:
    fields = part.split(",")
    head = fields[0]
    if len(fields) < 4 or head == "":
        query.warn(f"chm: {part[:30]!r} needs type,colour,series,points[,size]; ignored")
        return None
    kind = head[0]
    # F and E take Google's default colour when the field is empty (chm=F,,1,1:4,20)
    color = "#000000" if fields[1] == "" and kind in "FE" else query.color(fields[1], "chm")
    if color is None:
        return None
    if kind in "rR" and len(head) == 1:
        start = query.number(fields[3], "chm", 0.0)
        end = query.number(fields[4] if len(fields) > 4 else "", "chm", start + 0.01)
        return Marker(type=kind, color=color, series=0, band=(start, end))
    size_text, _, span_text = (fields[4] if len(fields) > 4 else "").partition(":")
    size = query.number(size_text, "chm", 5.0) if size_text else 5.0
    above = not (len(fields) > 5 and query.number(fields[5], "chm", 0.0) < 0)
    at = _position(query, fields[3]) if fields[3].strip().startswith("@") else None
    if fields[3].strip().startswith("@"):
        if at is None:
            return None
        if not (head in _SHAPES or kind in "tfA"):
            query.warn(f"chm: @ positions are for shape and text markers, not {head[:10]!r}")
            return None
        text = head[1:] if kind in "tfA" else ""
        size = min(max(size, 0.5), 100.0)
        kind_name = kind if kind in "tfA" else head
        return Marker(type=kind_name, color=color, series=0, size=size, text=text, at=at)
    digits = re.match(r"^\s*-?\d+", fields[2])  # bvg's "0:1" names a series, then a bar
    series = int(digits.group(0)) if digits else -1
    needs = {"F": 4, "E": 2}.get(kind if len(head) == 1 else "", 1)
    if not 0 <= series <= series_count - needs:
        query.warn(f"chm: series {fields[2][:10]!r} does not exist; marker {head[:10]!r} ignored")
        return None
    if kind in "bB" and len(head) == 1:
        other = int(query.number(fields[3], "chm", series)) if kind == "b" else None
        if other is not None and not 0 <= other < series_count:
            query.warn(f"chm: b fill towards missing series {other}; ignored")
            return None
        return Marker(type=kind, color=color, series=series, other=other)
    points = parse_points(query, fields[3])
    if points is None:
        return None
    size = min(max(size, 0.5), 100.0)
    base = Marker(type=head, color=color, series=series, points=points, size=size, above=above)
    if kind == "N":
        return base.model_copy(update={"type": "N", "number": _number_format(query, head)})
    if kind == "D" and len(head) == 1:
        return Marker(type="D", color=color, series=series, size=size, above=above)
    if kind in "tfA":
        return base.model_copy(update={"type": kind, "text": head[1:]})
    if head in ("E", "H", "F"):
        # E: <line width>:<cap width>; H: <line width>:<length>; F: the box width
        default_span = {"E": 6.0, "H": 10.0, "F": 0.0}[head]
        span = query.number(span_text, "chm", default_span) if span_text else default_span
        width = size if size_text else (5.0 if head == "F" else 1.0)
        return base.model_copy(update={"size": width, "span": min(max(span, 0.0), 500.0)})
    if head in _SHAPES:
        return base
    query.warn(f"chm: marker type {head[:10]!r} is not supported; ignored")
    return None


def _position(query: GoogleQuery, text: str) -> tuple[float, float] | None:
    """``@x:y``: fractions 0–1 of the plot from its bottom left corner."""
    x_text, _, y_text = text.strip()[1:].partition(":")
    x = query.number(x_text, "chm", math.nan)
    y = query.number(y_text, "chm", math.nan)
    if math.isnan(x) or math.isnan(y):
        query.warn(f"chm: {text[:20]!r} is not an @x:y position (fractions 0-1); ignored")
        return None
    return (min(max(x, -0.5), 1.5), min(max(y, -0.5), 1.5))


def _number_format(query: GoogleQuery, head: str) -> tuple[str, str, int, str]:
    match = _NUMBER_FORMAT.match(head)
    if match is None:
        query.warn(f"chm: number format {head[:20]!r} not understood; plain numbers used")
        return ("", "", -1, "")
    prefix, kind, currency, places, _zeros, suffix = match.groups()
    if kind is None:
        return ("", "", -1, "")
    if kind == "c":
        prefix = (prefix or "") + {"EUR": "€", "USD": "$", "GBP": "£", "JPY": "¥"}.get(
            currency or "", (currency or "") + " "
        )
    return (prefix or "", kind, int(places) if places else -1, suffix or "")


def parse_line_styles(query: GoogleQuery) -> list[tuple[float, tuple[float, ...] | None]]:
    """``chls``: (width in points, dash pattern in line widths) per series."""
    raw = query.get("chls")
    styles: list[tuple[float, tuple[float, ...] | None]] = []
    if not raw:
        return styles
    for part in raw.split("|"):
        fields = part.split(",")
        width_px = min(max(query.number(fields[0], "chls", 2.0), 0.0), 50.0)
        width = width_px * 0.72 or 0.1
        dash = None
        if len(fields) > 1:
            on = min(max(query.number(fields[1], "chls", 1.0), 0.0), 500.0)
            off = min(
                max(query.number(fields[2] if len(fields) > 2 else "", "chls", 0.0), 0.0), 500.0
            )
            if on > 0 and off > 0:
                dash = (on * 0.72 / width, off * 0.72 / width)
        styles.append((width, dash))
    return styles


def parse_grid(query: GoogleQuery) -> Grid | None:
    """``chg``: x step, y step (percent), dash, space, x offset, y offset."""
    raw = query.get("chg")
    if not raw:
        return None
    fields = [*raw.split(","), "", "", "", "", ""]
    values = [query.number(fields[i], "chg", d) for i, d in enumerate((0, 0, 4, 1, 0, 0))]
    x_step, y_step = (min(max(v, 0.0), 100.0) for v in values[:2])
    if x_step < 0.5 and y_step < 0.5:
        return None
    return Grid(
        x_step=x_step,
        y_step=y_step,
        dash=min(max(values[2], 0.0), 100.0),
        space=min(max(values[3], 0.0), 100.0),
        x_offset=values[4] % 100,
        y_offset=values[5] % 100,
    )


def parse_bar_group(query: GoogleQuery, series: int, bars: int, slot_room: float) -> float:
    """``chbh`` as the share of each category slot that its bars fill."""
    raw = query.get("chbh")
    fields = [*(raw or "").split(","), "", ""]
    mode = fields[0].strip().lower()
    gap = query.number(fields[1], "chbh", 4.0 if mode != "r" else 0.0)
    group_gap = query.number(fields[2], "chbh", 8.0 if mode != "r" else gap)
    gap, group_gap = max(gap, 0.0), max(group_gap, 0.0)
    slot = max(slot_room / max(bars, 1), 1.0)
    if mode == "r":
        group = series + (series - 1) * gap
        share = group / max(group + group_gap, 1e-9)
    elif mode == "a":
        share = 1 - group_gap / slot
    else:
        width = min(max(query.number(mode, "chbh", 23.0), 1.0), 1000.0)
        share = (series * width + (series - 1) * gap) / slot
    return min(max(share, 0.05), 0.98)


def parse_bar_pixels(query: GoogleQuery) -> tuple[float, float, float] | None:
    """``chbh=<width|a>,<bar gap>,<group gap>`` in pixels (``r`` is relative: ``None``).

    Google's defaults: 23 px bars, 4 px between bars, 8 px between groups; ``a``
    fits the bar width to the plot (width 0 here).
    """
    raw = query.get("chbh")
    fields = [*(raw or "").split(","), "", ""]
    mode = fields[0].strip().lower()
    if not raw or mode == "r":
        return None
    gap = min(max(query.number(fields[1], "chbh", 4.0), 0.0), 1000.0)
    group_gap = min(max(query.number(fields[2], "chbh", 8.0), 0.0), 1000.0)
    width = 0.0 if mode == "a" else min(max(query.number(mode, "chbh", 23.0), 1.0), 1000.0)
    return (width, gap, group_gap)


def parse_margins(query: GoogleQuery) -> tuple[int, int, int, int]:
    """``chma``: left, right, top, bottom margins in pixels (the legend size part is
    read by :func:`parse_legend`)."""
    raw = query.get("chma")
    if not raw:
        return (0, 0, 0, 0)
    fields = [*raw.split("|")[0].split(","), "", "", ""]
    left, right, top, bottom = (
        int(min(max(query.number(fields[i], "chma", 0.0), 0.0), 400.0)) for i in range(4)
    )
    return (left, right, top, bottom)


def parse_legend(query: GoogleQuery, count: int) -> dict[str, object]:
    """``chdlp`` order (``|l`` as given, ``|r`` reversed, ``|a`` automatic, ``|0,2,1``),
    ``bv``/``tv`` stacking, ``chdls=<colour>,<size>`` and ``chma``'s legend size for
    ``count`` legend entries."""
    out: dict[str, object] = {}
    parts = (query.get("chdlp") or "").split("|")
    if parts[0].strip() in ("bv", "tv"):  # below or above the chart, one entry per row
        out["legend_vertical"] = True
    box = (query.get("chma") or "").split("|")
    if len(box) > 1 and box[1].strip():  # chma=…|<legend width>,<legend height>
        sizes = [*box[1].split(","), ""]
        out["legend_box"] = tuple(
            int(min(max(query.number(sizes[i], "chma", 0.0), 0.0), 1000.0)) for i in range(2)
        )
    order = parts[1].strip() if len(parts) > 1 else ""
    if order == "r":
        out["legend_order"] = tuple(range(count - 1, -1, -1))
    elif order not in ("", "l", "a"):
        picked = []
        for text in order.split(","):
            index = int(query.number(text, "chdlp", -1.0))
            if 0 <= index < count and index not in picked:
                picked.append(index)
            else:
                query.warn(f"chdlp: {text[:10]!r} is not a legend entry index; ignored")
        out["legend_order"] = tuple(picked)
    style = (query.get("chdls") or "").split(",")
    if style[0]:
        out["legend_color"] = query.color(style[0], "chdls")
    if len(style) > 1 and style[1]:
        out["legend_size"] = min(max(query.number(style[1], "chdls", 11.0), 4.0), 72.0) * 0.72
    return out
