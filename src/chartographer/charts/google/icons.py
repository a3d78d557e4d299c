"""``chst`` + ``chld`` → :class:`IconSpec`: Google's freestanding dynamic icons.

The fields of each icon follow Google's "Dynamic Icons" reference, ``|`` between
fields (``chld=A|FF0000|000000``). A missing colour takes Google's look; an
unknown icon, style or a malformed number is a 400 naming ``chld``. The same
parser reads the ``icon:`` URLs of Static Maps markers that point at Google's
chart server, so those are drawn here and never fetched.
"""

from __future__ import annotations

from urllib.parse import parse_qsl, urlsplit

from chartographer.charts.google.errors import GoogleChartError
from chartographer.charts.icons.glyphs import GOOGLE_ICONS
from chartographer.charts.icons.spec import IconKind, IconSpec
from chartographer.charts.spec import parse_color
from chartographer.errors import InvalidParameter, LimitExceeded
from chartographer.formats import ImageFormat
from chartographer.usertext import one_line

#: chst value (without ``d_`` and shadow suffix) → our kind
KINDS: dict[str, IconKind] = {
    "map_pin_letter": "pin_letter",
    "map_pin_icon": "pin_icon",
    "map_xpin_letter": "xpin_letter",
    "map_xpin_icon": "xpin_icon",
    "map_spin": "spin",
    "bubble_text_small": "bubble",
    "bubble_icon_text_small": "bubble_icon",
    "fnote": "fnote",
    "fnote_title": "fnote",
    "text_outline": "text_outline",
}
SHADOWED = {"pin_letter", "pin_icon", "xpin_letter", "xpin_icon", "bubble", "bubble_icon"}
PIN_STYLES = ("pin", "pin_star", "pin_sleft", "pin_sright")
FRAMES = ("bb", "bbtl", "bbtr", "bbbr", "bbT")
NOTES = ("arrow_d", "balloon", "pinned_c", "sticky_y", "taped_y", "thought")
CHART_HOSTS = ("chart.apis.google.com", "chart.googleapis.com")
MAX_LINES = 12
MAX_LINE = 120
ACCEPTED = ", ".join(
    f"d_{name}" + ("[_withshadow]" if kind in SHADOWED else "") for name, kind in KINDS.items()
)


def icon_spec(
    chst: str, chld: str | None, fmt: ImageFormat = ImageFormat.png, max_side: int = 1000
) -> IconSpec:
    """Read one icon request; fatal mistakes raise a 400 naming ``chst`` or ``chld``."""
    name = chst.strip()
    shadow = "none"
    for suffix, mode in (("_withshadow", "with"), ("_shadow", "only")):
        if name.endswith(suffix):
            name, shadow = name.removesuffix(suffix), mode
    kind = KINDS.get(name.removeprefix("d_")) if name.startswith("d_") else None
    if kind is None or (shadow != "none" and kind not in SHADOWED):
        raise GoogleChartError(
            f"chst: {chst[:40]!r} is not a dynamic icon; accepted: {ACCEPTED}", param="chst"
        )
    if fmt is ImageFormat.svg:
        raise GoogleChartError(
            "chof: dynamic icons are drawn as png, gif, webp or jpg", param="chof"
        )
    # each field is one line already: a break inside one (%0A) is a space
    fields = [one_line(field) for field in (chld or "").split("|")]
    if len(fields) > MAX_LINES + 6:
        raise LimitExceeded(f"chld: more than {MAX_LINES + 6} fields", param="chld")
    for field in fields:
        if len(field) > MAX_LINE:
            raise LimitExceeded(
                f"chld: a field of {len(field)} characters exceeds the limit of {MAX_LINE}",
                param="chld",
            )
    spec = _READERS[kind](_Fields(fields), shadow, name.endswith("_title"), fmt)
    _check_size(spec, max_side)
    return spec


def icon_from_url(url: str, max_side: int = 1000) -> IconSpec | None:
    """The icon a ``chart.apis.google.com/chart?chst=…`` URL asks for, or ``None``."""
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").lower()
    if parts.scheme.lower() not in ("http", "https", "") or parts.path.rstrip("/") != "/chart":
        return None
    if host not in CHART_HOSTS and not (host.endswith(".chart.apis.google.com")):
        return None
    params = dict(parse_qsl(parts.query, keep_blank_values=True))
    if "chst" not in params:
        return None
    return icon_spec(params["chst"], params.get("chld"), ImageFormat.png, max_side)


class _Fields:
    """``chld`` fields by position; a missing or empty one gives the default."""

    def __init__(self, values: list[str]) -> None:
        self.values = values

    def text(self, index: int, default: str = "") -> str:
        value = self.values[index] if index < len(self.values) else ""
        return value if value != "" else default

    def rest(self, index: int) -> tuple[str, ...]:
        lines = tuple(self.values[index:])
        while lines and lines[-1] == "":
            lines = lines[:-1]
        return lines

    def color(self, index: int, default: str) -> str:
        raw = self.text(index)
        if not raw:
            return default
        try:
            return parse_color(raw, "chld")
        except InvalidParameter:
            raise GoogleChartError(
                f"chld: field {index + 1} {raw[:20]!r} is not a colour (RRGGBB)", param="chld"
            ) from None

    def number(self, index: int, default: float, low: float, high: float, what: str) -> float:
        raw = self.text(index)
        if not raw:
            return default
        try:
            value = float(raw)
        except ValueError:
            value = float("nan")
        if not low <= value <= high:
            raise GoogleChartError(
                f"chld: {what} {raw[:20]!r} must be a number from {low:g} to {high:g}",
                param="chld",
            )
        return value

    def choice(self, index: int, default: str, allowed: tuple[str, ...], what: str) -> str:
        value = self.text(index, default)
        if value not in allowed:
            raise GoogleChartError(
                f"chld: {what} {value[:20]!r} must be one of {', '.join(allowed)}", param="chld"
            )
        return value

    def icon(self, index: int) -> str:
        value = self.text(index)
        if value not in GOOGLE_ICONS:
            raise GoogleChartError(
                f"chld: icon {value[:30]!r} is not in Google's icon list (e.g. cafe, home, "
                "airport, star; see docs/google-image-charts.md)",
                param="chld",
            )
        return value


def _pin_letter(f: _Fields, shadow: str, _title: bool, fmt: ImageFormat) -> IconSpec:
    text = f.text(0)
    return IconSpec(
        kind="pin_letter",
        shadow=shadow,  # type: ignore[arg-type]
        lines=(text,) if text else (),
        fill=f.color(1, "#FE7569"),
        color=f.color(2, "#000000"),
        format=fmt,
    )


def _pin_icon(f: _Fields, shadow: str, _title: bool, fmt: ImageFormat) -> IconSpec:
    return IconSpec(
        kind="pin_icon",
        shadow=shadow,  # type: ignore[arg-type]
        icon=f.icon(0),
        fill=f.color(1, "#FE7569"),
        format=fmt,
    )


def _xpin_letter(f: _Fields, shadow: str, _title: bool, fmt: ImageFormat) -> IconSpec:
    text = f.text(1)
    return IconSpec(
        kind="xpin_letter",
        shadow=shadow,  # type: ignore[arg-type]
        style=f.choice(0, "pin", PIN_STYLES, "pin style"),
        lines=(text,) if text else (),
        fill=f.color(2, "#FE7569"),
        color=f.color(3, "#000000"),
        star=f.color(4, "#FFFF00"),
        format=fmt,
    )


def _xpin_icon(f: _Fields, shadow: str, _title: bool, fmt: ImageFormat) -> IconSpec:
    return IconSpec(
        kind="xpin_icon",
        shadow=shadow,  # type: ignore[arg-type]
        style=f.choice(0, "pin", PIN_STYLES, "pin style"),
        icon=f.icon(1),
        fill=f.color(2, "#FE7569"),
        star=f.color(3, "#FFFF00"),
        format=fmt,
    )


def _spin(f: _Fields, _shadow: str, _title: bool, fmt: ImageFormat) -> IconSpec:
    return IconSpec(
        kind="spin",
        scale=f.number(0, 1.0, 0.1, 8.0, "scale factor"),
        rotation=f.number(1, 0.0, -360.0, 360.0, "rotation"),
        fill=f.color(2, "#FE7569"),
        font_size=round(f.number(3, 11, 0, 72, "font size")),
        bold=f.choice(4, "_", ("_", "b"), "font style") == "b",
        lines=f.rest(5),
        format=fmt,
    )


def _bubble(f: _Fields, shadow: str, _title: bool, fmt: ImageFormat) -> IconSpec:
    return IconSpec(
        kind="bubble",
        shadow=shadow,  # type: ignore[arg-type]
        style=f.choice(0, "bb", FRAMES, "frame style"),
        lines=(f.text(1),),
        fill=f.color(2, "#FFFFFF"),
        color=f.color(3, "#000000"),
        format=fmt,
    )


def _bubble_icon(f: _Fields, shadow: str, _title: bool, fmt: ImageFormat) -> IconSpec:
    return IconSpec(
        kind="bubble_icon",
        shadow=shadow,  # type: ignore[arg-type]
        icon=f.icon(0),
        style=f.choice(1, "bb", FRAMES, "frame style"),
        lines=(f.text(2),),
        fill=f.color(3, "#FFFFFF"),
        color=f.color(4, "#000000"),
        format=fmt,
    )


def _fnote(f: _Fields, _shadow: str, title: bool, fmt: ImageFormat) -> IconSpec:
    return IconSpec(
        kind="fnote",
        style=f.choice(0, "sticky_y", NOTES, "note type"),
        large=f.choice(1, "1", ("1", "2"), "size") == "1",
        color=f.color(2, "#000000"),
        align=f.choice(3, "h", ("l", "h", "r"), "text alignment"),  # type: ignore[arg-type]
        lines=f.rest(4),
        title=title,
        format=fmt,
    )


def _text_outline(f: _Fields, _shadow: str, _title: bool, fmt: ImageFormat) -> IconSpec:
    return IconSpec(
        kind="text_outline",
        color=f.color(0, "#000000"),
        font_size=round(f.number(1, 12, 1, 72, "font size")),
        align=f.choice(2, "h", ("l", "h", "r"), "text alignment"),  # type: ignore[arg-type]
        outline=f.color(3, "#FFFFFF"),
        bold=f.choice(4, "_", ("_", "b"), "font style") == "b",
        lines=f.rest(5),
        format=fmt,
    )


_READERS = {
    "pin_letter": _pin_letter,
    "pin_icon": _pin_icon,
    "xpin_letter": _xpin_letter,
    "xpin_icon": _xpin_icon,
    "spin": _spin,
    "bubble": _bubble,
    "bubble_icon": _bubble_icon,
    "fnote": _fnote,
    "text_outline": _text_outline,
}


def _check_size(spec: IconSpec, max_side: int) -> None:
    """Refuse, before drawing, an icon whose text would make the image too large."""
    size = spec.font_size if spec.kind in ("spin", "text_outline") else 14
    longest = max((len(line) for line in spec.lines), default=0)
    width = longest * size * 0.7 * (spec.scale if spec.kind == "spin" else 1.0)
    height = len(spec.lines) * size * 1.3
    if spec.kind == "spin":
        width, height = max(width, 42 * spec.scale), max(height, 68 * spec.scale)
    if max(width, height) > max_side:
        raise LimitExceeded(
            f"chld: the icon would be about {round(max(width, height))} px across, over the "
            f"limit of {max_side} px; use less text or a smaller size",
            param="chld",
        )
