"""Google ``chm`` error bars ``E``, candlesticks ``F``, flags ``f``, annotations ``A``
and ``@x:y`` positions, seen in the decoded image."""

from __future__ import annotations

import numpy as np
from fastapi.testclient import TestClient

from tests.charts.googlecheck import fetch, rgb


def mask(image: object, color: str, tolerance: int = 40) -> np.ndarray:
    arr = np.asarray(image, dtype=np.int16)
    return np.all(np.abs(arr - rgb(color)) <= tolerance, axis=-1)


def clusters(columns: np.ndarray, gap: int = 3) -> list[np.ndarray]:
    """Runs of column indexes no more than ``gap`` apart."""
    if columns.size == 0:
        return []
    cuts = np.flatnonzero(np.diff(columns) > gap) + 1
    return list(np.split(columns, cuts))


def components(hit: np.ndarray) -> int:
    """Connected groups of True pixels (8-neighbourhood)."""
    seen = np.zeros_like(hit, dtype=bool)
    count = 0
    for start in zip(*np.nonzero(hit), strict=True):
        if seen[start]:
            continue
        count += 1
        stack = [start]
        seen[start] = True
        while stack:
            y, x = stack.pop()
            for dy in (-1, 0, 1):
                for dx in (-1, 0, 1):
                    ny, nx = y + dy, x + dx
                    inside = 0 <= ny < hit.shape[0] and 0 <= nx < hit.shape[1]
                    if inside and hit[ny, nx] and not seen[ny, nx]:
                        seen[ny, nx] = True
                        stack.append((ny, nx))
    return count


ERRORS = "cht=bvg&chs=300x200&chd=t1:40,60,50|30,45,40|55,75,60&chbh=30&chco=FFCC00"


def test_error_bars_run_from_one_series_to_the_next_with_caps(client: TestClient) -> None:
    plain, _ = fetch(client, ERRORS)
    image, headers = fetch(client, ERRORS + "&chm=E,FF0000,1,-1,2:12")
    assert "x-chartographer-warning" not in headers
    assert not mask(plain, "FF0000").any()
    red = mask(image, "FF0000")
    bars = clusters(np.flatnonzero(red.any(axis=0)))
    assert len(bars) == 3  # one error bar on each bar
    spans = []
    for columns in bars:
        rows = np.flatnonzero(red[:, columns].any(axis=1))
        spans.append(rows.max() - rows.min())
        assert 10 <= len(columns) <= 14  # the 12 px caps are the widest part
        top = red[rows.min() : rows.min() + 2, columns].sum(axis=1).max()
        assert top >= 10  # a cap across the top, not just the line
    # 30→55, 45→75, 40→60 on the 0–100 scale: the second is the longest, the third the shortest
    assert spans[1] > spans[0] > spans[2]
    assert abs(spans[1] / spans[2] - 1.5) < 0.25


CANDLES = (
    "cht=lc&chs=300x200&chco=FF9900"
    "&chd=t1:50,50,50,50,50,50|-1,20,30,10,10,-1|-1,30,60,50,20,-1|-1,60,40,30,70,-1"
    "|-1,80,70,60,90,-1&chm=F,0000FF,1,1:4,20"
)


def test_candlesticks_draw_wicks_and_boxes_from_hidden_series(client: TestClient) -> None:
    image, headers = fetch(client, CANDLES)
    assert "x-chartographer-warning" not in headers
    arr = np.asarray(image, dtype=np.int16)
    orange = mask(image, "FF9900", 30)
    # t1: exactly one line is drawn: the orange one, on one row (the value 50)
    assert np.ptp(np.flatnonzero(orange.any(axis=1))) <= 4
    blue = mask(image, "0000FF")
    candles = clusters(np.flatnonzero(blue.any(axis=0)))
    assert len(candles) == 4
    for k, columns in enumerate(candles):
        assert 18 <= len(columns) <= 22  # the box is 20 px wide
        centre = int(columns.mean())
        rows = np.flatnonzero(blue[:, columns].any(axis=1))
        wide = np.flatnonzero(blue[:, columns].sum(axis=1) >= 15)
        # the wick reaches beyond the box at both ends (low and high)
        assert rows.min() < wide.min() - 3 and rows.max() > wide.max() + 3
        middle = (wide.min() + wide.max()) // 2
        rising = k in (0, 3)  # 30→60 and 20→70 close above their open
        inside = arr[middle, centre]
        if rising:
            assert blue[middle, centre]  # filled
        else:
            assert (inside > 240).all()  # hollow: white inside its outline


def test_candlesticks_on_missing_series_are_skipped_with_a_warning(client: TestClient) -> None:
    _, headers = fetch(client, "cht=lc&chs=200x100&chd=t1:10,20|30,40&chm=F,0000FF,1,-1,10")
    assert "does not exist" in headers["x-chartographer-warning"]


FLAGS = "cht=lc&chs=300x200&chd=t:20,40,60,50&chco=FFCC00"


def test_annotations_stack_clear_of_each_other_above_their_point(client: TestClient) -> None:
    image, headers = fetch(
        client, FLAGS + "&chm=AOne,FF0000,0,2,11|ATwo,0000AA,0,2,11|fHi,008800,0,1,12"
    )
    assert "x-chartographer-warning" not in headers
    line = mask(image, "FFCC00", 30)
    red, navy, green = mask(image, "FF0000"), mask(image, "0000AA"), mask(image, "008800")
    # the boxes: rows where a box outline runs across (a pole is one pixel wide)
    red_rows = np.flatnonzero(red.sum(axis=1) >= 12)
    navy_rows = np.flatnonzero(navy.sum(axis=1) >= 12)
    assert red_rows.size and navy_rows.size
    assert navy_rows.max() < red_rows.min()  # the second annotation moved up, not over it
    # the earlier box stays readable: the upper flag's pole runs behind it
    box = red[red_rows.min() + 2 : red_rows.max() - 1]
    assert not navy[red_rows.min() + 2 : red_rows.max() - 1].any() and box.any()
    # both flags stand above the point they mark (the line's peak at the third value)
    peak_row = np.flatnonzero(line.any(axis=1)).min()
    assert red_rows.max() <= peak_row + 2
    red_cols, navy_cols = np.flatnonzero(red.any(axis=0)), np.flatnonzero(navy.any(axis=0))
    assert abs(red_cols.mean() - navy_cols.mean()) < 6  # both over the same point
    # the flag: a box (its outline spans its width) with the text in it
    green_rows = np.flatnonzero(green.any(axis=1))
    box_top = green[green_rows.min()]
    assert box_top.sum() >= 12


def test_at_positions_place_markers_by_plot_fractions(client: TestClient) -> None:
    image, headers = fetch(
        client,
        FLAGS + "&chm=o,FF0000,7,@0.1:0.9,20|tCorner,0000FF,0,@0.8:0.1,12",
    )
    assert "x-chartographer-warning" not in headers  # @: the series index is ignored
    height, width = mask(image, "FF0000").shape
    ys, xs = np.nonzero(mask(image, "FF0000"))
    assert xs.mean() < width * 0.25 and ys.mean() < height * 0.25  # near the top left
    assert ys.size > 150  # a 20 px disc
    ys, xs = np.nonzero(mask(image, "0000FF", 60))
    assert width * 0.6 < xs.mean() < width * 0.95 and ys.mean() > height * 0.7


def test_at_positions_on_fills_and_bad_positions_warn(client: TestClient) -> None:
    _, headers = fetch(client, FLAGS + "&chm=B,FF0000,0,@0.1:0.2,0|o,FF0000,0,@x:y,5")
    warning = headers["x-chartographer-warning"]
    assert "@ positions are for shape and text markers" in warning
    assert "is not an @x:y position" in warning


def test_bar_chart_series_with_a_bar_index_is_read(client: TestClient) -> None:
    # bvg's extended series syntax "0:1" names series 0 (the bar index is Google's extra)
    image, headers = fetch(
        client, "cht=bvg&chs=200x150&chd=t1:40,60|30,45|55,75&chm=E,FF0000,1:0,,1:10"
    )
    assert "x-chartographer-warning" not in headers
    assert mask(image, "FF0000").sum() > 40


def test_components_counts_separate_groups() -> None:
    hit = np.zeros((5, 9), dtype=bool)
    hit[1, 1:3] = True
    hit[3, 5:8] = True
    assert components(hit) == 2


BOX = (
    "cht=lc&chs=300x200&chd=t0:-1,10,20,-1|-1,30,40,-1|-1,60,70,-1|-1,90,95,-1|-1,45,55,-1"
    "&chm=F,FF9900,0,1:2,30|H,000000,4,1:2,1:30"
)


def test_a_box_chart_draws_filled_boxes_with_a_median_line_across(client: TestClient) -> None:
    # Google's box chart: min, lower quartile, upper quartile, max as F; H the median
    image, headers = fetch(client, BOX)
    assert "x-chartographer-warning" not in headers
    orange, black = mask(image, "FF9900", 30), mask(image, "000000", 60)
    boxes = clusters(np.flatnonzero(orange.any(axis=0)))
    assert len(boxes) == 2  # t0: no line, only the two candlesticks
    for columns in boxes:
        wide = np.flatnonzero(orange[:, columns].sum(axis=1) >= 25)
        assert wide.size > 20  # the quartile box, filled
        medians = np.flatnonzero(black[:, columns].sum(axis=1) >= 25)
        assert medians.size and wide.min() < medians.mean() < wide.max()  # 30 px across it


def test_error_bars_on_horizontal_bars_and_without_caps(client: TestClient) -> None:
    image, _ = fetch(
        client, "cht=bhg&chs=200x200&chd=t1:40,60|30,45|55,75&chm=E,FF0000,1,-1,3:0&chbh=20"
    )
    red = mask(image, "FF0000")
    rows = clusters(np.flatnonzero(red.any(axis=1)))
    assert len(rows) == 2  # one bar each, drawn across (the value axis is horizontal)
    for band in rows:
        assert len(band) <= 5  # no 6 px caps: the line is all there is
        assert red[band].any(axis=0).sum() > 20


def test_an_almost_flat_hollow_candle_keeps_its_outline(client: TestClient) -> None:
    image, _ = fetch(
        client,
        "cht=lc&chs=200x150&chd=t1:50,50,50|-1,10,-1|-1,60,-1|-1,59.5,-1|-1,90,-1"
        "&chm=F,0000FF,1,1,16",
    )
    blue = mask(image, "0000FF")
    assert np.ptp(np.flatnonzero(blue.any(axis=1))) > 40  # the wick, 10 to 90
    assert blue.any(axis=0).sum() >= 14  # and the thin box across it


def test_a_horizontal_line_at_an_at_position_spans_the_plot(client: TestClient) -> None:
    image, headers = fetch(client, FLAGS + "&chm=h,FF0000,0,@0:0.5,2")
    assert "x-chartographer-warning" not in headers
    red = mask(image, "FF0000")
    rows = np.flatnonzero(red.sum(axis=1) > 150)
    assert rows.size and abs(rows.mean() - 100) < 25  # half way up the plot
