"""Fonts for dynamic icons: DejaVu Sans for text, Font Awesome Free for Google's icon names.

Google's dynamic icons name their small pictures (``cafe``, ``airport``, …) from
a fixed list. We draw each with the nearest glyph of **Font Awesome Free 6**
(the ``fontawesomefree`` package on PyPI: fonts under the SIL Open Font
Licence 1.1, icons under CC BY 4.0 — attribution in
``docs/google-image-charts.md``). The glyph code points are read from the
package's own stylesheet by Font Awesome name, so the table below stays a
readable name-to-name mapping.
"""

from __future__ import annotations

import functools
import re
from importlib import resources
from pathlib import Path

import matplotlib
from PIL import ImageFont

_TEXT_FONTS = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
_FA = resources.files("fontawesomefree") / "static" / "fontawesomefree"
_CSS_RULE = re.compile(r"((?:\.fa-[\w-]+::before\s*,?\s*)+)\{\s*content:\s*\"\\([0-9a-fA-F]+)\"")

#: Google's icon list (the Chart API's "Image List") → the Font Awesome Free solid glyph drawn
GOOGLE_ICONS: dict[str, str] = {
    "academy": "graduation-cap",
    "activities": "person-hiking",
    "airport": "plane",
    "amusement": "ticket",
    "aquarium": "fish",
    "art-gallery": "palette",
    "atm": "credit-card",
    "baby": "baby",
    "bank-dollar": "dollar-sign",
    "bank-euro": "euro-sign",
    "bank-intl": "building-columns",
    "bank-pound": "sterling-sign",
    "bank-yen": "yen-sign",
    "bar": "martini-glass",
    "barber": "scissors",
    "beach": "umbrella-beach",
    "beer": "beer-mug-empty",
    "bicycle": "bicycle",
    "books": "book",
    "bowling": "bowling-ball",
    "bus": "bus",
    "cafe": "mug-hot",
    "camping": "campground",
    "car-dealer": "car",
    "car-rental": "car-side",
    "car-repair": "wrench",
    "casino": "dice",
    "caution": "triangle-exclamation",
    "cemetery-grave": "cross",
    "cemetery-tomb": "monument",
    "cinema": "film",
    "civic-building": "landmark",
    "computer": "computer",
    "corporate": "building",
    "fire": "fire",
    "flag": "flag",
    "floral": "seedling",
    "helicopter": "helicopter",
    "home": "house",
    "info": "circle-info",
    "landslide": "hill-rockslide",
    "legal": "scale-balanced",
    "location": "location-dot",
    "locomotive": "train",
    "medical": "kit-medical",
    "mobile": "mobile-screen-button",
    "motorcycle": "motorcycle",
    "music": "music",
    "parking": "square-parking",
    "pet": "paw",
    "petrol": "gas-pump",
    "phone": "phone",
    "picnic": "apple-whole",
    "postal": "envelope",
    "repair": "screwdriver-wrench",
    "restaurant": "utensils",
    "sail": "sailboat",
    "school": "school",
    "scissors": "scissors",
    "ship": "ship",
    "shoppingbag": "bag-shopping",
    "shoppingcart": "cart-shopping",
    "ski": "person-skiing",
    "snack": "cookie-bite",
    "snow": "snowflake",
    "sport": "futbol",
    "star": "star",
    "swim": "person-swimming",
    "taxi": "taxi",
    "train": "train-subway",
    "truck": "truck",
    "wc-female": "person-dress",
    "wc-male": "person",
    "wc": "restroom",
    "wheelchair": "wheelchair",
}


@functools.lru_cache(maxsize=1)
def _code_points() -> dict[str, str]:
    """Font Awesome name → the character that draws it, from the package stylesheet."""
    css = (_FA / "css" / "fontawesome.css").read_text(encoding="utf-8")
    points: dict[str, str] = {}
    for selectors, code in _CSS_RULE.findall(css):
        for name in re.findall(r"\.fa-([\w-]+)::before", selectors):
            points[name] = chr(int(code, 16))
    return points


def icon_char(name: str) -> str:
    """The glyph for one of Google's icon names (the caller has checked the name)."""
    return _code_points()[GOOGLE_ICONS[name]]


@functools.lru_cache(maxsize=32)
def icon_font(size: int) -> ImageFont.FreeTypeFont:
    with resources.as_file(_FA / "webfonts" / "fa-solid-900.ttf") as path:
        return ImageFont.truetype(str(path), size)


@functools.lru_cache(maxsize=64)
def text_font(size: int, bold: bool = False) -> ImageFont.FreeTypeFont:
    name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
    return ImageFont.truetype(str(_TEXT_FONTS / name), size)
