"""Parameters shared by both front doors → a resolved, limit-checked :class:`MapSpec`.

A request is first parsed into a :class:`MapDraft` whose locations may still be
place names; the service geocodes those, then :func:`build_spec` resolves them
(warning about the ones it could not), fits the viewport when centre or zoom is
missing, and checks every documented limit.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

from chartographer.config import Settings
from chartographer.errors import InvalidParameter, LimitExceeded
from chartographer.maps.geo import MAX_LAT, MAX_ZOOM, LatLng, fit
from chartographer.maps.geocode import Place
from chartographer.maps.spec import MapFormat, MapPath, MapSpec, Marker, MarkerSize
from chartographer.usertext import is_one_line

#: a place name, or a coordinate pair already parsed
Location = LatLng | str

SCALES = (1, 2, 4)
MAX_LABEL = 24
MAX_IMPLICIT_ZOOM = 17
#: the zoom of a map with a centre and nothing else (no zoom, no overlays to fit)
DEFAULT_ZOOM = 10
#: Google's own largest image (640×640 at scale 4) is always allowed
GOOGLE_MAX_PIXELS = 2560 * 2560

GOOGLE_COLORS = {
    "black": "#000000",
    "brown": "#A52A2A",
    "green": "#00A000",
    "purple": "#800080",
    "yellow": "#FFD700",
    "blue": "#1E64F0",
    "gray": "#808080",
    "grey": "#808080",
    "orange": "#FF8C00",
    "red": "#E53935",
    "white": "#FFFFFF",
}
_HEX = re.compile(r"^(?:0x|#)?([0-9a-fA-F]{6})([0-9a-fA-F]{2})?$")
_LATLNG = re.compile(
    r"^\s*([-+]?\d+(?:\.\d*)?|[-+]?\.\d+)\s*,\s*([-+]?\d+(?:\.\d*)?|[-+]?\.\d+)\s*$"
)


@dataclass(frozen=True)
class MapLimits:
    max_size: int
    max_pixels: int
    max_markers: int
    max_path_points: int
    max_places: int

    @classmethod
    def from_settings(cls, settings: Settings) -> MapLimits:
        return cls(
            max_size=settings.maps_max_size,
            max_pixels=max(settings.max_pixels, GOOGLE_MAX_PIXELS),
            max_markers=settings.maps_max_markers,
            max_path_points=settings.maps_max_path_points,
            max_places=settings.maps_max_places,
        )


@dataclass
class MarkerGroup:
    locations: list[Location]
    color: str = "#E53935"
    size: MarkerSize = "normal"
    label: str | None = None
    anchor: str = "bottom"
    icon: str | None = None


@dataclass
class PathDraft:
    points: list[Location]
    color: str = "#0000FFBF"
    weight: float = 5.0
    fill: str | None = None
    geodesic: bool = False
    closed: bool = False
    #: inner rings cut out of a filled polygon (GeoJSON)
    holes: list[list[Location]] = field(default_factory=list)


@dataclass
class MapDraft:
    width: int
    height: int
    scale: int = 1
    format: MapFormat = MapFormat.png
    source: str = "default"
    center: Location | None = None
    zoom: int | None = None
    padding: int | None = None
    markers: list[MarkerGroup] = field(default_factory=list)
    paths: list[PathDraft] = field(default_factory=list)
    visible: list[Location] = field(default_factory=list)
    styles: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def places(self) -> list[str]:
        """Every place name that needs geocoding, in order of first appearance."""
        names: list[str] = []
        candidates: list[Location] = [self.center] if self.center is not None else []
        for group in self.markers:
            candidates += group.locations
        for path in self.paths:
            candidates += path.points
        candidates += self.visible
        for loc in candidates:
            if isinstance(loc, str) and loc not in names:
                names.append(loc)
        return names


# --- small parsers -----------------------------------------------------------------


def parse_color(text: str, param: str, *, alpha: bool = False) -> str:
    """``0xRRGGBB[AA]``, ``#RRGGBB`` or a colour name → ``#RRGGBB`` (``#RRGGBBAA`` if alpha)."""
    value = text.strip()
    named = GOOGLE_COLORS.get(value.lower())
    if named is not None:
        return named + ("FF" if alpha else "")
    match = _HEX.match(value)
    if match is None or (match.group(2) and not alpha):
        allowed = "0xRRGGBBAA" if alpha else "0xRRGGBB"
        raise InvalidParameter(
            f"{param}: {text[:40]!r} is not a colour; use {allowed} or one of "
            + ", ".join(sorted(GOOGLE_COLORS)),
            param=param,
        )
    rgb = "#" + match.group(1).upper()
    return rgb + (match.group(2) or "FF").upper() if alpha else rgb


def parse_latlng(text: str) -> LatLng | None:
    """``"lat,lng"`` → a pair, ``None`` when the text is not a coordinate pair."""
    match = _LATLNG.match(text)
    if match is None:
        return None
    return float(match.group(1)), float(match.group(2))


def check_latlng(lat: float, lng: float, param: str) -> LatLng:
    if not (math.isfinite(lat) and math.isfinite(lng)) or abs(lat) > 90 or abs(lng) > 180:
        raise InvalidParameter(
            f"{param}: {lat:g},{lng:g} is outside latitude −90…90 / longitude −180…180",
            param=param,
        )
    return lat, lng


def parse_location(text: str, param: str) -> Location:
    pair = parse_latlng(text)
    if pair is not None:
        return check_latlng(*pair, param)
    place = text.strip()
    if not place or len(place) > 200:
        raise InvalidParameter(
            f"{param}: expected 'lat,lng' or a place name of 1–200 characters", param=param
        )
    return place


def parse_scale(value: int | str, param: str = "scale") -> int:
    try:
        scale = int(value)
    except ValueError:
        scale = 0
    if scale not in SCALES:
        raise InvalidParameter(f"{param}: {str(value)[:20]!r} must be 1, 2 or 4", param=param)
    return scale


def parse_format(value: str, param: str = "format") -> MapFormat:
    try:
        return MapFormat(value.strip().lower())
    except ValueError:
        names = ", ".join(f.value for f in MapFormat)
        raise InvalidParameter(
            f"{param}: {value[:20]!r} is not a format; use one of {names}", param=param
        ) from None


def parse_zoom(value: int | str, param: str = "zoom") -> int:
    try:
        zoom = int(value)
    except ValueError:
        zoom = -1
    if not 0 <= zoom <= MAX_ZOOM:
        raise InvalidParameter(
            f"{param}: {str(value)[:20]!r} must be a whole number from 0 to {MAX_ZOOM}",
            param=param,
        )
    return zoom


def check_size(width: int, height: int, limits: MapLimits, scale: int, param: str) -> None:
    for name, value in (("width", width), ("height", height)):
        where = f"{param}: {name}" if param else name
        if value < 1:
            raise InvalidParameter(f"{where} must be at least 1 px", param=param or name)
        if value > limits.max_size:
            raise LimitExceeded(
                f"{where} {value} px exceeds the limit of {limits.max_size} px",
                param=param or name,
            )
    pixels = width * height * scale * scale
    if pixels > limits.max_pixels:
        raise LimitExceeded(
            f"{param or 'width×height'}: {pixels} pixels after scale exceeds the limit of "
            f"{limits.max_pixels}",
            param=param or "width",
        )


def check_label(label: str, param: str) -> str:
    if len(label) > MAX_LABEL:
        raise LimitExceeded(
            f"{param}: label of {len(label)} characters exceeds the limit of {MAX_LABEL}",
            param=param,
        )
    if not is_one_line(label):
        raise InvalidParameter(
            f"{param}: a label is one line of text; control characters and line breaks "
            "are not allowed",
            param=param,
        )
    return label


# --- resolving and fitting -----------------------------------------------------------


def _resolve(
    loc: Location, places: dict[str, Place | None], what: str, warnings: list[str]
) -> LatLng | None:
    if not isinstance(loc, str):
        return loc
    place = places.get(loc)
    if place is None:
        warnings.append(f"{what}: could not find the place {loc[:60]!r}; skipped")
        return None
    if not place.exact:
        warnings.append(f"{what}: {loc[:60]!r} placed approximately at {place.name[:60]}")
    return place.lat, place.lng


def build_spec(
    draft: MapDraft,
    places: dict[str, Place | None],
    limits: MapLimits,
    *,
    attribution: str,
    marker_param: str = "markers",
    path_param: str = "path",
    size_param: str = "size",
) -> MapSpec:
    """Resolve places, fit the viewport and check limits: a draft becomes a spec.

    ``size_param=""`` (the native API) names ``width``/``height`` themselves.
    """
    check_size(draft.width, draft.height, limits, draft.scale, size_param)
    warnings = list(draft.warnings)
    markers: list[Marker] = []
    for group in draft.markers:
        for loc in group.locations:
            point = _resolve(loc, places, marker_param, warnings)
            if point is not None:
                markers.append(
                    Marker(
                        lat=point[0],
                        lng=point[1],
                        color=group.color,
                        size=group.size,
                        label=group.label,
                        anchor=group.anchor,
                        icon=group.icon,
                    )
                )
    if len(markers) > limits.max_markers:
        raise LimitExceeded(
            f"{marker_param}: {len(markers)} markers exceeds the limit of {limits.max_markers}",
            param=marker_param,
        )
    paths: list[MapPath] = []
    total = 0
    for draft_path in draft.paths:
        resolved = [_resolve(p, places, path_param, warnings) for p in draft_path.points]
        points = [p for p in resolved if p is not None]
        total += len(points)
        if len(points) < 2:
            warnings.append(f"{path_param}: a path needs at least two locations; skipped")
            continue
        if (draft_path.closed or draft_path.fill) and points[0] != points[-1]:
            points.append(points[0])
        holes = []
        for hole in draft_path.holes:
            ring = [q for q in (_resolve(h, places, path_param, warnings) for h in hole) if q]
            total += len(ring)
            if len(ring) >= 3:
                holes.append(tuple(ring))
        paths.append(
            MapPath(
                points=tuple(points),
                color=draft_path.color,
                weight=draft_path.weight,
                fill=draft_path.fill,
                geodesic=draft_path.geodesic,
                holes=tuple(holes),
            )
        )
    if total > limits.max_path_points:
        raise LimitExceeded(
            f"{path_param}: {total} points exceeds the limit of {limits.max_path_points}",
            param=path_param,
        )
    visible = [_resolve(v, places, "visible", warnings) for v in draft.visible]
    center = _resolve(draft.center, places, "center", warnings) if draft.center else None
    points = [(m.lat, m.lng) for m in markers] + [q for p in paths for q in p.points]
    points += [v for v in visible if v is not None]
    zoom = draft.zoom
    if center is None or zoom is None:
        if points:
            padding = draft.padding if draft.padding is not None else (40 if markers else 12)
            center, zoom = fit(
                points,
                draft.width,
                draft.height,
                padding=padding,
                zoom=zoom,
                center=center,
                max_zoom=MAX_IMPLICIT_ZOOM,
            )
        elif draft.center is None:
            raise InvalidParameter(
                "center: give center and zoom, or markers, path or visible locations to fit",
                param="center",
            )
        elif center is not None:  # a known centre without a zoom: Google's default view
            warnings.append(f"zoom: not given; zoom {DEFAULT_ZOOM} used")
            zoom = DEFAULT_ZOOM
        else:  # the centre was a place nobody knows: show the world rather than nothing
            warnings.append("center: unknown place; showing latitude 0, longitude 0")
            center, zoom = (0.0, 0.0), zoom if zoom is not None else 1
    lat = max(-MAX_LAT, min(MAX_LAT, center[0]))
    return MapSpec(
        width=draft.width,
        height=draft.height,
        scale=draft.scale,
        lat=lat,
        lng=center[1],
        zoom=zoom,
        format=draft.format,
        markers=tuple(markers),
        paths=tuple(paths),
        source=draft.source,
        attribution=attribution,
        styles=tuple(draft.styles),
        warnings=tuple(warnings),
    )
