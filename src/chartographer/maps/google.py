"""Google Static Maps URL syntax → :class:`MapDraft`.

``markers=size:mid|color:0xFFFF00|label:C|Tok,AK`` and
``path=weight:3|color:0xff0000cc|fillcolor:0xAACCEE|geodesic:true|enc:…`` (``enc:``
takes the rest of the value, which may itself contain ``|``). ``style`` rules are
kept: the built-in basemap draws them, other sources report them ignored; ``key``,
``signature``, ``sensor``, ``language`` and ``region`` are accepted and left to
the gateway (or have no effect on raster tiles).
"""

from __future__ import annotations

from collections.abc import Iterable

from chartographer.errors import InvalidParameter
from chartographer.maps.chart_icons import chart_icon
from chartographer.maps.params import (
    MapDraft,
    MarkerGroup,
    PathDraft,
    check_label,
    parse_color,
    parse_format,
    parse_location,
    parse_scale,
    parse_zoom,
)
from chartographer.maps.polyline import decode_polyline
from chartographer.maps.spec import MarkerSize
from chartographer.usertext import is_digits

MARKER_SIZES: tuple[MarkerSize, ...] = ("tiny", "small", "mid", "normal")
ANCHORS = (
    "top",
    "bottom",
    "left",
    "right",
    "center",
    "topleft",
    "topright",
    "bottomleft",
    "bottomright",
)
_MARKER_KEYS = {"size", "color", "label", "icon", "anchor", "scale"}
_PATH_KEYS = {"weight", "color", "fillcolor", "geodesic"}
#: accepted for compatibility; they do not change the image here
IGNORED = {"key", "signature", "sensor", "language", "region", "client", "channel", "map_id"}
KNOWN = {"center", "zoom", "size", "scale", "format", "maptype", "markers", "path", "visible"}
KNOWN |= {"style"} | IGNORED


def _style(token: str, keys: set[str]) -> tuple[str, str] | None:
    name, sep, value = token.partition(":")
    name = name.strip().lower()
    if sep and name in keys:
        return name, value.strip()
    return None


def parse_anchor(value: str, param: str) -> str:
    anchor = value.strip().lower()
    if anchor in ANCHORS:
        return anchor
    parts = anchor.split(",")
    if len(parts) == 2 and all(is_digits(p.strip()) and int(p) <= 512 for p in parts):
        return f"{int(parts[0])},{int(parts[1])}"
    raise InvalidParameter(
        f"{param}: anchor {value[:20]!r} must be x,y pixels (0–512) or one of "
        + ", ".join(ANCHORS),
        param=param,
    )


def parse_markers(
    value: str, icons: Iterable[str], param: str = "markers"
) -> tuple[MarkerGroup, list[str]]:
    """One ``markers=`` value: styles first, then locations (``|``-separated), and warnings."""
    group = MarkerGroup(locations=[])
    allowed = set(icons)
    warnings: list[str] = []
    for token in value.split("|"):
        if not token.strip():
            continue
        style = _style(token, _MARKER_KEYS)
        if style is None:
            group.locations.append(parse_location(token, param))
            continue
        name, arg = style
        if name == "size":
            if arg.lower() not in MARKER_SIZES:
                raise InvalidParameter(
                    f"{param}: size {arg[:20]!r} must be one of " + ", ".join(MARKER_SIZES),
                    param=param,
                )
            group.size = MARKER_SIZES[MARKER_SIZES.index(arg.lower())]
        elif name == "color":
            group.color = parse_color(arg, param)
        elif name == "label":
            group.label = check_label(arg, param) or None
        elif name == "anchor":
            group.anchor = parse_anchor(arg, param)
        elif name == "icon":
            if arg in allowed or chart_icon(arg, param) is not None:
                group.icon = arg  # allow-listed, or a Google chart icon URL drawn locally
            else:
                warnings.append(
                    f"{param}: icon {arg[:60]!r} is not on this server's allow-list; "
                    "default marker drawn"
                )
        # scale: a custom-icon resolution hint; icons here are drawn at the map's scale
    return group, warnings


def parse_path(value: str, param: str = "path", limit: int = 100_000) -> PathDraft:
    """One ``path=`` value: styles, then locations or ``enc:`` with the rest of the value."""
    path = PathDraft(points=[])
    rest = value
    while rest:
        token, _, rest = rest.partition("|")
        if token.startswith("enc:"):
            encoded = token[4:] + ("|" + rest if rest or value.endswith("|") else "")
            path.points.extend(decode_polyline(encoded.rstrip("|"), param, limit))
            break
        if not token.strip():
            continue
        if token.strip().lower() == "geodesic":  # bare flag, as some client libraries send
            path.geodesic = True
            continue
        style = _style(token, _PATH_KEYS)
        if style is None:
            path.points.append(parse_location(token, param))
            continue
        name, arg = style
        if name == "weight":
            path.weight = _parse_weight(arg, param)
        elif name == "color":
            path.color = parse_color(arg, param, alpha=True)
        elif name == "fillcolor":
            path.fill = parse_color(arg, param, alpha=True)
        else:
            path.geodesic = arg.lower() in ("true", "1", "yes", "")
    return path


def _parse_weight(arg: str, param: str) -> float:
    try:
        weight = float(arg)
    except ValueError:
        weight = -1.0
    if not 0 <= weight <= 50:
        raise InvalidParameter(
            f"{param}: weight {arg[:20]!r} must be a number from 0 to 50 (pixels)", param=param
        )
    return weight


def parse_size(value: str, param: str = "size") -> tuple[int, int]:
    width, sep, height = value.lower().partition("x")
    if not (sep and is_digits(width.strip()) and is_digits(height.strip())):
        raise InvalidParameter(
            f"{param}: {value[:30]!r} must be WIDTHxHEIGHT in pixels, e.g. 600x300", param=param
        )
    if len(width.strip()) > 6 or len(height.strip()) > 6:
        return 10**6, 10**6  # absurd sizes are a limit problem, reported by check_size
    return int(width), int(height)


def parse_google(
    items: Iterable[tuple[str, str]],
    *,
    maptypes: dict[str, str],
    icons: Iterable[str],
    path_limit: int,
) -> MapDraft:
    """Turn the (repeatable) query items of a Static Maps URL into a draft."""
    values: dict[str, list[str]] = {}
    for name, value in items:
        values.setdefault(name, []).append(value)
    if "size" not in values:
        raise InvalidParameter("size: required, e.g. size=600x300", param="size")
    width, height = parse_size(values["size"][-1])
    draft = MapDraft(width=width, height=height)
    if "scale" in values:
        draft.scale = parse_scale(values["scale"][-1])
    if "format" in values:
        draft.format = parse_format(values["format"][-1])
    if "zoom" in values:
        draft.zoom = parse_zoom(values["zoom"][-1])
    if values.get("center", [""])[-1].strip():
        draft.center = parse_location(values["center"][-1], "center")
    maptype = values.get("maptype", ["roadmap"])[-1].strip().lower() or "roadmap"
    draft.source = maptypes.get(maptype, "default")
    if maptype not in maptypes and maptype != "roadmap":
        draft.warnings.append(f"maptype: {maptype[:20]!r} is not configured; default tiles used")
    icon_names = list(icons)
    for value in values.get("markers", []):
        group, warnings = parse_markers(value, icon_names)
        draft.warnings.extend(warnings)
        draft.markers.append(group)
    for value in values.get("path", []):
        draft.paths.append(parse_path(value, "path", path_limit))
    for value in values.get("visible", []):
        draft.visible += [parse_location(v, "visible") for v in value.split("|") if v.strip()]
    draft.styles = list(values.get("style", []))  # the service applies or reports them
    unknown = sorted(set(values) - KNOWN)
    if unknown:
        draft.warnings.append(
            "ignored unknown parameters: " + ", ".join(u[:20] for u in unknown[:5])
        )
    return draft
