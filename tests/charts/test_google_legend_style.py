"""Google ``chdlp`` legend order and ``chdls`` legend text colour and size, seen in the image."""

from __future__ import annotations

import numpy as np
from fastapi.testclient import TestClient

from tests.charts.googlecheck import fetch, region, rgb

BARS = "cht=bvs&chs=300x150&chd=t:30,40|20,30&chds=0,100&chco=FF0000,0000FF&chdl=One|Two"


def rows_of(image: object, color: str) -> np.ndarray:
    arr = np.asarray(image, dtype=np.int16)
    return np.flatnonzero(np.all(np.abs(arr - rgb(color)) <= 24, axis=-1).any(axis=1))


def test_chdlp_r_reverses_the_legend(client: TestClient) -> None:
    given, _ = fetch(client, BARS + "&chdlp=r")
    legend = region(given, 0.8, 0, 1, 1)
    assert rows_of(legend, "FF0000").mean() < rows_of(legend, "0000FF").mean()  # One on top
    reversed_, _ = fetch(client, BARS + "&chdlp=r|r")
    legend = region(reversed_, 0.8, 0, 1, 1)
    assert rows_of(legend, "FF0000").mean() > rows_of(legend, "0000FF").mean()  # Two on top
    picked, _ = fetch(client, BARS + "&chdlp=r|1,0")
    legend = region(picked, 0.8, 0, 1, 1)
    assert rows_of(legend, "FF0000").mean() > rows_of(legend, "0000FF").mean()


def test_chdls_colours_and_sizes_the_legend_text(client: TestClient) -> None:
    plain, _ = fetch(client, BARS)
    styled, _ = fetch(client, BARS + "&chdls=00AA00,20")
    assert rows_of(region(plain, 0.8, 0, 1, 1), "00AA00").size == 0
    green = rows_of(region(styled, 0.8, 0, 1, 1), "00AA00")
    dark = np.asarray(region(plain, 0.85, 0, 1, 1), dtype=np.int16).max(axis=-1) < 110
    plain_rows = np.flatnonzero(dark.any(axis=1))
    assert green.size > 0
    # text at 20 px stands taller than the default legend text
    assert green.max() - green.min() > plain_rows.max() - plain_rows.min()


def test_chdlp_order_with_a_bad_index_warns_and_keeps_the_rest(client: TestClient) -> None:
    image, headers = fetch(client, BARS + "&chdlp=r|1,7")
    assert "not a legend entry index" in headers["x-chartographer-warning"]
    legend = region(image, 0.8, 0, 1, 1)
    assert rows_of(legend, "0000FF").size > 0 and rows_of(legend, "FF0000").size == 0
