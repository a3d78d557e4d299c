"""Native pie labels (``pie_labels``): beside the slice, outside with leaders, or left off.

The layout's boxes are checked as numbers (none overlaps, all in the plot);
the images are decoded to check that the texts and leader lines are drawn
where the layout put them and that the pie drawn is the pie laid out.
"""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from chartographer.charts.draw.pie_labels import (
    Geometry,
    Item,
    percent,
    place_pie_labels,
)
from chartographer.charts.draw.pie_layout import PieLayout, pie_layout
from chartographer.charts.draw.placement import Rect
from chartographer.charts.draw.round import plot_margins_of
from chartographer.charts.layout import font_sizes
from chartographer.charts.native.params import ChartQuery, Limits, spec_from_query
from chartographer.charts.render import render_chart
from chartographer.charts.spec import ChartKind, ChartSpec
from chartographer.config import Settings
from tests.conftest import decode
from tests.imagecheck import rgb_array

#: 20 slices, 13 of them about 1 %: beside their slices these labels would pile up
TWENTY = "30,20,12,8,6,4,3," + ",".join(["1"] * 13)
NAMES = ",".join(f"Item {i}" for i in range(20))


def spec_of(kind: str = "pie", **query: object) -> ChartSpec:
    return spec_from_query(
        ChartKind(kind), ChartQuery.model_validate(query), Limits.from_settings(Settings())
    )


def layout_of(spec: ChartSpec) -> PieLayout:
    fonts = font_sizes(spec)
    return pie_layout(spec, plot_margins_of(spec, fonts), fonts["label"])


def boxes(layout: PieLayout) -> list[Rect]:
    found = [label.box for label in layout.labels]
    assert all(box is not None for box in found)
    return [box for box in found if box is not None]


def assert_apart_and_inside(found: list[Rect], bounds: Rect) -> None:
    for a, b in itertools.combinations(found, 2):
        assert not a.overlaps(b), (a, b)
    for box in found:
        assert box.inside(bounds), (box, bounds)


def test_twenty_slices_at_600x400_draw_every_label_apart_with_leaders(
    client: TestClient,
) -> None:
    response = client.get(f"/v1/charts/pie?values={TWENTY}&labels={NAMES}&width=600&height=400")
    assert response.status_code == 200
    assert response.headers["content-type"] == "image/png"
    image = rgb_array(decode(response.content).convert("RGB")).astype(int)
    layout = layout_of(spec_of(values=[TWENTY], labels=NAMES))
    assert layout.dropped == ()
    assert sorted(label.text for label in layout.labels) == sorted(NAMES.split(","))
    found = boxes(layout)
    assert_apart_and_inside(found, Rect(0, 0, 600, 400))
    ink = image.max(axis=-1) < 120
    for box in found:  # each text is drawn in its box (dark glyph pixels)
        window = ink[math.floor(box.top) : math.ceil(box.bottom), math.floor(box.left) :]
        assert window[:, : math.ceil(box.right - box.left)].sum() > 15, box
    leaders = [label.leader for label in layout.labels if label.leader]
    assert len(leaders) == 20  # crowded: every label went outside, each with its leader
    # the 0.6 pt #999999 line, antialiased: grey (no hue) and visibly darker than the white
    grey = (image.max(axis=-1) - image.min(axis=-1) < 10) & (image.max(axis=-1) < 235)
    for leader in leaders:  # ink on the leader's outer segment, halfway along
        (x0, y0), (x1, y1) = layout.px(*leader[-2]), layout.px(*leader[-1])
        x, y = round((x0 + x1) / 2), round((y0 + y1) / 2)
        assert grey[y - 1 : y + 2, x - 1 : x + 2].any(), (x, y)


def test_the_pie_shrinks_for_the_labels_and_is_drawn_at_the_size_laid_out() -> None:
    spec = spec_of(values=[TWENTY], labels=NAMES)
    layout = layout_of(spec)
    full = layout_of(spec.model_copy(update={"pie_labels": None}))
    assert layout.frame.unit < full.frame.unit * 0.95  # smaller, to make room for the columns
    image = rgb_array(decode(render_chart(spec).body).convert("RGB")).astype(int)
    first = np.array([0x4E, 0x79, 0xA7])  # the first slice, right of 12 o'clock
    cx, cy = layout.px(0.0, 0.0)
    row = np.nonzero(np.abs(image[round(cy) - 5] - first).max(axis=-1) < 20)[0]
    assert abs(row.max() - cx - layout.frame.unit) < 3  # its right edge at one radius


def test_few_slices_keep_their_labels_beside_the_slice_as_before() -> None:
    spec = spec_of(values=["30,20,50"], labels="red,green,blue", width=400, height=300)
    layout = layout_of(spec)
    legacy = layout_of(spec.model_copy(update={"pie_labels": None}))
    assert [label.leader for label in layout.labels] == [None, None, None]
    assert [(round(a.x, 9), round(a.y, 9)) for a in layout.labels] == [
        (round(b.x, 9), round(b.y, 9)) for b in legacy.labels
    ]
    assert layout.frame.unit == legacy.frame.unit


def test_labels_that_cannot_fit_are_left_off_smallest_slices_first() -> None:
    values = ",".join(str(100 - i) for i in range(60))
    spec = spec_of(values=[values], labels=",".join(f"n{i}" for i in range(60)), height=200)
    layout = layout_of(spec)
    assert layout.dropped  # 60 lines do not fit in 200 px
    kept = {int(label.text[1:]) for label in layout.labels}
    assert len(kept) > 20  # both columns filled, not one
    for right in (True, False):  # the values fall with the index: per column, every
        side = {s.index for s in layout.slices if (math.cos(s.mid) >= 0) == right}
        assert min(side & set(layout.dropped)) > max(side & kept)  # dropped is smaller
    assert_apart_and_inside(boxes(layout), Rect(0, 0, spec.width, spec.height))


@pytest.mark.parametrize(
    ("mode", "texts"),
    [
        ("label", ["a", "b"]),
        ("percent", ["25%", "75%"]),
        ("value", ["1", "3"]),
        ("label_percent", ["a (25%)", "b (75%)"]),
        ("none", []),
    ],
)
def test_pie_labels_say_what_was_asked(mode: str, texts: list[str]) -> None:
    layout = layout_of(spec_of(values=["1,3"], labels="a,b", pie_labels=mode))
    assert sorted(label.text for label in layout.labels) == texts


def test_percentages_keep_one_decimal_below_ten() -> None:
    assert [percent(s) for s in (0.5, 0.125, 0.0449, 0.0004, 0.05)] == [
        "50%",
        "12%",
        "4.5%",
        "0%",
        "5%",
    ]


def test_a_bad_pie_labels_is_a_422_naming_it(client: TestClient) -> None:
    response = client.get("/v1/charts/pie?values=1,2&pie_labels=shout")
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("application/problem+json")
    assert "pie_labels" in response.text
    response = client.post("/v1/charts/pie", json={"values": [[1, 2]], "pie_labels": 3})
    assert response.status_code == 422 and "pie_labels" in response.text


def test_post_takes_pie_labels_and_the_schema_documents_it(client: TestClient) -> None:
    body = {"values": [[1, 3]], "labels": ["a", "b"], "pie_labels": "percent"}
    assert client.post("/v1/charts/doughnut", json=body).status_code == 200
    schema = client.get("/openapi.json").json()
    text = str(schema)
    assert "label_percent" in text and "pie_labels" in text


def test_google_pies_keep_their_own_labels() -> None:
    from chartographer.charts.google.build import GoogleOptions, plan_chart
    from chartographer.charts.google.query import GoogleQuery

    pairs = [("cht", "p"), ("chs", "300x200"), ("chd", "t:1,2,3"), ("chl", "a|b|c")]
    query = GoogleQuery.from_pairs(pairs)
    plan = plan_chart(query, GoogleOptions(limits=Limits.from_settings(Settings())))
    assert isinstance(plan.argument, ChartSpec)
    assert plan.argument.pie_labels is None and not plan.argument.tidy_labels


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    shares=st.lists(st.floats(0.001, 100.0), min_size=1, max_size=80),
    widths=st.lists(st.floats(5.0, 160.0), min_size=1, max_size=80),
    size=st.tuples(st.integers(120, 900), st.integers(100, 700)),
)
def test_placed_labels_never_overlap_nor_leave_the_bounds(
    shares: list[float], widths: list[float], size: tuple[int, int]
) -> None:
    total = sum(shares)
    start, items = math.pi / 2, []
    for i, share in enumerate(shares):
        sweep = 2 * math.pi * share / total
        items.append(
            Item(i, start - sweep / 2, share / total, f"s{i}", widths[i % len(widths)], 14)
        )
        start -= sweep
    w, h = size
    bounds = Rect(6, 6, w - 6, h - 6)
    pie = Geometry(w / 2, h / 2, min(w, h) / 2.1 - 6)
    placed = place_pie_labels(items, pie, bounds)
    assert_apart_and_inside([label.rect for label in placed.labels], bounds)
    kept = {label.index for label in placed.labels}
    assert kept | set(placed.dropped) == set(range(len(items)))
    for right in (True, False):  # per column, no dropped slice is larger than a kept one
        side = [i for i in range(len(items)) if (math.cos(items[i].mid) >= 0) == right]
        gone = [items[i].share for i in side if i in placed.dropped]
        shown = [items[i].share for i in side if i in kept]
        if gone and shown:
            assert max(gone) <= min(shown)
    assert placed.shrink <= 1.0


@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    kind=st.sampled_from(["pie", "doughnut"]),
    mode=st.sampled_from(["label", "value", "percent", "label_percent", "none", "Label", ""]),
    values=st.lists(st.integers(0, 1000), min_size=1, max_size=40),
    width=st.integers(60, 800),
    height=st.integers(60, 600),
)
def test_any_pie_labels_query_renders_or_is_a_named_422(
    client: TestClient, kind: str, mode: str, values: list[int], width: int, height: int
) -> None:
    row = ",".join(map(str, values))
    labels = ",".join(f"slice {i}" for i in range(len(values)))
    url = f"/v1/charts/{kind}?values={row}&labels={labels}&pie_labels={mode}"
    response = client.get(f"{url}&width={width}&height={height}&value_labels=true")
    if mode not in ("label", "value", "percent", "label_percent", "none"):
        assert response.status_code == 422 and "pie_labels" in response.text
        return
    if sum(values) == 0:
        assert response.status_code == 422 and "values" in response.text
        return
    assert response.status_code == 200, response.text
    spec = spec_of(kind, values=[row], labels=labels, pie_labels=mode, width=width, height=height)
    assert_apart_and_inside(boxes(layout_of(spec)), Rect(0, 0, width, height))


def test_a_percentage_is_printed_on_a_slice_only_where_it_fits() -> None:
    spec = spec_of(values=["1,1,98"], labels="a,b,c", value_labels=True)
    layout = layout_of(spec)
    cx, cy = layout.px(0.0, 0.0)
    top = round(cy - 0.62 * layout.frame.unit)  # where the 1 % slices' percentages would go

    def white_near_the_thin_slices(chart: ChartSpec) -> int:
        image = rgb_array(decode(render_chart(chart).body).convert("RGB"))
        window = image[top - 8 : top + 8, round(cx) - 14 : round(cx) + 14]
        return int((window.min(axis=-1) > 230).sum())

    legacy = spec.model_copy(update={"pie_labels": None})
    assert white_near_the_thin_slices(legacy) > white_near_the_thin_slices(spec) + 10
    image = rgb_array(decode(render_chart(spec).body).convert("RGB"))
    bottom = round(cy + 0.62 * layout.frame.unit)  # the 98 % slice keeps its "98%"
    assert (
        image[bottom - 8 : bottom + 8, round(cx) - 20 : round(cx) + 20].min(axis=-1) > 230
    ).any()


def test_a_ringed_doughnut_labels_its_outer_ring_only() -> None:
    spec = spec_of("doughnut", values=["1,3", "2,2"], labels="a,b", pie_labels="percent")
    layout = layout_of(spec)
    assert {s.ring for s in layout.slices} == {0, 1}
    assert sorted(label.text for label in layout.labels) == ["25%", "75%"]
