"""Static Maps ``icon:`` URLs that point at Google's chart server, drawn locally.

Old Maps pages ask for markers like
``icon:https://chart.apis.google.com/chart?chst=d_map_pin_letter%26chld=A%257CFF0000%257C000000``.
That service is gone; we read the URL and draw the icon with the same code as
``/chart?chst=…``. Nothing is fetched: the URL is only parsed.
"""

from __future__ import annotations

import functools

from PIL import Image

from chartographer.charts.google.icons import icon_from_url
from chartographer.charts.icons.render import draw_icon
from chartographer.charts.icons.spec import IconSpec
from chartographer.errors import ChartographerError, InvalidParameter


def chart_icon(url: str, param: str) -> IconSpec | None:
    """The icon a chart-server URL asks for; ``None`` for any other URL; 422 when malformed."""
    try:
        return icon_from_url(url, max_side=512)
    except ChartographerError as exc:
        raise InvalidParameter(f"{param}: icon URL: {exc.detail}", param=param) from None


@functools.lru_cache(maxsize=64)
def chart_icon_sprite(url: str, scale: int) -> tuple[Image.Image, tuple[int, int]] | None:
    """The icon's pixels at the map's scale and the pixel of its tip (the default anchor)."""
    spec = icon_from_url(url, max_side=512)
    if spec is None:
        return None
    image, (ax, ay) = draw_icon(spec)
    if scale != 1:
        image = image.resize((image.width * scale, image.height * scale), Image.Resampling.LANCZOS)
    return image, (ax * scale, ay * scale)
