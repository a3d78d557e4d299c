"""``IconSpec``: everything that decides one dynamic icon image (hashable, canonical)."""

from __future__ import annotations

import hashlib
from typing import Literal

from pydantic import BaseModel, ConfigDict

from chartographer.formats import ImageFormat

IconKind = Literal[
    "pin_letter",
    "pin_icon",
    "xpin_letter",
    "xpin_icon",
    "spin",
    "bubble",
    "bubble_icon",
    "fnote",
    "text_outline",
]


class IconSpec(BaseModel):
    """One icon; the fields a kind does not use keep their defaults."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    kind: IconKind
    #: ``none``, ``with`` (``…_withshadow``) or ``only`` (``…_shadow``: the shadow alone)
    shadow: Literal["none", "with", "only"] = "none"
    #: xpin style (pin, pin_star, pin_sleft, pin_sright), bubble frame or note type
    style: str = "pin"
    lines: tuple[str, ...] = ()
    #: the first line is a bold title (``d_fnote_title``)
    title: bool = False
    icon: str | None = None
    fill: str = "#FE7569"
    color: str = "#000000"
    star: str | None = None
    outline: str = "#FFFFFF"
    scale: float = 1.0
    rotation: float = 0.0
    font_size: int = 11
    bold: bool = False
    align: Literal["l", "h", "r"] = "h"
    #: d_fnote size 1 (large) rather than 2 (small)
    large: bool = False
    format: ImageFormat = ImageFormat.png

    def cache_key(self) -> str:
        return "icon" + hashlib.sha256(self.model_dump_json().encode()).hexdigest()[:28]
