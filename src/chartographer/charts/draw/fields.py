"""Which spec fields a drawer draws, and whether a spec sets any other.

The canvas claims a spec only if every field it sets is one its drawers draw
(:func:`sets_other`), so a field added later by any front door keeps its specs
on the artist renderer until a drawer learns it.
"""

from __future__ import annotations

from pydantic import BaseModel

#: the spec fields every drawer of ``charts.draw`` draws (round kinds ignore ``stacked``,
#: ``horizontal`` and the axes, as the artist renderer did)
SPEC_FIELDS = frozenset(
    {
        "kind", "series", "labels", "title", "title_color", "title_size", "width",
        "height", "format", "scale", "horizontal", "stacked", "background",
        "plot_background", "gridlines", "value_labels", "legend", "legend_position",
        "x_axis", "y_axis", "palette", "styling", "number_format",
        # --- txt (themes, fonts, scripts): the canvas recolours the light theme's ink,
        # grid and lines (``Canvas.paint``), draws the ``font=`` family first and shapes
        # right-to-left text (``charts.fonts.visual_text``)
        "theme", "font",
        # pies (issue #10 items 3, 4): label placement, zero line
        "pie_labels", "tidy_labels",
    }
    # --- axes (issue #10 item 6): drawn by charts.draw.extras, not by the artists ---
    | {"x_scale", "y_scale", "annotations", "y2_axis", "y2_number_format"}
)  # fmt: skip
#: the fields only the canvas draws: a spec setting one never goes to the artists
CANVAS_ONLY_FIELDS = frozenset({"x_scale", "y_scale", "annotations", "y2_axis", "y2_number_format"})
AXIS_FIELDS = frozenset(
    {"title", "min", "max", "ticks", "tick_labels", "visible", "color", "font_size"}
)
SERIES_FIELDS = frozenset(
    {"values", "name", "color", "point_colors", "x", "sizes", "line_width", "dash"}
    | {"axis"}  # --- axes (issue #10 item 6) ---
)


def sets_other(model: BaseModel, drawn: frozenset[str]) -> bool:
    """A field outside ``drawn`` differs from its default."""
    fields = type(model).model_fields
    return any(
        getattr(model, name) != info.get_default(call_default_factory=True)
        for name, info in fields.items()
        if name not in drawn
    )


def canvas_only(spec: BaseModel) -> list[str]:
    """The canvas-only fields (axes, issue #10 item 6) ``spec`` sets, by name."""
    names = [
        name
        for name in sorted(CANVAS_ONLY_FIELDS)
        if getattr(spec, name) != type(spec).model_fields[name].get_default()
    ]
    series = getattr(spec, "series", ())
    if any(getattr(s, "axis", "left") != "left" for s in series):
        names.append("axis")
    return names
