"""A date match resolved to a range of days against the publication date: what its tokens say (month, days,
year, weekday, part of a month or year, relative words) and the precision of the range.

The vocabulary is dates.yaml's (and the time units of claims.yaml); numbers are read by `numbers.parse_number`, the
one number reader; `dates` finds the matches.
"""
from __future__ import annotations

import calendar
import functools
import re
from datetime import date, timedelta

from spacy.tokens import Span

from pipeline.nlp.alternation import alternation
from pipeline.nlp.date_patterns import words
from pipeline.nlp.numbers import parse_number
from pipeline.reference import load_reference

PERIOD_DAYS = {"week": 7, "month": 30, "year": 365}
DAY = re.compile(r"\d+")
VAGUE_COUNTS = {"several", "few", "a few"}  # counts of a duration that are no number


@functools.lru_cache(maxsize=None)
def lexicon() -> dict:
    lex = {**load_reference("claims"), **load_reference("dates")}
    return {
        "months": {k.lower(): int(v) for k, v in lex["months"].items()},
        "weekdays": {k.lower(): int(v) for k, v in lex["weekdays"].items()},
        "parts": {k.lower(): tuple(v) for k, v in lex["month_parts"].items()},
        "year_parts": {k.lower(): tuple(v) for k, v in lex["year_parts"].items()},
        "relative_days": {k.lower(): int(v) for k, v in lex["relative_days"].items()},
        "relative_words": {k.lower(): int(v) for k, v in lex["relative_words"].items()},
        "bare_month_after": set(words("bare_month_after")),
        "connectors": set(words("range_connectors")),
        "range_openers": set(words("range_openers")),
        "duration": re.compile(rf"^(?:(?i:about|around|some|nearly|almost|over|the)\s+)?(?P<count>.+?)[\s-]+"
                               rf"(?:{alternation(lex['time_units'])})$", re.IGNORECASE),
    }


def is_duration(text: str) -> bool:
    """Whether a DATE entity is a length of time ('two weeks', 'about 48 hours', 'a few days'), not a date."""
    m = lexicon()["duration"].match(text)
    count = " ".join(m.group("count").lower().split()) if m else ""
    return bool(m) and (count in VAGUE_COUNTS or parse_number(count) is not None)


def _last_day(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]


def safe_date(year: int | None, month: int | None, day: int | None) -> date | None:
    try:
        return date(year, month, day) if year and month and day else None
    except ValueError:
        return None


def _year_for(month: int, day: int | None, pub: date | None, future: bool, step: int | None = None) -> int | None:
    """The year of a month (and day) given without one: the latest such date not after publication, or the first
    one not before it when the sentence speaks of the future. 'last June' / 'next June' (step -1 / 1) is the
    closest June strictly before / after the publication's month; 'this June' the publication's year."""
    if pub is None:
        return None
    if step is not None and step != 0:
        if step < 0:
            return pub.year if month < pub.month else pub.year - 1
        return pub.year if month > pub.month else pub.year + 1
    if step == 0:
        return pub.year
    if future:
        return pub.year if (month, day or 31) >= (pub.month, pub.day) else pub.year + 1
    return pub.year if (month, day or 1) <= (pub.month, pub.day) else pub.year - 1


class _Tokens:
    """The parts of a match, read from its tokens: month, days, year, weekday, part and relative words."""

    def __init__(self, span: Span):
        lex = lexicon()
        self.months, self.days, self.years, self.rel, self.part, self.weekday = [], [], [], [], None, None
        self.unit = self.count = None
        for tok in span:
            low = tok.lower_
            if tok.text.rstrip(".").lower() in lex["months"] and tok.text[:1].isupper():
                self.months.append(lex["months"][tok.text.rstrip(".").lower()])
            elif low in lex["weekdays"]:
                self.weekday = lex["weekdays"][low]
            elif re.fullmatch(r"(?:1[89]|20)\d\d", low):
                self.years.append(int(low))
            elif re.fullmatch(r"\d{1,2}(?:st|nd|rd|th)?|\d{1,2}[-–—]\d{1,2}", low):
                self.days += [int(d) for d in DAY.findall(low)]
            elif low in lex["relative_words"]:
                self.rel.append(low)
            elif low in lex["parts"] or low in lex["year_parts"]:
                self.part = low
            elif tok.lemma_.lower() in PERIOD_DAYS or tok.lemma_.lower() == "day":
                self.unit = tok.lemma_.lower()
            if tok.like_num or low in ("a", "an"):
                value = parse_number(low)  # 'a', 'an', '3', 'three'; 1 for a number of no whole value
                self.count = int(value) if value and value == int(value) else 1
            m = re.fullmatch(r"([a-z]+)-((?:1[89]|20)\d\d)", low)  # "mid-2024", one token
            if m:
                self.part, self.years = m.group(1), [int(m.group(2))]

    @property
    def step(self) -> int | None:
        rel = lexicon()["relative_words"]
        return rel[self.rel[-1]] if self.rel else None


def _numeric(text: str) -> dict:
    """'05/16/2025' (month first, as English writes it, unless the first number cannot be a month),
    '16.05.2025' (day first), '2025/05/16' and '2025-05-16'."""
    a, b, c = (int(x) for x in DAY.findall(text)[-3:])  # the date's numbers, after any weekday joined to it
    if a > 31:
        y, mo, d = a, b, c
    elif "." in text or a > 12:
        d, mo, y = a, b, c
    else:
        mo, d, y = a, b, c
    start = safe_date(y, mo, d)
    if start is None:
        return {}
    return dict(start=start, precision="day", year=y, month=mo, day=d)


def resolve(family: str, span: Span, pub: date | None, future: bool) -> dict | None:
    """Keyword arguments for _row from one match; None when the match is not a date after all."""
    lex, t = lexicon(), _Tokens(span)
    if family == "numeric":
        return _numeric(span.text.replace(" ", ""))
    if family in ("month_day", "day_month"):
        mo, d1, d2 = t.months[0], t.days[0], t.days[-1]
        y = t.years[0] if t.years else _year_for(mo, d1, pub, future)
        start, end = safe_date(y, mo, d1), safe_date(y, mo, d2)
        if (y is not None and start is None) or (start and end and end < start):
            return None
        return dict(start=start, end=end, precision="day", relative=not t.years, year=y, month=mo, day=d1)
    if family in ("month", "month_range", "month_rel"):
        m1, m2 = t.months[0], t.months[-1]
        y = t.years[0] if t.years else _year_for(m1, None, pub, future, t.step)
        first, last = lex["parts"].get(t.part, (1, 31))
        if y is None:
            return dict(precision="month", relative=True, month=m1)
        m2 = m2 if m2 >= m1 else m1
        return dict(start=date(y, m1, first), end=date(y, m2, min(last, _last_day(y, m2))), precision="month",
                    relative=not t.years, year=y, month=m1)
    if family == "year_part":
        y, (first, last) = t.years[0], lex["year_parts"].get(t.part, (1, 12))
        return dict(start=date(y, first, 1), end=date(y, last, _last_day(y, last)), precision="month", year=y)
    if family == "year":
        y = t.years[0]
        return dict(start=date(y, 1, 1), end=date(y, 12, 31), precision="year", year=y)
    if pub is None:
        return dict(relative=True)
    if family == "weekday":
        rel = t.rel[-1] if t.rel else ""
        forward = rel in ("next", "coming") or (future and rel not in ("last", "past", "previous"))
        # A bare past weekday equal to the publication's own is that day (a wire story dated Monday that says
        # "met on Monday"); "last Monday" is a week back.
        back = (pub.weekday() - t.weekday) % 7 or (7 if rel else 0)
        delta = ((t.weekday - pub.weekday()) % 7 or 7) if forward else -back
        return _day(pub + timedelta(days=delta))
    if family == "relative":
        return _day(pub + timedelta(days=lex["relative_days"][" ".join(span.text.lower().split())]))
    if family == "ago":
        return _day(pub - timedelta(days=(t.count or 1) * {"day": 1, **PERIOD_DAYS}[t.unit]))
    return _period(t.rel, t.unit, pub)


def _day(d: date) -> dict:
    return dict(start=d, precision="day", relative=True, year=d.year, month=d.month, day=d.day)


def _period(rel: list[str], unit: str, pub: date) -> dict:
    """'last week', 'next month', 'this year', 'the past month': a range of days, a month or a year."""
    if rel[0] == "past":
        return dict(start=pub - timedelta(days=PERIOD_DAYS[unit]), end=pub, precision="day", relative=True)
    step = lexicon()["relative_words"][rel[-1]]
    if unit == "week":
        monday = pub - timedelta(days=pub.weekday()) + timedelta(weeks=step)
        return dict(start=monday, end=monday + timedelta(days=6), precision="day", relative=True)
    if unit == "month":
        y, mo = divmod(pub.year * 12 + pub.month - 1 + step, 12)
        return dict(start=date(y, mo + 1, 1), end=date(y, mo + 1, _last_day(y, mo + 1)), precision="month",
                    relative=True, year=y, month=mo + 1)
    y = pub.year + step
    return dict(start=date(y, 1, 1), end=date(y, 12, 31), precision="year", relative=True, year=y)
