"""Google Static Maps ``style=`` rules, applied to what the built-in basemap draws.

A rule is ``feature:…|element:…|styler:value|…`` (Google's syntax). The
built-in basemap draws these Google features, so these rules take effect:

=========================  ===================================================
feature                    what it styles here
=========================  ===================================================
``all``                    everything below
``water``                  ocean, lakes and rivers (geometry)
``landscape`` (and         land
``landscape.*``)
``administrative``         country and first-level borders, place labels
``administrative.country`` country borders
``administrative.province`` first-level borders
``administrative.locality`` place labels and their dots
=========================  ===================================================

Elements: ``all``, ``geometry`` (``.fill``/``.stroke``), ``labels``
(``.text``, ``.text.fill``, ``.text.stroke``, ``.icon``). Stylers: ``color``,
``visibility`` (``on``/``off``/``simplified``), ``lightness``, ``saturation``,
``hue``, ``gamma``, ``invert_lightness``, ``weight``, applied in order. Features
the basemap does not draw (roads, POIs, transit) are reported, not an error.
"""

from __future__ import annotations

import colorsys
import dataclasses
import re
from collections.abc import Iterable
from dataclasses import dataclass

from chartographer.errors import InvalidParameter

RGBA = tuple[int, int, int, int]
_HEX = re.compile(r"^(?:0x|#)?([0-9a-fA-F]{6})([0-9a-fA-F]{2})?$")
MAX_RULES = 64


@dataclass(frozen=True)
class BasemapStyle:
    """Colours (alpha 0 = hidden) and weights of what the basemap draws."""

    water: RGBA = (170, 205, 225, 255)
    land: RGBA = (242, 240, 235, 255)
    country: RGBA = (150, 145, 165, 255)
    country_weight: float = 1.0
    province: RGBA = (195, 190, 205, 255)
    province_weight: float = 0.6
    text: RGBA = (70, 70, 80, 255)
    halo: RGBA = (255, 255, 255, 255)
    dot: RGBA = (90, 90, 100, 255)

    @property
    def labels_visible(self) -> bool:
        return bool(self.text[3] or self.dot[3])

    @property
    def background(self) -> RGBA:
        """What shows where nothing is drawn: water, else land, else Google's grey."""
        for color in (self.water, self.land):
            if color[3]:
                return (*color[:3], 255)
        return (229, 227, 223, 255)


DEFAULT = BasemapStyle()

# Google feature → the style fields it reaches, per element group
_GEOMETRY = {
    "water": ("water",),
    "landscape": ("land",),
    "administrative": ("country", "province"),
    "administrative.country": ("country",),
    "administrative.province": ("province",),
    "administrative.locality": ("dot",),
}
_LABELS = {
    "administrative": ("text", "halo", "dot"),
    "administrative.locality": ("text", "halo", "dot"),
}
_UNDRAWN = ("road", "poi", "transit", "administrative.land_parcel", "administrative.neighborhood")


def _targets(feature: str, element: str) -> set[str]:
    if feature == "all":
        geometry = {f for fields in _GEOMETRY.values() for f in fields}
        labels = {"text", "halo", "dot"}
    else:
        base = feature.split(".")[0] if feature.startswith("landscape") else feature
        geometry = set(_GEOMETRY.get(base, ()))
        labels = set(_LABELS.get(base, ()))
    stroke_fields = {"country", "province"}
    if element == "all":
        return geometry | labels
    if element == "geometry":
        return geometry
    if element == "geometry.fill":
        return geometry - stroke_fields if feature != "water" else geometry
    if element == "geometry.stroke":
        return geometry & stroke_fields
    if element in ("labels", "labels.text"):
        return labels - {"dot"} if element == "labels.text" else labels
    if element == "labels.text.fill":
        return labels & {"text"}
    if element == "labels.text.stroke":
        return labels & {"halo"}
    if element == "labels.icon":
        return labels & {"dot"}
    raise InvalidParameter(f"style: unknown element {element!r}", param="style")


def parse_color(value: str) -> RGBA:
    match = _HEX.match(value)
    if match is None:
        raise InvalidParameter(f"style: {value!r} is not a colour (0xRRGGBB)", param="style")
    rgb = bytes.fromhex(match.group(1))
    alpha = int(match.group(2), 16) if match.group(2) else 255
    return rgb[0], rgb[1], rgb[2], alpha


def _adjust(color: RGBA, styler: str, value: str) -> RGBA:
    r, g, b, a = (c / 255 for c in color)
    h, lum, s = colorsys.rgb_to_hls(r, g, b)
    try:
        amount = float(value) if styler not in ("hue", "invert_lightness") else 0.0
    except ValueError:
        raise InvalidParameter(
            f"style: {styler}:{value!r} is not a number", param="style"
        ) from None
    if styler == "lightness":
        amount = max(-100.0, min(100.0, amount)) / 100
        lum = lum + (1 - lum) * amount if amount > 0 else lum * (1 + amount)
    elif styler == "saturation":
        amount = max(-100.0, min(100.0, amount)) / 100
        s = s + (1 - s) * amount if amount > 0 else s * (1 + amount)
    elif styler == "gamma":
        lum = lum ** (1 / max(0.01, min(10.0, amount)))
    elif styler == "hue":
        h = colorsys.rgb_to_hls(*(c / 255 for c in parse_color(value)[:3]))[0]
    elif styler == "invert_lightness":
        lum = 1 - lum if value.lower() == "true" else lum
    rr, gg, bb = colorsys.hls_to_rgb(h, lum, s)
    return round(rr * 255), round(gg * 255), round(bb * 255), round(a * 255)


def _apply(style: BasemapStyle, fields: set[str], styler: str, value: str) -> BasemapStyle:
    changes: dict[str, object] = {}
    for name in fields:
        current: RGBA = getattr(style, name)
        if styler == "color":
            changes[name] = parse_color(value)
        elif styler == "visibility":
            if value not in ("on", "off", "simplified"):
                raise InvalidParameter(
                    f"style: visibility must be on, off or simplified, not {value!r}",
                    param="style",
                )
            changes[name] = (*current[:3], 0 if value == "off" else 255)
        elif styler == "weight":
            if name in ("country", "province"):
                try:
                    changes[f"{name}_weight"] = max(0.0, min(8.0, float(value)))
                except ValueError:
                    raise InvalidParameter(
                        f"style: weight:{value!r} is not a number", param="style"
                    ) from None
        elif styler in ("lightness", "saturation", "gamma", "hue", "invert_lightness"):
            changes[name] = _adjust(current, styler, value)
        else:
            raise InvalidParameter(f"style: unknown styler {styler!r}", param="style")
    return dataclasses.replace(style, **changes)  # type: ignore[arg-type]


def parse_styles(rules: Iterable[str]) -> tuple[BasemapStyle, list[str]]:
    """Google ``style=`` values → the basemap style, and warnings for what it cannot draw."""
    style = DEFAULT
    warnings: list[str] = []
    rules = list(rules)
    if len(rules) > MAX_RULES:
        raise InvalidParameter(
            f"{len(rules)} style rules exceeds the limit of {MAX_RULES}", param="style"
        )
    for rule in rules:
        feature, element = "all", "all"
        stylers: list[tuple[str, str]] = []
        for item in rule.split("|"):
            key, sep, value = item.partition(":")
            key, value = key.strip().lower(), value.strip()
            if not item.strip():
                continue
            if not sep:
                raise InvalidParameter(f"style: {item!r} is not key:value", param="style")
            if key == "feature":
                feature = value.lower()
            elif key == "element":
                element = value.lower()
            else:
                stylers.append((key, value))
        if feature.startswith(_UNDRAWN):
            warnings.append(f"style: feature {feature} is not drawn by the built-in basemap")
            continue
        fields = _targets(feature, element)
        if not fields and feature != "all":
            warnings.append(f"style: feature {feature} is not drawn by the built-in basemap")
            continue
        for styler, value in stylers:
            style = _apply(style, fields, styler.lower(), value)
    return style, warnings
