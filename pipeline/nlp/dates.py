"""Date expressions, normalised against the article's publication date.

Regular expressions over the month, weekday and relative-day words of the `claims` lexicon find
explicit dates ("May 16", "late June", "March-April 2022", "in 2014") and relative ones ("last
Friday", "tomorrow", "last week", "three days ago"). A weekday or a month without a year is read in
the past unless a future cue ("will", "slated for", "next") precedes it in the sentence. spaCy DATE
entities that no pattern covers are kept with precision `unknown`, except plain durations ("four
days"), which are claims, and frequencies ("every day"). Without a publication date a month and day are still reported
in the month/day columns so that later steps can match them against known rounds.
"""
from __future__ import annotations

import calendar
import functools
import re
from datetime import date, timedelta

from pipeline.ids import stable_id
from pipeline.nlp.document import ParsedArticle
from pipeline.nlp.spans import DisjointSpans
from pipeline.reference import load_reference

YEAR = r"(?:1[89]\d\d|20\d\d)"
BARE_MONTH_BEFORE = re.compile(r"\b(?:in|since|by|until|till|from|of|during|through|before|after|this|"
                               r"last|next|early|late|mid|to|and)\s+$", re.IGNORECASE)
#: spaCy DATE entities that name a frequency or an unbounded stretch, not a point in time.
NOT_A_DATE = re.compile(r"^(?:(?:every|each|daily|weekly|monthly|annual|annually)\b|(?:the\s+)?(?:recent\s+|"
                        r"past\s+|coming\s+)?(?:days|weeks|months|years|decades)$)", re.IGNORECASE)
PERIOD_DAYS = {"week": 7, "month": 30, "year": 365}


def _alt(words) -> str:
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(words, key=len, reverse=True))


@functools.lru_cache(maxsize=None)
def lexicon() -> dict:
    lex = {**load_reference("claims"), **load_reference("dates")}
    months = {k.lower(): int(v) for k, v in lex["months"].items()}
    full = [m for m in months if len(m) > 3 and m != "sept"]
    weekdays = {k.lower(): int(v) for k, v in lex["weekdays"].items()}
    parts = {k.lower(): tuple(v) for k, v in lex["month_parts"].items()}
    # Month names are matched capitalised only ("May", not the verb "may"); abbreviations need a number.
    cap = lambda words: "|".join(w.capitalize() for w in sorted(words, key=len, reverse=True))  # noqa: E731
    month = rf"(?:{cap(full)}|(?:{cap(set(months) - set(full))})\.?(?=\s*\d))"
    part = rf"(?:(?i:the\s+)?(?i:{_alt(parts)})(?:-|\s+(?i:of\s+)?)?)"
    day = r"(?:[0-3]?\d)(?:st|nd|rd|th)?"
    weekday = rf"(?:{cap(weekdays)})"
    patterns = [
        ("month_range", rf"(?P<part>{part})?(?P<m1>{month})\s*(?:[-\u2013/]|\s+(?i:to|and|through)\s+)\s*"
                        rf"(?P<m2>{month}),?\s+(?P<year>{YEAR})\b"),
        ("month_day", rf"(?:{weekday},?\s+)?(?P<m1>{month})\s+(?P<d1>{day})(?:\s*[-\u2013]\s*(?P<d2>{day}))?\b"
                      rf"(?:,?\s+(?P<year>{YEAR})\b)?"),
        ("day_month", rf"(?:{weekday},?\s+)?(?:(?i:the)\s+)?(?P<d1>{day})(?:\s*[-\u2013]\s*(?P<d2>{day}))?\s+"
                      rf"(?:(?i:of)\s+)?(?P<m1>{month})(?:,?\s+(?P<year>{YEAR})\b)?"),
        ("iso", r"\b(?P<year>" + YEAR + r")-(?P<m1>[01]\d)-(?P<d1>[0-3]\d)\b"),
        ("month", rf"(?P<part>{part})?(?P<m1>{month})\b(?:,?\s+(?P<year>{YEAR})\b)?"),
        ("year", rf"(?<![\w$\u20ac\u00a3.,-])(?P<year>{YEAR})(?![\w%]|,\d|\.\d|\s*(?i:percent|per cent))"),
        ("weekday", rf"(?:(?P<rel>(?i:last|next|this|past|previous|coming))\s+)?(?P<wd>{weekday})"
                    rf"(?:\s+(?i:morning|afternoon|evening|night))?\b"),
        ("ago", rf"(?P<n>\d+|(?i:{_alt(lex['number_words'])})|(?i:a|an))\s+(?P<unit>(?i:day|week|month|year))s?"
                rf"\s+(?i:ago)\b"),
        ("period", r"(?P<rel>(?i:last|next|this|past|previous|coming|earlier\s+this|later\s+this))\s+"
                   r"(?P<unit>(?i:week|month|year))\b"),
        ("relative", rf"\b(?P<word>(?i:{_alt(lex['relative_days'])}))\b"),
    ]
    return {
        "months": months, "weekdays": weekdays, "parts": parts,
        "relative_days": {k.lower(): int(v) for k, v in lex["relative_days"].items()},
        "number_words": {k.lower(): int(v) for k, v in lex["number_words"].items()},
        "future": re.compile(rf"\b(?:{_alt(lex['future_cues'])})\b", re.IGNORECASE),
        "past": re.compile(rf"\b(?:{_alt(lex['past_cues'])})\b", re.IGNORECASE),
        "duration": re.compile(rf"^(?:(?i:about|around|some|nearly|almost|over|the)\s+)?(?:\d+|"
                               rf"{_alt(lex['number_words'])}|a|an|several|few|a\s+few)[\s-]+"
                               rf"(?:{_alt(lex['time_units'])})$", re.IGNORECASE),
        "patterns": [(name, re.compile(p)) for name, p in patterns],
    }


def _last_day(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]


def _safe_date(year: int | None, month: int | None, day: int | None) -> date | None:
    try:
        return date(year, month, day) if year and month and day else None
    except ValueError:
        return None


def _is_future(text: str, start: int, end: int, sentence_start: int) -> bool:
    """A future cue before the expression in its sentence, or right after it, and no past cue."""
    lex = lexicon()
    before = text[max(sentence_start, start - 80):start]
    own = text[start:end]
    if lex["past"].search(own) or re.search(r"\b(?:last|since|previous|ago)\W*$", before, re.IGNORECASE):
        return False
    return bool(lex["future"].search(before) or lex["future"].search(own))


def _row(parsed, m_start, m_end, *, start=None, end=None, precision="unknown", relative=False,
         year=None, month=None, day=None) -> dict:
    return {
        "date_id": stable_id("date", parsed.article_id, m_start, m_end),
        "article_id": parsed.article_id,
        "sentence_id": parsed.sentence_id_at(m_start),
        "start": m_start,
        "end": m_end,
        "text": parsed.text[m_start:m_end],
        "date_start": start,
        "date_end": end if end is not None else start,
        "precision": precision,
        "relative": relative,
        "year": year,
        "month": month,
        "day": day,
    }


def _year_for(month: int, day: int | None, pub: date | None, future: bool) -> int | None:
    """The year of a month (and day) given without one: the latest such date not after publication,
    or the first one not before it when the sentence speaks of the future."""
    if pub is None:
        return None
    if future:
        return pub.year if (month, day or 31) >= (pub.month, pub.day) else pub.year + 1
    return pub.year if (month, day or 1) <= (pub.month, pub.day) else pub.year - 1


def _resolve(name: str, m: re.Match, parsed: ParsedArticle, future: bool) -> dict:
    """Keyword arguments for _row from one pattern match."""
    lex, pub = lexicon(), parsed.published_date
    g = m.groupdict()
    month_of = lambda key: lex["months"].get(g[key].rstrip(".").lower()) if g.get(key) else None  # noqa: E731
    if name == "iso":
        y, mo, d = int(g["year"]), int(g["m1"]), int(g["d1"])
        return dict(start=_safe_date(y, mo, d), precision="day", year=y, month=mo, day=d)
    if name in ("month_day", "day_month"):
        mo, d1 = month_of("m1"), int(re.match(r"\d+", g["d1"]).group())
        d2 = int(re.match(r"\d+", g["d2"]).group()) if g.get("d2") else d1
        y = int(g["year"]) if g.get("year") else _year_for(mo, d1, pub, future)
        return dict(start=_safe_date(y, mo, d1), end=_safe_date(y, mo, d2), precision="day",
                    relative=not g.get("year"), year=y, month=mo, day=d1)
    if name in ("month", "month_range"):
        m1 = month_of("m1")
        m2 = month_of("m2") if name == "month_range" else m1
        y = int(g["year"]) if g.get("year") else _year_for(m1, None, pub, future)
        first, last = 1, 31
        if g.get("part"):
            key = re.sub(r"^the\s+|\s+of$|-$", "", g["part"].strip().lower()).strip()
            first, last = lex["parts"].get(key, (1, 31))
        if y is None:
            return dict(precision="month", relative=True, month=m1)
        end_month = m2 if m2 and m2 >= m1 else m1
        return dict(start=date(y, m1, first), end=date(y, end_month, min(last, _last_day(y, end_month))),
                    precision="month", relative=not g.get("year"), year=y, month=m1)
    if name == "year":
        y = int(g["year"])
        return dict(start=date(y, 1, 1), end=date(y, 12, 31), precision="year", year=y)
    if pub is None:
        return dict(relative=True)
    if name == "weekday":
        wd = lex["weekdays"][g["wd"].lower()]
        rel = (g.get("rel") or "").lower()
        forward = rel in ("next", "coming") or (future and rel not in ("last", "past", "previous"))
        # A bare past weekday equal to the publication's own is that day (a wire story dated Monday that says
        # "met on Monday"); "last Monday" is a week back.
        back = (pub.weekday() - wd) % 7 or (7 if rel else 0)
        delta = ((wd - pub.weekday()) % 7 or 7) if forward else -back
        d = pub + timedelta(days=delta)
        return dict(start=d, precision="day", relative=True, year=d.year, month=d.month, day=d.day)
    if name == "relative":
        d = pub + timedelta(days=lex["relative_days"][" ".join(g["word"].lower().split())])
        return dict(start=d, precision="day", relative=True, year=d.year, month=d.month, day=d.day)
    if name == "ago":
        n = g["n"].lower()
        count = int(n) if n.isdigit() else lex["number_words"].get(n, 1)
        d = pub - timedelta(days=count * {"day": 1, **PERIOD_DAYS}[g["unit"].lower()])
        return dict(start=d, precision="day", relative=True, year=d.year, month=d.month, day=d.day)
    return _period(g["rel"].lower(), g["unit"].lower(), pub)


def _period(rel: str, unit: str, pub: date) -> dict:
    """'last week', 'next month', 'this year', 'the past month': a range of days, a month or a year."""
    step = {"last": -1, "previous": -1, "next": 1, "coming": 1}.get(rel.split()[0], 0)
    if rel == "past":
        return dict(start=pub - timedelta(days=PERIOD_DAYS[unit]), end=pub, precision="day", relative=True)
    if unit == "week":
        monday = pub - timedelta(days=pub.weekday()) + timedelta(weeks=step)
        return dict(start=monday, end=monday + timedelta(days=6), precision="day", relative=True)
    if unit == "month":
        y, mo = divmod(pub.year * 12 + pub.month - 1 + step, 12)
        return dict(start=date(y, mo + 1, 1), end=date(y, mo + 1, _last_day(y, mo + 1)), precision="month",
                    relative=True, year=y, month=mo + 1)
    y = pub.year + step
    return dict(start=date(y, 1, 1), end=date(y, 12, 31), precision="year", relative=True, year=y)


def extract_dates(parsed: ParsedArticle) -> list[dict]:
    """One row per date expression, with its normalised range and precision."""
    text = parsed.text or ""
    lex = lexicon()
    taken = DisjointSpans()
    rows = []
    for name, pattern in lex["patterns"]:
        for m in pattern.finditer(text):
            start, end = m.span()
            if start == end or taken.overlaps(start, end):
                continue
            if name == "month" and not (m.group("part") or m.group("year")) and not BARE_MONTH_BEFORE.search(
                    text[max(0, start - 12):start]):
                continue  # a bare "May" or "March" is a date only after a preposition
            sentence = parsed.sentence_at(start)
            future = _is_future(text, start, end, sentence.start if sentence else 0)
            taken.append((start, end))
            rows.append(_row(parsed, start, end, **_resolve(name, m, parsed, future)))
    for ent in getattr(parsed.doc, "ents", ()):
        if ent.label_ != "DATE" or lex["duration"].match(ent.text.strip()) or NOT_A_DATE.match(ent.text.strip()):
            continue
        if taken.overlaps(ent.start_char, ent.end_char):
            continue
        taken.append((ent.start_char, ent.end_char))
        rows.append(_row(parsed, ent.start_char, ent.end_char))
    return sorted(rows, key=lambda r: (r["start"], r["end"]))
