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


def test_n_marker_with_empty_points_labels_every_bar(client: TestClient) -> None:
    query = "cht=bvg&chs=300x150&chd=t:20,40,60,80&chco=CCCCCC&chbh=a&chm=N,000000,0,,10"
    image, _ = fetch(client, query)
    arr = np.asarray(image, dtype=np.int16)
    inked = np.flatnonzero((arr.max(axis=-1) < 90).any(axis=0))
    # value labels above all four bars: dark columns in each quarter of the plot
    quarters = {int(4 * x / image.width) for x in inked}
    assert quarters == {0, 1, 2, 3}


def test_chxs_font_size_zero_hides_the_labels(client: TestClient) -> None:
    shown, _ = fetch(client, "cht=lc&chs=200x120&chd=t:10,90&chxt=y&chxs=0,000000,11")
    hidden, _ = fetch(client, "cht=lc&chs=200x120&chd=t:10,90&chxt=y&chxs=0,000000,0")
    # black label text (the grey axis line and ticks are lighter than 60)
    assert dark(region(shown, 0, 0, 0.2, 1), 60) > 0.01
    assert dark(hidden, 60) == 0


def spokes(image: object) -> int:
    """Grid spokes crossed by circles around the web's centre (the median count)."""
    arr = np.asarray(image, dtype=np.int16)
    grid = (arr.max(axis=-1) < 245) & (arr.max(axis=-1) - arr.min(axis=-1) < 8)
    # the 9-to-3 and 12-to-6 spokes are the rows/columns with the most grid pixels
    cy, cx = int(grid.sum(axis=1).argmax()), int(grid.sum(axis=0).argmax())
    row = np.flatnonzero(grid[cy, cx:])
    reach = row[row < arr.shape[1] * 0.4].max()  # the 3 o'clock spoke's tip
    counts = []
    for share_of in (0.55, 0.65, 0.85):
        t = np.linspace(0, 2 * np.pi, 3000, endpoint=False)
        ry = (cy + share_of * reach * np.sin(t)).round().astype(int)
        rx = (cx + share_of * reach * np.cos(t)).round().astype(int)
        at = np.flatnonzero(grid[ry, rx])
        # crossings closer than ~3 px are one spoke (the circle wraps round)
        gaps = np.diff(np.concatenate([at, at[:1] + 3000]))
        counts.append(int(np.count_nonzero(gaps > 30)))
    return sorted(counts)[1]


RADAR = "cht=r&chs=240x240&chco=FF0000&chxt=x&chxl=0:|a|b|c|d|e|f|g|h"


def test_radar_has_a_spoke_per_axis_label(client: TestClient) -> None:
    closing, _ = fetch(client, RADAR + "&chd=t:10,10,10,10,10,10,10,10,10")
    short, _ = fetch(client, RADAR + "&chd=t:10,10,10,10,10")
    assert spokes(closing) == 8
    assert spokes(short) == 8


def test_radar_rings_carry_values_only_with_a_y_axis(client: TestClient) -> None:
    plain, _ = fetch(client, "cht=r&chs=200x200&chco=FF9999&chd=t:10,20,30,40,50")
    with_axis, _ = fetch(client, "cht=r&chs=200x200&chco=FF9999&chd=t:10,20,30,40,50&chxt=y")
    assert dark(plain, 140) == 0
    assert dark(with_axis, 140) > 0.001


def test_radar_fills_only_with_b_and_takes_shape_markers(client: TestClient) -> None:
    base = "cht=r&chs=200x200&chco=FF0000&chd=t:80,80,80,80,80,80"
    bare, _ = fetch(client, base)
    filled, _ = fetch(client, base + "&chm=B,00CC00,0,0,0|s,0000FF,0,-1,9")
    assert share(bare, "00CC00", 20) == 0
    arr = np.asarray(bare, dtype=np.int16)
    centre = arr[arr.shape[0] // 2 - 3 : arr.shape[0] // 2 + 3, arr.shape[1] // 2 + 20]
    assert (centre >= 250).all()  # no default tint inside the line
    assert share(filled, "00CC00", 20) > 0.15
    assert share(filled, "0000FF", 20) > 0.005  # six blue squares on the points


GOM = "cht=gom&chs=250x130&chd=t:70"


def test_meter_labels_the_arrow_at_its_tip_and_the_dial_from_the_y_axis(
    client: TestClient,
) -> None:
    bare, _ = fetch(client, GOM)
    labelled, headers = fetch(client, GOM + "&chxt=x,y&chxl=0:|Groovy|1:|slow|faster|crazy")
    assert "x-chartographer-warning" not in headers
    a, b = (np.asarray(i, dtype=np.int16) for i in (bare, labelled))
    # the needle: dark pixels of the bare meter; its tip is the one farthest from the hub
    ys, xs = np.nonzero(a.max(axis=-1) < 90)
    hub = (ys.max(), xs[ys == ys.max()].mean())
    far = np.argmax((ys - hub[0]) ** 2 + (xs - hub[1]) ** 2)
    tip = (ys[far], xs[far])
    assert tip[1] > hub[1]  # 70 % points right of the top
    # what the labels added: text near the tip (Groovy) and round the dial
    added = (np.abs(a - b).max(axis=-1) > 80) & (b.max(axis=-1) < 120)
    ay, ax_ = np.nonzero(added)
    near = (np.abs(ay - tip[0]) < 20) & (np.abs(ax_ - tip[1]) < 45)
    assert near.sum() > 15
    assert added[:, : int(image_width(b) * 0.15)].any()  # "slow" at the left end
    assert added[:, int(image_width(b) * 0.85) :].any()  # "crazy" at the right end


def image_width(arr: np.ndarray) -> int:
    return int(arr.shape[1])


def test_meter_draws_an_arrow_per_value_and_no_invented_end_labels(client: TestClient) -> None:
    image, headers = fetch(client, "cht=gom&chs=250x130&chd=t:10,90")
    assert "x-chartographer-warning" not in headers
    arr = np.asarray(image, dtype=np.int16)
    inked = arr.max(axis=-1) < 90
    height = arr.shape[0]
    # two needles, each its own colour: dark (the first) and blue (the second)
    needles = inked | (np.abs(arr - rgb("1F4FBF")).max(axis=-1) < 30)
    ys, xs = np.nonzero(needles)
    hub_x = xs[ys == ys.max()].mean()
    assert (xs < hub_x - 40).any() and (xs > hub_x + 40).any()
    # nothing written below the dial's ends (the old invented 0 and 100)
    assert not inked[int(height * 0.9) :, : int(arr.shape[1] * 0.3)].any()
    assert not inked[int(height * 0.9) :, int(arr.shape[1] * 0.7) :].any()


def edge_ink(image: object, threshold: int = 110) -> int:
    """Dark pixels in the outermost columns and rows: something cut by the image edge."""
    arr = np.asarray(image, dtype=np.int16).max(axis=-1) < threshold
    return int(arr[:, :2].sum() + arr[:, -2:].sum() + arr[:2].sum() + arr[-2:].sum())


def test_a_long_legend_stays_inside_the_image(client: TestClient) -> None:
    names = "A very long legend entry that goes on and on|Another rather long legend name"
    for position in ("r", "b"):
        image, _ = fetch(
            client, f"cht=lc&chs=250x120&chd=t:10,50|30,70&chdl={names}&chdlp={position}"
        )
        assert dark(image) > 0.005  # the legend text is drawn
        assert edge_ink(image) == 0, position


def test_text_markers_and_end_axis_labels_stay_inside(client: TestClient) -> None:
    query = (
        "cht=lc&chs=220x120&chd=t:10,40,20,60,50&chxt=x&chxl=0:|Januaryyy|Feb|Mar|Apr|Decemberrr"
        "&chm=tLast point here,000000,0,4,12|tFirst point,000000,0,0,12"
    )
    image, _ = fetch(client, query)
    assert dark(image, 60) > 0.005
    assert edge_ink(image, 60) == 0
    right, _ = fetch(client, query + "&chxs=0,000000,11,1")
    assert edge_ink(right, 60) == 0


def test_left_aligned_y_labels_do_not_cross_the_axis(client: TestClient) -> None:
    image, _ = fetch(
        client, "cht=lc&chs=220x140&chd=t:10,90&chxt=y&chxr=0,0,100000&chxs=0,000000,11,-1"
    )
    arr = np.asarray(image, dtype=np.int16)
    axis = np.all(np.abs(arr - rgb("666666")) <= 10, axis=-1)
    column = int(axis[:, : arr.shape[1] // 2].sum(axis=0).argmax())  # the y axis line
    text = arr.max(axis=-1) < 60
    assert text[:, :column].any()  # labels, left of the line
    assert not text[:, column + 1 :].any()  # none inside the plot


def test_compound_edge_cases_warn_and_still_draw(client: TestClient) -> None:
    image, headers = fetch(client, "cht=bhg&chs=200x120&chd=t5:30,60|50,20&chco=3366CC,FF9900")
    assert "all are drawn" in headers["x-chartographer-warning"]
    assert share(image, "FF9900") > 0.01  # both series drawn
    # a shape marker on the hidden series of a horizontal bar chart
    marked, _ = fetch(
        client, "cht=bhs&chs=200x120&chd=t1:30,60|50,20&chco=3366CC&chm=s,FF0000,1,-1,9"
    )
    assert share(marked, "FF0000", 30) > 0.002
    _, headers = fetch(client, "cht=bvg&chs=200x120&chd=t:30,60&chp=2")
    assert "outside 0-1" in headers["x-chartographer-warning"]
    overlapped, _ = fetch(
        client, "cht=bvo&chs=200x120&chd=t1:30,60|50,20&chco=3366CC&chm=D,FF0000,1,0,3"
    )
    assert share(overlapped, "FF0000", 30) > 0.002
