"""Google ``rs`` splines, ``chxtc`` tick lengths, ``chdlp=bv|tv``, ``chma`` legend size
and the Google-o-meter's ``chls`` arrows and ``chdl`` legend, seen in the image."""

from __future__ import annotations

import numpy as np
from fastapi.testclient import TestClient

from tests.charts.googlecheck import fetch, region
from tests.charts.test_google_compound_markers import clusters, components, mask

STAR = "chs=250x250&chd=t:80,80,80,80,80&chco=FF0000&chls=2"  # four spokes, closed


def test_rs_draws_smooth_curves_through_the_same_points(client: TestClient) -> None:
    straight, _ = fetch(client, "cht=r&" + STAR)
    smooth, headers = fetch(client, "cht=rs&" + STAR)
    assert "x-chartographer-warning" not in headers
    a, b = mask(straight, "FF0000", 60), mask(smooth, "FF0000", 60)
    # both pass through the top point (80 % up the 12 o'clock spoke); straight
    # lines make a diamond of it, the spline all but a circle
    assert abs(np.flatnonzero(a.any(axis=1)).min() - np.flatnonzero(b.any(axis=1)).min()) <= 3
    # but the curve leaves the straight segments between the points
    grown = a.copy()
    for dy in (-2, -1, 0, 1, 2):
        for dx in (-2, -1, 0, 1, 2):
            grown |= np.roll(np.roll(a, dy, axis=0), dx, axis=1)
    assert (b & grown).sum() / b.sum() < 0.6
    # and it stays one closed curve
    assert components(b) == 1


def test_rs_fill_follows_the_curve(client: TestClient) -> None:
    filled, _ = fetch(client, "cht=rs&" + STAR + "&chm=B,00CC0080,0,0,0")
    straight, _ = fetch(client, "cht=r&" + STAR + "&chm=B,00CC0080,0,0,0")
    green_smooth = mask(filled, "7FE57F", 40).sum()
    green_straight = mask(straight, "7FE57F", 40).sum()
    assert green_smooth > 500 and green_straight > 500
    assert abs(green_smooth - green_straight) / green_straight > 0.05  # a different shape


GRID = "cht=lc&chs=250x200&chd=t:20,40,60,50&chco=FF9900&chxt=x,y"


def grey_rows(image: object, plot: tuple[float, float, float, float]) -> int:
    """Rows inside ``plot`` (fractions) that are axis grey across most of it."""
    part = np.asarray(region(image, *plot), dtype=np.int16)  # type: ignore[arg-type]
    grey = (np.abs(part - 0x66).max(axis=-1) < 40).mean(axis=1)
    return int((grey > 0.8).sum())


def test_chxtc_negative_lengths_draw_ticks_across_the_plot(client: TestClient) -> None:
    plain, _ = fetch(client, GRID)
    lined, headers = fetch(client, GRID + "&chxtc=1,-180")
    assert "x-chartographer-warning" not in headers
    inner = (0.3, 0.1, 0.9, 0.75)  # well inside the plot, above the x axis
    assert grey_rows(plain, inner) == 0
    assert grey_rows(lined, inner) >= 3  # 20, 40, 60 (80 and 100 may fall outside the crop)


def test_chxtc_positive_lengths_reach_further_out(client: TestClient) -> None:
    red_ticks = "&chxs=0,666666,11,0,lt,FF0000"  # x-axis ticks drawn red

    def reach(image: object) -> int:
        rows = np.flatnonzero(mask(image, "FF0000", 40).any(axis=1))
        return int(rows.max() - rows.min())

    short, _ = fetch(client, GRID + red_ticks)
    long_, _ = fetch(client, GRID + red_ticks + "&chxtc=0,15")
    assert reach(short) <= 6  # the default 4 px
    assert 13 <= reach(long_) <= 17


LEGEND = (
    "cht=bvg&chs=260x260&chd=t:20,40|60,50|30,30&chco=FF0000,00AA00,0000FF&chdl=Alpha|Beta|Gamma"
)


def swatch_centres(image: object, top: float, bottom: float) -> list[tuple[float, float]]:
    part = region(image, 0, top, 1, bottom)  # type: ignore[arg-type]
    out = []
    for color in ("FF0000", "00AA00", "0000FF"):
        ys, xs = np.nonzero(mask(part, color, 30))
        out.append((float(ys.mean()), float(xs.mean())))
    return out


def axis_row(image: object) -> int:
    grey = np.abs(np.asarray(image, dtype=np.int16) - 0x66).max(axis=-1) < 30
    return int(np.argmax(grey.sum(axis=1)))


def test_chdlp_bv_stacks_the_legend_below_the_chart(client: TestClient) -> None:
    row, _ = fetch(client, LEGEND + "&chdlp=b")
    stacked, headers = fetch(client, LEGEND + "&chdlp=bv")
    assert "x-chartographer-warning" not in headers
    below = (axis_row(row) + 2) / 260
    (y1, x1), (y2, x2), (y3, x3) = swatch_centres(row, below, 1.0)
    assert abs(y1 - y3) < 2 and x1 < x2 < x3  # b: one row
    # bv: one entry per row, in order, swatches in one column, all below the x axis
    below = (axis_row(stacked) + 2) / 260
    (y1, x1), (y2, x2), (y3, x3) = swatch_centres(stacked, below, 1.0)
    assert y1 + 8 < y2 < y3 - 8 and abs(x1 - x3) < 2


def test_chdlp_tv_stacks_the_legend_above_a_pie(client: TestClient) -> None:
    image, _ = fetch(
        client,
        "cht=p&chs=260x260&chd=t:20,40,60&chco=FF0000|00AA00|0000FF&chdl=Alpha|Beta|Gamma&chdlp=tv",
    )
    centres = swatch_centres(image, 0.0, 0.35)
    ys = [y for y, _ in centres]
    assert ys[0] + 8 < ys[1] < ys[2] - 8
    # the pie starts below the legend: its red slice has pixels under the last swatch
    red = mask(image, "FF0000", 30)
    assert np.flatnonzero(red.any(axis=1)).max() > ys[2] + 20


def test_chma_legend_size_makes_room_for_the_legend(client: TestClient) -> None:
    base = "cht=bvg&chs=300x200&chd=t:20,40&chco=FF9900&chdl=Alpha"
    plain, _ = fetch(client, base)
    wide, headers = fetch(client, base + "&chma=0,0,0,0|150,0")
    assert "x-chartographer-warning" not in headers

    def plot_right(image: object) -> int:  # where the x axis line ends
        grey = np.abs(np.asarray(image, dtype=np.int16) - 0x66).max(axis=-1) < 30
        return int(np.flatnonzero(grey[axis_row(image)]).max())

    assert plot_right(wide) < plot_right(plain) - 50  # 150 px kept for the legend
    assert plot_right(wide) <= 300 - 134  # (the legend may take at most 45 % of the width)
    tall, _ = fetch(client, base + "&chdlp=b&chma=0,0,0,0|0,80")
    short, _ = fetch(client, base + "&chdlp=b")

    def bar_bottom(image: object) -> int:
        return int(np.flatnonzero(mask(image, "FF9900", 20).any(axis=1)).max())

    assert bar_bottom(tall) < bar_bottom(short) - 40


METER = "cht=gom&chs=300x180&chd=t:20,40|70&chls=4|2,4,4&chdl=One|Two|Three"


def test_meter_draws_styled_arrows_in_their_own_colours_with_a_legend(
    client: TestClient,
) -> None:
    image, headers = fetch(client, METER)
    assert "x-chartographer-warning" not in headers
    dark, blue, purple = (mask(image, c, 30) for c in ("333333", "1F4FBF", "8E24AA"))
    # the legend: three entries, right of the dial, top to bottom in arrow order
    right = slice(int(300 * 0.75), 300)
    rows = [float(np.flatnonzero(m[:, right].any(axis=1)).mean()) for m in (dark, blue, purple)]
    assert rows[0] < rows[1] < rows[2]
    text = np.asarray(image, dtype=np.int16)[:, right].max(axis=-1) < 120
    assert text.sum() > 40  # the names One, Two, Three
    # the arrows on the dial: each its colour; series 0 is 4 px wide, series 1 dashed
    dial = slice(0, int(300 * 0.75))
    assert blue[:, dial].sum() > 60 and purple[:, dial].sum() > 20
    assert components(purple[:, dial]) >= 3  # dashes, then the point
    assert components(blue[:, dial]) == 1  # one solid arrow


def test_meter_with_one_arrow_stays_dark_and_unlabelled(client: TestClient) -> None:
    image, headers = fetch(client, "cht=gom&chs=250x130&chd=t:70")
    assert "x-chartographer-warning" not in headers
    assert mask(image, "333333", 20).sum() > 60
    assert not mask(image, "1F4FBF", 30).any()


def test_clusters_splits_on_gaps() -> None:
    assert [list(c) for c in clusters(np.array([1, 2, 3, 9, 10]))] == [[1, 2, 3], [9, 10]]
    assert clusters(np.array([], dtype=int)) == []


def test_rs_open_series_and_gaps_stay_open(client: TestClient) -> None:
    image, headers = fetch(
        client,
        "cht=rs&chs=250x250&chd=t:20,80,40,60,30|5,10&chds=0,100&chco=FF0000,0000FF"
        "&chxl=0:|a|b|c|d|e",
    )
    assert "x-chartographer-warning" not in headers
    red, blue = mask(image, "FF0000", 60), mask(image, "0000FF", 60)
    assert components(red) == 1 and red.sum() > 150  # one curve, not closed back
    assert blue.sum() > 5  # a two-point series: a plain segment
    gap, _ = fetch(client, "cht=rs&chs=250x250&chd=t:20,80,_,60,30&chco=FF0000")
    assert mask(gap, "FF0000", 60).sum() > 50  # a missing value leaves straight pieces


def test_a_long_stacked_legend_wraps_into_columns_inside_the_image(client: TestClient) -> None:
    series = "|".join(f"{k},{k + 1}" for k in range(12))
    image, _ = fetch(
        client,
        f"cht=lc&chs=250x200&chd=t:{series}&chds=0,20&chco=FF0000"
        "&chdl=a|b|c|d|e|f|g|h|i|j|k|l&chdlp=bv",
    )
    red = mask(image, "FF0000", 30)
    below = axis_row(image) + 3
    swatches = red[below:]
    columns = clusters(np.flatnonzero(swatches.any(axis=0)), gap=6)
    assert len(columns) >= 2  # twelve rows do not fit under the plot: two columns
    rows = clusters(np.flatnonzero(swatches.any(axis=1)), gap=1)
    assert len(rows) >= 6
    assert not red[-2:].any()  # nothing cut by the bottom edge
