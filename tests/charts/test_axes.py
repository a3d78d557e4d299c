"""Time and log axes, annotations and the right y axis (issue #10 item 6), decoded.

Each chart comes through the native API; the tests ask the layout where it put
the ticks (``charts.draw.extras.build_frame``, the frame the renderer draws)
and then look in the decoded image for the ink a reader would see there.
"""

from __future__ import annotations

from datetime import UTC, datetime
from urllib.parse import quote

import numpy as np
import pytest
from fastapi.testclient import TestClient

from chartographer.charts import draw
from chartographer.charts.artists import decorations
from chartographer.charts.draw import extras
from chartographer.charts.draw.axes import Plot
from chartographer.charts.draw.cartesian import Frame
from chartographer.charts.layout import font_sizes, plot_margins
from chartographer.charts.native.params import ChartQuery, Limits, spec_from_query
from chartographer.charts.render import drawn_on_canvas
from chartographer.charts.spec import ChartKind, ChartSpec
from chartographer.config import Settings
from tests.conftest import decode
from tests.imagecheck import hex_rgb, rgb_array

LIMITS = Limits.from_settings(Settings())


def spec_of(kind: str, **query: object) -> ChartSpec:
    return spec_from_query(ChartKind(kind), ChartQuery.model_validate(query), LIMITS)


def frame_of(spec: ChartSpec) -> Frame:
    """The frame ``charts.draw.chart.render`` draws for ``spec``."""
    fonts = font_sizes(spec)
    margins = decorations.plot_area(spec, fonts, plot_margins(spec, fonts))
    return extras.build_frame(spec, fonts, Plot.from_margins(margins, spec.width, spec.height))


def url(kind: str, **query: str | list[str]) -> str:
    parts = []
    for name, value in query.items():
        for item in value if isinstance(value, list) else [value]:
            parts.append(f"{name}={quote(item, safe=',')}")
    return f"/v1/charts/{kind}?" + "&".join(parts)


def near(pixels: np.ndarray, color: str, tolerance: int = 40) -> np.ndarray:
    return np.all(np.abs(pixels - np.array(hex_rgb(color))) <= tolerance, axis=-1)


# --- log axes ------------------------------------------------------------------------


def test_a_log_axis_puts_10_100_1000_at_equal_spacing_with_ticks_drawn_there(
    client: TestClient,
) -> None:
    query = {"values": ["10,100,1000"], "labels": "a,b,c", "y_scale": "log"}
    spec = spec_of("line", **query)
    assert draw.supports(spec) and drawn_on_canvas(spec)
    frame = frame_of(spec)
    guide, scale, _limits = frame.guides[0]
    labels = dict(zip(guide.positions, guide.labels, strict=True))
    assert {10.0: "10", 100.0: "100", 1000.0: "1,000"}.items() <= labels.items()
    y10, y100, y1000 = scale(10), scale(100), scale(1000)
    assert y10 > y100 > y1000  # up the plot
    assert abs((y10 - y100) - (y100 - y1000)) < 1e-6
    image = rgb_array(decode(client.get(url("line", **query)).content))
    left = round(frame.plot.left)
    ticks = image[:, left - 3 : left - 1]  # the outward tick marks left of the plot
    ink = (ticks.max(axis=-1) < 235).any(axis=1)  # rows with a mark
    for y in (y10, y100, y1000):
        assert ink[round(y) - 1 : round(y) + 2].any(), f"no tick mark at y={y}"
    between = scale(10**1.5)  # 31.6: no tick, major or minor, there
    assert not ink[round(between) - 3 : round(between) + 4].any()


def test_log_bars_stand_on_the_axis_floor(client: TestClient) -> None:
    query = {"values": ["3,30,300"], "labels": "a,b,c", "y_scale": "log", "colors": "4E79A7"}
    frame = frame_of(spec_of("bar", **query))
    _guide, scale, (lo, hi) = frame.guides[0]
    assert (lo, hi) == (1.0, 1000.0)
    image = rgb_array(decode(client.get(url("bar", **query)).content))
    column = round(frame.x(2))  # the third bar, 300
    blue = near(image[:, column], "#4E79A7", 20)
    rows = np.flatnonzero(blue)
    assert abs(rows.max() - frame.plot.bottom) <= 2  # from the floor…
    assert abs(rows.min() - scale(300)) <= 2  # …to 300 on the log scale


def test_minor_ticks_2_and_5_only_where_there_is_room() -> None:
    tall = frame_of(spec_of("line", values=["10,100"], y_scale="log", height=800))
    short = frame_of(spec_of("line", values=["1,1e9"], y_scale="log", height=200))
    assert {20.0, 50.0} <= set(tall.guides[0][0].positions)
    assert 20.0 not in short.guides[0][0].positions
    majors = short.guides[0][0].positions
    assert all(np.log10(p) == round(np.log10(p)) for p in majors)


def test_scatter_takes_log_on_both_axes(client: TestClient) -> None:
    query = {"values": ["1,10,100"], "x": ["1,10,100"], "x_scale": "log", "y_scale": "log"}
    frame = frame_of(spec_of("scatter", **query))
    xs = [frame.x(v) for v in (1, 10, 100)]
    assert abs((xs[1] - xs[0]) - (xs[2] - xs[1])) < 1e-6
    assert "10" in frame.guides[1][0].labels
    assert client.get(url("scatter", **query)).status_code == 200


# --- time axes -----------------------------------------------------------------------


def months(start: int, count: int) -> list[str]:
    return [f"{start + i // 12}-{i % 12 + 1:02d}-01" for i in range(count)]


def test_two_years_at_600px_tick_on_quarter_starts_with_real_dates(client: TestClient) -> None:
    dates = months(2024, 25)  # Jan 2024 … Jan 2026
    query = {"values": [",".join(str(i % 5 + 1) for i in range(25))], "x": [",".join(dates)]}
    spec = spec_of("line", **query)
    assert spec.x_scale == "time"
    frame = frame_of(spec)
    guide, scale, _limits = frame.guides[1]
    ticks = [datetime.fromtimestamp(p, UTC) for p in guide.positions]
    assert len(ticks) >= 6
    for tick, label in zip(ticks, guide.labels, strict=True):
        assert (tick.day, tick.hour, tick.minute) == (1, 0, 0)  # month starts…
        assert (tick.month - 1) % 3 == 0  # …on quarters
        if tick.month == 1 or tick is ticks[0]:
            assert datetime.strptime(label, "%b %Y").replace(tzinfo=UTC) == tick
        else:
            assert label == tick.strftime("%b")
    assert "Jan 2025" in guide.labels
    image = rgb_array(decode(client.get(url("line", **query)).content))
    below = image[round(frame.plot.bottom) + 4 : round(frame.plot.bottom) + 20]
    for at in guide.positions:  # a label's ink under each tick
        column = round(scale(at))
        assert (below[:, column - 3 : column + 4].max(axis=-1) < 150).any()


def test_hours_and_unix_seconds(client: TestClient) -> None:
    start = int(datetime(2026, 3, 3, 8, tzinfo=UTC).timestamp())
    xs = ",".join(str(start + h * 3600) for h in (0, 4, 10, 18))
    query = {"values": ["1,4,2,5"], "x": [xs], "x_scale": "time"}
    guide = frame_of(spec_of("line", **query)).guides[1][0]
    assert "12:00" in guide.labels and "Mar 4" in guide.labels  # midnight names the day
    assert client.get(url("line", **query)).status_code == 200


def test_iso_datetimes_with_offsets_are_utc() -> None:
    spec = spec_of("scatter", values=["1,2"], x=["2026-03-03T14:00+01:00,2026-03-03T15:00Z"])
    assert spec.series[0].x == (
        datetime(2026, 3, 3, 13, tzinfo=UTC).timestamp(),
        datetime(2026, 3, 3, 15, tzinfo=UTC).timestamp(),
    )


# --- annotations ---------------------------------------------------------------------


def test_an_annotation_line_draws_its_colour_across_the_plot_at_its_value(
    client: TestClient,
) -> None:
    query = {
        "values": ["3,7,5,9"],
        "labels": "a,b,c,d",
        "annotations": ["y|6|Target|FF00FF", "y|1..2|Low|00AA00", "x|1.5||0000FF"],
    }
    frame = frame_of(spec_of("bar", **query))
    plot = frame.plot
    image = rgb_array(decode(client.get(url("bar", **query)).content))
    inside = slice(round(plot.left) + 1, round(plot.right) - 1)
    row = round(frame.y(6))
    magenta = near(image[row - 1 : row + 2, inside], "#FF00FF").any(axis=0)
    assert magenta.mean() > 0.97  # across the whole plot, over the bars too
    assert not near(image[row + 8, inside], "#FF00FF").any()
    column = round(frame.x(1.5))
    blue = near(
        image[round(plot.top) + 1 : round(plot.bottom) - 1, column - 1 : column + 2], "#0000FF"
    )
    assert blue.any(axis=1).mean() > 0.97  # the vertical line, top to bottom
    band = image[round(frame.y(1.5)), round(frame.x(0.5)) + 5]  # between two bars
    assert band[1] > band[0] + 20 and band[1] > band[2] + 20  # a pale green wash
    assert tuple(image[round(frame.y(3)), round(frame.x(0.5)) + 5]) == (255, 255, 255)
    labels = image[
        round(frame.y(6)) - 16 : round(frame.y(6)) - 2, round(plot.right) - 60 : round(plot.right)
    ]
    assert near(labels, "#FF00FF", 60).any()  # "Target" in the line's colour


def test_post_annotations_are_objects_and_time_annotations_take_dates(client: TestClient) -> None:
    body = {
        "values": [[1, 3, 2]],
        "x": [["2026-01-01", "2026-02-01", "2026-03-01"]],
        "annotations": [
            {"axis": "x", "value": "2026-02-01", "color": "#FF00FF", "label": "Launch"},
            {"axis": "y", "value": 1.5, "to": 2.5},
        ],
    }
    response = client.post("/v1/charts/line", json=body)
    assert response.status_code == 200, response.text
    image = rgb_array(decode(response.content))
    assert near(image, "#FF00FF").any(axis=0).sum() >= 1


# --- the right y axis ----------------------------------------------------------------


def test_the_right_axis_has_its_own_ticks_and_number_format(client: TestClient) -> None:
    query = {
        "values": ["120,135,128,150", "0.31,0.34,0.29,0.38"],
        "labels": "Q1,Q2,Q3,Q4",
        "axis": "left,right",
        "y2_number_format": ".0%",
        "y2_title": "Margin",
    }
    frame = frame_of(spec_of("line", **query))
    left = next(g for g, _, _ in frame.guides if g.side == "left")
    right, scale, _limits = next(entry for entry in frame.guides if entry[0].side == "right")
    assert all(label.endswith("%") for label in right.labels if label)
    assert not any(label.endswith("%") for label in left.labels)
    assert max(right.positions) < 1 < max(left.positions)
    # the right series spans its own axis: its extremes near the plot's top and bottom
    assert abs(scale(0.38) - frame.plot.top) < 0.1 * frame.plot.height
    image = rgb_array(decode(client.get(url("line", **query)).content))
    edge = round(frame.plot.right)
    marks = (image[:, edge + 1 : edge + 3].max(axis=-1) < 235).any(axis=1)
    for at in right.positions:
        assert marks[round(scale(at)) - 1 : round(scale(at)) + 2].any(), at
    labels = image[round(frame.plot.top) : round(frame.plot.bottom), edge + 5 : edge + 40]
    assert (labels.max(axis=-1) < 150).sum() > 40  # the right tick labels are ink


def test_right_bars_keep_their_place_in_the_group() -> None:
    spec = spec_of("bar", values=["10,20", "0.5,0.7"], axis="left,right")
    frame = frame_of(spec)
    assert [g.side for g, _, _ in frame.guides] == ["left", "bottom", "right"]
    assert len(frame.fills) == 2  # the left view's bars and the right view's


# --- what the artists never draw -----------------------------------------------------


def test_canvas_only_fields_never_go_to_the_artists(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    # as if the canvas lacked some other feature of the spec: the artists would be asked
    monkeypatch.setattr(draw, "supports", lambda spec: False)
    response = client.get("/v1/charts/line?values=1,10&y_scale=log")
    assert response.status_code == 422
    assert response.json()["param"] == "y_scale"
    assert client.get("/v1/charts/line?values=1,10").status_code == 200


# --- validation ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "query", "status", "param"),
    [
        ("line", "values=0,1&y_scale=log", 422, "y_scale"),
        ("line", "values=-3,1&y_scale=log", 422, "y_scale"),
        ("line", "values=1,2&y_scale=log&y_min=0", 422, "y_min"),
        ("bar", "values=1,2&y_scale=log&horizontal=true", 422, "y_scale"),
        ("bar", "values=1,2&values=3,4&y_scale=log&stacked=true", 422, "y_scale"),
        ("pie", "values=1,2&y_scale=log", 422, "y_scale"),
        ("scatter", "values=1,2&x=0,1&x_scale=log", 422, "x_scale"),
        ("scatter", "values=1,2&x=1,2&x_scale=log&x_min=-1", 422, "x_min"),
        ("line", "values=1,2&x_scale=time", 422, "x_scale"),
        ("bar", "values=1,2&x=2026-01-01,2026-02-01", 422, "x_scale"),
        ("line", "values=1,2&x=2026-01-01,5", 422, "x"),
        ("line", "values=1,2&x=2026-01-01,2026-02-01&x_scale=log", 422, "x_scale"),
        ("line", "values=1,2&x=1700000000000,1700000001000&x_scale=time", 422, "x"),
        ("line", "values=1,2&x=1,2&x_scale=time&x_max=1e13", 422, "x_max"),
        ("line", "values=1,2&annotations=z|1", 422, "annotations"),
        ("line", "values=1,2&annotations=y", 422, "annotations"),
        ("line", "values=1,2&annotations=y|abc", 422, "annotations"),
        ("line", "values=1,2&annotations=y|1|a|b|c", 422, "annotations"),
        ("line", "values=1,2&annotations=y|_", 422, "annotations"),
        ("line", "values=1,2&annotations=y|1|a|notacolour", 422, "annotations"),
        ("line", "values=1,2&annotations=x|2026-01-01", 422, "annotations"),
        ("line", "values=1,2&y_scale=log&annotations=y|0", 422, "annotations"),
        ("line", "values=1,2&annotations=y|1|" + "x" * 201, 413, "annotations"),
        ("line", "values=1,2" + "&annotations=y|1" * 21, 422, "annotations"),
        ("pie", "values=1,2&annotations=y|1", 422, "annotations"),
        ("line", "values=1,2&values=3,4&axis=right,right", 422, "axis"),
        ("line", "values=1,2&values=3,4&axis=left,up", 422, "axis"),
        ("line", "values=1,2&values=3,4&axis=left,right,left", 422, "axis"),
        ("scatter", "values=1,2&values=3,4&axis=left,right", 422, "axis"),
        ("bar", "values=1,2&values=3,4&axis=left,right&stacked=true", 422, "axis"),
        ("line", "values=1,2&values=_,_&axis=left,right", 422, "axis"),
        ("line", "values=_,_&values=1,2&axis=left,right", 422, "axis"),
        ("line", "values=1,2&values=3,4&axis=left,right&y2_min=5&y2_max=1", 422, "y2_min"),
        ("line", "values=1,2&values=3,4&y2_min=1&y2_max=1.0000000000001", 422, "y2_min"),
        ("line", "values=1,2&y2_min=inf", 422, "y2_min"),
        ("line", "values=1,2&y2_number_format=.99f", 422, "y2_number_format"),
        ("line", "values=1,2&y2_title=" + "x" * 201, 413, "y2_title"),
    ],
)
def test_bad_axes_input_is_a_4xx_naming_the_parameter(
    client: TestClient, kind: str, query: str, status: int, param: str
) -> None:
    response = client.get(f"/v1/charts/{kind}?{query}")
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["param"] == param


@pytest.mark.parametrize(
    ("body", "param"),
    [
        ({"values": [[1, 2]], "annotations": [{"axis": "q", "value": 1}]}, "annotations"),
        ({"values": [[1, 2]], "annotations": [{"axis": "y", "value": None}]}, "annotations"),
        ({"values": [[1, 2]], "annotations": [{"axis": "y", "value": "soon"}]}, "annotations"),
        ({"values": [[1, 2]], "x": [["2026-01-01", 3]]}, "x"),
        ({"values": [[1, 2], [3, 4]], "axis": ["left", "middle"]}, "axis"),
    ],
)
def test_bad_axes_bodies(client: TestClient, body: dict[str, object], param: str) -> None:
    response = client.post("/v1/charts/line", json=body)
    assert response.status_code == 422, response.text
    assert response.json()["param"].split(".")[0] == param  # e.g. annotations.0.axis


# --- /docs -------------------------------------------------------------------------------

AXES_PARAMS = ("x_scale", "y_scale", "y2_number_format", "axis", "annotations")


def test_the_documented_examples_render(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    operation = schema["paths"]["/v1/charts/{kind}"]["get"]
    params = {p["name"]: p for p in operation["parameters"]}
    base = "values=3,7,5&values=0.2,0.4,0.3&x=2026-01-01,2026-02-01,2026-03-01"
    together = []
    for name in AXES_PARAMS:
        examples = params[name]["schema"]["examples"]
        for example in examples:
            items = example if isinstance(example, list) else [example]
            query = "&".join(f"{name}={quote(str(item))}" for item in items)
            together.append(query)
            response = client.get(f"/v1/charts/line?{base}&{query}")
            assert response.status_code == 200, (name, response.text)
            assert response.headers["content-type"] == "image/png"
    assert client.get(f"/v1/charts/line?{base}&" + "&".join(together)).status_code == 200
    for example in schema["components"]["schemas"]["ChartBody"]["examples"]:
        response = client.post("/v1/charts/line", json=example)
        assert response.status_code == 200, response.text
    body = schema["components"]["schemas"]["ChartBody"]["properties"]
    assert {"annotations", "axis", "x_scale", "y_scale", "y2_title"} <= set(body)


def test_marks_outside_the_plot_are_not_drawn_nor_labelled(client: TestClient) -> None:
    notes = ["y|50|Far|FF00FF", "y|40..45|Band|FF00FF", "x|10..12|Off|FF00FF", "x|-9|Left|FF00FF"]
    response = client.get(url("bar", values="1,2", labels="a,b", annotations=notes))
    assert response.status_code == 200
    assert not near(rgb_array(decode(response.content)), "#FF00FF", 60).any()


def test_gaps_on_a_log_axis_break_the_line(client: TestClient) -> None:
    query = {"values": ["1,_,100"], "x": ["1,2,3"], "y_scale": "log", "x_scale": "log"}
    frame = frame_of(spec_of("line", **query))
    assert np.isnan(frame.y.many(np.array([np.nan, 10.0])))[0]
    assert frame.y(float("nan")) != frame.y(float("nan"))
    assert frame.y(-5) == frame.y(frame.y.lo)  # nothing below the floor
    assert client.get(url("line", **query)).status_code == 200
