"""One pie geometry for the drawing and the chof=json regions: checked on the decoded PNG."""

from __future__ import annotations

import io
from typing import Any

import numpy as np
import pytest
from fastapi.testclient import TestClient
from PIL import Image, ImageDraw

from tests.charts.googlecheck import encode_raw

COLORS = ("FF0000", "00AA00", "0000FF")


def _get(client: TestClient, query: str) -> Any:
    response = client.get("/chart?" + encode_raw(query))
    assert response.status_code == 200, response.text
    return response


def _centroid(points: list[tuple[int, int]]) -> tuple[float, float]:
    """Area centroid of a simple polygon (shoelace)."""
    xs = np.array([p[0] for p in points], dtype=float)
    ys = np.array([p[1] for p in points], dtype=float)
    cross = xs * np.roll(ys, -1) - np.roll(xs, -1) * ys
    area = cross.sum() / 2
    cx = ((xs + np.roll(xs, -1)) * cross).sum() / (6 * area)
    cy = ((ys + np.roll(ys, -1)) * cross).sum() / (6 * area)
    return float(cx), float(cy)


def _close(pixel: np.ndarray, color: str, tolerance: int = 24) -> bool:
    rgb = np.array([int(color[i : i + 2], 16) for i in (0, 2, 4)])
    return bool(np.all(np.abs(pixel - rgb) <= tolerance))


@pytest.mark.parametrize(
    "query",
    [
        "cht=p3&chs=300x200&chd=t:35,25,40",
        "cht=p&chp=1.9&chs=300x200&chd=t:35,25,40",
        "cht=p3&chp=4&chs=360x180&chd=t:35,25,40&chl=a|b|c",
        "cht=pd&chp=0.5&chs=240x240&chd=t:35,25,40",
    ],
)
def test_regions_of_tilted_and_turned_pies_sit_on_their_slices(
    client: TestClient, query: str
) -> None:
    query += "&chco=" + "|".join(COLORS)
    shapes = _get(client, query + "&chof=json").json()["chartshape"]
    image = np.asarray(Image.open(io.BytesIO(_get(client, query).content)).convert("RGB"))
    image = image.astype(int)
    assert [s["name"] for s in shapes] == ["pie0_0", "pie0_1", "pie0_2"]
    for shape, color in zip(shapes, COLORS, strict=True):
        points = list(zip(shape["coords"][::2], shape["coords"][1::2], strict=True))
        if query.startswith("cht=pd"):  # a ring's centroid is in its hole: test the middle point
            outer, inner = points[: len(points) // 2], points[len(points) // 2 :]
            mid_o, mid_i = outer[len(outer) // 2], inner[len(inner) // 2]
            x, y = (mid_o[0] + mid_i[0]) / 2, (mid_o[1] + mid_i[1]) / 2
        else:
            x, y = _centroid(points)
        assert _close(image[round(y), round(x)], color), (shape["name"], x, y)
        mask = Image.new("L", (image.shape[1], image.shape[0]), 0)
        ImageDraw.Draw(mask).polygon(points, fill=255)
        inside = np.asarray(mask) > 0
        rgb = np.array([int(color[i : i + 2], 16) for i in (0, 2, 4)])
        hit = np.all(np.abs(image - rgb) <= 24, axis=-1)
        assert hit[inside].mean() > 0.9, shape["name"]
        assert hit[~inside].mean() < 0.01, shape["name"]  # and the slice is nowhere else


def test_tilted_pie_regions_are_squashed() -> None:
    """A p3 pie is wider than tall, in its regions as in the drawing."""
    from chartographer.charts.draw.pie_layout import TILT_3D, pie_layout
    from chartographer.charts.spec import ChartKind, ChartSpec, Series
    from chartographer.charts.styling import Styling

    spec = ChartSpec(
        kind=ChartKind.pie,
        series=(Series(values=(1.0, 1.0)),),
        styling=Styling(pie_3d=True, pie_start=0.0),
        width=300,
        height=200,
    )
    layout = pie_layout(spec, (0.0, 0.0, 1.0, 1.0), 9.0)
    points = [p for s in layout.slices for p in layout.outline(s)]
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    assert (max(ys) - min(ys)) / (max(xs) - min(xs)) == pytest.approx(TILT_3D, rel=0.02)
    assert min(ys) >= 0 and max(ys) <= 200 and min(xs) >= 0 and max(xs) <= 300
