"""Nice scales and number text (charts.numbers): unit and property tests."""

from __future__ import annotations

from itertools import pairwise

import pytest
from hypothesis import given
from hypothesis import strategies as st

from chartographer.charts.numbers import (
    axis_labels,
    format_value,
    nice_scale,
    parse_number_format,
)
from chartographer.errors import InvalidParameter

finite = st.floats(min_value=-1e15, max_value=1e15, allow_nan=False)


def test_scale_hugs_data_peaking_below_a_round_number() -> None:
    ticks = nice_scale(0, 9.8e8, 7)
    assert ticks[0] == 0 and ticks[-1] == 1e9
    assert axis_labels(ticks) == ["0", "0.2B", "0.4B", "0.6B", "0.8B", "1.0B"]


@given(finite, finite, st.integers(min_value=3, max_value=10))
def test_ticks_cover_the_data_in_at_most_max_ticks(a: float, b: float, most: int) -> None:
    lo, hi = min(a, b), max(a, b)
    ticks = nice_scale(lo, hi, most)
    assert 2 <= len(ticks) <= most
    steps = [b - a for a, b in pairwise(ticks)]
    slack = steps[0] * 1e-6  # far below a pixel
    assert ticks[0] <= lo + slack and ticks[-1] >= hi - slack
    assert max(steps) - min(steps) <= max(steps) * 1e-6  # evenly spaced
    if lo < hi:  # hugging: the ends are less than one step beyond the data
        assert lo - ticks[0] < steps[0] + slack and ticks[-1] - hi < steps[0] + slack


@given(finite, finite)
def test_axis_labels_never_use_scientific_notation(a: float, b: float) -> None:
    if abs(a - b) < 1e-5 * max(abs(a), abs(b), 1.0):
        a, b = a, a + max(abs(a), 1.0)  # ordinary ranges: a step of at least a millionth
    labels = axis_labels(nice_scale(min(a, b), max(a, b)))
    assert not any("e+" in t or "e-" in t for t in labels)
    assert len(set(labels)) == len(labels)  # every tick tells itself apart
    decimals = {t.rstrip("KMBT").split(".")[1].__len__() for t in labels if "." in t}
    assert len(decimals) <= 1  # one number of decimals per axis


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (1.45e6, "1.45M"),
        (2e6, "2M"),
        (1234, "1,234"),
        (12345, "12.3K"),
        (999_960, "1M"),
        (1.25e9, "1.25B"),
        (0.25, "0.25"),
        (-4567.8, "-4,567.8"),
        (2e-7, "0.0000002"),
        (0, "0"),
    ],
)
def test_single_values_read_like_a_person_writes_them(value: float, text: str) -> None:
    assert format_value(value) == text


def test_subnormal_and_huge_ranges_still_tick() -> None:
    assert len(nice_scale(0, 5e-324)) >= 2
    assert len(nice_scale(5e-324, 5e-324)) >= 2
    ticks = nice_scale(-1e308, 1e308)
    assert ticks[0] <= -1e308 and ticks[-1] >= 1e308


def test_tiny_steps_tell_ticks_apart() -> None:
    labels = axis_labels(nice_scale(0, 3e-9))
    assert len(set(labels)) == len(labels) and labels[0] == "0"


def test_an_axis_keeps_one_unit_and_one_number_of_decimals() -> None:
    assert axis_labels([0, 0.5, 1.0, 1.5]) == ["0", "0.5", "1.0", "1.5"]
    assert axis_labels([2000, 2005, 2010]) == ["2,000", "2,005", "2,010"]  # not 2.005K
    assert axis_labels([0, 5e3, 1e4, 1.5e4, 2e4]) == ["0", "5K", "10K", "15K", "20K"]
    assert axis_labels([]) == []


@pytest.mark.parametrize(
    ("spec", "value", "text"),
    [
        ("$,.2f", 1234.5, "$1,234.50"),
        ("$,.2f", 0, "$0.00"),
        (".1f%", 12.5, "12.5%"),
        (".0%", 0.25, "25%"),
        ("€s", 1.2e6, "€1.2M"),
        ("s", 1200, "1.2K"),
        (",f kg", 1500, "1,500 kg"),
        ("_f", 1234567, "1 234 567"),
        ("'.0f", 1234567, "1'234'567"),
        ("Rs,.0f", 123456, "Rs123,456"),
        ("$s", -2500, "-$2.5K"),
        (".2", 3, "3.00"),
    ],
)
def test_number_format_syntax(spec: str, value: float, text: str) -> None:
    assert format_value(value, parse_number_format(spec)) == text


def test_number_format_applies_to_a_whole_axis() -> None:
    fmt = parse_number_format("$,.0f")
    assert axis_labels([0, 50000, 100000], fmt) == ["$0", "$50,000", "$100,000"]
    assert axis_labels([0, 0.5, 1], parse_number_format("%")) == ["0%", "50%", "100%"]


@pytest.mark.parametrize("bad", ["kg", "$", "1,2", ".9f", "$,.2f,", "x" * 41])
def test_a_malformed_number_format_is_refused_naming_the_parameter(bad: str) -> None:
    with pytest.raises(InvalidParameter) as caught:
        parse_number_format(bad)
    assert caught.value.param == "number_format"
    assert "number_format" in str(caught.value)
