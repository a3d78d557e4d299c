"""Text is text: ``$`` in a label is a dollar sign; only ``cht=tx`` formulas are maths.

matplotlib reads any string with two unescaped ``$`` as mathtext, so a title
``Price $^$`` used to be a 500 and ``From $5 to $10`` was drawn as italic maths
with its spaces dropped. The visual checks compare a label against the same
label with ``S`` for ``$``: in DejaVu Sans the two glyphs have the same advance,
so text drawn literally has the same ink width either way, while mathtext
changes it by many pixels.
"""

from __future__ import annotations

from urllib.parse import quote

import numpy as np
import pytest
from fastapi.testclient import TestClient

from chartographer.app import create_app
from tests.conftest import SettingsFactory, decode

BROKEN = "Price $^$"  # not valid mathtext: a parse error if it is read as maths
MONEY = "From $5 to $10"
SAME_WIDTH = MONEY.replace("$", "S")


def _get(client: TestClient, url: str, media_type: str = "image/png") -> bytes:
    response = client.get(url)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == media_type
    return response.content


def _ink_width(body: bytes, rows: slice) -> int:
    """Width of the dark pixels (text) within a band of rows."""
    gray = np.asarray(decode(body).convert("L"))[rows]
    columns = np.flatnonzero((gray < 128).any(axis=0))
    assert columns.size, "no text drawn in this band"
    return int(columns[-1] - columns[0])


NATIVE = "/v1/charts/{kind}?values=3,7,5&width=400&height=240"
GOOGLE = "/chart?cht={cht}&chs=400x240&chd=t:30,70,50"


@pytest.mark.parametrize(
    "url",
    [
        NATIVE.format(kind="bar") + "&title={t}",
        NATIVE.format(kind="bar") + "&labels={t},b,c",
        NATIVE.format(kind="line") + "&series={t}",
        NATIVE.format(kind="line") + "&x_title={t}&y_title={t}",
        NATIVE.format(kind="pie") + "&labels={t},b,c&value_labels=true",
        "/v1/charts/gauge?values=72&title={t}",
        NATIVE.format(kind="bar") + "&title={t}&format=svg",
        GOOGLE.format(cht="bvs") + "&chtt={t}",
        GOOGLE.format(cht="bvs") + "&chtt={t}|{t}",
        GOOGLE.format(cht="lc") + "&chdl={t}",
        GOOGLE.format(cht="lc") + "&chxt=x,y&chxl=0:|{t}|b|c",
        GOOGLE.format(cht="bvs") + "&chm=t{t},000000,0,1,12",
        GOOGLE.format(cht="p") + "&chl={t}|b|c",
        GOOGLE.format(cht="p3") + "&chl={t}|b|c&chdl={t}|b|c",
        GOOGLE.format(cht="gom") + "&chl={t}",
        GOOGLE.format(cht="v") + "&chdl={t}|b|c",
        GOOGLE.format(cht="r") + "&chxt=x&chxl=0:|{t}|b|c",
        GOOGLE.format(cht="bvs") + "&chtt={t}&chof=svg",
    ],
)
def test_a_dollar_sign_in_any_label_is_never_a_500(client: TestClient, url: str) -> None:
    response = client.get(url.replace("{t}", quote(BROKEN)))
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("image/")
    assert len(response.content) > 100


def test_map_labels_are_text_too(make_settings: SettingsFactory) -> None:
    with TestClient(create_app(make_settings(tiles="none"))) as client:
        url = "/maps/api/staticmap?size=200x100&center=0,0&zoom=1&markers=label:$|0,0"
        body = _get(client, url)
        assert decode(body).size == (200, 100)


@pytest.mark.parametrize(
    ("template", "rows"),
    [
        (NATIVE.format(kind="bar") + "&title={t}", slice(0, 30)),
        (NATIVE.format(kind="bar") + "&x_title={t}", slice(215, 240)),
        (GOOGLE.format(cht="bvs") + "&chtt={t}", slice(0, 30)),
        (GOOGLE.format(cht="bvs") + "&chdl={t}&chdlp=t", slice(0, 30)),
    ],
)
def test_dollar_signs_are_drawn_literally(client: TestClient, template: str, rows: slice) -> None:
    money = _ink_width(_get(client, template.replace("{t}", quote(MONEY))), rows)
    letters = _ink_width(_get(client, template.replace("{t}", quote(SAME_WIDTH))), rows)
    assert abs(money - letters) <= 2, (money, letters)


def test_two_dollars_alone_are_two_dollar_signs(client: TestClient) -> None:
    # mathtext cannot parse "$$" at all; literally it is two glyphs of ink
    body = _get(client, NATIVE.format(kind="bar") + "&title=" + quote("$$"))
    assert _ink_width(body, slice(0, 30)) > 8


def test_svg_draws_the_same_glyphs_as_the_text(client: TestClient) -> None:
    url = GOOGLE.format(cht="bvs") + "&chof=svg&chtt="
    money = _get(client, url + quote(MONEY), "image/svg+xml")
    letters = _get(client, url + quote(SAME_WIDTH), "image/svg+xml")
    # glyphs are paths placed with <use>: one per character, upright (maths would be oblique)
    assert money.count(b"<use ") == letters.count(b"<use ")
    assert b"Oblique" not in money


def test_tex_formulas_are_still_maths(client: TestClient) -> None:
    fraction = _get(client, "/chart?cht=tx&chl=" + quote(r"\frac{1}{2}"))
    literal_width = _ink_width(
        _get(client, NATIVE.format(kind="bar") + "&title=" + quote(r"\frac{1}{2}")),
        slice(0, 30),
    )
    # a stacked fraction is far narrower than the 11 characters it is written with
    assert _ink_width(fraction, slice(None)) < literal_width / 2
