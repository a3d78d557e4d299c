"""Native value labels off the line and each other; the zero line emphasised.

The pure placement (``charts.draw.placement``) is checked with numbers; the
charts are decoded: a label's ink must not cover the line's pixels, and the
zero line of negative bars must be a dark full-width line, not a gridline.
"""

from __future__ import annotations

import math

import numpy as np
from fastapi.testclient import TestClient

from chartographer.charts.draw.placement import (
    Candidate,
    Rect,
    crosses,
    line_sides,
    place,
    polyline_segments,
    text_rect,
)
from chartographer.charts.draw.tidy import ZERO_COLOR, crosses_zero
from chartographer.charts.native.params import ChartQuery, Limits, spec_from_query
from chartographer.charts.render import render_chart
from chartographer.charts.spec import ChartKind, ChartSpec
from chartographer.config import Settings
from tests.conftest import decode
from tests.imagecheck import hex_rgb, rgb_array

LINE = np.array([0x4E, 0x79, 0xA7])  # the first series' colour


def spec_of(kind: str, **query: object) -> ChartSpec:
    return spec_from_query(
        ChartKind(kind), ChartQuery.model_validate(query), Limits.from_settings(Settings())
    )


def pixels(spec: ChartSpec) -> np.ndarray:
    return rgb_array(decode(render_chart(spec).body).convert("RGB")).astype(int)


# --- the pure placement ------------------------------------------------------------


def test_minima_are_labelled_below_and_the_rest_above() -> None:
    # the first point is below its only neighbour: a minimum too
    assert line_sides([5, 9, 2, 8, 7, 1, 6]) == [False, True, False, True, True, False, True]
    assert line_sides([3.0]) == [True]
    assert line_sides([4, math.nan, 1, 2]) == [True, True, False, True]


def test_a_segment_through_a_box_is_found_and_one_beside_it_is_not() -> None:
    box = Rect(10, 10, 20, 20)
    assert crosses(box, ((0, 15), (30, 15)))  # straight through
    assert crosses(box, ((15, 15), (15, 15)))  # a point inside
    assert not crosses(box, ((0, 0), (30, 5)))  # above
    assert not crosses(box, ((25, 0), (25, 30)))  # to the right, vertical
    assert not crosses(box, ((0, math.nan), (30, 15)))  # a gap


def test_a_label_that_would_sit_on_a_line_or_a_kept_label_moves_or_is_dropped() -> None:
    first = Candidate(
        "a", ((50, 50, "center", "bottom", text_rect(50, 50, 20, 10, "center", "bottom")),)
    )
    clash = Candidate("b", first.places)
    moved = Candidate(
        "c",
        (
            (50, 50, "center", "bottom", text_rect(50, 50, 20, 10, "center", "bottom")),
            (50, 80, "center", "top", text_rect(50, 80, 20, 10, "center", "top")),
        ),
    )
    kept = place([first, clash, moved])
    assert [(p.text, p.y) for p in kept] == [("a", 50), ("c", 80)]
    through = polyline_segments([(0, 45), (100, 45), (math.nan, math.nan), (0, 0)])
    assert [p.text for p in place([first], through)] == []  # the line runs through it
    assert place([first], bounds=Rect(0, 0, 55, 100)) == []  # past the bounds


def test_zero_counts_when_the_data_crosses_it() -> None:
    assert crosses_zero([3, -2], (-2.5, 3.5))
    assert not crosses_zero([3, 2], (0, 3.5))
    assert not crosses_zero([-3, -2], (-3.5, -1.5))


# --- what a person sees -------------------------------------------------------------


def _label_ink_over_the_line(spec: ChartSpec) -> int:
    """Line pixels (drawn without labels) that a value label's ink covered."""
    bare = pixels(spec.model_copy(update={"value_labels": False}))
    labelled = pixels(spec)
    line = np.abs(bare - LINE).max(axis=-1) < 60
    covered = line & (np.abs(labelled - bare).max(axis=-1) > 40)
    return int(covered.sum())


def test_a_line_with_minima_keeps_its_value_labels_off_the_line() -> None:
    spec = spec_of("line", values=["5,9,2,8,7,1,6"], labels="a,b,c,d,e,f,g", value_labels=True)
    assert spec.tidy_labels
    assert _label_ink_over_the_line(spec) == 0
    # the legacy placement (always above) puts the minima's labels on the line: the
    # check above can fail
    assert _label_ink_over_the_line(spec.model_copy(update={"tidy_labels": False})) > 0
    image = pixels(spec)
    bare = pixels(spec.model_copy(update={"value_labels": False}))
    ink = np.abs(image - bare).max(axis=-1) > 40
    line_rows = np.nonzero((np.abs(bare - LINE).max(axis=-1) < 25).any(axis=1))[0]
    assert ink[line_rows.max() + 1 :].any()  # the lowest point's label sits below the line


def test_two_lines_label_each_point_once_without_overlap(client: TestClient) -> None:
    url = "/v1/charts/line?values=5,9,2,8&values=5,8,3,8&labels=a,b,c,d&value_labels=true"
    response = client.get(url)
    assert response.status_code == 200
    assert response.headers["content-type"] == "image/png"
    assert decode(response.content).size == (600, 400)


def _zero_rows(image: np.ndarray) -> list[int]:
    dark = np.abs(image - np.array(hex_rgb(ZERO_COLOR))).max(axis=-1) < 50
    return [y for y in range(image.shape[0]) if dark[y].mean() > 0.6]


def test_negative_bars_show_an_emphasised_zero_line() -> None:
    spec = spec_of("bar", values=["5,-3,2,-8"], labels="a,b,c,d")
    rows = _zero_rows(pixels(spec))
    assert rows and max(rows) - min(rows) <= 3  # one dark line across the plot
    # it is at zero: between the tops of the negative bars and the bottoms of the positive
    image = pixels(spec)
    bars = np.abs(image - LINE).max(axis=-1) < 30
    column_a, column_b = image.shape[1] * 0.16, image.shape[1] * 0.36
    positive_bottom = np.nonzero(bars[:, round(column_a)])[0].max()
    negative_top = np.nonzero(bars[:, round(column_b)])[0].min()
    assert positive_bottom - 3 <= min(rows) <= negative_top + 3
    assert _zero_rows(pixels(spec_of("bar", values=["5,3,2,8"]))) == []  # no crossing, no line
    legacy = spec.model_copy(update={"tidy_labels": False})
    assert _zero_rows(pixels(legacy)) == []  # the gridline look the issue complained of


def test_horizontal_negative_bars_have_a_vertical_zero_line() -> None:
    image = pixels(spec_of("bar", values=["5,-3,2"], horizontal=True))
    dark = np.abs(image - np.array(hex_rgb(ZERO_COLOR))).max(axis=-1) < 50
    assert (dark.mean(axis=0) > 0.6).any()
