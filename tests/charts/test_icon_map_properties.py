"""Properties of chst icons, cht=map and chof=json: an answer or a 4xx problem, never a 5xx."""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image

from chartographer.app import create_app
from chartographer.charts.google.icons import FRAMES, KINDS, NOTES, PIN_STYLES
from chartographer.charts.icons.glyphs import GOOGLE_ICONS
from chartographer.config import Settings

app = create_app(
    Settings(render_processes=0, database_url="sqlite:///:memory:", cache_bytes=0, open_limits=[])
)


@pytest.fixture(scope="module")
def client() -> Iterator[TestClient]:
    """One started app for every example (starting it per example is most of the time)."""
    with TestClient(app) as started:
        yield started


FIELD = st.one_of(
    st.sampled_from(
        [
            "",
            "A",
            "12",
            "FF0000",
            "00ff0080",
            "red",
            "zz",
            "0",
            "1",
            "2",
            "-5",
            "0.5",
            "9",
            "400",
            "nan",
            "b",
            "_",
            "l",
            "h",
            "r",
            "\u00e9\u4e2d",
            *PIN_STYLES,
            *FRAMES,
            *NOTES,
            *sorted(GOOGLE_ICONS)[:8],
        ]
    ),
    st.text(max_size=20),
)
CHST = st.one_of(
    st.sampled_from([f"d_{k}" for k in KINDS]).flatmap(
        lambda k: st.sampled_from([k, k + "_withshadow", k + "_shadow"])
    ),
    st.text(max_size=12),
)


def problem_or(response: Any, media: str) -> bytes | None:
    if response.status_code == 200:
        assert response.headers["content-type"] == media
        return response.content
    assert 400 <= response.status_code < 500, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["detail"]
    return None


@settings(max_examples=120, deadline=None, suppress_health_check=list(HealthCheck))
@given(CHST, st.lists(FIELD, max_size=9).map("|".join))
def test_any_icon_request_is_a_transparent_png_or_a_4xx(
    client: TestClient, chst: str, chld: str
) -> None:
    body = problem_or(client.get("/chart", params={"chst": chst, "chld": chld}), "image/png")
    if body is not None:
        image = Image.open(io.BytesIO(body))
        assert image.mode == "RGBA" and 0 < image.width <= 1000 and 0 < image.height <= 1000
        assert image.getchannel("A").getextrema()[0] == 0  # some transparency


CODES = st.sampled_from(
    ["FR", "ES", "DE", "US", "US-CA", "US-TX", "BR", "RU", "FJ", "XX", "fr", ""]
)
MAP_QUERY = st.fixed_dictionaries(
    {
        "cht": st.sampled_from(
            ["map", "map:auto=1,2,3,4", "map:fixed=-10,-20,60,40", "map:fixed=0,0", "t", "map:x"]
        ),
        "chs": st.sampled_from(["300x200", "600x500", "440x220", "16x16", "601x10"]),
        "chld": st.lists(CODES, max_size=5).map("|".join),
    },
    optional={
        "chd": st.sampled_from(["t:0,50,100", "s:A9", "e:AAAA", "t:-5", "t:", "a"]),
        "chco": st.sampled_from(["FF0000", "BEBEBE,00FF00,0000FF", "BEBEBE|FF0000|00FF00", "zz"]),
        "chf": st.sampled_from(["bg,s,336699", "c,s,000000", "bg,lg,0,FF0000,0,00FF00,1"]),
        "chtm": st.sampled_from(["world", "europe", "usa", "moon"]),
        "chof": st.sampled_from(["png", "gif", "webp", "svg"]),
    },
)


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(MAP_QUERY)
def test_any_map_query_is_an_image_or_a_4xx(client: TestClient, params: dict[str, str]) -> None:
    response = client.get("/chart", params=params)
    if response.status_code == 200:
        assert response.headers["content-type"].startswith("image/")
        width, height = (int(v) for v in params["chs"].split("x"))
        assert Image.open(io.BytesIO(response.content)).size == (width, height)
    else:
        problem_or(response, "")


DATA = st.lists(
    st.one_of(st.integers(min_value=-10, max_value=120).map(str), st.just("_")),
    min_size=1,
    max_size=8,
).map(",".join)
JSON_QUERY = st.fixed_dictionaries(
    {
        "cht": st.sampled_from(["bvg", "bvs", "bhg", "bhs", "p", "p3", "pc", "lc", "ls", "r"]),
        "chs": st.sampled_from(["300x200", "120x80", "500x300"]),
        "chd": st.lists(DATA, min_size=1, max_size=3).map(lambda s: "t:" + "|".join(s)),
        "chof": st.just("json"),
    },
    optional={
        "chbh": st.sampled_from(["a", "20,4,8", "r,0.5,1"]),
        "chds": st.sampled_from(["0,200", "a", "-20,120"]),
        "chxt": st.just("x,y"),
        "chtt": st.just("Title"),
        "chdl": st.just("a|b|c"),
    },
)


@pytest.mark.filterwarnings("ignore:Glyph:UserWarning")
@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(JSON_QUERY)
def test_json_regions_are_well_formed(client: TestClient, params: dict[str, str]) -> None:
    response = client.get("/chart", params=params)
    if response.status_code != 200:
        problem_or(response, "")
        return
    assert response.headers["content-type"] == "application/json"
    shapes = response.json()["chartshape"]
    names = [s["name"] for s in shapes]
    assert len(names) == len(set(names))
    width, height = (int(v) for v in params["chs"].split("x"))
    for shape in shapes:
        coords = shape["coords"]
        assert all(isinstance(c, int) for c in coords)
        if shape["type"] == "RECT":
            x1, y1, x2, y2 = coords
            assert x1 <= x2 and y1 <= y2
        elif shape["type"] == "CIRCLE":
            assert len(coords) == 3 and coords[2] > 0
        else:
            assert shape["type"] == "POLY" and len(coords) % 2 == 0 and len(coords) >= 6
            xs, ys = coords[::2], coords[1::2]
            assert (
                min(xs) >= -1 and max(xs) <= width + 1 and min(ys) >= -1 and max(ys) <= height + 1
            )
