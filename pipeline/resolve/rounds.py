"""Rounds: resolve round mentions into the documented rounds (rounds.yaml) or into new, clustered ones.

A mention with cues of its own (place, date, ordinal, format) is scored against every known round;
the article adds what it says elsewhere (where its talks were, who led the delegations, the dated
roles of its people, the latest date it gives). Two passes: the first links what is unambiguous
(a "May 16" that only one known round fits pins the year); from those links and the article's dates
an undated article gets an estimated publication date, and the second pass uses it (a "recent"
round is the latest one before that date; a round reported as past cannot be later). Mentions that
no known round fits but that name a place are clustered into new rounds by place and date. A
definite "the talks" takes the article's main round; a generic "peace talks are ..." takes none.
"""
from __future__ import annotations

import calendar
import functools
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
import pandas as pd

from pipeline.ids import fold, stable_id
from pipeline.nlp.round_mentions import COLUMNS as MENTION_COLUMNS
from pipeline.reference import load_reference
from pipeline.resolve.records import records

THRESHOLD = 3.0  # a link needs this much evidence ...
MARGIN = 1.0     # ... and this lead over the next candidate, else the article's main round decides
RECENT_DAYS = 31
ONGOING_DAYS = 3
ROUND_COLUMNS = ["round_id", "label", "date_start", "date_end", "date_precision", "city", "venue", "country",
                 "host", "format", "ordinal", "duration_minutes", "parties", "delegation_heads", "outcome",
                 "n_articles", "n_publishers", "article_ids", "in_reference", "series"]
STATUS_ORDER = ("agreed", "implemented", "proposed", "rejected")


# ---------- reference data ------------------------------------------------------------------------

def _as_date(value) -> date | None:
    if value is None or (not isinstance(value, (list, str, date)) and pd.isna(value)):
        return None
    if isinstance(value, pd.Timestamp):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def known_rounds() -> list[dict]:
    """The documented rounds, dates parsed."""
    rounds = []
    for r in load_reference("rounds")["rounds"]:
        start = _as_date(r["date_start"])
        rounds.append(dict(r, date_start=start, date_end=_as_date(r.get("date_end")) or start))
    return rounds


def _period_bound(value, end: bool) -> date | None:
    """A role's from/to: an ISO date, or a month or year taken at its first (or last) day."""
    if isinstance(value, date):
        return value
    parts = str(value or "").split("-")
    try:
        year = int(parts[0])
        month = int(parts[1]) if len(parts) > 1 else (12 if end else 1)
        day = int(parts[2]) if len(parts) > 2 else (calendar.monthrange(year, month)[1] if end else 1)
        return date(year, month, day)
    except (ValueError, IndexError):
        return None


@functools.lru_cache(maxsize=None)
def role_periods() -> dict[tuple[str, str], list[tuple[date | None, date | None]]]:
    """(actor_id, role) -> the periods the actor held the role, from actors.yaml where it gives them."""
    try:
        data = load_reference("actors")
    except FileNotFoundError:
        return {}
    entries = data.get("actors", []) if isinstance(data, dict) else data
    periods: dict = defaultdict(list)
    for a in entries or []:
        aid = a.get("id") or a.get("actor_id")
        for r in a.get("roles") or []:
            if not isinstance(r, dict) or not r.get("role"):
                continue
            start = _period_bound(next((r[k] for k in ("from", "start", "date_start") if r.get(k)), None), False)
            end = _period_bound(next((r[k] for k in ("to", "end", "date_end") if r.get(k)), None), True)
            if start or end:
                periods[(aid, fold(r["role"]))].append((start, end))
    return dict(periods)


# ---------- small helpers -------------------------------------------------------------------------

# Mentions, dates and articles are read as dicts by `records`, missing values as None: scoring reads millions of
# values with dict.get.

def _int(m: dict, key: str) -> int | None:
    v = m.get(key)
    return int(v) if v is not None else None


def _list(v) -> list:
    if v is None or (isinstance(v, float) and pd.isna(v)):
        return []
    return list(v) if isinstance(v, (list, tuple, set)) or hasattr(v, "tolist") else [v]


def _days(r: dict) -> list[date]:
    return _day_range(r["date_start"], r["date_end"] or r["date_start"])


@functools.lru_cache(maxsize=4096)  # asked for every mention scored against a round
def _day_range(start: date | None, end: date | None) -> list[date]:
    return tuple(start + timedelta(days=i) for i in range((end - start).days + 1)) if start else ()


def _has_place(m: dict) -> bool:
    return any(m.get(k) for k in ("venue", "city", "region", "country"))


def _own_anchors(m: dict) -> bool:
    return any(m.get(k) for k in ("venue", "city", "region", "country", "ordinal", "month", "date_start")) \
        or m.get("format") in ("online", "phone")


def _weak_anchors(m: dict) -> bool:
    return m.get("weekday") is not None or m.get("duration_minutes") is not None \
        or m.get("reference") == "latest" or m.get("year") is not None


# ---------- the article's context -----------------------------------------------------------------

def _contexts(ms: list[dict], articles: pd.DataFrame, roles: pd.DataFrame, dates: pd.DataFrame) -> dict:
    ctx: dict[str, dict] = {}
    for a in records(articles[[c for c in ARTICLE_COLUMNS if c in articles]]):
        ctx[a["article_id"]] = {"pub": _as_date(a.get("published_date")), "estimated": None,
                                "publisher": a.get("publisher"), "people": set(), "heads": set(),
                                "roles": set(), "countries": Counter(), "dates": [], "after": set()}
    for m in ms:
        c = ctx.setdefault(m["article_id"], {"pub": None, "estimated": None, "publisher": None, "people": set(),
                                             "heads": set(), "roles": set(), "countries": Counter(),
                                             "dates": [], "after": set()})
        c["people"].update(_list(m.get("people")))
        c["heads"].update(_list(m.get("delegation_heads")))
        if m.get("kind") == "round" and m.get("country") and m.get("reference") != "previous":
            c["countries"][m["country"]] += 1
    for r in (records(roles) if roles is not None else []):
        if r.get("article_id") in ctx and r.get("actor_id"):
            ctx[r["article_id"]]["people"].add(r["actor_id"])
            ctx[r["article_id"]]["roles"].add((r["actor_id"], fold(r.get("role") or "")))
    for d in (records(dates) if dates is not None else []):
        if d.get("article_id") in ctx:
            ctx[d["article_id"]]["dates"].append(d)
    return ctx


# ---------- scoring a mention against a known round -----------------------------------------------

class _Cues:
    """What scoring reads of a mention and its article's date, worked out once per mention rather than once for
    every round it is scored against."""

    __slots__ = ("venue", "city", "region", "country", "planned", "ongoing", "start", "month", "day", "year",
                 "after_year", "after_month", "after_bound", "weekday", "pub", "latest_day", "ended_by", "ordinal",
                 "format", "duration", "previous")

    def __init__(self, m: dict, c: dict):
        self.venue = fold(m["venue"]) if m.get("venue") else None
        self.city = fold(m["city"]) if m.get("city") else None
        self.region = fold(m["region"]) if m.get("region") else None
        self.country = m.get("country")
        self.planned, self.ongoing = m.get("tense") == "planned", m.get("tense") == "ongoing"
        start = _as_date(m.get("date_start"))
        self.start = start if start and m.get("date_precision") == "day" else None
        self.month, self.day, self.year = _int(m, "month"), _int(m, "day"), _int(m, "year")
        self.after_year, self.after_month = _int(m, "after_year"), _int(m, "after_month")
        self.after_bound = (_valid_day(self.after_year, self.after_month or 1, 1) or date.min) if self.after_year else None
        weekday = m.get("weekday")
        self.weekday = int(weekday) if weekday is not None else None
        self.pub = c["pub"] or c["estimated"]
        self.latest_day = self.pub + timedelta(days=1) if self.pub else None
        self.ended_by = self.pub - timedelta(days=ONGOING_DAYS) if self.pub else None
        self.ordinal = _int(m, "ordinal")
        self.format, self.duration = m.get("format"), m.get("duration_minutes")
        self.previous = m.get("reference") == "previous"


def _place_score(q: _Cues, r: dict, c: dict) -> float | None:
    s = 0.0
    if q.venue:
        if r.get("venue") and fold(r["venue"]) != q.venue:
            return None
        s += 3 if r.get("venue") else 0
    if q.city:
        if r.get("city") and fold(r["city"]) != q.city:
            return None
        s += 2 if r.get("city") else 0
    if q.region and r.get("region") and fold(r["region"]) == q.region:
        s += 2
    if q.country:
        if r.get("country") != q.country:
            return None
        s += 1.5
    elif c["countries"]:
        s += 1 if r.get("country") in c["countries"] else -1.5
    return s


def _date_score(q: _Cues, r: dict) -> float | None:
    days = _days(r)
    month, day, year = q.month, q.day, q.year
    s = 0.0
    if q.start:
        start = q.start
        if any(abs((d - start).days) <= 1 for d in days):
            s += 4
        elif q.planned:
            s -= 2
        else:
            return None
    elif month and day:
        if any(d.month == month and d.day == day and (year is None or d.year == year) for d in days):
            s += 4
        elif not q.planned:
            return None
    elif month and year:
        if not any(d.month == month and d.year == year for d in days):
            return None
        s += 2
    elif year:
        if not any(d.year == year for d in days):
            return None
        s += 1
    if q.after_year and days:
        if days[-1] < q.after_bound or (days[0].year, days[0].month) <= (q.after_year, q.after_month or 0):
            return None
    if q.weekday is not None and days:
        s += 1 if any(d.weekday() == q.weekday for d in days) else (0 if q.planned else -1)
    if q.pub and days and not q.planned and days[0] > q.latest_day:
        return None
    if q.pub and days and q.ongoing and days[-1] < q.ended_by:
        return None  # talks still going on cannot have ended well before the (earliest possible) date
    return s


def _people_score(r: dict, c: dict) -> float:
    """Depends on the round and the article only, so it is kept per article."""
    memo = c.setdefault("_people_scores", {})
    if r["id"] not in memo:
        memo[r["id"]] = _people_score_of(r, c)
    return memo[r["id"]]


def _people_score_of(r: dict, c: dict) -> float:
    s = 1.5 * min(2, len(set(r.get("delegation_heads") or []) & (c["people"] | c["heads"])))
    periods = role_periods()
    for actor, role in c["roles"]:
        held = periods.get((actor, role))
        if held and r["date_start"]:
            inside = any((a is None or a <= r["date_start"]) and (b is None or r["date_start"] <= b) for a, b in held)
            s += 1 if inside else -2
    return s


def _score(q: _Cues, r: dict, c: dict) -> float | None:
    place = _place_score(q, r, c)
    when = _date_score(q, r) if place is not None else None
    if when is None:
        return None
    s = place + when + _people_score(r, c)
    if q.ordinal:
        s += 2.5 if r.get("ordinal") == q.ordinal else (-2.5 if r.get("ordinal") else -0.5)
    if not _formats_agree(q.format, r.get("format")):
        return None
    if q.format in ("online", "phone"):
        s += 1.5
    duration = q.duration
    if duration and r.get("duration_minutes") and 0.6 <= duration / r["duration_minutes"] <= 1.6:
        s += 0.5
    for earlier in c["after"]:  # the article's round comes after a round it calls past
        if not q.previous and r["date_start"] <= earlier:
            s -= 2
    return s


def _recency(scored: list[tuple[float, dict]], m: dict, c: dict) -> list[tuple[float, dict]]:
    """News reports recent rounds: with a (known or estimated) date, favour the latest round before it."""
    pub = c["pub"] or c["estimated"]
    if not pub or m.get("tense") == "planned" or m.get("reference") == "previous" or not scored:
        return scored
    latest = max((r["date_start"] for _, r in scored if r["date_start"] <= pub), default=None)
    out = []
    for s, r in scored:
        if r["date_start"] == latest and (m.get("reference") == "latest" or m.get("tense") == "ongoing"):
            s += 1.5
        if c["pub"] and 0 <= (c["pub"] - (r["date_end"] or r["date_start"])).days <= RECENT_DAYS:
            s += 1
        out.append((s, r))
    return out


def _candidates(m: dict, known: list[dict], c: dict) -> list[tuple[float, dict]]:
    q = _Cues(m, c)
    scored = [(s, r) for r in known if (s := _score(q, r, c)) is not None]
    return sorted(_recency(scored, m, c), key=lambda sr: -sr[0])


# ---------- the passes ----------------------------------------------------------------------------

def _link_known(ms: list[dict], known: list[dict], ctx: dict) -> None:
    """Set `round_id` (or the tied `_tied` ids) on mentions with cues of their own."""
    for m in ms:
        m["round_id"], m["_tied"], m["link_score"], m["_new"] = None, [], None, False
        if m.get("kind") != "round" or not _own_anchors(m):
            continue
        cands = _candidates(m, known, ctx[m["article_id"]])
        if not cands or cands[0][0] < THRESHOLD:
            m["_new"] = not any(s > 0 for s, _ in cands)
            continue
        best = cands[0][0]
        m["link_score"] = best
        if len(cands) == 1 or best - cands[1][0] >= MARGIN:
            m["round_id"] = cands[0][1]["id"]
        else:
            m["_tied"] = [r["id"] for s, r in cands if best - s < MARGIN]


def _main_round(ms: list[dict], scores: dict) -> str | None:
    """The round an article is about: the most linked one outside planned or past references."""
    votes = Counter(m["round_id"] for m in ms if m["round_id"] and m.get("tense") != "planned"
                    and m.get("reference") != "previous")
    votes = votes or Counter(m["round_id"] for m in ms if m["round_id"])
    if not votes:
        return None
    return max(votes, key=lambda rid: (votes[rid], scores.get(rid, 0)))


def _neighbours(info: dict) -> dict[str, tuple[str | None, str | None]]:
    """round id -> (previous, next) round of the same series, by date."""
    series: dict[str, list[dict]] = defaultdict(list)
    for r in info.values():
        if r.get("series"):
            series[r["series"]].append(r)
    out = {}
    for rounds in series.values():
        rounds = sorted(rounds, key=lambda x: x["date_start"])
        for i, r in enumerate(rounds):
            out[r["id"]] = (rounds[i - 1]["id"] if i else None, rounds[i + 1]["id"] if i + 1 < len(rounds) else None)
    return out


def _same_format(m: dict, r: dict) -> bool:
    """Online or phone talks are not an in-person round, and the other way round."""
    return _formats_agree(m.get("format"), r.get("format"))


def _formats_agree(fmt: str | None, other: str | None) -> bool:
    if fmt in (None, "unknown") or other in (None, "unknown"):
        return True
    return fmt == other or "online" not in (fmt, other) and "phone" not in (fmt, other)


def _fits(m: dict, main: dict) -> bool:
    """A mention with cues of its own may still mean the main round if none of them contradicts it."""
    ordinal, country = _int(m, "ordinal"), m.get("country")
    return (not ordinal or not main.get("ordinal") or ordinal == main["ordinal"]) and \
        (not country or not main.get("country") or country == main["country"]) and _same_format(m, main)


def _link_rest(ms: list[dict], info: dict) -> None:
    """Ties, definite mentions and 'next'/'previous' rounds follow the article's main round."""
    by_article: dict[str, list[dict]] = defaultdict(list)
    for m in ms:
        by_article[m["article_id"]].append(m)
    neighbours = _neighbours(info)
    for group in by_article.values():
        scores = Counter()
        for m in group:
            if m["round_id"]:
                scores[m["round_id"]] += m["link_score"] or 0
        main = _main_round(group, scores)
        if main is None:
            continue
        for m in group:
            if m["round_id"] or m.get("kind") != "round":
                continue
            if m["_tied"]:
                m["round_id"] = main if main in m["_tied"] else None
            elif m.get("reference") in ("next", "previous"):
                if m.get("definiteness") == "definite" or m.get("ordinal"):
                    m["round_id"] = neighbours.get(main, (None, None))[m["reference"] == "next"]
            elif _own_anchors(m):
                if _fits(m, info.get(main, {})) and not (m["_new"] and _has_place(m)):
                    m["round_id"] = main
            elif m.get("definiteness") == "definite" or _weak_anchors(m):
                m["round_id"] = main


def _pin_year(ms: list[dict], c: dict, by_id: dict) -> int | None:
    years = [by_id[m["round_id"]]["date_start"].year for m in ms if m["round_id"] in by_id]
    years += [int(d["year"]) for d in c["dates"] if d.get("year") and not d.get("relative")]
    return max(years) if years else None


def _valid_day(year: int, month: int, day: int | None) -> date | None:
    """The date, or the month's last day when `day` is None; None for impossible ones ('February 30')."""
    try:
        return date(year, month, day if day is not None else calendar.monthrange(year, month)[1])
    except ValueError:
        return None


def _estimate(ms: list[dict], c: dict, by_id: dict) -> tuple[date | None, str | None]:
    """The latest day the article speaks of as past: a linked round, or the latest date it gives."""
    best: tuple[date, str] | None = None
    for m in ms:
        r = by_id.get(m["round_id"])
        if r and m.get("tense") != "planned":
            d = r["date_end"] or r["date_start"]
            if best is None or d > best[0]:
                best = (d, f"after round {r['id']} ({m.get('surface')!r})")
    year = _pin_year(ms, c, by_id)
    for d in c["dates"]:
        end = _as_date(d.get("date_end"))
        if end is None and year and d.get("month"):
            end = _valid_day(year, int(d["month"]), int(d["day"]) if d.get("day") else None)
        if end and (best is None or end > best[0]):
            best = (end, f"latest date mentioned ({d.get('text')!r})")
    return best if best else (None, None)


def _link_articles(ms: list[dict], ctx: dict, known: list[dict], by_id: dict) -> None:
    """Both passes over the mentions of whole articles (each article's links depend on that article alone)."""
    by_article: dict[str, list[dict]] = defaultdict(list)
    for m in ms:
        by_article[m["article_id"]].append(m)
    _link_known(ms, known, ctx)
    for aid, group in by_article.items():
        c = ctx[aid]
        c["after"] = {by_id[m["round_id"]]["date_start"] for m in group
                      if m["round_id"] and m.get("reference") == "previous"}
        if c["pub"] is None:
            c["estimated"], c["basis"] = _estimate(group, c, by_id)
    # Linked again where the first pass changed the article's context (rounds it calls past, an estimated date);
    # elsewhere the second pass would give the same links.
    _link_known([m for m in ms if ctx[m["article_id"]]["after"] or ctx[m["article_id"]]["estimated"]], known, ctx)
    _link_rest(ms, by_id)


# ---------- new rounds ----------------------------------------------------------------------------

def _pending(m: dict) -> bool:
    """Left unlinked, with no known round near it, naming a place: the makings of a new round."""
    return m["round_id"] is None and m["_new"] and m.get("reference") != "previous" and _has_place(m)


def _mention_day(m: dict, c: dict) -> date | None:
    start = _as_date(m.get("date_start"))
    if start:
        return start
    month, day = _int(m, "month"), _int(m, "day")
    year = _int(m, "year") or ((c["pub"] or c["estimated"]).year if (c["pub"] or c["estimated"]) else None)
    if month and day and year:
        return _valid_day(year, month, day)
    return None


def _cluster(ms: list[dict], ctx: dict) -> dict[str, list[dict]]:
    """Unlinked mentions that name a place: one new round per place and date (2 days apart at most).

    Mentions are taken in date order (undated last); each joins the earliest-made round of its place that starts
    within 2 days of it, or, undated, the earliest-made one holding a mention from the same article (or the
    place's only round). Rounds are indexed by place and first day, so each mention looks at a handful of them.
    """
    pending = [m for m in ms if _pending(m)]
    clusters: dict[str, list[dict]] = {}
    made: dict[str, int] = {}  # round id -> order of making
    by_day: dict[str, dict[date, list[str]]] = defaultdict(lambda: defaultdict(list))  # place -> first day -> ids
    n_rounds: dict[str, int] = defaultdict(int)
    only: dict[str, str] = {}  # place -> its first round
    by_article: dict[tuple[str, str], list[str]] = defaultdict(list)  # (place, article) -> rounds holding it
    days = {id(m): _mention_day(m, ctx[m["article_id"]]) for m in pending}
    for m in sorted(pending, key=lambda m: (days[id(m)] is None, days[id(m)] or date.min)):
        place = fold(m.get("city") or m.get("region") or m.get("country"))
        day = days[id(m)]
        if day:
            near = [cid for d in range(-2, 3) for cid in by_day[place].get(day + timedelta(days=d), [])]
        else:
            near = by_article.get((place, m["article_id"])) or ([only[place]] if n_rounds[place] == 1 else [])
        rid = min(near, key=made.get) if near else None
        if rid is None:
            rid = stable_id("round", place, day)
            if rid not in clusters:
                made[rid] = len(made)
                clusters[rid] = []
            n_rounds[place] += 1
            only.setdefault(place, rid)
            if day:
                by_day[place][day].append(rid)
        clusters[rid].append(m)
        if rid not in by_article[(place, m["article_id"])]:
            by_article[(place, m["article_id"])].append(rid)
        m["round_id"] = rid
    return clusters


def _mode(values):
    values = [v for v in values if v is not None and v != "unknown" and not (isinstance(v, float) and pd.isna(v))]
    return Counter(values).most_common(1)[0][0] if values else None


def _new_round(rid: str, group: list[dict], ctx: dict) -> dict:
    days = sorted(d for m in group if (d := _mention_day(m, ctx[m["article_id"]])))
    place = _mode(m.get("city") or m.get("region") or m.get("country") for m in group)
    return {
        "round_id": rid, "label": f"Talks in {place}" + (f", {days[0].isoformat()}" if days else ""),
        "date_start": days[0] if days else None, "date_end": days[-1] if days else None,
        "date_precision": "day" if days else "unknown",
        "city": _mode(m.get("city") for m in group), "venue": _mode(m.get("venue") for m in group),
        "country": _mode(m.get("country") for m in group), "host": _mode(m.get("host") for m in group),
        "format": _mode(m.get("format") for m in group) or "unknown",
        "ordinal": _mode(_int(m, "ordinal") for m in group),
        "duration_minutes": _mode(m.get("duration_minutes") for m in group),
        "parties": sorted({p for m in group for p in _list(m.get("parties"))}),
        "delegation_heads": sorted({h for m in group for h in _list(m.get("delegation_heads"))}),
        "in_reference": False, "series": None,
    }


def _known_round(r: dict) -> dict:
    return {"round_id": r["id"], "label": r.get("label"), "date_start": r["date_start"], "date_end": r["date_end"],
            "date_precision": "day" if r["date_start"] else "unknown", "city": r.get("city"),
            "venue": r.get("venue"), "country": r.get("country"), "host": r.get("host"),
            "format": r.get("format") or "unknown", "ordinal": r.get("ordinal"),
            "duration_minutes": r.get("duration_minutes"), "parties": list(r.get("parties") or []),
            "delegation_heads": list(r.get("delegation_heads") or []), "in_reference": True,
            "series": r.get("series")}


# ---------- public functions ----------------------------------------------------------------------

# The columns resolution reads of its other inputs (the mentions' own are read whole).
ARTICLE_COLUMNS = ["article_id", "published_date", "publisher"]
ROLE_COLUMNS = ["article_id", "actor_id", "role"]
DATE_COLUMNS = ["article_id", "year", "month", "day", "date_end", "relative", "text"]
LINK_COLUMNS = ["article_id", "sentence_id", "start", "outcome_type", "round_id"]  # what assign_rounds reads of rows

# What the last steps (clustering, then following the main round) read of a kept mention: a linked one only
# votes for its article's main round; an unlinked one may follow it; one that may make a new round is clustered.
VOTE_KEYS = ("article_id", "kind", "round_id", "link_score", "tense", "reference")
FOLLOW_KEYS = VOTE_KEYS + ("_tied", "_new", "definiteness", "ordinal", "venue", "city", "region", "country", "month",
                           "date_start", "format", "weekday", "duration_minutes", "year")
NEW_ROUND_KEYS = FOLLOW_KEYS + ("day", "host", "parties", "delegation_heads")


@dataclass
class RoundLinks:
    """What resolution gives: the rounds, each mention's round_id and link_score (in the mentions' order), and the
    estimated dates of the articles without a published date."""

    rounds: pd.DataFrame
    round_ids: list
    link_scores: list
    estimates: pd.DataFrame


def _rows_of(frame: pd.DataFrame | None, columns: list[str]):
    """The frame's rows for a set of articles, in the frame's order (a function of the article ids)."""
    if frame is None:
        return lambda aids: None
    frame = frame[[c for c in columns if c in frame]]
    if not len(frame) or "article_id" not in frame:
        return lambda aids: frame
    at = frame.groupby("article_id", sort=False).indices

    def rows(aids) -> pd.DataFrame:
        found = [at[a] for a in aids if a in at]
        return frame.take(np.sort(np.concatenate(found))) if found else frame.head(0)
    return rows


def link_rounds(chunks: Iterable[pd.DataFrame], articles: pd.DataFrame, roles: pd.DataFrame | None,
                dates: pd.DataFrame | None, known: list[dict] | None = None) -> RoundLinks:
    """Resolve round mentions given as consecutive chunks that never split an article (`article_chunks`).

    Linking to known rounds depends on each article alone, so it runs chunk by chunk and keeps only each mention's
    round_id and link_score; the mentions of articles that may make new rounds (unlinked, naming a place) are kept
    to be clustered across the corpus at the end, with only what those last steps read of them."""
    known = known_rounds() if known is None else known
    by_id = {r["id"]: r for r in known}
    articles = articles[[c for c in ARTICLE_COLUMNS if c in articles]]
    article_rows = _rows_of(articles, ARTICLE_COLUMNS)
    role_rows = _rows_of(roles, ROLE_COLUMNS)
    date_rows = _rows_of(dates, DATE_COLUMNS)
    round_ids: list = []
    scores: list = []
    article_of: list = []
    kept: list[dict] = []  # the mentions of articles that may make new rounds, in corpus order
    kept_ctx: dict[str, dict] = {}
    dated: dict[str, tuple] = {}  # article -> (estimated date, basis, publisher)
    for chunk in chunks:
        ms = records(chunk)
        aids = list(dict.fromkeys(m["article_id"] for m in ms))
        ctx = _contexts(ms, article_rows(aids), role_rows(aids), date_rows(aids))
        _link_articles(ms, ctx, known, by_id)
        new_rounds_in = {m["article_id"] for m in ms if _pending(m)}
        for pos, m in enumerate(ms, start=len(round_ids)):
            if m["article_id"] in new_rounds_in:
                keys = NEW_ROUND_KEYS if _pending(m) else VOTE_KEYS if m["round_id"] else FOLLOW_KEYS
                kept.append({**{k: m.get(k) for k in keys}, "_pos": pos})
        round_ids += [m["round_id"] for m in ms]
        scores += [m["link_score"] for m in ms]
        article_of += [m["article_id"] for m in ms]
        kept_ctx.update((aid, {"pub": ctx[aid]["pub"], "estimated": ctx[aid]["estimated"]}) for aid in new_rounds_in)
        dated.update((aid, (c["estimated"], c.get("basis"), c["publisher"])) for aid, c in ctx.items())
    clusters = _cluster(kept, kept_ctx)
    new = {rid: _new_round(rid, group, kept_ctx) for rid, group in clusters.items()}
    _link_rest(kept, {**by_id, **new})
    for m in kept:
        round_ids[m["_pos"]] = m["round_id"]
    return RoundLinks(_rounds_table(round_ids, article_of, by_id, new, dated), round_ids, scores,
                      _estimates(articles, article_of, dated))


def _rounds_table(round_ids: list, article_of: list, by_id: dict, new: dict, dated: dict) -> pd.DataFrame:
    linked: dict[str, set[str]] = defaultdict(set)
    for rid, aid in zip(round_ids, article_of):
        if rid:
            linked[rid].add(aid)
    rows = []
    for rid, aids in linked.items():
        row = _known_round(by_id[rid]) if rid in by_id else dict(new[rid])
        publishers = {dated[a][2] for a in aids} - {None}
        row.update(outcome=None, n_articles=len(aids), n_publishers=len(publishers), article_ids=sorted(aids))
        rows.append(row)
    rounds = pd.DataFrame(rows, columns=ROUND_COLUMNS).sort_values(["date_start", "round_id"], na_position="last")
    return rounds.reset_index(drop=True)


def _estimates(articles: pd.DataFrame, article_of: list, dated: dict) -> pd.DataFrame:
    """article_id, published_date_estimated, published_date_basis for the articles without a published date (the
    articles table's order, then articles only the mentions know)."""
    listed = list(articles["article_id"])
    undated = [a for a, d in zip(listed, articles["published_date"] if "published_date" in articles
                                 else [None] * len(listed)) if _as_date(d) is None]
    undated += [a for a in dict.fromkeys(article_of) if a not in set(listed)]
    rows = [(a, *dated.get(a, (None, None, None))[:2]) for a in dict.fromkeys(undated)]
    return pd.DataFrame(rows, columns=["article_id", "published_date_estimated", "published_date_basis"])


def _with_links(round_mentions: pd.DataFrame | None, links: RoundLinks) -> pd.DataFrame:
    """The mentions as they came, with the round_id and link_score resolution gave each (only those change)."""
    if round_mentions is None or not len(links.round_ids):
        return pd.DataFrame(columns=[*MENTION_COLUMNS, "round_id", "link_score"])
    out = round_mentions.reindex(columns=MENTION_COLUMNS).reset_index(drop=True)
    out["round_id"] = pd.Series(links.round_ids, dtype=object)
    out["link_score"] = pd.Series(links.link_scores, dtype=object)
    return out


def resolve_rounds(round_mentions: pd.DataFrame, articles: pd.DataFrame, roles: pd.DataFrame,
                   dates: pd.DataFrame, known: list[dict] | None = None,
                   with_estimates: bool = False) -> tuple[pd.DataFrame, ...]:
    """(rounds, round_mentions): every mention with its round_id (None when too vague to link).

    With `with_estimates`, a third frame: article_id, published_date_estimated, published_date_basis
    for the articles without a published date, from the same resolution (no second pass over it)."""
    chunks = [round_mentions.reset_index(drop=True)] if round_mentions is not None and len(round_mentions) else []
    links = link_rounds(chunks, articles, roles, dates, known)
    mentions = _with_links(round_mentions, links)
    return (links.rounds, mentions, links.estimates) if with_estimates else (links.rounds, mentions)


def assign_rounds(rows: pd.DataFrame, round_mentions: pd.DataFrame) -> pd.DataFrame:
    """Fill `round_id`: the round named in the same sentence, else the nearest earlier one in the
    article, else the article's main round (its most mentioned). Planned rounds are skipped: what is
    agreed or demanded belongs to the round where it was said, not to the one announced. A further
    round ('will meet again') follows the round the article reports, never an earlier one it recalls
    in passing, so next_round outcomes skip the nearest-earlier step."""
    out = rows.copy()
    if "round_id" not in out:
        out["round_id"] = None
    if round_mentions is None or round_mentions.empty or out.empty:
        return out
    rm = round_mentions
    if "tense" in rm:
        rm = rm[rm["tense"] != "planned"]
    rm = rm.loc[rm["round_id"].notna(), ["article_id", "sentence_id", "start", "round_id"]].sort_values("start")
    if rm.empty:
        return out
    keys = out[["article_id", "sentence_id", "start"]].reset_index(drop=True).assign(_row=range(len(out)))
    same = keys.merge(rm.drop_duplicates(["article_id", "sentence_id"])[["article_id", "sentence_id", "round_id"]],
                      on=["article_id", "sentence_id"], how="left").set_index("_row")["round_id"]
    earlier = pd.merge_asof(keys.sort_values("start"), rm[["article_id", "start", "round_id"]],
                            on="start", by="article_id", direction="backward").set_index("_row")["round_id"]
    if "outcome_type" in out:
        earlier = earlier.where(~pd.Series(out["outcome_type"].to_numpy() == "next_round").reindex(earlier.index))
    counts = rm.groupby(["article_id", "round_id"], as_index=False).agg(n=("start", "size"), first=("start", "min"))
    main = counts.sort_values(["n", "first"], ascending=[False, True]).drop_duplicates("article_id")
    main = keys.merge(main[["article_id", "round_id"]], on="article_id", how="left").set_index("_row")["round_id"]
    own = pd.Series(out["round_id"].to_numpy(), index=range(len(out)))
    chosen = same.sort_index().combine_first(earlier.sort_index()).combine_first(main.sort_index()).combine_first(own)
    out["round_id"] = chosen.astype(object).where(chosen.notna(), None).to_numpy()
    return out


def summarize_outcomes(rounds: pd.DataFrame, outcomes: pd.DataFrame) -> pd.DataFrame:
    """Fill `outcome`: 'agreed: prisoner_exchange (1000), bodies_return; rejected: ceasefire'."""
    out = rounds.copy()
    if outcomes is None or outcomes.empty:
        return out
    # One pass over the linked outcomes: round -> status -> {outcome type: label}, in the order they come.
    by_round: dict[str, dict[str, dict[str, str]]] = defaultdict(lambda: defaultdict(dict))
    linked = outcomes[outcomes["round_id"].notna() & outcomes["status"].notna()]
    for rid, status, kind, q in zip(linked["round_id"], linked["status"], linked["outcome_type"], linked["quantity"]):
        label = kind
        if q is not None and not pd.isna(q):
            label += f" ({int(q) if float(q).is_integer() else float(q)})"
        items = by_round[rid][status]
        if kind not in items or "(" in label:
            items[kind] = label
    texts = {}
    for rid in outcomes.loc[outcomes["round_id"].notna(), "round_id"].unique():
        statuses = by_round.get(rid, {})
        order = STATUS_ORDER + tuple(sorted(set(statuses) - set(STATUS_ORDER)))
        parts = [f"{status}: " + ", ".join(statuses[status].values()) for status in order if statuses.get(status)]
        texts[rid] = "; ".join(parts) or None
    out["outcome"] = [texts.get(rid, cur) for rid, cur in zip(out["round_id"], out["outcome"])]
    return out
