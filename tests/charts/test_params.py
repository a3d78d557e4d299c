"""The params/spec layer: parsing, limits, canonical keys — with property-based tests."""

from __future__ import annotations

import math
from typing import Literal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from chartographer.charts.native.params import (
    ChartQuery,
    Limits,
    parse_numbers,
    spec_from_query,
    split_list,
)
from chartographer.charts.spec import ChartKind, parse_color
from chartographer.config import Settings
from chartographer.errors import ChartographerError, InvalidParameter, LimitExceeded

LIMITS = Limits.from_settings(Settings())
finite = st.floats(allow_nan=False, allow_infinity=False, min_value=-1e15, max_value=1e15)


@given(st.lists(finite, min_size=1, max_size=50))
def test_numbers_round_trip(values: list[float]) -> None:
    text = ",".join(repr(v) for v in values)
    assert parse_numbers(text, "values", 1000) == tuple(values)


@given(st.text(max_size=40))
def test_any_text_is_numbers_or_a_named_error(text: str) -> None:
    try:
        parsed = parse_numbers(text, "values", 100)
    except ChartographerError as error:
        assert error.param == "values"
        assert error.status in (413, 422)
    else:
        assert all(v is None or math.isfinite(v) for v in parsed)


@settings(max_examples=60)
@given(
    kind=st.sampled_from(list(ChartKind)),
    values=st.lists(st.text(alphabet="0123456789.,-_e ", max_size=12), min_size=1, max_size=3),
    labels=st.none() | st.text(max_size=30),
    width=st.integers(1, 5000),
    height=st.integers(1, 5000),
    scale=st.floats(1, 3),
    colors=st.none() | st.text(alphabet="0123456789abcdefABCDEF,#red", max_size=20),
    # axes (issue #10 item 6): scales, dates as x, annotations, the right axis
    x=st.none() | st.lists(st.text(alphabet="0123456789-T:Z.,_", max_size=30), max_size=2),
    x_scale=st.sampled_from([None, "linear", "log", "time"]),
    y_scale=st.sampled_from(["linear", "log"]),
    annotations=st.none()
    | st.lists(st.text(alphabet="xyz|0123456789.-_Tred,ab ", max_size=20), max_size=3),
    axis=st.none() | st.text(alphabet="leftrigh,", max_size=16),
)
def test_any_query_is_a_spec_or_a_4xx(
    kind: ChartKind,
    values: list[str],
    labels: str | None,
    width: int,
    height: int,
    scale: float,
    colors: str | None,
    x: list[str] | None,
    x_scale: Literal["linear", "log", "time"] | None,
    y_scale: Literal["linear", "log"],
    annotations: list[str] | None,
    axis: str | None,
) -> None:
    query = ChartQuery(
        values=values,
        labels=labels,
        width=width,
        height=height,
        scale=scale,
        colors=colors,
        x=x,
        x_scale=x_scale,
        y_scale=y_scale,
        annotations=annotations,
        axis=axis,
    )
    try:
        spec = spec_from_query(kind, query, LIMITS)
    except ChartographerError as error:
        assert 400 <= error.status < 500
        assert error.param
    else:
        assert spec.width <= LIMITS.max_width
        assert round(spec.width * spec.scale) * round(spec.height * spec.scale) <= (
            LIMITS.max_pixels
        )
        assert spec.point_count <= LIMITS.max_points


@given(st.from_regex(r"\A[0-9a-fA-F]{6}\Z"))
def test_hex_colours_normalise(text: str) -> None:
    assert parse_color(text, "colors") == "#" + text.upper()
    assert parse_color("#" + text, "colors") == "#" + text.upper()


def test_short_hex_and_names() -> None:
    assert parse_color("f00", "c") == "#FF0000"
    assert parse_color("Navy", "c") == "#000080"
    assert parse_color("ff000080", "c") == "#FF000080"
    with pytest.raises(InvalidParameter):
        parse_color("nope", "c")


def test_gaps_and_lists() -> None:
    assert parse_numbers("1,,_,null,2", "values", 10) == (1.0, None, None, None, 2.0)
    assert split_list(None) == ()
    assert split_list("") == ()
    assert split_list("a, b") == ("a", "b")
    with pytest.raises(LimitExceeded):
        parse_numbers("1,2,3", "values", 2)


def test_cache_key_is_canonical() -> None:
    one = spec_from_query(ChartKind.bar, ChartQuery(values=["1,2"]), LIMITS)
    two = spec_from_query(ChartKind.bar, ChartQuery(values=["1.0, 2"]), LIMITS)
    three = spec_from_query(ChartKind.bar, ChartQuery(values=["1,2"], title="t"), LIMITS)
    assert one.cache_key() == two.cache_key() != three.cache_key()
    assert len(one.cache_key()) == 32


def test_legend_defaults_to_named_series() -> None:
    named = spec_from_query(ChartKind.line, ChartQuery(values=["1,2"], series="a"), LIMITS)
    plain = spec_from_query(ChartKind.line, ChartQuery(values=["1,2"]), LIMITS)
    assert named.show_legend and not plain.show_legend
    assert plain.color_for(3) == plain.palette[3]


def test_label_limits() -> None:
    many = ",".join("x" for _ in range(LIMITS.max_labels + 1))
    with pytest.raises(LimitExceeded) as caught:
        spec_from_query(ChartKind.bar, ChartQuery(values=["1"], labels=many), LIMITS)
    assert caught.value.param == "labels"
    with pytest.raises(LimitExceeded):
        spec_from_query(ChartKind.bar, ChartQuery(values=["1"], series="y" * 300), LIMITS)
    with pytest.raises(InvalidParameter) as small:
        spec_from_query(ChartKind.bar, ChartQuery(values=["1"], height=10), LIMITS)
    assert small.value.param == "height"
