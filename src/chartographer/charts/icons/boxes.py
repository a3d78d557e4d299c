"""Text icons: small bubbles (with or without an icon), fun notes, outlined text."""

from __future__ import annotations

import math

from PIL import Image, ImageDraw

from chartographer.charts.icons.glyphs import icon_char, icon_font, text_font
from chartographer.charts.icons.pins import Icon, S, _finish, darker, rgba
from chartographer.charts.icons.spec import IconSpec

TAIL = 7  # bubble tail height, px
#: the paper of each note type (Google's notes came in fixed colours)
NOTE_FILL = {
    "arrow_d": "#BFE3FF",
    "balloon": "#FFFFFF",
    "pinned_c": "#FFF6D5",
    "sticky_y": "#FFF38B",
    "taped_y": "#FFF38B",
    "thought": "#FFFFFF",
}


def draw_bubble(spec: IconSpec) -> Icon:
    """d_bubble_text_small / d_bubble_icon_text_small: a rounded box with a tail."""
    font = text_font(11 * S, bold=False)
    text = spec.lines[0] if spec.lines else ""
    glyph = 13 * S if spec.icon is not None else 0
    width = math.ceil(font.getlength(text)) + glyph + (3 * S if glyph else 0) + 10 * S
    box_h = 20 * S
    tail = TAIL * S if spec.style != "bbT" else 0
    big = Image.new("RGBA", (width + S, box_h + tail + S), (0, 0, 0, 0))
    draw = ImageDraw.Draw(big)
    top = tail if spec.style in ("bbtl", "bbtr") else 0
    fill, rim = rgba(spec.fill), darker(spec.fill, 0.6)
    draw.rounded_rectangle(
        (0, top, width, top + box_h), radius=4 * S, fill=fill, outline=rim, width=S
    )
    tip = _tail(draw, spec.style, width, top, box_h, tail, fill, rim)
    x = 5 * S
    mid = top + box_h / 2
    if spec.icon is not None:
        draw.text(
            (x + glyph / 2, mid),
            icon_char(spec.icon),
            font=icon_font(11 * S),
            fill=rgba(spec.color),
            anchor="mm",
        )
        x += glyph + 3 * S
    draw.text((x, mid), text, font=font, fill=rgba(spec.color), anchor="lm")
    return _finish(big, tip, spec.shadow)


def _tail(
    draw: ImageDraw.ImageDraw,
    style: str,
    width: int,
    top: int,
    box_h: int,
    tail: int,
    fill: tuple[int, int, int, int],
    rim: tuple[int, int, int, int],
) -> tuple[float, float]:
    """Draw the bubble's tail; return its point (the anchor)."""
    if not tail:
        return width / 2, top + box_h
    left = style in ("bb", "bbtl")
    base_x = 6 * S if left else width - 6 * S
    point_x = S if left else width - S
    if style in ("bb", "bbbr"):
        edge, point = top + box_h - S, top + box_h + tail
    else:
        edge, point = top + S, 0
    shape = [(base_x - 3 * S, edge), (base_x + 3 * S, edge), (point_x, point)]
    draw.polygon(shape, fill=fill)
    draw.line([shape[0], shape[2], shape[1]], fill=rim, width=S)
    return point_x, point


def draw_note(spec: IconSpec) -> Icon:
    """d_fnote / d_fnote_title: text on a note of the given type, sized to the text."""
    size = (14 if spec.large else 10) * S
    fonts = [text_font(size, bold=spec.title and i == 0) for i in range(len(spec.lines))]
    widths = [f.getlength(line) for f, line in zip(fonts, spec.lines, strict=True)]
    text_w = math.ceil(max(widths, default=0))
    step = round(size * 1.25)
    pad = (12 if spec.large else 8) * S
    width = max(text_w + 2 * pad, (60 if spec.large else 40) * S)
    body_h = max(len(spec.lines) * step + 2 * pad, (40 if spec.large else 28) * S)
    extra = body_h // 3 if spec.style in ("arrow_d", "balloon", "thought") else 0
    top = 6 * S if spec.style in ("pinned_c", "taped_y") else 0
    big = Image.new("RGBA", (width + 2 * S, top + body_h + extra + 2 * S), (0, 0, 0, 0))
    draw = ImageDraw.Draw(big)
    _paper(draw, spec.style, width, top, body_h, extra)
    y = top + (body_h - len(spec.lines) * step) / 2 + step / 2
    for font, line, line_w in zip(fonts, spec.lines, widths, strict=True):
        x = (
            pad
            if spec.align == "l"
            else width - pad - line_w
            if spec.align == "r"
            else (width - line_w) / 2
        )
        draw.text((x, y), line, font=font, fill=rgba(spec.color), anchor="lm")
        y += step
    return _finish(big, (width / 2, top + body_h + extra), "none")


def _paper(
    draw: ImageDraw.ImageDraw, style: str, width: int, top: int, body_h: int, extra: int
) -> None:
    fill = NOTE_FILL[style]
    paper, rim = rgba(fill), darker(fill, 0.7)
    body = (0, top, width, top + body_h)
    if style == "thought":
        draw.ellipse(body, fill=paper, outline=rim, width=S)
        for i, r in enumerate((extra * 0.3, extra * 0.2)):
            cx, cy = width * (0.35 - 0.1 * i), top + body_h + extra * (0.25 + 0.5 * i)
            draw.ellipse((cx - r, cy - r, cx + r, cy + r), fill=paper, outline=rim, width=S)
        return
    draw.rounded_rectangle(
        body, radius=(8 if style == "balloon" else 2) * S, fill=paper, outline=rim, width=S
    )
    if style == "arrow_d":  # a broad arrow pointing down out of the note
        shape = [
            (width * 0.3, top + body_h - S),
            (width * 0.7, top + body_h - S),
            (width / 2, top + body_h + extra),
        ]
        draw.polygon(shape, fill=paper, outline=rim)
    elif style == "balloon":
        shape = [
            (width * 0.2, top + body_h - S),
            (width * 0.35, top + body_h - S),
            (width * 0.15, top + body_h + extra),
        ]
        draw.polygon(shape, fill=paper)
        draw.line([shape[0], shape[2], shape[1]], fill=rim, width=S)
    elif style == "pinned_c":
        draw.ellipse((width / 2 - 4 * S, 0, width / 2 + 4 * S, 8 * S), fill=(214, 40, 40, 255))
    elif style == "taped_y":
        draw.rectangle((width * 0.3, 0, width * 0.7, top + 5 * S), fill=(230, 230, 230, 200))
    else:  # sticky: a folded corner
        fold = 8 * S
        draw.polygon(
            [
                (width - fold, top + body_h),
                (width, top + body_h - fold),
                (width - fold, top + body_h - fold),
            ],
            fill=rim,
        )


def draw_outline(spec: IconSpec) -> Icon:
    """d_text_outline: lines of text in a fill colour with an outline, aligned l/h/r."""
    size = spec.font_size * S
    font = text_font(size, spec.bold)
    stroke = max(S, round(size / 9))
    widths = [font.getlength(line) for line in spec.lines]
    width = math.ceil(max(widths, default=0)) + 2 * stroke + 2 * S
    step = round(size * 1.2)
    big = Image.new(
        "RGBA", (width, step * max(1, len(spec.lines)) + 2 * stroke + 2 * S), (0, 0, 0, 0)
    )
    draw = ImageDraw.Draw(big)
    y = stroke + S + step / 2
    for line, line_w in zip(spec.lines, widths, strict=True):
        x: float = stroke + S
        if spec.align == "h":
            x = (width - line_w) / 2
        elif spec.align == "r":
            x = width - stroke - S - line_w
        draw.text(
            (x, y),
            line,
            font=font,
            fill=rgba(spec.color),
            anchor="lm",
            stroke_width=stroke,
            stroke_fill=rgba(spec.outline),
        )
        y += step
    return _finish(big, (width / 2, big.height), "none")
