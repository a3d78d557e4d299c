"""Google semantics client libraries rely on: stretching, zero lines, compound charts, nda.

Every test fetches a URL of the shape real client libraries send and checks
the decoded image for what a person would see.
"""

from __future__ import annotations

import numpy as np
from fastapi.testclient import TestClient

from tests.charts.googlecheck import dark, fetch, region, rgb, runs, share

FILL_BETWEEN = (
    "cht=lc&chs=300x150&chd=s:99,cefhjkqwrlgYcfgc,QSSVXXdkfZUMRTUQ,HJJMOOUbVPKDHKLH,AA"
    "&chco=000000,000000,000000,000000,000000"
    "&chm=b,76A4FB,0,1,0|b,224499,1,2,0|b,FF0000,2,3,0|B,80C65A,3,4,0"
)


def columns_with(image: object, color: str, tolerance: int = 16) -> np.ndarray:
    """Indexes of the image columns holding at least one pixel of ``color``."""
    arr = np.asarray(image, dtype=np.int16)
    hit = np.all(np.abs(arr - rgb(color)) <= tolerance, axis=-1)
    return np.flatnonzero(hit.any(axis=0))


def test_fill_between_lines_covers_the_whole_width(client: TestClient) -> None:
    image, _ = fetch(client, FILL_BETWEEN)
    right = region(image, 0.55, 0, 0.97, 1)
    for color in ("76A4FB", "224499", "FF0000", "80C65A"):
        assert share(right, color, tolerance=8) > 0.03, color
    # the two-point series (99, AA) run edge to edge: the top band reaches the right edge
    assert columns_with(image, "76A4FB", 8).max() > image.width * 0.95


def test_a_short_line_series_is_stretched_not_drawn_over_the_first_slots(
    client: TestClient,
) -> None:
    image, _ = fetch(
        client, "cht=lc&chs=300x150&chd=t:10,20,30,40,50,60,70,80|50,50&chco=CCCCCC,FF0000"
    )
    red = columns_with(image, "FF0000", 40)
    assert red.min() < image.width * 0.1 and red.max() > image.width * 0.9


def test_t1_draws_one_series_and_keeps_the_rest_for_markers(client: TestClient) -> None:
    query = (
        "cht=lc&chs=300x200&chd=t1:10,20,30,40|60,60,60,60|80,70,80,70|5,5,5,5|90,90,90,90"
        "&chco=FF0000,00AA00,0000FF,FF00FF,00FFFF&chls=3&chm=D,0000FF,2,0,3|o,000000,4,-1,8"
    )
    image, headers = fetch(client, query)
    assert share(image, "FF0000", 40) > 0.002  # the one drawn line
    assert share(image, "00AA00", 40) == 0  # series 1 is hidden
    assert share(image, "FF00FF", 40) == 0  # series 3 is hidden
    assert share(image, "00FFFF", 40) == 0  # series 4's own colour never appears
    assert share(image, "0000FF", 40) > 0.002  # the D line on hidden series 2
    # four black circles along the hidden series at 90 %: near the top, across the width
    top = region(image, 0, 0, 1, 0.25)
    assert dark(top, 60) > 0.002
    black = columns_with(top, "000000", 60)
    assert black.max() - black.min() > image.width * 0.8
    assert "x-chartographer-warning" not in headers


def test_t1_on_a_bar_chart_draws_bars_for_the_first_series_only(client: TestClient) -> None:
    query = "cht=bvg&chs=300x200&chd=t1:30,10,20|60,40,50&chco=3366CC,FF9900&chm=D,DC3912,1,0,4"
    image, _ = fetch(client, query)
    middle = int(image.height * 0.9)
    assert runs(image, middle, "3366CC") == 3
    assert share(image, "FF9900") == 0  # the hidden series draws no bars
    assert share(image, "DC3912", 30) > 0.003  # its tracking line


def test_t0_draws_only_markers(client: TestClient) -> None:
    query = "cht=lc&chs=200x120&chd=t0:10,50,90|20,60,30&chco=FF0000&chm=D,0000FF,1,0,3"
    image, _ = fetch(client, query)
    assert share(image, "FF0000", 40) == 0
    assert share(image, "0000FF", 40) > 0.002


def test_chp_is_the_zero_line_of_a_bar_chart(client: TestClient) -> None:
    image, headers = fetch(
        client, "cht=bvg&chs=300x200&chp=0.5&chd=t:20,35,50,10,95&chco=3366CC&chbh=a"
    )
    assert "chp" not in headers.get("x-chartographer-warning", "")
    arr = np.asarray(image, dtype=np.int16)
    blue = np.all(np.abs(arr - rgb("3366CC")) <= 16, axis=-1)
    rows = np.flatnonzero(blue.any(axis=1))
    top, bottom = rows.min(), rows.max()
    cols = np.flatnonzero(blue.any(axis=0))
    middle = (top + 95 / 85 * bottom) / (1 + 95 / 85)  # where 50 % sits between 95 % and 10 %
    span = bottom - top
    # the 20 % bar hangs from the zero line downwards, the 95 % bar rises from it
    first = np.flatnonzero(blue[:, cols.min() + 2])
    assert abs(first.min() - middle) < 0.05 * span
    assert first.max() > middle + 0.25 * span
    last = np.flatnonzero(blue[:, cols.max() - 2])
    assert last.min() <= top + 1
    assert abs(last.max() - middle) < 0.05 * span
    # nothing of the 50 % bar above or below the line: three bars below it, one above
    assert runs(image, int(middle + 0.1 * span), "3366CC") == 3
    assert runs(image, int(middle - 0.1 * span), "3366CC") == 1


def test_lc_nda_draws_no_axis_lines(client: TestClient) -> None:
    plain, _ = fetch(client, "cht=lc&chs=200x100&chd=t:50,50,50&chco=FF0000")
    bare, _ = fetch(client, "cht=lc:nda&chs=200x100&chd=t:50,50,50&chco=FF0000")
    assert dark(region(plain, 0, 0.8, 1, 1)) > 0.005  # the x axis line
    assert dark(bare) == 0
    assert share(bare, "FF0000", 40) > 0.005


def test_odd_extended_data_renders_what_decodes_and_warns(client: TestClient) -> None:
    image, headers = fetch(client, "cht=lc&chs=200x100&chd=e:AAgA.&chco=FF0000")
    assert share(image, "FF0000", 40) > 0.002
    assert "odd number of characters" in headers["x-chartographer-warning"]


def text_bands(image: object) -> int:
    """Separate bands of rows holding dark (text) pixels."""
    arr = np.asarray(image, dtype=np.int16)
    inked = (arr.max(axis=-1) < 120).any(axis=1).astype(np.int8)
    return int(np.count_nonzero(np.diff(np.concatenate([[0], inked, [0]])) == 1))


def test_pie_legend_shows_chdl_and_slices_keep_chl(client: TestClient) -> None:
    base = "cht=p&chd=s:Uf9a&chs=300x120&chl=January|February|March|April"
    both, _ = fetch(client, base + "&chdl=30°|40°|50°|60°")
    labels_only, _ = fetch(client, base)
    # the legend strip on the right: four short entries (30° …), not the month names
    legend = region(both, 0.85, 0, 1, 1)
    assert dark(legend) > 0.01
    assert dark(region(labels_only, 0.85, 0, 1, 1)) == 0
    # swatches in the slice colours sit in the legend strip
    assert share(region(both, 0.8, 0, 1, 1), "FF9900", 30) > 0.005
    # the month labels are still drawn beside the pie, left of the legend
    assert dark(region(both, 0, 0, 0.35, 1)) > 0.003


def test_chdl_alone_labels_no_slices(client: TestClient) -> None:
    image, _ = fetch(client, "cht=p&chd=t:50,50&chs=300x150&chdl=Left|Right&chco=FF0000|0000FF")
    assert dark(region(image, 0, 0, 0.6, 1)) == 0  # no slice labels around the pie
    assert dark(region(image, 0.6, 0, 1, 1)) > 0.003  # the legend


def quadrant_colour(image: object, dx: int, dy: int) -> np.ndarray:
    arr = np.asarray(image, dtype=np.int16)
    cy, cx = arr.shape[0] // 2, arr.shape[1] // 2
    return arr[cy + dy, cx + dx]


def test_pie_starts_at_three_oclock_clockwise_and_chp_rotates(client: TestClient) -> None:
    query = "cht=p&chd=t:25,75&chs=200x200&chco=FF0000|0000FF"
    image, _ = fetch(client, query)
    # the first quarter runs from 3 o'clock clockwise to 6 o'clock: bottom right
    assert tuple(quadrant_colour(image, 30, 30)) == (255, 0, 0)
    assert tuple(quadrant_colour(image, 30, -30)) == (0, 0, 255)
    assert tuple(quadrant_colour(image, -30, 30)) == (0, 0, 255)
    turned, _ = fetch(client, query + "&chp=1.5708")  # a quarter turn clockwise
    assert tuple(quadrant_colour(turned, -30, 30)) == (255, 0, 0)
    assert tuple(quadrant_colour(turned, 30, 30)) == (0, 0, 255)


def test_p3_is_drawn_with_a_visible_side(client: TestClient) -> None:
    image, headers = fetch(client, "cht=p3&chd=t:50,50&chs=300x150&chco=FF0000|0000FF")
    assert "x-chartographer-warning" not in headers
    assert share(image, "B20000", 12) > 0.01  # the red slice's darker rim
    arr = np.asarray(image, dtype=np.int16)
    painted = np.flatnonzero((arr.min(axis=-1) < 200).any(axis=1))
    columns = np.flatnonzero((arr.min(axis=-1) < 200).any(axis=0))
    # tilted: the pie is much wider than it is tall
    assert (columns.max() - columns.min()) > 1.4 * (painted.max() - painted.min())


def test_crowded_slice_labels_do_not_overlap(client: TestClient) -> None:
    labels = "|".join(f"L{i}" for i in range(9))
    query = f"cht=p&chs=400x250&chd=t:84,2,2,2,2,2,2,2,2&chl={labels}"
    image, _ = fetch(client, query)
    # L1…L8 crowd between 1 and 3 o'clock on the right: each gets its own text line
    assert text_bands(region(image, 0.62, 0, 1, 1)) >= 8


def test_chf_chart_area_fill_on_a_pie(client: TestClient) -> None:
    image, _ = fetch(client, "cht=p&chd=t:60,40&chs=200x120&chf=c,s,DDEEFF")
    assert share(image, "DDEEFF", 2) > 0.1
