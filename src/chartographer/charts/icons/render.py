"""Pure icon rendering: :class:`IconSpec` in, a transparent PNG (or its pixels) out."""

from __future__ import annotations

from collections.abc import Callable

from PIL import Image

from chartographer.charts.icons.boxes import draw_bubble, draw_note, draw_outline
from chartographer.charts.icons.pins import Icon, draw_pin, draw_spin
from chartographer.charts.icons.spec import IconSpec
from chartographer.formats import Rendered, encode_raster

_DRAWERS: dict[str, Callable[[IconSpec], Icon]] = {
    "pin_letter": draw_pin,
    "pin_icon": draw_pin,
    "xpin_letter": draw_pin,
    "xpin_icon": draw_pin,
    "spin": draw_spin,
    "bubble": draw_bubble,
    "bubble_icon": draw_bubble,
    "fnote": draw_note,
    "text_outline": draw_outline,
}


def draw_icon(spec: IconSpec) -> tuple[Image.Image, tuple[int, int]]:
    """The icon as RGBA pixels and its anchor (the point that marks a location)."""
    return _DRAWERS[spec.kind](spec)


def render_icon(spec: IconSpec) -> Rendered:
    """Encode the icon; PNG keeps its transparency."""
    image, _ = draw_icon(spec)
    return Rendered(encode_raster(image, spec.format), spec.format.media_type)
