"""``cht=map`` (and the legacy ``cht=t`` + ``chtm``) → :class:`MapChartSpec`.

Google's map charts: ``chld`` names the regions (ISO 3166-1 alpha-2 countries,
``US-CA``-style first-level units; legacy ``cht=t`` runs two-letter codes
together), ``chd`` optionally gives each a value, and ``chco`` is the default
colour followed by the region colours (no ``chd``) or the gradient (with
``chd``). ``cht=map:fixed=S,W,N,E`` fixes the view; ``cht=map:auto=B,L,T,R``
pads the automatic fit by that many degrees. Maps are at most 600×600 and
300,000 pixels (legacy maps 440×220), Google's limits.
"""

from __future__ import annotations

from chartographer.charts.google.data import decode_chd, scale
from chartographer.charts.google.errors import GoogleChartError
from chartographer.charts.google.query import GoogleQuery
from chartographer.charts.special.choropleth import MapChartSpec, feature_for, main_bbox
from chartographer.errors import LimitExceeded
from chartographer.formats import ImageFormat

WORLD = (-180.0, -58.0, 180.0, 84.0)
#: legacy ``chtm`` areas: west, south, east, north
AREAS = {
    "world": WORLD,
    "africa": (-20.0, -36.0, 55.0, 38.0),
    "asia": (25.0, -12.0, 150.0, 60.0),
    "europe": (-25.0, 34.0, 45.0, 71.0),
    "middle_east": (25.0, 12.0, 65.0, 43.0),
    "south_america": (-85.0, -56.0, -33.0, 13.0),
    "usa": (-125.0, 24.0, -66.0, 50.0),
}
DEFAULT = "#BEBEBE"
GRADIENT = ("#EDF0D4", "#13390A")  # Google's legacy default, pale to dark green
MAX_REGIONS = 400
IGNORED = ("chtt", "chdl", "chm", "chma")


def map_spec(query: GoogleQuery, cht: str, variant: str, fmt: ImageFormat) -> MapChartSpec:
    """Read a map chart query; fatal problems are 400s naming the parameter."""
    if fmt is ImageFormat.svg:
        raise GoogleChartError("chof: map charts are drawn as png, gif, webp or jpg", param="chof")
    width, height = _size(query, legacy=cht == "t")
    codes = _codes(query, legacy=cht == "t")
    known = [c for c in codes if feature_for(c) is not None]
    for code in codes:
        if code not in known:
            query.warn(f"chld: {code[:10]!r} is not in the boundary data; not drawn")
    if not known:
        raise GoogleChartError(
            "chld: no region to colour; give ISO 3166-1 codes (FR|DE) or US states (US-CA)",
            param="chld",
        )
    palette = [c for c in (query.color(p, "chco") for p in _split(query.get("chco"))) if c]
    default = palette[0] if palette else DEFAULT
    colors = _region_colors(query, codes, palette[1:])
    for name in IGNORED:
        if query.get(name):
            query.warn(f"{name}: not drawn on map charts; ignored")
    return MapChartSpec(
        width=width,
        height=height,
        regions=tuple(
            (code, color)
            for code, color in zip(codes, colors, strict=True)
            if code in known and color is not None
        ),
        default_color=default,
        background=_background(query, legacy=cht == "t"),
        bounds=_bounds(query, cht, variant, known),
        format=fmt,
    )


def _size(query: GoogleQuery, *, legacy: bool) -> tuple[int, int]:
    width, height = query.size()
    most = (440, 220) if legacy else (600, 600)
    for value, limit in ((width, most[0]), (height, most[1])):
        if value > limit:
            raise LimitExceeded(
                f"chs: {width}x{height} exceeds the map limit of {most[0]}x{most[1]}", param="chs"
            )
    return width, height


def _split(text: str | None) -> list[str]:
    return [p for p in (text or "").replace("|", ",").split(",") if p.strip()]


def _codes(query: GoogleQuery, *, legacy: bool) -> list[str]:
    raw = (query.get("chld") or "").strip().upper()
    if not raw:
        raise GoogleChartError("chld: the regions are missing, e.g. chld=FR|DE", param="chld")
    if legacy:  # two-letter codes run together; with chtm=usa they are states
        usa = (query.get("chtm") or "").strip().lower() == "usa"
        codes = [raw[i : i + 2] for i in range(0, len(raw) - 1, 2)]
        codes = [f"US-{c}" if usa else c for c in codes]
    else:
        codes = [c.strip() for c in raw.split("|") if c.strip()]
    if len(codes) > MAX_REGIONS:
        raise LimitExceeded(
            f"chld: {len(codes)} regions exceeds the limit of {MAX_REGIONS}", param="chld"
        )
    return codes


def _region_colors(query: GoogleQuery, codes: list[str], colors: list[str]) -> list[str | None]:
    """Each region's fill: from its ``chd`` value along the gradient, or by position."""
    gradient = colors or list(GRADIENT)
    chd = query.get("chd")
    if not chd:
        if len(colors) >= len(codes) or len(colors) == 1:
            return [colors[min(i, len(colors) - 1)] for i in range(len(codes))]
        n = len(codes)
        return [blend(gradient, i / (n - 1) if n > 1 else 1.0) for i in range(n)]
    scaled = scale(decode_chd(chd, MAX_REGIONS), query.get("chds"), query.warnings)
    values = scaled.series[0] if scaled.series else ()
    lo, hi = scaled.ranges[0] if scaled.ranges else (0.0, 100.0)
    if len(values) < len(codes):
        query.warn(f"chd: {len(values)} values for {len(codes)} regions; the rest use the default")
    out: list[str | None] = []
    for i in range(len(codes)):
        value = values[i] if i < len(values) else None
        out.append(None if value is None else blend(gradient, (value - lo) / (hi - lo or 1)))
    return out


def blend(stops: list[str], t: float) -> str:
    """The colour at ``t`` (0–1) along evenly spaced gradient stops."""
    if len(stops) == 1:
        return stops[0]
    t = min(max(t, 0.0), 1.0) * (len(stops) - 1)
    i = min(int(t), len(stops) - 2)
    f = t - i
    a, b = stops[i], stops[i + 1]
    mix = [round(int(a[k : k + 2], 16) * (1 - f) + int(b[k : k + 2], 16) * f) for k in (1, 3, 5)]
    return "#" + "".join(f"{v:02X}" for v in mix)


def _background(query: GoogleQuery, *, legacy: bool) -> str:
    fills = (query.get("chf") or "").split("|")
    for fill in fills:
        parts = fill.split(",")
        if len(parts) >= 3 and parts[0] == "bg" and parts[1] == "s":
            color = query.color(parts[2], "chf")
            if color:
                return color
        elif fill:
            query.warn("chf: map charts take a solid background only (bg,s,RRGGBB); ignored")
    return "#EAF7FE" if legacy else "#FFFFFF"


def _numbers(text: str, what: str) -> tuple[float, float, float, float]:
    try:
        values = tuple(float(v) for v in text.split(","))
    except ValueError:
        values = ()
    if len(values) != 4 or any(v != v or abs(v) > 1000 for v in values):
        raise GoogleChartError(
            f"cht: map:{what} needs four numbers, e.g. map:{what}=0,0,0,0", param="cht"
        )
    return values[0], values[1], values[2], values[3]


def _bounds(
    query: GoogleQuery, cht: str, variant: str, codes: list[str]
) -> tuple[float, float, float, float]:
    if cht == "t":
        area = (query.get("chtm") or "world").strip().lower()
        if area not in AREAS:
            raise GoogleChartError(
                f"chtm: {area[:20]!r} must be one of {', '.join(AREAS)}", param="chtm"
            )
        return AREAS[area]
    name, _, args = variant.partition("=")
    if name == "fixed":
        south, west, north, east = _numbers(args, "fixed")
        if not (-90 <= south < north <= 90 and -180 <= west < east <= 540):
            raise GoogleChartError(
                "cht: map:fixed=south,west,north,east needs south < north and west < east",
                param="cht",
            )
        return west, south, east, north
    pad = (0.0, 0.0, 0.0, 0.0)
    if name == "auto":
        pad = _numbers(args, "auto")
    elif name:
        raise GoogleChartError(
            f"cht: map:{name[:10]} is not understood; use map:fixed= or map:auto=", param="cht"
        )
    boxes = []
    for code in codes:
        feature = feature_for(code)
        if feature is not None:
            boxes.append(main_bbox(feature))
    bottom, left, top, right = pad
    west = max(-180.0, min(b[0] for b in boxes) - left)
    south = max(-85.0, min(b[1] for b in boxes) - bottom)
    east = min(180.0, max(b[2] for b in boxes) + right)
    north = min(85.0, max(b[3] for b in boxes) + top)
    return west, south, east, north
