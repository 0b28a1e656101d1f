"""Date expressions and their normalisation against the publication date."""
from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from pipeline.nlp.dates import extract_dates
from pipeline.nlp.parse import parse_article
from schemas.dates import DatesSchema

PUB = date(2022, 3, 1)  # a Tuesday


def dates(text, published=PUB):
    return [(r["text"], r["date_start"], r["date_end"], r["precision"])
            for r in extract_dates(parse_article("t", text, published))]


@pytest.mark.parametrize("text, expected", [
    ("The talks ended on Monday evening.", ("Monday evening", date(2022, 2, 28), date(2022, 2, 28), "day")),
    ("Russia invaded last Friday.", ("last Friday", date(2022, 2, 25), date(2022, 2, 25), "day")),
    ("A second round is slated for Wednesday.", ("Wednesday", date(2022, 3, 2), date(2022, 3, 2), "day")),
    ("The delegations will meet again on Monday.", ("Monday", date(2022, 3, 7), date(2022, 3, 7), "day")),
    ("They met yesterday.", ("yesterday", date(2022, 2, 28), date(2022, 2, 28), "day")),
    ("They meet again tomorrow.", ("tomorrow", date(2022, 3, 2), date(2022, 3, 2), "day")),
    ("The talks took place last week.", ("last week", date(2022, 2, 21), date(2022, 2, 27), "day")),
    ("Talks were held on February 16.", ("February 16", date(2022, 2, 16), date(2022, 2, 16), "day")),
    ("Talks were held on 16 February.", ("16 February", date(2022, 2, 16), date(2022, 2, 16), "day")),
    ("Talks ended on May 16, 2025.", ("May 16, 2025", date(2025, 5, 16), date(2025, 5, 16), "day")),
    ("Officials were waiting as of late June.", ("late June", date(2021, 6, 21), date(2021, 6, 30), "month")),
    ("The earlier talks in March-April 2022 failed.", ("March-April 2022", date(2022, 3, 1), date(2022, 4, 30), "month")),
    ("The war began in February 2022.", ("February 2022", date(2022, 2, 1), date(2022, 2, 28), "month")),
    ("Crimea was annexed in 2014.", ("2014", date(2014, 1, 1), date(2014, 12, 31), "year")),
    ("The envoy arrived three days ago.", ("three days ago", date(2022, 2, 26), date(2022, 2, 26), "day")),
    ("Talks resume next month.", ("next month", date(2022, 4, 1), date(2022, 4, 30), "month")),
])
def test_dates(text, expected):
    assert dates(text) == [expected]


def test_without_publication_date_month_and_day_are_kept():
    [row] = extract_dates(parse_article("t", "Both sides met on May 16 in Istanbul.", None))
    assert (row["date_start"], row["year"], row["month"], row["day"], row["precision"]) == (None, None, 5, 16, "day")
    [row] = extract_dates(parse_article("t", "The talks ended on Monday.", None))
    assert row["date_start"] is None and row["precision"] == "unknown" and row["relative"]


@pytest.mark.parametrize("text", [
    "Ukraine may agree to talks.", "Talks lasted four days.", "Every day we lose lives.",
    "They will march on the capital.", "The toll reached 2,014 people.",
])
def test_not_dates(text):
    assert dates(text) == []


@pytest.mark.parametrize("text", ["", "\x00", "May 32", "February 30, 2022", "\U0001f600 Monday 2099-13-45",
                                  "late", "31/02/2022"])
def test_odd_text_never_raises(text):
    for r in extract_dates(parse_article("t", text, PUB)):
        assert 0 <= r["start"] <= r["end"] <= len(text)


def test_seeds(seeds_dir):
    rows = []
    for path in sorted(seeds_dir.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        found = extract_dates(parse_article(path.stem, text, PUB))
        for r in found:
            assert text[r["start"]:r["end"]] == r["text"]
        rows += found
    DatesSchema.validate(pd.DataFrame(rows), lazy=True)
    texts = {r["text"] for r in rows}
    assert {"last Friday", "Monday evening", "Sunday", "tomorrow", "Wednesday", "Thursday", "last week",
            "February 2022", "2014", "late June", "May 16", "March-April 2022"} <= texts


def test_bare_weekday_equal_to_publication_weekday_is_that_day():
    monday = date(2022, 2, 28)
    assert dates("The delegations met on Monday near the border.", monday)[0][1] == monday
    assert dates("The delegations met last Monday near the border.", monday)[0][1] == date(2022, 2, 21)
