"""One number reader: digits, cardinal words (number-parser), halves, fractions, articles and scales."""
import pytest

from pipeline.nlp.numbers import parse_number


@pytest.mark.parametrize("text, value", [
    ("five hundred", 500), ("Eighteen", 18), ("twenty-five", 25), ("two hundred and fifty", 250),
    ("1,000", 1000), ("6.5", 6.5), ("6.5 million", 6_500_000), ("two million", 2_000_000), ("a million", 1_000_000),
    ("two hundred thousand", 200_000), ("a dozen", 12), ("four and a half", 4.5), ("two and a half", 2.5),
    ("a fifth", 0.2), ("two thirds", 2 / 3), ("a quarter", 0.25), ("half", 0.5), ("an", 1), ("half an", 0.5),
    ("quarter of an", None),
])
def test_values(text, value):
    assert parse_number(text) == (None if value is None else pytest.approx(value))


@pytest.mark.parametrize("text", ["", None, "hundreds", "fifth", "second", "one second", "peace", "both", "a month"])
def test_not_numbers(text):
    assert parse_number(text) is None
