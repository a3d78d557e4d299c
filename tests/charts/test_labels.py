"""Which category labels an axis draws (charts.labels): unit and property tests."""

from __future__ import annotations

from itertools import pairwise

from hypothesis import given
from hypothesis import strategies as st

from chartographer.charts.labels import (
    calendar_candidates,
    estimate_width,
    even_indices,
    parse_calendar,
    plan_labels,
    shorten,
    shorten_all,
    wrap_two,
)


def width(text: str) -> float:
    return estimate_width(text, 9)


@given(
    st.lists(st.text(min_size=0, max_size=30), min_size=1, max_size=120),
    st.floats(min_value=0, max_value=2000),
    st.floats(min_value=0, max_value=200),
)
def test_first_and_last_kept_and_nothing_overlaps_or_leaves_the_image(
    labels: list[str], span: float, room: float
) -> None:
    plan = plan_labels(labels, span, width, 15.0, room=room, max_depth=120)
    if not plan.shown:  # not even an ellipsis fits
        assert span + room < width("…")
        return
    assert plan.shown[0] == 0
    if len(plan.shown) > 1:
        assert plan.shown[-1] == len(labels) - 1
    assert list(plan.shown) == sorted(set(plan.shown))
    assert plan.lines in (1, 2) and (plan.lines == 1 or plan.depth <= 120)
    if plan.angle == 0 and len(labels) > 1:
        step = span / (len(labels) - 1)
        edges = []
        for index, text, align in zip(plan.shown, plan.texts, plan.align, strict=True):
            centre = index * step
            w = max(width(line) for line in text.split("\n"))  # wrapped: its widest line
            lo = {0: centre - w / 2, -1: centre, 1: centre - w}[align]
            assert lo >= -room - 1 and lo + w <= span + room + 1  # not clipped
            edges.append((lo, lo + w))
        for (_, right), (left, _) in pairwise(edges):
            assert left >= right  # no overlap


def test_thirty_long_labels_at_600px_show_at_least_eight() -> None:
    labels = [f"Department of Long Name {i}" for i in range(30)]
    plan = plan_labels(labels, 480, width, 15.0, room=20, max_depth=120)
    assert len(plan.shown) >= 8
    assert plan.angle in (45, 90)  # rotating shows more than horizontal text
    horizontal = plan_labels(labels, 480, width, 15.0, room=20, rotate=False)
    assert len(horizontal.shown) < len(plan.shown)


def test_short_labels_stay_horizontal() -> None:
    plan = plan_labels(list("abcdef"), 500, width, 15.0, room=20)
    assert plan.angle == 0 and plan.shown == (0, 1, 2, 3, 4, 5)


def test_edge_labels_turn_inwards_instead_of_being_clipped() -> None:
    plan = plan_labels(["a very long first label", "b", "the last long label"], 400, width, 15.0)
    assert plan.align[0] == -1 and plan.align[-1] == 1


def test_twenty_four_months_land_on_quarters_or_half_years() -> None:
    months = [f"{y}-{m:02d}" for y in (2024, 2025) for m in range(1, 13)]
    plan = plan_labels(months, 300, width, 15.0, room=40)
    picked = [months[i][5:] for i in plan.shown]
    assert set(picked) <= {"01", "04", "07", "10"}
    assert len(plan.shown) >= 4 and plan.angle == 0
    named = [
        m
        for _ in range(2)
        for m in [
            "Jan",
            "Feb",
            "Mar",
            "Apr",
            "May",
            "Jun",
            "Jul",
            "Aug",
            "Sep",
            "Oct",
            "Nov",
            "Dec",
        ]
    ]
    plan = plan_labels(named, 300, width, 15.0, room=40)
    assert {named[i] for i in plan.shown} <= {"Jan", "Apr", "Jul", "Oct"}


def test_calendar_parsing() -> None:
    assert parse_calendar("2024-02-30") is None
    assert parse_calendar("2024-13") is None
    assert parse_calendar("Smarch") is None
    assert parse_calendar("2024-03-01")[0] == "day"  # type: ignore[index]
    assert parse_calendar("Mar '24")[0] == "month"  # type: ignore[index]
    assert parse_calendar("1999") == ("year", 1999)
    assert calendar_candidates(["2020", "Jan", "2021"]) == []  # mixed kinds
    assert calendar_candidates(["a", "b", "c"]) == []
    years = [str(y) for y in range(1990, 2031)]
    assert [years[i] for i in calendar_candidates(years)[2]][:2] == ["1990", "1995"]
    days = [f"2024-01-{d:02d}" for d in range(1, 32)] + [f"2024-02-{d:02d}" for d in range(1, 29)]
    plan = plan_labels(days, 400, width, 15.0)
    chosen = {days[i] for i in plan.shown}
    assert chosen <= {d for d in days if d.endswith(("-01", "-15"))} or all(
        parse_calendar(d) for d in chosen
    )


def test_even_indices_and_shorten() -> None:
    assert even_indices(10, 1) == [0]
    assert even_indices(10, 3) == [0, 4, 9] or even_indices(10, 3) == [0, 5, 9]
    assert even_indices(3, 5) == [0, 1, 2]
    assert shorten("abcdefghij", width("abcd…"), width) == "abcd…"
    assert shorten("abc", 1, width) == "…"
    assert plan_labels([], 100, width, 15).shown == ()


LONG_WORDS = [f"Northern Region {i}" for i in range(6)]


def test_wrapping_shows_more_than_one_line_or_rotating() -> None:
    assert wrap_two("Northern Region 1", width) == "Northern\nRegion 1"
    assert wrap_two("Single", width) == "Single"
    plan = plan_labels(LONG_WORDS, 490, width, 15.0, room=20, max_depth=120)
    assert plan.angle == 0 and plan.lines == 2 and plan.depth == 30.0
    assert plan.shown == tuple(range(6)) and all("\n" in t for t in plan.texts)
    flat = plan_labels(LONG_WORDS, 490, width, 15.0, room=20, max_depth=120, wrap=False)
    assert len(flat.shown) == 6 and flat.angle in (45, 90)  # rotation only ties: wrap reads better
    one_line = plan_labels(LONG_WORDS, 490, width, 15.0, room=20, rotate=False, wrap=False)
    assert len(one_line.shown) < 6
    shallow = plan_labels(LONG_WORDS, 490, width, 15.0, room=20, max_depth=20)
    assert shallow.lines == 1  # two lines would not fit the depth allowed
    # more labels than two lines can show: rotating shows more, so it is rotated
    many = [f"Northern Region {i}" for i in range(16)]
    assert plan_labels(many, 490, width, 15.0, room=20, max_depth=120).angle in (45, 90)


def test_labels_that_share_a_beginning_are_cut_in_the_middle_and_stay_apart() -> None:
    texts = [f"Department of Long Name {i}" for i in range(1, 31)]
    shown = shorten_all(texts, 60, lambda t: 6.0 * len(t))
    assert len(set(shown)) == 30  # every label still says which one it is
    assert all(6.0 * len(t) <= 60 for t in shown)
    assert shown[11].endswith("e 12") and "…" in shown[11]
    # labels that differ early keep the usual cut at the end
    assert shorten_all(["Alpha long label", "Beta long label"], 60, lambda t: 6.0 * len(t)) == [
        "Alpha lon…",
        "Beta long…",
    ]
