"""The fallback for spaCy DATE entities that no date pattern covers: dateparser, offline, with fixed settings.

English only, dates preferred in the past, counted from the article's publication date (RELATIVE_BASE), never
from today: without a publication date nothing is resolved, so a build gives the same rows whenever it runs.
dateparser reads almost anything as a date ("5+5", "a D-day"), so its answer is kept only when a calendar word
of the entity backs the granularity it reports (a day needs a day number, a weekday or a day word; a month a
month name or "month" ...), and never for expressions counted from another event ("a year later").
"""
from __future__ import annotations

import calendar
import functools
import re
from datetime import date, datetime, timedelta

from spacy.tokens import Span

from pipeline.nlp.date_patterns import words

DAY_NUMBER = re.compile(r"\d{1,2}(?:st|nd|rd|th)?")
UNKNOWN = {"precision": "unknown"}
SETTINGS = {"PREFER_DATES_FROM": "past", "RETURN_TIME_AS_PERIOD": True,
            "PARSERS": ["relative-time", "absolute-time"]}


@functools.lru_cache(maxsize=64)
def _parser(published: date):
    from dateparser.date import DateDataParser  # imported on first use: ~0.5 s that most articles never pay
    return DateDataParser(languages=["en"], settings={
        **SETTINGS, "RELATIVE_BASE": datetime(published.year, published.month, published.day)})


@functools.lru_cache(maxsize=None)
def _vocabulary() -> dict[str, set[str]]:
    """The calendar words that back each granularity dateparser may report."""
    months, weekdays, days = set(words("months")), set(words("weekdays")), set(words("relative_days"))
    # "day" itself backs nothing: "the final day", "a good day", "D-day" are no calendar day.
    day_words = weekdays | {phrase for phrase in days if " " not in phrase}
    return {"day": day_words, "part_of_day": day_words, "time": day_words, "week": {"week", "weekend"},
            "month": months | {"month"}, "year": {"year"}, "anchored": set(words("anchored_cues"))}


def _backed(ent: Span, period: str) -> bool:
    vocab = _vocabulary()
    lemmas = {t.lemma_.lower() for t in ent} | {t.lower_ for t in ent}
    if lemmas & vocab["anchored"]:
        return False
    if period == "year" and any(t.like_num and len(t.text) == 4 for t in ent):
        return True
    if period in ("day", "part_of_day", "time") and lemmas & vocab["month"] and any(
            DAY_NUMBER.fullmatch(t.text) for t in ent):
        return True
    return bool(lemmas & vocab.get(period, set()))


@functools.lru_cache(maxsize=4096)
def _parsed(text: str, published: date) -> tuple[date | None, str | None]:
    """(day, granularity) dateparser reads in `text`; the same words recur within and across articles."""
    data = _parser(published).get_date_data(text)
    return (data.date_obj.date(), data.period) if data is not None and data.date_obj is not None else (None, None)


def fallback_date(ent: Span, published: date | None) -> dict:
    """_row keyword arguments for a DATE entity: its range and precision, or precision unknown."""
    if published is None:
        return {**UNKNOWN, "relative": True}
    d, period = _parsed(ent.text, published)
    if d is None or not _backed(ent, period):
        return dict(UNKNOWN)
    relative = not any(t.like_num and len(t.text) == 4 for t in ent)
    if period == "year":
        return dict(start=date(d.year, 1, 1), end=date(d.year, 12, 31), precision="year", relative=relative,
                    year=d.year)
    if period == "month":
        return dict(start=date(d.year, d.month, 1), end=date(d.year, d.month, calendar.monthrange(d.year, d.month)[1]),
                    precision="month", relative=relative, year=d.year, month=d.month)
    if period == "week":
        monday = d - timedelta(days=d.weekday())
        return dict(start=monday, end=monday + timedelta(days=6), precision="day", relative=relative)
    return dict(start=d, precision="day", relative=relative, year=d.year, month=d.month, day=d.day)
