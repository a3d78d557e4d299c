"""Google ``chbh`` bar widths and gaps and ``chf=a`` transparency, measured in the image."""

from __future__ import annotations

import io

import numpy as np
from fastapi.testclient import TestClient
from PIL import Image

from tests.charts.googlecheck import encode_raw, fetch, rgb


def spans(image: Image.Image, y: int, colors: dict[str, str]) -> list[tuple[str, int, int]]:
    """(colour name, first column, last column) of every run of a named colour along row ``y``."""
    arr = np.asarray(image, dtype=np.int16)[y]
    out: list[tuple[str, int, int]] = []
    for x, pixel in enumerate(arr):
        name = next((n for n, c in colors.items() if np.all(np.abs(pixel - rgb(c)) <= 24)), None)
        if name is None:
            continue
        if out and out[-1][0] == name and out[-1][2] == x - 1:
            out[-1] = (name, out[-1][1], x)
        else:
            out.append((name, x, x))
    return out


def test_chbh_pixel_width_and_gaps_are_measured_in_the_png(client: TestClient) -> None:
    image, _ = fetch(
        client,
        "cht=bvg&chs=400x150&chd=t:40,60,80|50,70,90&chds=0,100&chco=FF0000,0000FF&chbh=10,5,15",
    )
    bars = spans(image, image.height - 30, {"r": "FF0000", "b": "0000FF"})
    assert [b[0] for b in bars] == ["r", "b"] * 3
    widths = [last - first + 1 for _, first, last in bars]
    assert all(9 <= w <= 11 for w in widths), widths
    gaps = [bars[i + 1][1] - bars[i][2] - 1 for i in range(len(bars) - 1)]
    # 5 px between the bars of a group, 15 px between groups
    assert all(4 <= g <= 6 for g in gaps[0::2]), gaps
    assert all(14 <= g <= 16 for g in gaps[1::2]), gaps
    # packed from the left as Google packs them: the right of the plot stays empty
    assert bars[-1][2] < image.width * 0.5


def test_chbh_on_horizontal_bars_measures_rows(client: TestClient) -> None:
    image, _ = fetch(
        client, "cht=bhs&chs=200x300&chd=t:40,60,80&chds=0,100&chco=00AA00&chbh=20,0,10"
    )
    column = image.transpose(Image.Transpose.TRANSPOSE)
    bars = spans(column, 60, {"g": "00AA00"})
    assert len(bars) == 3
    assert all(19 <= last - first + 1 <= 21 for _, first, last in bars), bars
    gaps = [bars[i + 1][1] - bars[i][2] - 1 for i in range(2)]
    assert all(9 <= g <= 11 for g in gaps), gaps


def test_chbh_a_fits_the_bars_to_the_plot(client: TestClient) -> None:
    image, _ = fetch(
        client, "cht=bvg&chs=400x150&chd=t:40,60,80,90&chds=0,100&chco=FF0000&chbh=a,4,20"
    )
    bars = spans(image, image.height - 30, {"r": "FF0000"})
    assert len(bars) == 4
    widths = [last - first + 1 for _, first, last in bars]
    assert max(widths) - min(widths) <= 1 and widths[0] > 40, widths
    gaps = [bars[i + 1][1] - bars[i][2] - 1 for i in range(3)]
    assert all(19 <= g <= 21 for g in gaps), gaps
    assert bars[-1][2] > image.width * 0.85  # fitted: they reach across the plot


def test_chf_a_makes_the_png_transparent(client: TestClient) -> None:
    response = client.get(
        "/chart?" + encode_raw("cht=bvs&chs=200x100&chd=t:50,80&chco=FF0000&chf=a,s,000000AA")
    )
    assert response.status_code == 200, response.text
    image = Image.open(io.BytesIO(response.content))
    assert image.mode == "RGBA"
    alpha = np.asarray(image)[..., 3]
    # Google's a fill makes the whole image that translucent: bars included
    assert np.median(alpha) == 0xAA or abs(int(np.median(alpha)) - 0xAA) <= 2
    assert alpha.max() <= 0xAA + 2


def test_chbh_category_labels_sit_under_the_packed_bars(client: TestClient) -> None:
    image, _ = fetch(
        client,
        "cht=bvg&chs=400x150&chd=t:40,60,80|50,70,90&chds=0,100&chco=FF0000,0000FF"
        "&chbh=10,5,15&chxt=x&chxl=0:|A|B|C",
    )
    bars = spans(image, image.height - 30, {"r": "FF0000", "b": "0000FF"})
    arr = np.asarray(image, dtype=np.int16)
    below = arr[image.height - 14 :]
    ink = np.flatnonzero((below.max(axis=-1) < 170).any(axis=0))
    assert ink.size > 0
    # every label's ink lies near the bars, none out in the empty right of the plot
    assert ink.max() < bars[-1][2] + 12, (ink.max(), bars[-1])
    centres = [(bars[i][1] + bars[i + 1][2]) / 2 for i in (0, 2, 4)]
    for centre in centres:
        assert np.any(np.abs(ink - centre) <= 4), centre


def test_chf_a_without_alpha_warns_and_stays_opaque(client: TestClient) -> None:
    response = client.get("/chart?" + encode_raw("cht=bvs&chs=200x100&chd=t:50&chf=a,s,000000"))
    assert response.status_code == 200
    assert "a,s,RRGGBBAA" in response.headers["x-chartographer-warning"]
    assert Image.open(io.BytesIO(response.content)).mode == "RGB"
