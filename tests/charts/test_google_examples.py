"""Every acceptance URL, and other real-world URLs of the same kinds, render as Google drew them."""

from __future__ import annotations

import numpy as np
import pytest
from fastapi.testclient import TestClient

from tests.charts.googlecheck import colours, dark, fetch, region, runs, sample_queries, share

SAMPLES = sample_queries()


def test_the_acceptance_file_has_every_sample() -> None:
    assert len(SAMPLES) == 10


@pytest.mark.parametrize(("source", "query"), SAMPLES, ids=[s[1:3] for s, _ in SAMPLES])
def test_sample_renders_at_the_requested_size(client: TestClient, source: str, query: str) -> None:
    image, _ = fetch(client, query)
    size = next(p for p in query.split("&") if p.startswith("chs=")).split("=")[1]
    assert image.size == tuple(int(v) for v in size.split("x"))
    assert colours(image) >= 2  # something is drawn on the background


def query_of(number: str) -> str:
    return next(q for s, q in SAMPLES if s.startswith(f"[{number}]"))


def test_01_pie_hello_world_in_google_orange(client: TestClient) -> None:
    image, headers = fetch(client, query_of("01"))
    assert share(image, "FF9900") > 0.05  # the 60 % slice
    assert dark(image) > 0.002  # the labels Hello and World
    assert "x-chartographer-warning" not in headers  # p3 is drawn in 3-D
    # the tilted pie's rim: a darker orange than any slice top, below the pie
    assert share(image, "B26B00", tolerance=12) > 0.01


def test_04_single_chco_shades_the_slices(client: TestClient) -> None:
    image, _ = fetch(client, query_of("04"))
    assert share(image, "0000FF", tolerance=4) > 0.0005  # H=7: the smallest slice
    pie = region(image, 0.3, 0.1, 0.7, 0.9)
    pixels = np.asarray(pie).reshape(-1, 3)
    blues = {tuple(p) for p in pixels if p[2] > 200 and p[0] == p[1] and p[0] < 230}
    assert len(blues) >= 6  # eight slices shaded from blue towards white


def test_07_auto_scaled_pie_has_five_slices(client: TestClient) -> None:
    image, _ = fetch(client, query_of("07"))
    assert share(image, "FF9900") > 0.1  # .rb, the largest slice
    assert colours(image, 0.01) >= 6  # five shades and the background


def test_10_line_marker_over_auto_scaled_data(client: TestClient) -> None:
    image, _ = fetch(client, query_of("10"))
    assert share(image, "0033FF") > 0.01  # the 5 px D line
    assert dark(region(image, 0, 0, 0.06, 1)) > 0.005  # y axis labels (chxt=y)
    # chds=a puts the largest value (9) on the top edge of the plot
    assert share(region(image, 0, 0, 1, 0.06), "0033FF") > 0.001


def test_13_area_fill_under_the_line(client: TestClient) -> None:
    image, _ = fetch(client, query_of("13"))
    assert share(image, "76A4FB", tolerance=6) > 0.2
    assert share(image, "224499", tolerance=20) > 0.005
    assert dark(region(image, 0, 0.85, 1, 1)) > 0.005  # Sep Oct Nov Dec


def test_16_sparklines_with_legend(client: TestClient) -> None:
    image, _ = fetch(client, query_of("16"))
    legend = region(image, 0.7, 0, 1, 1)
    for color in ("FF0000", "00FF00", "0000FF"):
        assert share(image, color, tolerance=40) > 0.002
        assert share(legend, color, tolerance=40) > 0.001
    assert dark(legend) > 0.01  # NASDAQ, FTSE100, DOW


def test_19_stacked_bars_with_custom_scale(client: TestClient) -> None:
    image, _ = fetch(client, query_of("19"))
    assert share(image, "4D89F9") > 0.03
    assert share(image, "C6D9FD") > 0.03
    lowest = max(y for y in range(image.height) if runs(image, y, "4D89F9") > 0)
    assert runs(image, lowest - 1, "4D89F9") == 5
    # chds=0,160: the tallest stack (60+100) reaches the top, the third bar
    top_row = next(y for y in range(image.height) if runs(image, y, "C6D9FD") > 0)
    assert top_row < 8


def test_22_server_load_bars_with_values_title_and_background(client: TestClient) -> None:
    image, _ = fetch(client, query_of("22"))
    assert share(image, "F9F9F9", tolerance=2) > 0.3
    assert runs(image, int(image.height * 0.7), "0000FF") == 3
    assert dark(region(image, 0.3, 0, 0.7, 0.12)) > 0.02  # System Load


def test_25_scatter_points_with_sizes(client: TestClient) -> None:
    image, _ = fetch(client, query_of("25"))
    assert share(image, "FF9900", tolerance=60) > 0.005  # translucent bubbles
    assert dark(region(image, 0, 0.85, 1, 1)) > 0.005  # x labels


def test_28_meter_with_gradient_background(client: TestClient) -> None:
    image, _ = fetch(client, query_of("28"))
    w, h = image.size
    bottom_left, top_right = image.getpixel((2, h - 3)), image.getpixel((w - 3, 2))
    assert max(bottom_left) < 40  # black end of the 45° gradient
    assert top_right[0] > 200 and top_right[1] < 40  # red end
    assert share(image, "00CC00", tolerance=60) > 0.005  # the dial's green end


# Real-world URLs of the same kinds, from Google's documentation and public code.
OTHERS = {
    "doc-bar-grouped": "cht=bvg&chs=250x150&chd=s:Monkeys&chxt=x,y&chxs=0,ff0000,12,0,lt|"
    "1,0000ff,10,1,lt",
    "doc-bar-horizontal": "cht=bhs&chs=200x125&chd=s:ello&chco=4d89f9",
    "doc-bar-colours": "cht=bvg&chs=200x125&chd=t:10,20,30,40,50&chco=FF0000|00FF00|0000FF"
    "|FFFF00|00FFFF",
    "doc-line-grid": "cht=lc&chs=200x125&chd=s:pqokeYONOMEBAKPOQVTXZdecaZcglprqxuux393ztpoonkeg"
    "gjp&chco=676767&chls=4.0,3.0,0.0&chxt=x,y&chxl=0:|1|2|3|4|5|1:|0|50|100&chg=20,50",
    "doc-line-xy": "cht=lxy&chs=200x125&chd=t:0,30,60,70,90,95,100|20,30,40,50,60,70,80|10,30,"
    "40,45,52|100,90,40,20,10|-1|5,33,50,55,7&chco=3072F3,ff0000,00aaaa&chls=2,4,1&"
    "chm=s,000000,0,-1,5|s,000000,1,-1,5&chdl=Ponies|Unicorns&chdlp=b",
    "doc-radar": "cht=r&chs=200x200&chd=t:77,66,15,0,31,48,100,77|20,36,100,2,0,100,50,20&"
    "chco=FF0000,FF9900&chls=2,4,0|2&chxt=x&chxl=0:|0|45|90|135|180|225|270|315&chxr=0,0,360",
    "doc-venn": "cht=v&chs=200x100&chd=t:100,80,60,30,30,30,10",
    "doc-meter": "cht=gom&chs=150x100&chd=t:70&chl=Hello",
    "doc-concentric": "cht=pc&chs=200x100&chd=t:10,20,30|15,25,35&chco=FF0000,00FF00",
    "doc-gradient": "cht=lc&chs=200x125&chd=s:pqokeYONOMEBAKPOQVTXZdecaZcglprqxuux393ztpoonkeggjp"
    "&chf=c,lg,90,76A4FB,0.5,ffffff,0|bg,s,EFEFEF",
    "doc-stripes": "cht=lc&chs=200x125&chd=s:pqokeYONOMEBAKPOQVTXZdecaZcglprqxuux393ztpoonkeggjp"
    "&chf=c,ls,0,CCCCCC,0.2,FFFFFF,0.2",
    "doc-extended": "cht=lc&chs=200x125&chd=e:BaPoqM2s,-A__RMD6",
    "doc-sparkline": "cht=ls&chs=100x30&chd=t:27,25,60,31,25,39,25,31,26,28,80,28,27,31,27,29,"
    "26,35,70,25&chco=0077CC",
    "quickchart-bar": "cht=bvs&chd=t:5,10,15,20,25&chs=300x150&chxt=x,y&chxl=0:|A|B|C|D|E",
    "forum-doughnut": "cht=pd&chs=300x150&chd=t:25,75&chco=FF0000|CCCCCC&chl=done|left",
}


@pytest.mark.parametrize("query", OTHERS.values(), ids=OTHERS.keys())
def test_other_real_world_urls_render(client: TestClient, query: str) -> None:
    image, _ = fetch(client, query)
    size = next(p for p in query.split("&") if p.startswith("chs=")).split("=")[1]
    assert image.size == tuple(int(v) for v in size.split("x"))
    assert colours(image) >= 2


def test_per_bar_colours(client: TestClient) -> None:
    image, _ = fetch(client, OTHERS["doc-bar-colours"])
    row = image.height - 10
    for color in ("FF0000", "00FF00", "0000FF", "FFFF00", "00FFFF"):
        assert runs(image, row, color, tolerance=8) == 1


def test_horizontal_stacked_bars_run_left_to_right(client: TestClient) -> None:
    image, _ = fetch(client, OTHERS["doc-bar-horizontal"])
    column = 8
    assert sum(runs(image.transpose(0), x, "4D89F9") for x in [column]) >= 1  # type: ignore[arg-type]
    assert share(region(image, 0, 0, 0.3, 1), "4D89F9") > 0.2


def test_linear_stripes_alternate_across_the_plot(client: TestClient) -> None:
    image, _ = fetch(client, OTHERS["doc-stripes"])
    assert runs(image, image.height // 2, "CCCCCC", tolerance=3) >= 2


def test_vertical_gradient_runs_from_the_bottom(client: TestClient) -> None:
    image, _ = fetch(client, OTHERS["doc-gradient"])
    assert share(image, "EFEFEF", tolerance=2) > 0.05  # the solid bg
    low = image.getpixel((image.width // 2, int(image.height * 0.85)))
    high = image.getpixel((image.width // 2, int(image.height * 0.15)))
    # angle 90: offset 0 (white) at the bottom, 76A4FB pure from the middle up
    assert sum(low) > sum(high)
    assert abs(high[0] - 0x76) < 20 and abs(high[2] - 0xFB) < 20


def test_doughnut_per_slice_colours_and_labels(client: TestClient) -> None:
    image, _ = fetch(client, OTHERS["forum-doughnut"])
    assert share(image, "FF0000", tolerance=4) > 0.02
    assert share(image, "CCCCCC", tolerance=4) > 0.06
    centre = image.getpixel((image.width // 2, image.height // 2))
    assert min(centre) > 240  # the hole
