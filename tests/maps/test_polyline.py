"""Google's encoded polyline algorithm."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from chartographer.errors import InvalidParameter
from chartographer.maps.polyline import decode_polyline, encode_polyline

GOOGLE_EXAMPLE = "_p~iF~ps|U_ulLnnqC_mqNvxq`@"
GOOGLE_POINTS = [(38.5, -120.2), (40.7, -120.95), (43.252, -126.453)]


def test_google_documented_example_decodes() -> None:
    decoded = decode_polyline(GOOGLE_EXAMPLE)
    assert [v for p in decoded for v in p] == pytest.approx([v for p in GOOGLE_POINTS for v in p])
    assert encode_polyline(GOOGLE_POINTS) == GOOGLE_EXAMPLE


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("_p~iF~ps|U_", "ends in the middle"),
        ("_p~iF", "ends in the middle"),
        ("_p~iF ps|U", "not valid"),
        ("~" * 20, "not valid"),
        ("_rucP?" * 2, "leaves the valid"),
    ],
)
def test_bad_polylines_are_422(text: str, message: str) -> None:
    with pytest.raises(InvalidParameter, match=message) as caught:
        decode_polyline(text, "path")
    assert caught.value.param == "path"


def test_point_limit() -> None:
    with pytest.raises(InvalidParameter, match="more than 2 points"):
        decode_polyline(encode_polyline([(1, 1)] * 3), limit=2)


coords = st.tuples(
    st.floats(-90, 90, allow_nan=False).map(lambda v: round(v, 5)),
    st.floats(-180, 180, allow_nan=False).map(lambda v: round(v, 5)),
)


@settings(max_examples=60, deadline=None)
@given(st.lists(coords, max_size=20))
def test_round_trip(points: list[tuple[float, float]]) -> None:
    decoded = decode_polyline(encode_polyline(points))
    assert [v for p in decoded for v in p] == pytest.approx(
        [v for p in points for v in p], abs=1e-5
    )


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=40))
def test_any_text_decodes_or_is_422(text: str) -> None:
    try:
        points = decode_polyline(text)
    except InvalidParameter:
        return
    assert all(abs(lat) <= 90 and abs(lng) <= 180 for lat, lng in points)
