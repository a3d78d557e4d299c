"""``chd`` decoding and ``chds`` scaling: Google's scales, missing values, fatal mistakes."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from chartographer.charts.google.data import (
    ChartData,
    decode_chd,
    encode_extended,
    encode_simple,
    parse_chds,
    scale,
)
from chartographer.charts.google.errors import GoogleChartError

LIMIT = 10_000


def test_text_series_split_by_bars_with_missing_values() -> None:
    data = decode_chd("t:10,_,30.5|1,2,", LIMIT)
    assert data.encoding == "t"
    assert data.series == ((10.0, None, 30.5), (1.0, 2.0, None))


def test_simple_and_extended_decode_to_their_integers() -> None:
    assert decode_chd("s:AZaz09_", LIMIT).series == ((0.0, 25.0, 26.0, 51.0, 52.0, 61.0, None),)
    assert decode_chd("e:AA..__,-A", LIMIT).series == ((0.0, 4095.0, None), (3968.0,))


def test_automatic_text_format() -> None:
    data = decode_chd("a:-5,30,200", LIMIT)
    scaled = scale(data, None, [])
    assert scaled.ranges == ((-5.0, 200.0),)
    assert scaled.auto


@pytest.mark.parametrize(
    "text",
    ["x:1,2", "t:1,abc", "t:1,inf", "s:AB!", "e:A!B", "e:A!", "t1e999", "t:1e300"],
)
def test_malformed_data_is_fatal_and_names_chd(text: str) -> None:
    with pytest.raises(GoogleChartError) as caught:
        decode_chd(text, LIMIT)
    assert caught.value.param == "chd"
    assert caught.value.status == 400


def test_too_many_points_is_a_limit() -> None:
    with pytest.raises(GoogleChartError) as caught:
        decode_chd("t:" + ",".join(["1"] * 30), 20)
    assert caught.value.status == 413
    with pytest.raises(GoogleChartError):
        decode_chd("s:" + "A" * 2000, 20)


def test_basic_text_is_on_the_fixed_0_to_100_scale() -> None:
    scaled = scale(ChartData(((-30.0, 50.0, 200.0, None),), "t"), None, [])
    # below zero is missing, above 100 is clipped: Google's rules, not an auto range
    assert scaled.series == ((None, 50.0, 100.0, None),)
    assert scaled.ranges == ((0.0, 100.0),)
    assert scaled.fractions(0) == (None, 0.5, 1.0, None)


def test_chds_pairs_apply_per_series_and_the_last_repeats() -> None:
    data = ChartData(((0.0, 50.0), (10.0, 20.0), (5.0,)), "t")
    scaled = scale(data, "0,100,10,30", [])
    assert scaled.ranges == ((0.0, 100.0), (10.0, 30.0), (10.0, 30.0))
    assert scaled.fractions(1) == (0.0, 0.5)


def test_chds_auto_starts_at_zero_for_positive_data() -> None:
    scaled = scale(ChartData(((6.0, 2.0, 9.0),), "t"), "a", [])
    assert scaled.ranges == ((0.0, 9.0),)


def test_chds_on_encoded_data_is_ignored_with_a_warning() -> None:
    warnings: list[str] = []
    scaled = scale(ChartData(((61.0,),), "s"), "0,10", warnings)
    assert scaled.ranges == ((0.0, 61.0),)
    assert "chds" in warnings[0]
    assert scale(ChartData(((1.0,),), "e"), None, []).ranges == ((0.0, 4095.0),)


def test_parse_chds_edge_cases() -> None:
    assert parse_chds(None) is None
    assert parse_chds(" ") is None
    assert parse_chds("A") == "a"
    assert parse_chds("5") == ((5.0, 100.0),)
    assert parse_chds("1,2,3") == ((1.0, 2.0), (3.0, 3.0 + 1))
    assert parse_chds("4,4") == ((4.0, 5.0),)
    for bad in ("1,x", "1,nan", "1,1e300"):
        with pytest.raises(GoogleChartError) as caught:
            parse_chds(bad)
        assert caught.value.param == "chds"


def test_all_missing_auto_range_still_has_a_span() -> None:
    assert scale(ChartData(((None,),), "a"), None, []).ranges == ((0.0, 1.0),)


values_simple = st.lists(st.one_of(st.none(), st.integers(0, 61)), min_size=1, max_size=60)
values_extended = st.lists(st.one_of(st.none(), st.integers(0, 4095)), min_size=1, max_size=60)


@settings(max_examples=60, deadline=None)
@given(st.lists(values_simple, min_size=1, max_size=4))
def test_simple_encoding_round_trips(series: list[list[int | None]]) -> None:
    as_floats = [tuple(None if v is None else float(v) for v in s) for s in series]
    text = "s:" + ",".join(encode_simple(s) for s in as_floats)
    assert decode_chd(text, LIMIT).series == tuple(as_floats)


@settings(max_examples=60, deadline=None)
@given(st.lists(values_extended, min_size=1, max_size=4))
def test_extended_encoding_round_trips(series: list[list[int | None]]) -> None:
    as_floats = [tuple(None if v is None else float(v) for v in s) for s in series]
    text = "e:" + ",".join(encode_extended(s) for s in as_floats)
    assert decode_chd(text, LIMIT).series == tuple(as_floats)
