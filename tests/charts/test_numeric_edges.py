"""Extreme numbers in data and ranges: an image or a 4xx naming the parameter, never a 500.

``chds=0,1e-320`` (a range narrower than a float can divide by) and axis bounds
of ±1e308 used to be 500s. The properties below draw ranges and data from the
whole float line, subnormals and the largest doubles included, and render them.
"""

from __future__ import annotations

import math

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from chartographer.app import create_app
from chartographer.config import Settings
from tests.conftest import decode

app = create_app(
    Settings(render_processes=0, database_url="sqlite:///:memory:", cache_bytes=0, open_limits=[])
)

EXTREMES = [
    0.0,
    -0.0,
    5e-324,  # the smallest subnormal
    1e-320,
    -1e-320,
    1e-300,
    1e-15,
    1.0,
    1e15,
    -1e15,
    1e15 + 2,
    1e16,
    1e300,
    -1e308,
    1e308,
    1.7976931348623157e308,
]
extreme = st.one_of(
    st.sampled_from(EXTREMES),
    st.floats(allow_nan=False, allow_infinity=False),
    st.floats(min_value=-1e-300, max_value=1e-300, allow_subnormal=True),
)
TINY = [5e-324, 1e-320, 1e-310, 1e-300, 1e-20]
HUGE = [1e16, 1e300, 1e307, 1e308, 1.7976931348623157e308]
small = st.sampled_from([0.0, -0.0, *TINY, *(-t for t in TINY)])
#: a range: any two floats, a huge symmetric one, or the narrowest non-empty one there is
ranges = st.one_of(
    st.tuples(extreme, extreme),
    st.sampled_from(HUGE).map(lambda v: (-v, v)),
    st.one_of(small, extreme).map(lambda lo: (lo, math.nextafter(lo, math.inf))),
    st.tuples(small, st.sampled_from(TINY)).map(lambda p: (p[0], p[0] + p[1])),
)
#: data: any floats, or only tiny ones (an autoscaled axis narrower than floats can tick)
data_lists = st.one_of(
    st.lists(extreme, min_size=1, max_size=7),
    st.lists(st.sampled_from([*TINY, 0.0]), min_size=1, max_size=7),
)
GOOGLE_KINDS = ["p", "p3", "pc", "bvs", "bhs", "bvg", "lc", "ls", "lxy", "s", "v", "r", "gom"]
NATIVE_KINDS = ["bar", "line", "area", "sparkline", "scatter", "pie", "doughnut", "radar", "gauge"]


def _check(response: object, params: object) -> None:
    assert hasattr(response, "status_code")
    status = response.status_code  # type: ignore[attr-defined]
    if status == 200:
        assert response.headers["content-type"].startswith("image/")  # type: ignore[attr-defined]
        assert decode(response.content).width > 0  # type: ignore[attr-defined]
    else:
        assert 400 <= status < 500, (params, response.text)  # type: ignore[attr-defined]
        problem = response.json()  # type: ignore[attr-defined]
        assert problem["param"], problem


@pytest.mark.parametrize(
    "url",
    [
        "/chart?cht=p&chs=200x100&chd=t:1,2&chds=0,1e-320",
        "/chart?cht=bvs&chs=200x100&chd=t:1,2&chds=0,1e-320",
        "/chart?cht=v&chs=200x100&chd=t:1,2,3,1,1,1,1&chds=0,1e-320",
        "/chart?cht=lc&chs=200x100&chd=t:1,2&chds=1e15,1000000000000000.1",
        "/v1/charts/line?values=1,2&y_min=-1e308&y_max=1e308",
        "/v1/charts/bar?values=1,2&y_min=0&y_max=1e-320",
        "/v1/charts/scatter?values=1,2&x=1,2&x_min=-1e308&x_max=1e308",
        "/v1/charts/gauge?values=1&y_min=0&y_max=1e-320",
        "/v1/charts/bar?values=1e-320,5e-324",
        "/v1/charts/pie?values=1e-320,5e-324",
    ],
)
def test_the_reported_cases_render_or_name_the_parameter(url: str) -> None:
    with TestClient(app) as client:
        response = client.get(url)
    assert response.status_code != 500
    _check(response, url)


def test_a_range_too_narrow_to_divide_by_is_named() -> None:
    with TestClient(app) as client:
        axis = client.get("/v1/charts/line?values=1,2&y_min=-1e308&y_max=1e308")
        assert axis.status_code == 422
        assert axis.json()["param"] == "y_min"
        narrow = client.get("/v1/charts/bar?values=1,2&y_min=0&y_max=1e-320")
        assert narrow.status_code == 422
        assert narrow.json()["param"] == "y_min"
        # Google draws an empty chds range flat; a range no float can divide is the same
        pie = client.get("/chart?cht=p&chs=200x100&chd=t:1,2&chds=0,1e-320")
        assert pie.status_code == 200


@settings(max_examples=80, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    cht=st.sampled_from(GOOGLE_KINDS),
    data=data_lists,
    chds=st.none() | ranges,
)
@example(cht="p", data=[1.0, 2.0], chds=(0.0, 1e-320))
@example(cht="bvs", data=[1.0, 2.0], chds=(0.0, 1e-320))
@example(cht="v", data=[1.0, 2.0, 3.0, 1.0, 1.0, 1.0, 1.0], chds=(0.0, 1e-320))
def test_google_extreme_numbers(
    cht: str, data: list[float], chds: tuple[float, float] | None
) -> None:
    params = {"cht": cht, "chs": "200x120", "chd": "t:" + ",".join(repr(v) for v in data)}
    if cht == "lxy":
        params["chd"] += "|" + params["chd"][2:]
    if chds is not None:
        params["chds"] = f"{chds[0]!r},{chds[1]!r}"
    with TestClient(app) as client:
        _check(client.get("/chart", params=params), params)


@settings(max_examples=80, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    kind=st.sampled_from(NATIVE_KINDS),
    values=data_lists,
    bounds=st.none() | ranges,
    axis=st.sampled_from(["y", "x"]),
)
@example(kind="line", values=[1.0, 2.0], bounds=(-1e308, 1e308), axis="y")
def test_native_extreme_numbers(
    kind: str, values: list[float], bounds: tuple[float, float] | None, axis: str
) -> None:
    params: dict[str, str] = {"values": ",".join(repr(v) for v in values), "width": "200"}
    params["height"] = "120"
    if kind == "scatter":
        params["x"] = params["values"]
    if bounds is not None:
        params[f"{axis}_min"], params[f"{axis}_max"] = repr(bounds[0]), repr(bounds[1])
    with TestClient(app) as client:
        _check(client.get(f"/v1/charts/{kind}", params=params), params)
