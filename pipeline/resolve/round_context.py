"""Round resolution, the article's context: what an article says besides a mention (its date, people, heads,
roles, the countries of its talks, its dates), and the small readers of mention values the other steps share."""
from __future__ import annotations

import calendar
import functools
from collections import Counter
from datetime import date, timedelta

import pandas as pd

from pipeline.ids import fold
from pipeline.resolve.records import records
from pipeline.resolve.round_reference import as_date

# The columns resolution reads of its other inputs (the mentions' own are read whole).
ARTICLE_COLUMNS = ["article_id", "published_date", "publisher"]
ROLE_COLUMNS = ["article_id", "actor_id", "role"]
DATE_COLUMNS = ["article_id", "year", "month", "day", "date_end", "relative", "text"]
ROUND_DAYS = 14  # one article's talks at one place within this many days are one round (multi-day talks)
STORY_DAYS = 1   # a story reports what happened on its day or the day before
JOIN_DAYS = 2    # a mention this close to a round's days continues it


# Mentions, dates and articles are read as dicts by `records`, missing values as None: scoring reads millions of
# values with dict.get.

def as_int(m: dict, key: str) -> int | None:
    v = m.get(key)
    return int(v) if v is not None else None


def as_list(v) -> list:
    if v is None or (isinstance(v, float) and pd.isna(v)):
        return []
    return list(v) if isinstance(v, (list, tuple, set)) or hasattr(v, "tolist") else [v]


def round_days(r: dict) -> list[date]:
    return _day_range(r["date_start"], r["date_end"] or r["date_start"])


@functools.lru_cache(maxsize=4096)  # asked for every mention scored against a round
def _day_range(start: date | None, end: date | None) -> list[date]:
    return tuple(start + timedelta(days=i) for i in range((end - start).days + 1)) if start else ()


# Asked of every mention several times: written as `or` chains (the truth of the same values, without a generator).
def has_place(m: dict) -> bool:
    return bool(m.get("venue") or m.get("city") or m.get("region") or m.get("country"))


def own_anchors(m: dict) -> bool:
    return bool(m.get("venue") or m.get("city") or m.get("region") or m.get("country") or m.get("ordinal")
                or m.get("month") or m.get("date_start")) or m.get("format") in ("online", "phone")


def weak_anchors(m: dict) -> bool:
    return m.get("weekday") is not None or m.get("duration_minutes") is not None \
        or m.get("reference") == "latest" or m.get("year") is not None


def valid_day(year: int, month: int, day: int | None) -> date | None:
    """The date, or the month's last day when `day` is None; None for impossible ones ('February 30')."""
    try:
        return date(year, month, day if day is not None else calendar.monthrange(year, month)[1])
    except ValueError:
        return None


def mention_day(m: dict, c: dict) -> date | None:
    """The day a mention gives its meeting: its own date (to the day), its month and day in the article's year,
    or its weekday, the last one up to the article's (known or estimated) date (the next one if planned)."""
    start = as_date(m.get("date_start"))
    if start and m.get("date_precision") in (None, "day"):
        return start
    pub = c["pub"] or c["estimated"]
    month, day = as_int(m, "month"), as_int(m, "day")
    year = as_int(m, "year") or (pub.year if pub else None)
    if month and day and year:
        return valid_day(year, month, day)
    weekday = as_int(m, "weekday")
    if weekday is not None and pub and not start:
        back = (pub.weekday() - weekday) % 7
        return pub + timedelta(days=(7 - back) % 7) if m.get("tense") == "planned" else pub - timedelta(days=back)
    return None


def story_day(c: dict) -> date | None:
    """The day a news story reports: the first day its text names (its lead) that is its date or the day before
    ('on Wednesday evening' in a Thursday paper). Undated mentions of talks the story reports happened then."""
    pub = c["pub"] or c["estimated"]
    if pub is None:
        return None
    days = [valid_day(int(d["year"]), int(d["month"]), int(d["day"])) for d in c["dates"]
            if d.get("year") and d.get("month") and d.get("day") and not pd.isna(d["day"])]
    return next((d for d in days if d and pub - timedelta(days=STORY_DAYS) <= d <= pub), None)


def reported(m: dict) -> bool:
    """A mention of a round the article reports, not one it recalls or announces."""
    return m.get("kind") == "round" and m.get("reference") != "previous" and m.get("tense") != "planned"


def _place_of(m: dict) -> tuple:
    return tuple(m.get(k) for k in ("venue", "city", "region", "country"))


def lend_places(group: list[dict], c: dict) -> None:
    """In an article about talks no known round fits, a dated mention without a place ('the talks ended on
    Saturday') takes the place of the article's talks: a placed mention within JOIN_DAYS of it, else the place its
    undated mentions give (of the same month when they name one), else a placed one within ROUND_DAYS. The
    dateline is never such a place (round_cues leaves it out)."""
    placed = [(m, mention_day(m, c)) for m in group if reported(m) and has_place(m)]
    if not placed:
        return
    for m in group:
        if m["round_id"] or has_place(m) or not reported(m) or (day := mention_day(m, c)) is None:
            continue
        near = [(abs((d - day).days), i) for i, (p, d) in enumerate(placed) if d]
        undated = Counter(_place_of(p) for p, d in placed if d is None and as_int(p, "month") in (None, day.month))
        if near and min(near)[0] <= JOIN_DAYS:
            i = min(near)[1]
        elif undated:
            top = undated.most_common(1)[0][0]
            i = next(i for i, (p, d) in enumerate(placed) if d is None and _place_of(p) == top)
        elif near and min(near)[0] <= ROUND_DAYS:
            i = min(near)[1]
        elif m.get("definiteness") == "definite" and (months := [i for i, (p, d) in enumerate(placed) if d is None]):
            i = months[0]  # 'the talks' are the article's, whose place ('in Oslo in September') holds in other months
        else:
            continue
        m.update(zip(("venue", "city", "region", "country"), _place_of(placed[i][0])))
        m["_new"] = True


def contexts(ms: list[dict], articles: pd.DataFrame, roles: pd.DataFrame, dates: pd.DataFrame) -> dict:
    ctx: dict[str, dict] = {}
    for a in records(articles[[c for c in ARTICLE_COLUMNS if c in articles]]):
        ctx[a["article_id"]] = {"pub": as_date(a.get("published_date")), "estimated": None,
                                "publisher": a.get("publisher"), "people": set(), "heads": set(),
                                "roles": set(), "countries": Counter(), "dates": [], "after": set()}
    for m in ms:
        c = ctx.setdefault(m["article_id"], {"pub": None, "estimated": None, "publisher": None, "people": set(),
                                             "heads": set(), "roles": set(), "countries": Counter(),
                                             "dates": [], "after": set()})
        c["people"].update(as_list(m.get("people")))
        c["heads"].update(as_list(m.get("delegation_heads")))
        if m.get("kind") == "round" and m.get("country") and m.get("reference") != "previous":
            c["countries"][m["country"]] += 1
        talk_day = as_date(m.get("date_start")) if m.get("date_precision") == "day" else None
        if m.get("kind") == "round" and talk_day and m.get("tense") != "planned" and m.get("reference") is None:
            c.setdefault("talk_days", set()).add(talk_day)  # the days the article's own talks are dated to
    for r in (records(roles) if roles is not None else []):
        if r.get("article_id") in ctx and r.get("actor_id"):
            ctx[r["article_id"]]["people"].add(r["actor_id"])
            ctx[r["article_id"]]["roles"].add((r["actor_id"], fold(r.get("role") or "")))
    for d in (records(dates) if dates is not None else []):
        if d.get("article_id") in ctx:
            ctx[d["article_id"]]["dates"].append(d)
    return ctx
