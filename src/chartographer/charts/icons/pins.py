"""Map pins: Google's 21×34 pin, its star/slanted variants, the scalable ``spin``, shadows.

Shapes are drawn at 4× and reduced (smooth edges). Each drawer returns the
image and its *anchor*, the pixel of the pin's tip: Static Maps put that pixel
on the marker's location.
"""

from __future__ import annotations

import math

from PIL import Image, ImageDraw

from chartographer.charts.icons.glyphs import icon_char, icon_font, text_font
from chartographer.charts.icons.spec import IconSpec

S = 4  # supersampling factor
PIN = (21, 34)
SPIN = (42, 68)
Icon = tuple[Image.Image, tuple[int, int]]


def rgba(color: str) -> tuple[int, int, int, int]:
    alpha = int(color[7:9], 16) if len(color) >= 9 else 255
    return int(color[1:3], 16), int(color[3:5], 16), int(color[5:7], 16), alpha


def darker(color: str, factor: float = 0.55) -> tuple[int, int, int, int]:
    r, g, b, a = rgba(color)
    return round(r * factor), round(g * factor), round(b * factor), a


def contrast(color: str) -> tuple[int, int, int, int]:
    """Black on light fills, white on dark ones (for icons drawn without a text colour)."""
    r, g, b, _ = rgba(color)
    return (0, 0, 0, 255) if 0.299 * r + 0.587 * g + 0.114 * b > 140 else (255, 255, 255, 255)


def reduce(big: Image.Image) -> Image.Image:
    return big.resize((max(1, big.width // S), max(1, big.height // S)), Image.Resampling.LANCZOS)


def _pin_outline(
    width: float, height: float, inset: float
) -> tuple[list[tuple[float, float]], tuple[float, float, float]]:
    """The tail triangle and head circle (cx, cy, r) of a pin in a width×height box."""
    r = width / 2 - inset
    cx, cy = width / 2, width / 2
    tip = height - inset * 1.6
    d = tip - cy
    phi = math.acos(min(1.0, r / d))
    left = (cx - r * math.sin(phi), cy + r * math.cos(phi))
    right = (cx + r * math.sin(phi), cy + r * math.cos(phi))
    return [left, (cx, tip), right], (cx, cy, r)


def draw_pin_shape(draw: ImageDraw.ImageDraw, width: float, height: float, fill: str) -> None:
    """A pin filling a width×height box (already supersampled), with a darker rim."""
    for inset, color in ((S * 0.5, darker(fill)), (S * 1.5, rgba(fill))):
        tail, (cx, cy, r) = _pin_outline(width, height, inset)
        draw.polygon(tail, fill=color)
        draw.ellipse((cx - r, cy - r, cx + r, cy + r), fill=color)


def _star(cx: float, cy: float, outer: float) -> list[tuple[float, float]]:
    points = []
    for i in range(10):
        radius = outer if i % 2 == 0 else outer * 0.45
        angle = -math.pi / 2 + i * math.pi / 5
        points.append((cx + radius * math.cos(angle), cy + radius * math.sin(angle)))
    return points


def _head_content(
    draw: ImageDraw.ImageDraw, spec: IconSpec, cx: float, cy: float, r: float, size: int
) -> None:
    """The letter/text or the icon glyph, centred in the pin's head."""
    if spec.icon is not None:
        glyph = icon_font(round(r * 1.15))
        draw.text((cx, cy), icon_char(spec.icon), font=glyph, fill=contrast(spec.fill), anchor="mm")
        return
    lines = [line for line in spec.lines if line] or []
    if not lines:
        draw.ellipse(
            (cx - r * 0.3, cy - r * 0.3, cx + r * 0.3, cy + r * 0.3), fill=darker(spec.fill)
        )
        return
    color = rgba(spec.color)
    bold = spec.bold if spec.kind == "spin" else True
    size = max(size, 1)
    step = size * 1.15
    top = cy - step * (len(lines) - 1) / 2
    for i, line in enumerate(lines):
        font = text_font(size, bold)
        width = font.getlength(line)
        if width > r * 1.8 and spec.kind != "spin":  # long pin text shrinks to fit the head
            font = text_font(max(S * 4, round(size * r * 1.8 / width)), bold)
        draw.text((cx, top + i * step), line, font=font, fill=color, anchor="mm")


def draw_pin(spec: IconSpec) -> Icon:
    """d_map_pin_* and d_map_xpin_*: Google's pin, optionally starred or slanted."""
    width, height = PIN[0] * S, PIN[1] * S
    pad = 5 * S if spec.style != "pin" else 0
    big = Image.new("RGBA", (width + 2 * pad, height + pad), (0, 0, 0, 0))
    draw = ImageDraw.Draw(big)
    offset = Image.new("RGBA", (width, height), (0, 0, 0, 0))
    draw_pin_shape(ImageDraw.Draw(offset), width, height, spec.fill)
    _, (cx, cy, r) = _pin_outline(width, height, S * 1.5)
    _head_content(ImageDraw.Draw(offset), spec, cx, cy, r, 11 * S)
    big.alpha_composite(offset, (pad, pad))
    tip = (pad + width / 2, pad + height - S * 0.8)
    if spec.style == "pin_star":
        star = _star(pad + cx + r * 0.85, pad + cy - r * 0.85, 5.5 * S)
        draw.polygon(star, fill=darker(spec.star or "#FFFF00", 0.6))
        draw.polygon(
            _star(pad + cx + r * 0.85, pad + cy - r * 0.85, 4.5 * S),
            fill=rgba(spec.star or "#FFFF00"),
        )
    elif spec.style in ("pin_sleft", "pin_sright"):
        angle = 22 if spec.style == "pin_sleft" else -22
        big, tip = _rotate(big, tip, angle)
    return _finish(big, tip, spec.shadow)


def draw_spin(spec: IconSpec) -> Icon:
    """d_map_spin: a pin scaled by a factor and turned about its tip, text in its head."""
    width, height = SPIN[0] * spec.scale * S, SPIN[1] * spec.scale * S
    big = Image.new("RGBA", (math.ceil(width), math.ceil(height)), (0, 0, 0, 0))
    draw = ImageDraw.Draw(big)
    draw_pin_shape(draw, width, height, spec.fill)
    _, (cx, cy, r) = _pin_outline(width, height, S * 1.5)
    _head_content(draw, spec, cx, cy, r, spec.font_size * S)
    tip = (width / 2, height - S * 0.8)
    if spec.rotation:
        big, tip = _rotate(big, tip, -spec.rotation)  # Google turns clockwise
    return _finish(big, tip, "none")


def _rotate(
    big: Image.Image, tip: tuple[float, float], degrees: float
) -> tuple[Image.Image, tuple[float, float]]:
    """Turn ``big`` about its tip (counter-clockwise for positive degrees), keeping all of it."""
    turned = big.rotate(degrees, resample=Image.Resampling.BICUBIC, expand=True)
    # where the tip went: rotate its offset from the image centre, then shift into the new box
    a = math.radians(degrees)
    dx, dy = tip[0] - big.width / 2, tip[1] - big.height / 2
    nx = dx * math.cos(a) + dy * math.sin(a)
    ny = -dx * math.sin(a) + dy * math.cos(a)
    return turned, (turned.width / 2 + nx, turned.height / 2 + ny)


def _finish(big: Image.Image, tip: tuple[float, float], shadow: str) -> Icon:
    """Crop to what was drawn, add the shadow if asked, reduce to final size."""
    if shadow != "none":
        big, tip = _with_shadow(big, tip, only=shadow == "only")
    box = big.getbbox() or (0, 0, big.width, big.height)
    left, top = box[0] - box[0] % S, box[1] - box[1] % S
    right = max(box[2], int(tip[0]) + S)
    bottom = max(box[3], int(tip[1]) + 1)
    right += -right % S
    bottom += -bottom % S
    big = big.crop((left, top, right, bottom))
    image = reduce(big)
    anchor = (
        min(image.width - 1, round((tip[0] - left) / S)),
        min(image.height - 1, round((tip[1] - top) / S)),
    )
    return image, anchor


def _with_shadow(
    big: Image.Image, tip: tuple[float, float], *, only: bool
) -> tuple[Image.Image, tuple[float, float]]:
    """Google's shadow: the icon's silhouette, squashed and sheared up-right from the tip."""
    height = big.height
    widened = Image.new("RGBA", (big.width + height, height), (0, 0, 0, 0))
    mask = big.getchannel("A").point(lambda v: 90 if v > 40 else 0)
    squash = mask.resize((mask.width, max(1, height // 2)))
    sheared = squash.transform(
        (mask.width + height, squash.height),
        Image.Transform.AFFINE,
        (1, 1.0, -squash.height, 0, 1, 0),
        resample=Image.Resampling.BILINEAR,
    )
    shade = Image.new("RGBA", sheared.size, (0, 0, 0, 255))
    shade.putalpha(sheared)
    y = int(tip[1]) - squash.height
    widened.alpha_composite(shade, (0, max(0, y)))
    if not only:
        widened.alpha_composite(big, (0, 0))
    return widened, tip
