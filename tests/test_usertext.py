"""Checks on request text: digits int() reads, one line the shaper takes."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from chartographer.usertext import is_digits, is_one_line, one_line


def test_digits_are_ascii_digits_only() -> None:
    assert is_digits("0") and is_digits("0123") and is_digits("512")
    for text in ("", "²", "①", "٣", "1²", " 1", "-1", "1.0", "１"):  # fullwidth too
        assert not is_digits(text), text


@given(st.text(max_size=12))
def test_what_passes_as_digits_int_reads_back(text: str) -> None:
    if is_digits(text):
        assert str(int(text)).rjust(len(text), "0") == text


@given(st.text(max_size=30))
def test_one_line_is_one_line_and_keeps_every_other_character(text: str) -> None:
    cleaned = one_line(text)
    assert is_one_line(cleaned) and len(cleaned) == len(text)
    assert all(a == b or b == " " for a, b in zip(text, cleaned, strict=True))
    assert is_one_line(text) == (cleaned == text)
