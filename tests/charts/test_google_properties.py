"""Properties of /chart: any query string gives an image or a 4xx problem, never a 5xx."""

from __future__ import annotations

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.specs.openapi.checks import positive_data_acceptance

from chartographer.app import create_app
from chartographer.charts.google.build import ACCEPTED
from chartographer.config import Settings

app = create_app(
    Settings(render_processes=0, database_url="sqlite:///:memory:", cache_bytes=0, open_limits=[])
)

FRAGMENTS = [
    "",
    "a",
    "0",
    "-1",
    "_",
    "|",
    ",",
    ":",
    "1:|",
    "0:|a|b",
    "t:",
    "s:",
    "e:",
    "a:",
    "t:1,2|3",
    "s:AZ_9",
    "e:AA..",
    "10,20",
    "0,100",
    "-50,50",
    "FF0000",
    "ff0000|00ff00",
    "bg,s,EFEFEF",
    "c,lg,45,FF0000,0,0000FF,1",
    "bg,ls,90,CCCCCC,0.2,FFFFFF,0.2",
    "B,FF0000,0,0,0",
    "N*f2*,000000,0,-1,11",
    "o,FF0000,0,-1,8",
    "D,0000FF,0,0,2",
    "E,FF0000,1,-1,1:10",
    "F,,0,-1,20",
    "H,000000,1,-1,1:25",
    "fFlag,000000,0,1,10",
    "AText,FF0000,0,-1,11",
    "o,FF0000,0,@0.5:0.5,10",
    "@-3:x",
    "1,-180",
    "0,10,-5",
    "bv",
    "tv|r",
    "0,0,0,0|150,80",
    "4,15,0|2,4,4",
    "x,y,r,t",
    "20,50,4,1",
    "a",
    "r,0.5,1",
    "10,10,10,10",
    "b",
    "png",
    "svg",
    "M|2",
    "UTF-8",
    "1e308",
    "nan",
    "\u00e9",
]
KEYS = [
    "chs",
    "chd",
    "chds",
    "chl",
    "chco",
    "chtt",
    "chts",
    "chdl",
    "chdlp",
    "chf",
    "chm",
    "chls",
    "chg",
    "chbh",
    "chma",
    "chxt",
    "chxl",
    "chxp",
    "chxr",
    "chxs",
    "chxtc",
    "chld",
    "choe",
    "chof",
]
SIZES = ["120x80", "200x100", "1x1", "99999x2", "50x1000", "x", "300x300"]

value = st.one_of(
    st.sampled_from(FRAGMENTS),
    st.lists(st.sampled_from(FRAGMENTS), min_size=2, max_size=4).map("".join),
    st.text(max_size=12),
)
query = st.fixed_dictionaries(
    {
        "cht": st.one_of(st.sampled_from(ACCEPTED), st.text(max_size=4)),
        "chs": st.sampled_from(SIZES),
        "chd": st.one_of(st.sampled_from(FRAGMENTS), value).map(
            lambda v: v if v[:2] in ("t:", "s:", "e:", "a:") else "t:" + v
        ),
    },
    optional={key: value for key in KEYS if key not in ("chs", "chd")},
)


@pytest.mark.filterwarnings("ignore:Glyph:UserWarning")  # missing glyphs draw as boxes
@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
@given(query)
def test_any_query_gives_an_image_or_a_4xx(params: dict[str, str]) -> None:
    with TestClient(app) as client:
        response = client.get("/chart", params=params)
    if response.status_code == 200:
        assert response.headers["content-type"].startswith("image/")
        assert response.content
    else:
        assert 400 <= response.status_code < 500, (params, response.text)
        assert response.headers["content-type"] == "application/problem+json"
        assert response.json()["detail"]


schema = schemathesis.openapi.from_asgi("/openapi.json", app).include(path_regex=r"^/chart$")


@schema.parametrize()
@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
def test_chart_operations(case: schemathesis.Case) -> None:
    # Random strings are rarely a chart, so a 4xx for schema-valid input is right.
    case.call_and_validate(excluded_checks=[positive_data_acceptance])
