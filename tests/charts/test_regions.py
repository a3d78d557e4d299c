"""chof=json (image-map regions) checked against the shapes found in the PNG; chof=validate."""

from __future__ import annotations

import io
from typing import Any

import numpy as np
import pytest
from fastapi.testclient import TestClient
from PIL import Image, ImageDraw

from tests.charts.googlecheck import encode_raw


def regions(client: TestClient, query: str) -> list[dict[str, Any]]:
    response = client.get("/chart?" + encode_raw(query + "&chof=json"))
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/json"
    shapes: list[dict[str, Any]] = response.json()["chartshape"]
    return shapes


def png(client: TestClient, query: str) -> np.ndarray:
    response = client.get("/chart?" + encode_raw(query))
    assert response.status_code == 200
    return np.asarray(Image.open(io.BytesIO(response.content)).convert("RGB"), dtype=int)


def is_color(arr: np.ndarray, color: str, tolerance: int = 24) -> np.ndarray:
    rgb = [int(color[i : i + 2], 16) for i in (0, 2, 4)]
    return np.all(np.abs(arr - rgb) <= tolerance, axis=-1)


def runs(mask: np.ndarray) -> list[tuple[int, int]]:
    """(first, last) index of each run of True."""
    out, start = [], None
    for i, v in enumerate([*mask.tolist(), False]):
        if v and start is None:
            start = i
        elif not v and start is not None:
            out.append((start, i - 1))
            start = None
    return out


def test_vertical_bar_regions_match_the_bars_in_the_png(client: TestClient) -> None:
    query = "cht=bvg&chs=300x200&chd=t:20,60,100,40&chco=FF0000&chxt=x,y"
    shapes = regions(client, query)
    image = png(client, query)
    assert [s["name"] for s in shapes] == ["bar0_0", "bar0_1", "bar0_2", "bar0_3"]
    red = is_color(image, "FF0000")
    # the bars as a person finds them: red runs along a row just above the lowest red
    bottom = int(np.nonzero(red.any(axis=1))[0].max())
    found = runs(red[bottom - 2])
    assert len(found) == 4
    for shape, (first, last) in zip(shapes, found, strict=True):
        x1, y1, x2, y2 = shape["coords"]
        assert shape["type"] == "RECT"
        assert abs(x1 - first) <= 1 and abs(x2 - last) <= 1
        column = runs(red[:, (x1 + x2) // 2])
        assert len(column) == 1 and abs(column[0][0] - y1) <= 1 and abs(column[0][1] - y2) <= 1
    heights = [s["coords"][3] - s["coords"][1] for s in shapes]
    assert heights[2] > heights[1] > heights[3] > heights[0]  # 100 > 60 > 40 > 20


def test_stacked_horizontal_bars_and_series_names(client: TestClient) -> None:
    query = "cht=bhs&chs=320x220&chd=t:20,60,10|30,20,50&chco=FF0000,0000FF"
    shapes = regions(client, query)
    image = png(client, query)
    names = [s["name"] for s in shapes]
    assert names == ["bar0_0", "bar0_1", "bar0_2", "bar1_0", "bar1_1", "bar1_2"]
    for shape in shapes:
        x1, y1, x2, y2 = shape["coords"]
        color = "FF0000" if shape["name"].startswith("bar0") else "0000FF"
        inside = is_color(image[y1 + 2 : y2 - 1, x1 + 2 : x2 - 1], color)
        assert inside.mean() > 0.95, shape
        assert not is_color(image[(y1 + y2) // 2, x2 + 3], color) or color == "FF0000"
    # stacked: the second series starts where the first ends, on the same row
    first, second = shapes[0]["coords"], shapes[3]["coords"]
    assert abs(second[0] - first[2]) <= 1 and second[1] == first[1]


def test_bar_width_and_gaps_move_the_regions(client: TestClient) -> None:
    query = "cht=bvg&chs=300x200&chd=t:50,80|30,60&chco=FF0000,00AA00&chbh=a"
    shapes = regions(client, query)
    image = png(client, query)
    for shape in shapes:
        x1, y1, x2, y2 = shape["coords"]
        color = "FF0000" if shape["name"].startswith("bar0") else "00AA00"
        assert is_color(image[y1 + 2 : y2 - 1, x1 + 2 : x2 - 1], color).mean() > 0.95


def test_pie_slice_regions_hold_their_slice_colours(client: TestClient) -> None:
    query = "cht=p&chs=300x200&chd=t:30,20,50&chco=FF0000|00AA00|0000FF"
    shapes = regions(client, query)
    image = png(client, query)
    assert [s["name"] for s in shapes] == ["pie0_0", "pie0_1", "pie0_2"]
    for shape, color in zip(shapes, ("FF0000", "00AA00", "0000FF"), strict=True):
        assert shape["type"] == "POLY"
        points = list(zip(shape["coords"][::2], shape["coords"][1::2], strict=True))
        mask = Image.new("L", (300, 200), 0)
        ImageDraw.Draw(mask).polygon(points, fill=255)
        inside = np.asarray(mask) > 0
        assert is_color(image, color)[inside].mean() > 0.9, shape["name"]
        assert is_color(image, color)[~inside].mean() < 0.01  # the colour is nowhere else


def test_line_point_regions_sit_on_the_line(client: TestClient) -> None:
    query = "cht=lc&chs=300x200&chd=t:10,50,30,80&chco=0000FF&chxt=x,y"
    shapes = regions(client, query)
    image = png(client, query)
    blue = is_color(image, "0000FF", 60)
    assert [s["name"] for s in shapes] == ["line0_0", "line0_1", "line0_2", "line0_3"]
    for shape in shapes:
        x, y, r = shape["coords"]
        assert shape["type"] == "CIRCLE" and r > 0
        assert blue[y - 2 : y + 3, x - 2 : x + 3].any(), shape


def test_kinds_without_shapes_give_an_empty_list(client: TestClient) -> None:
    assert regions(client, "cht=r&chs=200x200&chd=t:10,20,30") == []


def test_json_is_for_data_charts(client: TestClient) -> None:
    response = client.get("/chart?cht=qr&chs=100x100&chl=hi&chof=json")
    assert response.status_code == 400 and response.json()["param"] == "chof"
    response = client.get("/chart?cht=bvs&chs=100x100&chof=json")
    assert response.status_code == 400 and response.json()["param"] == "chd"


def test_regions_are_cached_apart_from_the_image(client: TestClient) -> None:
    query = "/chart?cht=bvs&chs=100x100&chd=t:1,2"
    image = client.get(query)
    shapes = client.get(query + "&chof=json")
    assert image.headers["etag"] != shapes.headers["etag"]
    assert shapes.headers["content-type"] == "application/json"


def test_validate_lists_the_fatal_problem(client: TestClient) -> None:
    response = client.get("/chart?cht=bvs&chs=300x200&chof=validate")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert "cannot be drawn" in response.text
    assert "chd" in response.text and 'class="error"' in response.text


def test_validate_lists_warnings_and_escapes_input(client: TestClient) -> None:
    response = client.get(
        "/chart?" + encode_raw("cht=bvs&chs=300x200&chd=t:1,2&chco=<script>x&chof=validate")
    )
    assert response.status_code == 200
    assert "<script>" not in response.text
    assert "&lt;script&gt;" in response.text
    assert 'class="warning"' in response.text and "can be drawn" in response.text


def test_validate_clean_url(client: TestClient) -> None:
    response = client.get("/chart?cht=p&chs=300x200&chd=t:1,2&chof=validate")
    assert "No problems found" in response.text


@pytest.mark.parametrize("fmt", ["json", "validate"])
def test_unknown_format_message_names_the_new_outputs(client: TestClient, fmt: str) -> None:
    response = client.get("/chart?cht=p&chs=100x100&chd=t:1&chof=bmp")
    assert fmt in response.json()["detail"]


def test_json_on_icons_and_maps_says_what_it_is_for(client: TestClient) -> None:
    for query in ("chst=d_map_pin_letter&chld=A", "cht=map&chs=300x200&chld=FR"):
        response = client.get(f"/chart?{query}&chof=json")
        assert response.status_code == 400
        assert "data charts" in response.json()["detail"]


def test_native_bar_regions_follow_the_automatic_value_axis() -> None:
    """A spec without fixed axis limits: the regions follow the renderer's own nice range."""
    from chartographer.charts.regions import chart_regions
    from chartographer.charts.render import render_chart
    from chartographer.charts.spec import ChartKind, ChartSpec, Series

    spec = ChartSpec(
        kind=ChartKind.bar,
        series=(Series(values=(3.0, -7.0, 12.5, None), color="#FF0000"),),
        labels=("a", "b", "c", "d"),
        width=320,
        height=200,
    )
    shapes = chart_regions(spec)
    image = np.asarray(Image.open(io.BytesIO(render_chart(spec).body)).convert("RGB"), dtype=int)
    red = is_color(image, "FF0000")
    assert [s.name for s in shapes] == ["bar0_0", "bar0_1", "bar0_2"]  # the gap is skipped
    for shape in shapes:
        x1, y1, x2, y2 = shape.coords
        column = runs(red[:, (x1 + x2) // 2])
        assert len(column) == 1
        assert abs(column[0][0] - y1) <= 1 and abs(column[0][1] - y2) <= 1, shape


def test_zero_slices_and_missing_points_have_no_region(client: TestClient) -> None:
    pie = regions(client, "cht=p&chs=200x200&chd=t:30,0,70")
    assert [s["name"] for s in pie] == ["pie0_0", "pie0_2"]
    line = regions(client, "cht=lc&chs=200x200&chd=t:10,_,30")
    assert [s["name"] for s in line] == ["line0_0", "line0_2"]


@pytest.mark.parametrize("values", [(0.0, 10.0, 4.0), (5.0, 5.0, 5.0)])
def test_native_line_points_sit_on_the_line(values: tuple[float, ...]) -> None:
    from chartographer.charts.regions import chart_regions
    from chartographer.charts.render import render_chart
    from chartographer.charts.spec import ChartKind, ChartSpec, Series

    spec = ChartSpec(
        kind=ChartKind.line,
        series=(Series(values=values, color="#0000FF"),),
        width=300,
        height=200,
    )
    image = np.asarray(Image.open(io.BytesIO(render_chart(spec).body)).convert("RGB"), dtype=int)
    blue = is_color(image, "0000FF", 60)
    shapes = chart_regions(spec)
    assert len(shapes) == 3
    for shape in shapes:
        x, y, _ = shape.coords
        assert blue[y - 2 : y + 3, x - 2 : x + 3].any(), shape
