"""Time and log ticks (``charts.scales``), property-based, and specs using them drawn."""

from __future__ import annotations

import itertools
import math
from datetime import UTC, datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from chartographer.charts.labels import estimate_width
from chartographer.charts.native.params import ChartQuery, Limits, spec_from_query
from chartographer.charts.render import drawn_on_canvas, render_chart
from chartographer.charts.scales import (
    MAX_TIME,
    MIN_TIME,
    log_limits,
    log_ticks,
    parse_time,
    time_ticks,
)
from chartographer.charts.spec import ChartKind
from chartographer.config import Settings
from chartographer.errors import ChartographerError
from tests.conftest import decode

LIMITS = Limits.from_settings(Settings())


def measure(text: str) -> float:
    return estimate_width(text, 9)


@given(
    lo=st.floats(MIN_TIME, MAX_TIME - 10),
    span=st.floats(2, 3e11),
    length=st.floats(80, 2000),
)
def test_time_ticks_are_inside_sorted_calendar_units_whose_labels_fit(
    lo: float, span: float, length: float
) -> None:
    hi = min(lo + span, MAX_TIME)
    name, positions, labels = time_ticks(lo, hi, length, measure)
    assert len(positions) == len(labels)
    assert positions == sorted(positions)
    assert all(lo - 1e-6 <= p <= hi + 1e-6 for p in positions)
    moments = [datetime.fromtimestamp(p, UTC) for p in positions]
    if name.endswith("mo") or name.endswith("y"):
        assert all((m.day, m.hour, m.minute, m.second) == (1, 0, 0, 0) for m in moments)
    if name.endswith("d") or name.endswith("w"):
        assert all((m.hour, m.minute, m.second) == (0, 0, 0) for m in moments)
    if len(positions) > 2:  # neighbouring labels do not overlap
        at = [(p - lo) / (hi - lo) * length for p in positions]
        for i in range(len(at) - 1):
            assert at[i + 1] - at[i] >= (measure(labels[i]) + measure(labels[i + 1])) / 2


@given(
    low=st.integers(-12, 12),
    decades=st.integers(1, 20),
    length=st.floats(40, 3000),
)
def test_log_ticks_are_powers_of_ten_and_two_and_five(
    low: int, decades: int, length: float
) -> None:
    lo, hi = 10.0**low, 10.0 ** (low + decades)
    positions, labels = log_ticks(lo, hi, length, 14)
    assert positions == sorted(positions) and len(positions) == len(labels)
    assert all(lo * (1 - 1e-9) <= p <= hi * (1 + 1e-9) for p in positions)
    for p, label in zip(positions, labels, strict=True):
        mantissa = round(p / 10 ** math.floor(math.log10(p) + 1e-9), 6)
        assert mantissa in (1.0, 2.0, 5.0)
        assert "e+" not in label and "e-" not in label
    assert sum(1 for label in labels if label) >= 2


@given(st.lists(st.floats(1e-6, 1e12), min_size=1, max_size=10))
def test_log_limits_are_decades_around_the_data(values: list[float]) -> None:
    lo, hi = log_limits(values, None, None)
    assert lo <= min(values) and hi >= max(values) and lo < hi
    assert math.log10(lo) == round(math.log10(lo))


@given(st.datetimes(min_value=datetime(1, 1, 2), max_value=datetime(9999, 12, 30)))
def test_iso_dates_round_trip(moment: datetime) -> None:
    assert parse_time(moment.isoformat()) == moment.replace(tzinfo=UTC).timestamp()


def test_numbers_are_not_dates() -> None:
    assert parse_time("12345678") is None
    assert parse_time("2026-13-01") is None
    assert parse_time("-2026-01-01") is None


@settings(max_examples=25, deadline=None)
@given(
    kind=st.sampled_from(["bar", "line", "area", "scatter"]),
    values=st.lists(st.floats(0.01, 1e9), min_size=2, max_size=12),
    log=st.booleans(),
    dated=st.booleans(),
    right=st.booleans(),
    notes=st.lists(st.tuples(st.sampled_from("xy"), st.floats(0.5, 50)), max_size=3),
)
def test_specs_with_axes_features_are_drawn_on_the_canvas(
    kind: str,
    values: list[float],
    log: bool,
    dated: bool,
    right: bool,
    notes: list[tuple[str, float]],
) -> None:
    row = ",".join(repr(v) for v in values)
    query: dict[str, object] = {"values": [row, row] if right else [row], "width": 300}
    query["height"] = 200
    if log:
        query["y_scale"] = "log"
    if dated:
        query["x"] = [",".join(f"2026-01-{d + 1:02d}" for d in range(len(values)))]
    if right:
        query["axis"] = "left,right"
    query["annotations"] = [f"{axis}|{value!r}" for axis, value in notes]
    try:
        spec = spec_from_query(ChartKind(kind), ChartQuery.model_validate(query), LIMITS)
    except ChartographerError as error:  # a combination a kind does not take: named
        assert error.status == 422 and error.param in ("x_scale", "axis", "annotations")
        return
    assert drawn_on_canvas(spec)
    image = decode(render_chart(spec).body)
    assert image.size == (300, 200)


def test_edge_labels_turned_inward_do_not_run_into_their_neighbour() -> None:
    """Two years from Jan 2025 ending at Jan 2027: 'Jan 2027' ends at its tick, so the
    quarter before it ('Oct') would be overlapped; a coarser step is chosen."""
    lo = datetime(2025, 1, 1, tzinfo=UTC).timestamp()
    hi = datetime(2027, 1, 1, tzinfo=UTC).timestamp()

    def measure(text: str) -> float:
        return 7.0 * len(text)

    _, positions, labels = time_ticks(lo, hi, 540, measure, (40.0, 12.0))
    spans = []
    for p, text in zip(positions, labels, strict=True):
        at, width = (p - lo) / (hi - lo) * 540, measure(text)
        if at - width / 2 < 2 - 40:
            spans.append((at, at + width))
        elif at + width / 2 > 540 + 12 - 2:
            spans.append((at - width, at))
        else:
            spans.append((at - width / 2, at + width / 2))
    assert labels[-1] == "Jan 2027"
    assert all(b[0] - a[1] >= 8 for a, b in itertools.pairwise(spans)), spans
