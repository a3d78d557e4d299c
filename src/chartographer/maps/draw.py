"""Marker sprites, labels and attribution text, drawn with Pillow.

Sprites are drawn at 4× and downsampled (smooth edges), and memoised per
style within a worker process: the same red pin is drawn once, then pasted.
"""

from __future__ import annotations

import functools
import io
from pathlib import Path

import matplotlib
from PIL import Image, ImageDraw, ImageFont

from chartographer.maps.chart_icons import chart_icon_sprite
from chartographer.maps.spec import Marker

_FONT_DIR = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
SUPER = 4
#: (width, height) of each pin at scale 1; the head is a circle of diameter ``width``
PIN_SIZES = {"tiny": (10, 16), "small": (14, 23), "mid": (18, 29), "normal": (22, 36)}
LABELLED = {"mid", "normal"}


@functools.lru_cache(maxsize=16)
def font(size: int, bold: bool = True) -> ImageFont.FreeTypeFont:
    name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
    return ImageFont.truetype(str(_FONT_DIR / name), size)


def _rgb(color: str) -> tuple[int, int, int]:
    return int(color[1:3], 16), int(color[3:5], 16), int(color[5:7], 16)


def rgba(color: str) -> tuple[int, int, int, int]:
    alpha = int(color[7:9], 16) if len(color) >= 9 else 255
    return (*_rgb(color), alpha)


def _ink(color: str) -> tuple[int, int, int, int]:
    r, g, b = _rgb(color)
    return (0, 0, 0, 255) if 0.299 * r + 0.587 * g + 0.114 * b > 150 else (255, 255, 255, 255)


def _darker(color: str) -> tuple[int, int, int, int]:
    r, g, b = _rgb(color)
    return int(r * 0.6), int(g * 0.6), int(b * 0.6), 255


@functools.lru_cache(maxsize=512)
def pin_sprite(
    color: str, size: str, label: str | None, scale: int
) -> tuple[Image.Image, int, int]:
    """A pin (or a tag, for labels wider than the head) and its tip ``(x, y)`` in the sprite."""
    width, height = PIN_SIZES[size]
    text = label if label and size in LABELLED else None
    fnt = font(max(6, round(width * 0.55 * scale)))
    text_w = round(fnt.getbbox(text)[2]) if text else 0
    head_w = width * scale
    if text_w > head_w * 0.7:  # a tag: a rounded box wide enough for the text
        head_w = text_w + round(width * 0.5 * scale)
    k = scale * SUPER
    w, h = head_w * SUPER, height * k
    r = width * k / 2
    big = Image.new("RGBA", (w + 2 * SUPER, h + 2 * SUPER), (0, 0, 0, 0))
    draw = ImageDraw.Draw(big)
    fill, edge = rgba(color), _darker(color)
    ox = oy = SUPER
    cx = ox + w / 2
    tail = [(cx - r * 0.55, oy + r * 1.6), (cx + r * 0.55, oy + r * 1.6), (cx, oy + h)]
    outline = max(1, round(k * 0.7))
    if head_w == width * scale:
        draw.polygon(tail, fill=fill, outline=edge, width=outline)
        draw.ellipse((ox, oy, ox + w, oy + 2 * r), fill=fill, outline=edge, width=outline)
        draw.polygon([(p[0], p[1] - outline) for p in tail[:2]] + [tail[2]], fill=fill)
    else:
        draw.polygon(tail, fill=fill, outline=edge, width=outline)
        draw.rounded_rectangle(
            (ox, oy, ox + w, oy + 2 * r), radius=r * 0.5, fill=fill, outline=edge, width=outline
        )
        draw.polygon(
            [
                (cx - r * 0.5, oy + 2 * r - outline * 2),
                (cx + r * 0.5, oy + 2 * r - outline * 2),
                tail[2],
            ],
            fill=fill,
        )
    sprite = big.resize((big.width // SUPER, big.height // SUPER), Image.Resampling.LANCZOS)
    tip_x, tip_y = round(cx / SUPER), round((oy + h) / SUPER)
    if text:
        ImageDraw.Draw(sprite).text(
            (tip_x, 1 + width * scale / 2), text, font=fnt, fill=_ink(color), anchor="mm"
        )
    elif size in ("mid", "normal"):  # Google-style dot in an unlabelled head
        dot = width * scale * 0.16
        ImageDraw.Draw(sprite).ellipse(
            (tip_x - dot, 1 + width * scale / 2 - dot, tip_x + dot, 1 + width * scale / 2 + dot),
            fill=_darker(color),
        )
    return sprite, tip_x, tip_y


@functools.lru_cache(maxsize=64)
def icon_sprite(data: bytes, scale: int) -> Image.Image:
    image = Image.open(io.BytesIO(data)).convert("RGBA")
    if scale != 1:
        image = image.resize((image.width * scale, image.height * scale), Image.Resampling.LANCZOS)
    return image


def anchor_point(
    anchor: str, width: int, height: int, tip: tuple[int, int], scale: int
) -> tuple[int, int]:
    """Where in a sprite the marker's location sits."""
    if anchor == "bottom":
        return tip
    if "," in anchor:
        ax, ay = anchor.split(",")
        return int(ax) * scale, int(ay) * scale
    x = 0 if "left" in anchor else width if "right" in anchor else width // 2
    y = 0 if anchor.startswith("top") else height if anchor.startswith("bottom") else height // 2
    return x, y


def marker_image(
    marker: Marker, scale: int, icons: dict[str, bytes]
) -> tuple[Image.Image, int, int]:
    """The sprite for ``marker`` and the sprite pixel that goes on its location."""
    if marker.icon is not None and marker.icon in icons:
        sprite = icon_sprite(icons[marker.icon], scale)
        tip = (sprite.width // 2, sprite.height)
    elif marker.icon is not None and (drawn := chart_icon_sprite(marker.icon, scale)) is not None:
        sprite, tip = drawn  # a chart.apis.google.com/chart?chst=… URL, drawn here, not fetched
    else:  # anchor: is for custom icons only (Google); a pin always stands on its tip
        sprite, tx, ty = pin_sprite(marker.color, marker.size, marker.label, scale)
        return sprite, tx, ty
    ax, ay = anchor_point(marker.anchor, sprite.width, sprite.height, tip, scale)
    return sprite, ax, ay


def draw_attribution(image: Image.Image, text: str, scale: int) -> None:
    """Attribution in the bottom-right corner, always drawn (tile licences require it)."""
    if not text:
        return
    fnt = font(max(8, 10 * scale), bold=False)
    pad = 2 * scale
    left, top, right, bottom = (round(v) for v in fnt.getbbox(text))
    box_w, box_h = right - left + 2 * pad, bottom - top + 2 * pad
    x0, y0 = image.width - box_w, image.height - box_h
    overlay = Image.new("RGBA", (box_w, box_h), (255, 255, 255, 190))
    ImageDraw.Draw(overlay).text((pad - left, pad - top), text, font=fnt, fill=(40, 40, 40, 255))
    image.alpha_composite(overlay, (max(0, x0), max(0, y0)))


def draw_placeholder(size: tuple[int, int], scale: int) -> Image.Image:
    """A visibly missing tile: grey with red hatching, never a silent blank."""
    tile = Image.new("RGB", size, (214, 214, 214))
    draw = ImageDraw.Draw(tile)
    step = 16 * scale
    for offset in range(-size[1], size[0], step):
        draw.line((offset, 0, offset + size[1], size[1]), fill=(200, 90, 90), width=scale)
    draw.rectangle((0, 0, size[0] - 1, size[1] - 1), outline=(170, 170, 170), width=scale)
    return tile
